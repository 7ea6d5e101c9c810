package dev.kvstore.coordinator.group;

import java.net.URI;

/**
 * One coordinator of the group, as every member is told of it.
 *
 * @param id          its name, e.g. {@code coordinator-1}
 * @param raftAddress {@code host:port} of its Raft server (the coordinators' own traffic)
 * @param url         where it serves clients and nodes, e.g. {@code http://127.0.0.1:8080}
 */
public record GroupPeer(String id, String raftAddress, URI url) {

    /** The host of {@link #raftAddress}. */
    public String raftHost() {
        return raftAddress.substring(0, raftAddress.lastIndexOf(':'));
    }

    /** The port of {@link #raftAddress}. */
    public int raftPort() {
        return Integer.parseInt(raftAddress.substring(raftAddress.lastIndexOf(':') + 1));
    }

    /** Parses {@code id=host:raftPort=url}, e.g. {@code coordinator-1=127.0.0.1:9180=http://127.0.0.1:8080}. */
    public static GroupPeer parse(String spec) {
        String[] parts = spec.trim().split("=", 3);
        if (parts.length != 3 || parts[0].isBlank() || !parts[1].matches("[^:/\\s]+:\\d{1,5}")) {
            throw new IllegalArgumentException("kv.coordinator.group.peers: '" + spec + "' is not id=host:raftPort=url, "
                    + "e.g. coordinator-1=127.0.0.1:9180=http://127.0.0.1:8080");
        }
        URI url = URI.create(parts[2].endsWith("/") ? parts[2].substring(0, parts[2].length() - 1) : parts[2]);
        if (url.getScheme() == null || url.getHost() == null) {
            throw new IllegalArgumentException("kv.coordinator.group.peers: '" + parts[2] + "' in '" + spec
                    + "' is not an absolute URL");
        }
        return new GroupPeer(parts[0], parts[1], url);
    }
}
