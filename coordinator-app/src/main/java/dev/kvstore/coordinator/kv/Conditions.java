package dev.kvstore.coordinator.kv;

import dev.kvstore.coordinator.txn.Precondition;
import java.util.regex.Pattern;

/** Reads If-Match and If-None-Match into a {@link Precondition}. */
final class Conditions {

    private static final Pattern VERSION = Pattern.compile("[0-9]{1,19}");

    private Conditions() {
    }

    static Precondition parse(String ifMatch, String ifNoneMatch) {
        if (ifMatch != null && ifNoneMatch != null) {
            throw new InvalidRequestException("send If-Match or If-None-Match, not both");
        }
        if (ifNoneMatch != null) {
            if (!ifNoneMatch.strip().equals("*")) {
                throw new InvalidRequestException("If-None-Match supports only * (create if absent)");
            }
            return new Precondition.MustBeAbsent();
        }
        if (ifMatch == null) {
            return Precondition.NONE;
        }
        String value = ifMatch.strip();
        if (value.equals("*")) {
            return new Precondition.MustExist();
        }
        String unquoted = value.startsWith("W/") ? value.substring(2) : value;
        if (unquoted.length() >= 2 && unquoted.startsWith("\"") && unquoted.endsWith("\"")) {
            unquoted = unquoted.substring(1, unquoted.length() - 1);
        }
        // ASCII digits only: Long.parseLong also takes a sign and other scripts' digits, which no ETag has.
        if (VERSION.matcher(unquoted).matches()) {
            try {
                long version = Long.parseLong(unquoted);
                if (version > 0) {
                    return new Precondition.MustMatch(version);
                }
            } catch (NumberFormatException overflow) {
                // Fall through to the explanation.
            }
        }
        throw new InvalidRequestException("If-Match must be * or one version as the ETag gave it, like \"17\"; got "
                + ifMatch);
    }
}
