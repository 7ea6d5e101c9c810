package dev.kvstore.coordinator.txn.model;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Breadth-first search over every state a {@link Protocol} can reach in a {@link Scenario}, checking the
 * {@link Properties} in each. Breadth first, so a counterexample is a shortest one.
 */
public final class Explorer {

    /**
     * @param states      distinct states reached (all of them when no property was violated)
     * @param transitions steps taken, to new states and to states seen before
     * @param violation   the property violated and the steps from the initial state to the state
     *                    violating it; empty when every reachable state satisfies the properties
     */
    public record Result(String protocol, String scenario, Bounds bounds, long states, long transitions, long millis,
                         Optional<Counterexample> violation) {

        public String summary() {
            return protocol + ", " + scenario + ", " + bounds + ": " + states + " states, " + transitions
                    + " transitions, " + millis + " ms" + violation.map(v -> ", VIOLATED: " + v.property()).orElse("");
        }
    }

    public record Counterexample(String property, List<String> steps) {

        @Override
        public String toString() {
            StringBuilder text = new StringBuilder("property violated: ").append(property).append('\n');
            for (int i = 0; i < steps.size(); i++) {
                text.append(String.format("%3d. %s%n", i + 1, steps.get(i)));
            }
            return text.toString();
        }
    }

    private Explorer() {
    }

    public static <S extends Observed> Result explore(Protocol<S> protocol, Scenario scenario, Bounds bounds) {
        long start = System.nanoTime();
        Map<S, Integer> seen = new HashMap<>();
        List<Integer> parent = new ArrayList<>();
        List<Supplier<String>> via = new ArrayList<>();
        ArrayDeque<S> queue = new ArrayDeque<>();
        ArrayDeque<Integer> queueIds = new ArrayDeque<>();
        S initial = protocol.initial(scenario, bounds);
        seen.put(initial, 0);
        parent.add(-1);
        via.add(null);
        Optional<String> bad = Properties.violated(initial);
        if (bad.isPresent()) {
            return result(protocol, scenario, bounds, 1, 0, start, new Counterexample(bad.get(), List.of()));
        }
        queue.add(initial);
        queueIds.add(0);
        long[] transitions = {0};
        Object[] found = {null, null};
        while (!queue.isEmpty() && found[0] == null) {
            S state = queue.poll();
            int id = queueIds.poll();
            protocol.next(state, (label, next) -> {
                transitions[0]++;
                if (found[0] != null || seen.containsKey(next)) {
                    return;
                }
                int nextId = parent.size();
                seen.put(next, nextId);
                parent.add(id);
                via.add(label);
                Optional<String> violated = Properties.violated(next);
                if (violated.isPresent()) {
                    found[0] = violated.get();
                    found[1] = nextId;
                    return;
                }
                queue.add(next);
                queueIds.add(nextId);
            });
        }
        if (found[0] == null) {
            return new Result(protocol.name(), scenario.name(), bounds, seen.size(), transitions[0],
                    (System.nanoTime() - start) / 1_000_000, Optional.empty());
        }
        List<String> steps = new ArrayList<>();
        for (int at = (Integer) found[1]; parent.get(at) >= 0; at = parent.get(at)) {
            steps.add(via.get(at).get());
        }
        Collections.reverse(steps);
        return result(protocol, scenario, bounds, seen.size(), transitions[0], start,
                new Counterexample((String) found[0], steps));
    }

    private static Result result(Protocol<?> protocol, Scenario scenario, Bounds bounds, long states, long transitions,
                                 long start, Counterexample violation) {
        return new Result(protocol.name(), scenario.name(), bounds, states, transitions,
                (System.nanoTime() - start) / 1_000_000, Optional.of(violation));
    }
}
