package dev.kvstore.coordinator.migration;

/** A node could not carry out a migration step; the migration is abandoned and retried. */
public class MigrationStepException extends RuntimeException {

    public MigrationStepException(String message, Throwable cause) {
        super(message, cause);
    }
}
