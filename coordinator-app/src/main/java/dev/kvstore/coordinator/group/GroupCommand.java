package dev.kvstore.coordinator.group;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import dev.kvstore.model.RingView;
import java.util.List;

/** One change to the replicated state: one entry of the coordinators' Raft log. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = GroupCommand.Register.class, name = "register"),
        @JsonSubTypes.Type(value = GroupCommand.MarkDown.class, name = "down"),
        @JsonSubTypes.Type(value = GroupCommand.MarkUp.class, name = "up"),
        @JsonSubTypes.Type(value = GroupCommand.AddMissing.class, name = "missing"),
        @JsonSubTypes.Type(value = GroupCommand.MarkLeaving.class, name = "leaving"),
        @JsonSubTypes.Type(value = GroupCommand.Remove.class, name = "remove"),
        @JsonSubTypes.Type(value = GroupCommand.PublishRing.class, name = "ring"),
        @JsonSubTypes.Type(value = GroupCommand.BeginMigration.class, name = "begin-migration"),
        @JsonSubTypes.Type(value = GroupCommand.EndMigration.class, name = "end-migration"),
        @JsonSubTypes.Type(value = GroupCommand.ConfirmLeadership.class, name = "confirm-leadership"),
        @JsonSubTypes.Type(value = GroupCommand.RaiseTermFloor.class, name = "raise-term-floor")})
public sealed interface GroupCommand {

    /** A node registers (or registers again, perhaps from a new URL). */
    record Register(String id, String url, String instanceToken) implements GroupCommand {
    }

    /** The leader's reaper found the node silent for the heartbeat timeout. */
    record MarkDown(String id) implements GroupCommand {
    }

    /** A node marked down is heard from again. */
    record MarkUp(String id) implements GroupCommand {
    }

    /** A ring member that has not registered since the group formed: down, with no URL. */
    record AddMissing(String id) implements GroupCommand {
    }

    /** An operator asked for the node's graceful removal. */
    record MarkLeaving(String id) implements GroupCommand {
    }

    /** The node has left the ring; it is forgotten, and remembered as removed. */
    record Remove(String id) implements GroupCommand {
    }

    /** The leader published a new ring. */
    record PublishRing(RingView ring) implements GroupCommand {
    }

    /**
     * The leader starts moving data for a ring change.
     *
     * @param change         what it is for ("node-3 fails"), for operators
     * @param fromNodes      the ring it moves from (the group's ring when it starts)
     * @param toNodes        the ring it moves towards
     * @param startedAtMillis when it started, by the leader's clock (carried, so applying stays pure)
     */
    record BeginMigration(String change, List<String> fromNodes, List<String> toNodes, long startedAtMillis)
            implements GroupCommand {
        public BeginMigration {
            fromNodes = List.copyOf(fromNodes);
            toNodes = List.copyOf(toNodes);
        }
    }

    /** The migration in progress ended: its ring was published, or it was abandoned to be replanned. */
    record EndMigration() implements GroupCommand {
    }

    /**
     * Changes nothing: the leader appends one to renew its lease, since its commit proves that a majority
     * still followed this leader after the moment it was sent.
     */
    record ConfirmLeadership() implements GroupCommand {
    }

    /**
     * A node has seen a term at or above this leader's: the group lost the log its terms came from (all
     * coordinators started from empty directories) while the nodes kept theirs. From now on the term on
     * every message to a node is {@code floor} plus the Raft term, above what any node has seen.
     */
    record RaiseTermFloor(long floor) implements GroupCommand {
    }

    /** What applying a command did. */
    @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
    @JsonSubTypes({
            @JsonSubTypes.Type(value = Result.Applied.class, name = "applied"),
            @JsonSubTypes.Type(value = Result.Refused.class, name = "refused")})
    sealed interface Result {

        /** @param changed whether the state changed (false: it already was so) */
        record Applied(boolean changed) implements Result {
        }

        /** The state did not change, because {@code reason}. */
        record Refused(String reason) implements Result {
        }
    }
}
