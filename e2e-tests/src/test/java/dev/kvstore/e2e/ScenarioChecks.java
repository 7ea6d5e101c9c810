package dev.kvstore.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kvstore.client.Entry;
import dev.kvstore.client.ErrorResponseException;
import dev.kvstore.client.KvClientException;
import dev.kvstore.client.UnavailableException;
import dev.kvstore.e2e.LocalCluster.Node;
import dev.kvstore.e2e.LocalCluster.Response;
import dev.kvstore.e2e.history.CheckResult;
import dev.kvstore.e2e.history.FinalRead;
import dev.kvstore.e2e.history.History;
import dev.kvstore.e2e.history.LinearizabilityChecker;
import dev.kvstore.e2e.history.OpType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The end-of-scenario checks the fault tests share: a quiet read of every key, the recorded history
 * against it ({@link LinearizabilityChecker}), and every key on exactly its two preference-list nodes
 * with equal value and version, read from the nodes themselves.
 */
final class ScenarioChecks {

    static final Duration SETTLE = Duration.ofSeconds(120);

    private final LocalCluster cluster;

    ScenarioChecks(LocalCluster cluster) {
        this.cluster = cluster;
    }

    /** Every key's value or absence, once the coordinator answers with one (a 503 is retried). */
    Map<String, FinalRead> finalState(Collection<String> keys) throws Exception {
        Map<String, FinalRead> finalState = new LinkedHashMap<>();
        for (String key : keys) {
            Optional<Entry> read = awaitAnswer(key);
            finalState.put(key, read.map(e -> FinalRead.of(e.asString(), e.version())).orElseGet(FinalRead::absent));
        }
        return finalState;
    }

    /** A fault or change a scenario makes. */
    interface Scenario {
        void run() throws Exception;
    }

    /**
     * Runs the scenario while {@code clients} clients read and write {@code keyCount} keys named after it
     * ({@link ClientLoad}), from a moment before to a moment after, then checks the history and the
     * placement ({@link #verify}); returns the history.
     */
    History underLoad(String name, int keyCount, int clients, Scenario scenario) throws Exception {
        History history = new History();
        ClientLoad load = new ClientLoad(cluster, history, name, keyCount, clients);
        long started = System.nanoTime();
        try {
            Thread.sleep(1_500);
            scenario.run();
            Thread.sleep(1_500);
        } finally {
            load.close();
        }
        System.out.printf("%s: %d s, %d operations, %d ok, %d refused, %d unconfirmed%n", name,
                Duration.ofNanos(System.nanoTime() - started).toSeconds(), history.size(), load.succeeded.get(),
                load.refused.get(), load.unconfirmed.get());
        verify(name, history, load);
        assertThat(load.succeeded.get()).as("%s: operations that succeeded", name).isGreaterThan(50);
        return history;
    }

    /** The history against the final state, then the placement; returns the final state. */
    Map<String, FinalRead> verify(String name, History history, ClientLoad load) throws Exception {
        // Transactions a crash left in doubt resolve within the participants' decision timeout.
        Map<String, FinalRead> finalState = finalState(load.keys());
        CheckResult result = LinearizabilityChecker.check(history.ops(), finalState);
        AssertionError historyFailure = null;
        try {
            assertThat(result.messages()).as("%s: history of %d operations (%d ok, %d refused, %d unconfirmed)",
                    name, history.size(), load.succeeded.get(), load.refused.get(), load.unconfirmed.get()).isEmpty();
        } catch (AssertionError e) {
            historyFailure = e;
        }
        // The replicas too when the history failed: which replica holds what says where it went wrong.
        try {
            assertPlacedOnTheirPreferenceLists(finalState);
        } catch (AssertionError e) {
            if (historyFailure == null) {
                throw e;
            }
            historyFailure.addSuppressed(e);
        }
        if (historyFailure != null) {
            throw historyFailure;
        }
        assertThat(load.unexpected).as("%s: unexpected answers", name).isEmpty();
        return finalState;
    }

    /**
     * A history for the next stretch of a long run that starts from {@code finalState}: each value is
     * recorded as a write acknowledged now, so a later read of an older value is a stale read and a
     * value from before it (a write that comes back) is a read of a value never written.
     */
    static History continuing(Map<String, FinalRead> finalState) {
        History history = new History();
        finalState.forEach((key, read) -> {
            if (!read.isAbsent()) {
                history.ok(history.invoke(OpType.PUT, key, read.value()), read.version(), null);
            }
        });
        return history;
    }

    Optional<Entry> awaitAnswer(String key) throws Exception {
        long deadline = System.nanoTime() + SETTLE.toNanos();
        while (true) {
            try {
                return cluster.client().get(key);
            } catch (ErrorResponseException e) {
                if (System.nanoTime() >= deadline) {
                    throw e;
                }
                Thread.sleep(200);
            }
        }
    }

