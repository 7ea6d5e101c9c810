package dev.kvstore.node.replica;

import java.util.UUID;

/**
 * Transaction ids as the participant's outcome map holds them, a million of them after ten minutes of
 * 1,700 writes a second. The coordinator's ids are random UUIDs in canonical form (36 lower-case
 * characters: 80 bytes of heap as a String); such an id is held as a {@link Uuid} of its 128 bits (32
 * bytes), which gives back exactly the same text. Any other id (upper case, another shape) stays the
 * String it is, so two ids are the same key exactly when their texts are equal.
 */
public final class TxIds {

    /** The longest transaction id a prepare accepts. */
    public static final int MAX_LENGTH = 128;
    private static final int UUID_LENGTH = 36;

    private TxIds() {
    }

    /** The map key of {@code txId}: a {@link Uuid} for a canonical UUID, else the String itself. */
    public static Object key(String txId) {
        if (txId.length() != UUID_LENGTH) {
            return txId;
        }
        long high = 0;
        long low = 0;
        int digits = 0;
        for (int i = 0; i < UUID_LENGTH; i++) {
            char c = txId.charAt(i);
            if (i == 8 || i == 13 || i == 18 || i == 23) {
                if (c != '-') {
                    return txId;
                }
                continue;
            }
            int digit = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
            if (digit < 0) {
                return txId;
            }
            if (digits++ < 16) {
                high = high << 4 | digit;
            } else {
                low = low << 4 | digit;
            }
        }
        return new Uuid(high, low);
    }

    /** The transaction id a key stands for. */
    public static String text(Object key) {
        return key instanceof Uuid uuid ? uuid.toString() : (String) key;
    }

    /** A canonical UUID transaction id, as its two halves. */
    public record Uuid(long high, long low) {
        @Override
        public String toString() {
            return new UUID(high, low).toString();
        }
    }
}
