package dev.kvstore.model;

/**
 * A node describing itself.
 *
 * @param id          its stable id
 * @param url         the base URL it registered with
 * @param ownKeys     keys in its {@code own} table
 * @param prevKeys    keys in its {@code prev} table
 * @param inDoubt     transactions prepared and not yet decided
 * @param walWritable whether its write-ahead log still accepts records
 * @param registered  whether the coordinator has accepted its registration
 * @param coordinatorTerm the highest coordinator leader term the node has seen (0 before any); null from
 *                    a node that does not check terms
 */
public record NodeInfo(String id, String url, int ownKeys, int prevKeys, int inDoubt, boolean walWritable,
                       boolean registered, Long coordinatorTerm) {
}
