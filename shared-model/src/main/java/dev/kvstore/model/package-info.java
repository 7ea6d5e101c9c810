/**
 * The protocol between the coordinator and the nodes, as plain records (no Spring, no Jackson
 * annotations; Jackson maps records as they are). Values travel as {@code byte[]}, which JSON
 * carries as base64.
 *
 * <p>Two-phase commit, as the records encode it: the coordinator sends {@link PrepareRequest} to
 * both replicas of a key; each answers a {@link Vote} carrying the version it currently holds. Only
 * if both vote yes does the coordinator send {@link CommitRequest} with the new version, which it
 * picks above both votes, so versions keep increasing per key without the coordinator storing them.
 * A participant left in doubt asks the coordinator, then its peers, for the {@link TxnStatus}.
 */
package dev.kvstore.model;
