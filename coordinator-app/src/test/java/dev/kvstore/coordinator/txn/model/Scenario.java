package dev.kvstore.coordinator.txn.model;

import java.util.List;

/**
 * What the clients ask, each a write to the one key the two replicas hold: PUTs, each with the
 * version it expects ({@code null}: none; {@code 0}: the key must be absent, {@code If-None-Match: *}).
 */
public record Scenario(String name, List<Write> writes) {

    /** One client's write; a transaction of its own. */
    public record Write(Long expectedVersion) {
    }

    public static Scenario onePut() {
        return new Scenario("one PUT", List.of(new Write(null)));
    }

    /** Two clients: a PUT and a create-only PUT of the same key; the coordinator may start either first. */
    public static Scenario putAndConditionalPut() {
        return new Scenario("a PUT and a conditional PUT (If-None-Match: *) of one key",
                List.of(new Write(null), new Write(0L)));
    }

    public int size() {
        return writes.size();
    }
}