    void assertPlacedOnTheirPreferenceLists(Map<String, FinalRead> finalState) throws Exception {
        Map<String, Map<String, Long>> tables = new HashMap<>();
        Map<String, Node> byId = new HashMap<>();
        boolean someNodeDown = cluster.nodes().stream().anyMatch(n -> n.state().equals("DOWN"));
        for (Node node : cluster.nodes()) {
            if (node.state().equals("DOWN")) {
                continue;
            }
            byId.put(node.id(), node);
            tables.put(node.id() + "/own", cluster.table(node, "own"));
            tables.put(node.id() + "/prev", cluster.table(node, "prev"));
        }
        for (var entry : finalState.entrySet()) {
            String key = entry.getKey();
            List<String> holders = new ArrayList<>();
            tables.forEach((table, keys) -> {
                if (keys.containsKey(key)) {
                    holders.add(table + "@" + keys.get(key));
                }
            });
            if (entry.getValue().isAbsent()) {
                assertThat(holders).as("holders of deleted %s", key).isEmpty();
                continue;
            }
            List<String> placement = cluster.placement(key);
            long version = entry.getValue().version();
            assertThat(holders).as("holders of %s (read %s at %d)", key, entry.getValue().value(), version)
                    .containsExactlyInAnyOrder(placement.get(0) + "/own@" + version,
                            placement.get(1) + "/prev@" + version);
            assertReplicaHolds(byId.get(placement.get(0)), "own", key, entry.getValue().value(), someNodeDown);
            assertReplicaHolds(byId.get(placement.get(1)), "prev", key, entry.getValue().value(), someNodeDown);
        }
    }

    /**
     * A replica may still hold the key for a transaction in doubt (409) while that transaction's other
     * participant is down: it cannot tell whether that one committed, so it waits for it. Otherwise
     * doubts resolve within the decision timeout, and the value must match.
     */
    private void assertReplicaHolds(Node node, String table, String key, String value, boolean someNodeDown)
            throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        Response read = cluster.readReplica(node, table, key);
        while (read.status() == 409 && System.nanoTime() < deadline) {
            Thread.sleep(250);
            read = cluster.readReplica(node, table, key);
        }
        if (read.status() == 409 && someNodeDown) {
            return;
        }
        assertThat(read.body()).as("%s's %s table, key %s", node.id(), table, key).isEqualTo(value);
    }

    /**
     * For every key at once: GET until answered, then PUT until acknowledged (a value naming the key
     * and the attempt; it must differ between the calls on one history), each attempt recorded in the
     * history. Returns, per key, the time from {@code since} until both had succeeded; fails naming the
     * keys that did not within {@code bound}, with what they last answered.
     */
    List<Duration> readAndWriteEveryKey(List<String> keys, String valueTag, History history, long since,
                                        Duration bound) throws Exception {
        long deadline = since + bound.toNanos();
        List<String> stuck = new ArrayList<>();
        List<Duration> times = new ArrayList<>();
        try (ExecutorService probes = Executors.newVirtualThreadPerTaskExecutor()) { // every key at once
            List<Future<Probe>> results = new ArrayList<>();
            for (String key : keys) {
                results.add(probes.submit(() -> {
                    boolean read = false;
                    String last = "no attempt";
                    for (int attempt = 0; System.nanoTime() < deadline; attempt++) {
                        last = read ? attempt(history, OpType.PUT, key, valueTag + "-probe-" + attempt)
                                : attempt(history, OpType.GET, key, null);
                        if (last == null && read) {
                            return new Probe(Duration.ofNanos(System.nanoTime() - since), null);
                        }
                        read |= last == null;
                        Thread.sleep(200);
                    }
                    return new Probe(null, (read ? "read, but no write: " : "no read: ") + last);
                }));
            }
            for (int i = 0; i < keys.size(); i++) {
                Probe probe = results.get(i).get();
                if (probe.failure() == null) {
                    times.add(probe.time());
                } else {
                    stuck.add(keys.get(i) + " (" + probe.failure() + ")");
                }
            }
        }
        assertThat(stuck).as("keys not both read and written within %s", bound).isEmpty();
        return times;
    }

    private record Probe(Duration time, String failure) {
    }

    /** One GET or PUT through the typed client, recorded; null when it succeeded, else what it answered. */
    private String attempt(History history, OpType type, String key, String value) {
        long id = history.invoke(type, key, value);
        try {
            if (type == OpType.GET) {
                Optional<Entry> read = cluster.client().get(key);
                history.ok(id, read.map(Entry::version).orElse(0L), read.map(Entry::asString).orElse(null));
            } else {
                history.ok(id, cluster.client().put(key, value).version(), null);
            }
            return null;
        } catch (UnavailableException e) {
            history.fail(id, "HTTP " + e.status());
            return type + " " + e.getMessage();
        } catch (KvClientException e) {
            // 504, a timeout, a broken connection: may have taken effect.
            history.unknown(id, e.getMessage());
            return type + " " + e.getMessage();
        }
    }

    String stateOf(String id) {
        return cluster.nodes().stream().filter(n -> n.id().equals(id)).map(Node::state).findFirst().orElse("ABSENT");
    }

    boolean fullyReplicated() {
        return cluster.status().fullyReplicated();
    }

    /** Every node UP and every range with two live copies. */
    boolean allUpAndFullyReplicated() {
        return cluster.nodes().stream().allMatch(n -> n.state().equals("UP")) && fullyReplicated();
    }

    interface Check {
        boolean holds() throws Exception;
    }

    void awaitThat(String what, Check check) throws Exception {
        awaitThat(what, SETTLE, check);
    }

    void awaitThat(String what, Duration timeout, Check check) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!holds(check)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + timeout + ": " + what + "; cluster: " + statusOrWhy());
            }
            Thread.sleep(250);
        }
    }

    /** A check that throws (the coordinator not answering yet) does not hold yet. */
    private static boolean holds(Check check) throws InterruptedException {
        try {
            return check.holds();
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            return false;
        }
    }

    private String statusOrWhy() {
        try {
            return cluster.status().toString();
        } catch (RuntimeException e) {
            return "(GET /nodes failed: " + e + ")";
        }
    }
}
