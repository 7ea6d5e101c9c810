package dev.kvstore.coordinator.txn.model;

import java.util.ArrayList;
import java.util.List;

/**
 * The messages in flight, as an immutable sorted set (a message sent again while an equal one is in
 * flight is the same message, which may be delivered twice anyway). Any of them may be delivered next,
 * in any order, or lost; one already delivered once may be delivered a second time, then it is gone.
 *
 * @param <M> the protocol's messages: immutable, comparable values (the order consistent with equals)
 */
public record Network<M extends Comparable<M>>(List<InFlight<M>> messages) {

    /** A message and whether it was delivered once already (a second delivery is its duplicate). */
    public record InFlight<M>(M message, boolean deliveredOnce) {
    }

    public static <M extends Comparable<M>> Network<M> empty() {
        return new Network<>(List.of());
    }

    public Network<M> send(M message) {
        // Sorted by message, each message in it once at most (compareTo is consistent with equals).
        int at = 0;
        while (at < messages.size() && messages.get(at).message().compareTo(message) < 0) {
            at++;
        }
        if (at < messages.size() && messages.get(at).message().equals(message)) {
            return this;
        }
        List<InFlight<M>> next = new ArrayList<>(messages.size() + 1);
        next.addAll(messages.subList(0, at));
        next.add(new InFlight<>(message, false));
        next.addAll(messages.subList(at, messages.size()));
        return new Network<>(List.copyOf(next));
    }

    /** Without the {@code i}th message: lost, or delivered for the last time. */
    public Network<M> without(int i) {
        List<InFlight<M>> next = new ArrayList<>(messages);
        next.remove(i);
        return new Network<>(List.copyOf(next));
    }

    /** The {@code i}th message delivered once and kept for a duplicate delivery. */
    public Network<M> keptForDuplicate(int i) {
        List<InFlight<M>> next = new ArrayList<>(messages);
        next.set(i, new InFlight<>(messages.get(i).message(), true));
        return new Network<>(List.copyOf(next));
    }

    /** One enabled delivery: the message, the network after it, and whether it is the message's duplicate. */
    @FunctionalInterface
    public interface Delivery<M extends Comparable<M>> {
        void deliver(M message, Network<M> after, boolean duplicate);
    }

    /**
     * Every delivery enabled now. A lost message is one never delivered: leaving it in flight forever
     * reaches the same states of every party, so loss needs no step of its own. Likewise a first delivery
     * leaves the message in flight for a possible duplicate (when {@code duplicates} allows one), which
     * need never come.
     */
    public void forEachDelivery(boolean duplicates, Delivery<M> delivery) {
        for (int i = 0; i < messages.size(); i++) {
            InFlight<M> m = messages.get(i);
            if (m.deliveredOnce()) {
                delivery.deliver(m.message(), without(i), true);
            } else {
                delivery.deliver(m.message(), duplicates ? keptForDuplicate(i) : without(i), false);
            }
        }
    }

    public int size() {
        return messages.size();
    }

    public InFlight<M> get(int i) {
        return messages.get(i);
    }
}
