package dev.kvstore.model;

import java.util.List;

/**
 * The ring's members as the coordinator last published them. Nodes keep it on disk and send it when
 * they register, so a restarted coordinator rebuilds the same ring, including members that are down.
 *
 * @param epoch increases with every ring the coordinators publish
 * @param nodes the member ids
 */
public record RingView(long epoch, List<String> nodes) {

    public RingView {
        nodes = nodes == null ? List.of() : List.copyOf(nodes);
    }
}
