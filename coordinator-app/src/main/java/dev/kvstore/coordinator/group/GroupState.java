package dev.kvstore.coordinator.group;

import dev.kvstore.coordinator.group.GroupCommand.Result;
import dev.kvstore.model.RingView;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.UnaryOperator;

/**
 * The replicated state itself: plain data and a deterministic {@link #apply}. Not thread-safe: the
 * state machine applies one command at a time and hands readers immutable {@link #snapshot()}s.
 */
public final class GroupState {

    /**
     * A node as the group records it.
     *
     * @param url           where it serves; null for a ring member that has not registered since the
     *                      group formed
     * @param instanceToken the random token from its data directory, if it sent one
     * @param up            false once the leader's reaper found it silent, until it is heard from again
     * @param leaving       an operator asked for its graceful removal
     */
    public record Registration(String id, String url, String instanceToken, boolean up, boolean leaving) {
    }

    /** The migration in progress: the rings it moves from and towards, and what for. */
    public record Migration(String change, List<String> fromNodes, List<String> toNodes, long startedAtMillis) {
        public Migration {
            fromNodes = List.copyOf(fromNodes);
            toNodes = List.copyOf(toNodes);
        }
    }

    /**
     * Everything, immutable: what a snapshot file holds and what readers see.
     *
     * @param termFloor added to the Raft term on messages to nodes (see {@link GroupCommand.RaiseTermFloor});
     *                  0 unless the group once lost its log; absent from older snapshot files
     */
    public record Snapshot(List<Registration> members, List<String> removed, RingView ring, Migration migration,
                           Long termFloor) {

        public static final Snapshot EMPTY = new Snapshot(List.of(), List.of(), new RingView(0, List.of()), null, 0L);

        public Snapshot {
            members = List.copyOf(members);
            removed = List.copyOf(removed);
            Objects.requireNonNull(ring, "ring");
            termFloor = termFloor == null ? 0L : termFloor;
        }

        public Optional<Registration> member(String id) {
            return members.stream().filter(m -> m.id().equals(id)).findFirst();
        }
    }

    private final TreeMap<String, Registration> members = new TreeMap<>();
    private final TreeSet<String> removed = new TreeSet<>();
    private RingView ring = Snapshot.EMPTY.ring();
    private Migration migration;
    private long termFloor;

    /** A state holding exactly what {@code snapshot} holds. */
    public static GroupState restore(Snapshot snapshot) {
        GroupState state = new GroupState();
        snapshot.members().forEach(m -> state.members.put(m.id(), m));
        state.removed.addAll(snapshot.removed());
        state.ring = snapshot.ring();
        state.migration = snapshot.migration();
        state.termFloor = snapshot.termFloor();
        return state;
    }

    public Snapshot snapshot() {
        return new Snapshot(List.copyOf(members.values()), List.copyOf(removed), ring, migration, termFloor);
    }

    /** Applies one command; a refused command changes nothing. */
    public Result apply(GroupCommand command) {
        return switch (command) {
            case GroupCommand.Register r -> register(r);
            case GroupCommand.MarkDown d -> update(d.id(), m -> new Registration(m.id(), m.url(), m.instanceToken(), false, m.leaving()));
            case GroupCommand.MarkUp u -> markUp(u.id());
            case GroupCommand.AddMissing a -> addMissing(a.id());
            case GroupCommand.MarkLeaving l -> update(l.id(), m -> new Registration(m.id(), m.url(), m.instanceToken(), m.up(), true));
            case GroupCommand.Remove r -> remove(r.id());
            case GroupCommand.PublishRing p -> publish(p.ring());
            case GroupCommand.BeginMigration b -> begin(b);
            case GroupCommand.EndMigration e -> end();
            case GroupCommand.ConfirmLeadership c -> new Result.Applied(false);
            case GroupCommand.RaiseTermFloor r -> raiseFloor(r.floor());
        };
    }

    private Result register(GroupCommand.Register r) {
        Registration current = members.get(r.id());
        if (current != null && current.up() && current.url() != null && !current.url().equals(r.url())
                && (r.instanceToken() == null || !r.instanceToken().equals(current.instanceToken()))) {
            return new Result.Refused("node id " + r.id() + " is in use by " + current.url());
        }
        boolean leaving = current != null && current.leaving();
        Registration next = new Registration(r.id(), r.url(), r.instanceToken(), true, leaving);
        boolean changed = removed.remove(r.id()) | !next.equals(current);
        members.put(r.id(), next);
        return new Result.Applied(changed);
    }

    private Result markUp(String id) {
        Registration current = members.get(id);
        if (current == null || current.url() == null) {
            return new Result.Refused("node " + id + " is not registered");
        }
        return update(id, m -> new Registration(m.id(), m.url(), m.instanceToken(), true, m.leaving()));
    }

    private Result addMissing(String id) {
        if (members.containsKey(id)) {
            return new Result.Applied(false);
        }
        members.put(id, new Registration(id, null, null, false, false));
        return new Result.Applied(true);
    }

    private Result update(String id, UnaryOperator<Registration> change) {
        Registration current = members.get(id);
        if (current == null) {
            return new Result.Refused("no node has id " + id);
        }
        Registration next = change.apply(current);
        members.put(id, next);
        return new Result.Applied(!next.equals(current));
    }

    private Result remove(String id) {
        boolean changed = members.remove(id) != null;
        changed |= removed.add(id);
        return new Result.Applied(changed);
    }

    private Result publish(RingView next) {
        if (next.epoch() <= ring.epoch()) {
            return new Result.Refused("ring epoch " + next.epoch() + " is not above the current " + ring.epoch());
        }
        ring = next;
        return new Result.Applied(true);
    }

    private Result begin(GroupCommand.BeginMigration b) {
        if (migration != null) {
            return new Result.Refused("a migration is in progress: " + migration.change());
        }
        migration = new Migration(b.change(), b.fromNodes(), b.toNodes(), b.startedAtMillis());
        return new Result.Applied(true);
    }

    private Result raiseFloor(long floor) {
        if (floor <= termFloor) {
            return new Result.Applied(false);
        }
        termFloor = floor;
        return new Result.Applied(true);
    }

    private Result end() {
        boolean changed = migration != null;
        migration = null;
        return new Result.Applied(changed);
    }
}
