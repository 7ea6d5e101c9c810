package dev.kvstore.node.participant;

import dev.kvstore.model.Vote;
import dev.kvstore.node.replica.Prepared;

/** What a prepare does next, decided under the replica's locks: answer now, wait for the key's holder, or
 * answer once a record is durable (waited for outside the locks). */
public sealed interface PrepareStep {

    record Answer(Vote vote) implements PrepareStep {
    }

    record AwaitHolder(Prepared holder) implements PrepareStep {
    }

    /** {@code entry} is the prepare to forget if its record cannot be made durable; null for a no vote. */
    record AwaitDurable(long seq, Vote vote, Prepared entry) implements PrepareStep {
    }
}
