package dev.kvstore.model;

/**
 * A participant's answer to prepare.
 *
 * @param txId           the transaction
 * @param yes            whether the participant promises to commit when told to
 * @param reason         why not, when no: {@link #LOCKED}, {@link #CONFLICT} or {@link #ABORTED}
 * @param currentVersion the version the key holds in the target table now, 0 when absent
 */
public record Vote(String txId, boolean yes, String reason, long currentVersion) {

    /** Another transaction holds the key. */
    public static final String LOCKED = "LOCKED";
    /** The expected version did not match. */
    public static final String CONFLICT = "CONFLICT";
    /** The transaction was already aborted here. */
    public static final String ABORTED = "ABORTED";

    public static Vote yes(String txId, long currentVersion) {
        return new Vote(txId, true, null, currentVersion);
    }

    public static Vote no(String txId, String reason, long currentVersion) {
        return new Vote(txId, false, reason, currentVersion);
    }
}
