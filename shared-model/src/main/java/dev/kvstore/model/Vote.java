package dev.kvstore.model;

/**
 * A participant's answer to prepare.
 *
 * @param txId           the transaction
 * @param yes            whether the participant promises to commit when told to
 * @param reason         why not, when no: {@link #LOCKED}, {@link #CONFLICT}, {@link #ABORTED}, {@link #NO_SPACE}
 *                       or {@link #STALE_VERSION}. A participant records the transaction aborted before it
 *                       votes no, so the vote stays no however often the prepare comes again
 * @param currentVersion the version the key holds in the target table now, 0 when absent
 * @param seenVersion    the newest version the participant has seen for the key in that table: its value's,
 *                       or, when absent, that of the deletion it remembers (0 when none). A write applies
 *                       only above it, so the coordinator issues a version above every vote's; null from a
 *                       participant that does not report it (then {@code currentVersion} is all it has seen)
 */
public record Vote(String txId, boolean yes, String reason, long currentVersion, Long seenVersion) {

    /** Another transaction holds the key. */
    public static final String LOCKED = "LOCKED";
    /** The expected version did not match. */
    public static final String CONFLICT = "CONFLICT";
    /** The transaction was already aborted here. */
    public static final String ABORTED = "ABORTED";
    /** The participant's disk is below its high watermark: it takes no new values (deletes it still takes). */
    public static final String NO_SPACE = "NO_SPACE";
    /**
     * The write's version is not above what the participant has seen for the key ({@link #versionToExceed}):
     * the coordinator tries again with a version above it.
     */
    public static final String STALE_VERSION = "STALE_VERSION";

    /** The version a new write of the key must exceed on this participant. */
    public long versionToExceed() {
        return seenVersion == null ? currentVersion : Math.max(currentVersion, seenVersion);
    }

    public static Vote yes(String txId, long currentVersion, long seenVersion) {
        return new Vote(txId, true, null, currentVersion, seenVersion);
    }

    public static Vote yes(String txId, long currentVersion) {
        return yes(txId, currentVersion, currentVersion);
    }

    public static Vote no(String txId, String reason, long currentVersion) {
        return new Vote(txId, false, reason, currentVersion, currentVersion);
    }

    public static Vote no(String txId, String reason, long currentVersion, long seenVersion) {
        return new Vote(txId, false, reason, currentVersion, seenVersion);
    }
}
