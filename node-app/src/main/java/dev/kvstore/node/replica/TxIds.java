package dev.kvstore.node.replica;

import java.util.Arrays;
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
    /** A character's value as a lower-case hex digit, else -1. */
    private static final byte[] HEX = new byte[128];
    /** Where in the text each of the 32 hex digits stands. */
    private static final int[] DIGIT_AT = new int[32];

    static {
        Arrays.fill(HEX, (byte) -1);
        for (char c = '0'; c <= '9'; c++) {
            HEX[c] = (byte) (c - '0');
        }
        for (char c = 'a'; c <= 'f'; c++) {
            HEX[c] = (byte) (c - 'a' + 10);
        }
        for (int i = 0, at = 0; at < UUID_LENGTH; at++) {
            if (at != 8 && at != 13 && at != 18 && at != 23) {
                DIGIT_AT[i++] = at;
            }
        }
    }

    private TxIds() {
    }

    /** Whether {@code txId} is a UUID in canonical form: lower-case hex digits, dashes after 8, 12, 16 and 20. */
    public static boolean isCanonicalUuid(String txId) {
        if (txId.length() != UUID_LENGTH || txId.charAt(8) != '-' || txId.charAt(13) != '-'
                || txId.charAt(18) != '-' || txId.charAt(23) != '-') {
            return false;
        }
        int digits = 0;
        for (int at : DIGIT_AT) {
            char c = txId.charAt(at);
            digits |= c < HEX.length ? HEX[c] : -1;
        }
        return digits >= 0;
    }

    /** The most significant 64 bits of a canonical UUID id. */
    public static long high(String uuid) {
        return bits(uuid, 0);
    }

    /** The least significant 64 bits of a canonical UUID id. */
    public static long low(String uuid) {
        return bits(uuid, 16);
    }

    /** The canonical text of the UUID id with these halves. */
    public static String text(long high, long low) {
        return new UUID(high, low).toString();
    }

    /** Sixteen hex digits from the {@code from}-th digit on, as one long. */
    private static long bits(String uuid, int from) {
        long bits = 0;
        for (int i = from; i < from + 16; i++) {
            bits = bits << 4 | HEX[uuid.charAt(DIGIT_AT[i])];
        }
        return bits;
    }
}
