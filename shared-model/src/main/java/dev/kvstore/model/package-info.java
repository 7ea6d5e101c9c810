/**
 * The protocol between the coordinator and the nodes, as plain records (no Spring, no Jackson
 * annotations; Jackson maps records as they are). The coordinator sends them as CBOR
 * ({@code application/cbor}), where values are byte strings, and encodes the two-phase-commit batch
 * field by field ({@link dev.kvstore.model.codec}) into the same document; the nodes also take and give
 * JSON, where values are base64, for people and tools.
 *
 * <p>Every two-phase-commit message and every read travels in a batch ({@link TxnBatch},
 * {@link ReadBatch}; a lone message is a batch of one), answered message by message. The one error
 * vocabulary is {@link NodeError}: a message's {@code error} inside a batch reply, or a whole response's
 * problem {@code type}.
 *
 * <p>Two-phase commit, as the records encode it: the coordinator sends a prepare ({@link PrepareRequest})
 * to both replicas of a key; each answers a {@link Vote} carrying the version it currently holds. Only
 * if both vote yes does the coordinator send a commit with the new version, which it picks above both
 * votes, so versions keep increasing per key without the coordinator storing them. A participant left
 * in doubt asks the coordinator, then its peers, for the {@link TxnStatus}.
 */
package dev.kvstore.model;
