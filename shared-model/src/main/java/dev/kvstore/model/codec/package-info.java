/**
 * The node protocol's hot records as the coordinator and the nodes encode them for each other
 * ({@link dev.kvstore.model.codec.NodeProtocolModule}, registered on each app's CBOR mapper): the
 * two-phase-commit batch and its reply, written and read field by field instead of by reflection.
 *
 * <p>Invariant: the documents are the ones Jackson makes and reads of the same records by reflection, up
 * to null fields left out; a document either writes, the other reads to an equal record (checked in
 * {@code NodeProtocolModuleTest}). So a coordinator and a node of different builds still understand
 * each other, and the JSON form of the API, which does not use this module, says the same.
 */
package dev.kvstore.model.codec;
