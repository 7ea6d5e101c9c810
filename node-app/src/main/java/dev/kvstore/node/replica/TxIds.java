package dev.kvstore.node.replica;

import java.util.UUID;

/**
 * Transaction ids as the replica's {@link OutcomeTable} holds them. The coordinator's ids are UUIDs in
 * canonical form (36 lower-case characters, 80 bytes of heap as a String); such an id is held as its 128
 * bits, which give back exactly the same text. Any other id (upper case, another shape) stays the String
 * it is, so two ids are the same transaction exactly when their texts are equal.
 */
public final class TxIds {

    /** The longest transaction id a prepare accepts. */
    public static final int MAX_LENGTH = 128;
    private static final int UUID_LENGTH = 36;

    private TxIds() {
    }

    /** Whether {@code txId} is a UUID in canonical form: lower-case hex digits, dashes after 8, 12, 16 and 20. */
    public static boolean isCanonicalUuid(String txId) {
        if (txId.length() != UUID_LENGTH) {
            return false;
        }
        for (int i = 0; i < UUID_LENGTH; i++) {
            char c = txId.charAt(i);
            boolean valid = i == 8 || i == 13 || i == 18 || i == 23 ? c == '-' : digit(c) >= 0;
            if (!valid) {
                return false;
            }
        }
        return true;
    }

    /** The most significant 64 bits of a canonical UUID id. */
    public static long high(String uuid) {
        return hex(uuid, 0, 18);
    }

    /** The least significant 64 bits of a canonical UUID id. */
    public static long low(String uuid) {
        return hex(uuid, 19, UUID_LENGTH);
    }

    /** The canonical text of the UUID id with these halves. */
    public static String text(long high, long low) {
        return new UUID(high, low).toString();
    }

    private static long hex(String uuid, int from, int to) {
        long bits = 0;
        for (int i = from; i < to; i++) {
            int digit = digit(uuid.charAt(i));
            if (digit >= 0) {
                bits = bits << 4 | digit;
            }
        }
        return bits;
    }

    private static int digit(char c) {
        return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
    }
}
