package dev.kvstore.coordinator.txn;

/** A precondition on the key's current version, checked by the participants while they hold the key. */
public sealed interface Precondition {

    Precondition NONE = new None();

    /** No condition. */
    record None() implements Precondition {
    }

    /** {@code If-None-Match: *}: the key must not exist. */
    record MustBeAbsent() implements Precondition {
    }

    /** {@code If-Match: *} (and every DELETE): the key must exist. */
    record MustExist() implements Precondition {
    }

    /** {@code If-Match: "v"}: the key must be at exactly this version. */
    record MustMatch(long version) implements Precondition {
    }

    /** What the participants check themselves ({@code expectedVersion}), or null if they need not. */
    default Long expectedVersion() {
        return switch (this) {
            case MustBeAbsent ignored -> 0L;
            case MustMatch match -> match.version();
            case None ignored -> null;
            case MustExist ignored -> null;
        };
    }
}
