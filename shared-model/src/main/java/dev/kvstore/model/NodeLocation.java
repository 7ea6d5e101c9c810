package dev.kvstore.model;

/**
 * Where a cluster member is now, as the coordinator knows it: a node in doubt finds its peer by id
 * here, since a restarted peer may listen on another address.
 *
 * @param id    the node's stable id
 * @param url   the base URL it last registered
 * @param state UP, JOINING, LEAVING or DOWN
 */
public record NodeLocation(String id, String url, String state) {
}
