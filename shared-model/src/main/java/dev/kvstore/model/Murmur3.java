package dev.kvstore.model;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * MurmurHash3 x64_128 (Austin Appleby's public-domain reference, {@code MurmurHash3_x64_128}),
 * written out here so ring positions depend on nothing but this file: the same bytes give the same
 * positions on every JVM and in every release. Blocks and the tail are read little-endian, as the
 * reference does on x86, whatever the platform's byte order.
 */
public final class Murmur3 {

    private static final long C1 = 0x87c37b91114253d5L;
    private static final long C2 = 0x4cf5ad432745937fL;
    private static final VarHandle LONG_LE =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private Murmur3() {
    }

    /** {@code h1} of the 128-bit hash with seed 0: the first 8 bytes of the digest, read little-endian. */
    public static long hash64(byte[] data) {
        long[] out = new long[2];
        hash128(data, 0, data.length, 0, out);
        return out[0];
    }

    /**
     * The full hash of {@code data[offset, offset + length)}; {@code out[0] = h1}, {@code out[1] = h2}.
     * The seed is the reference's {@code uint32_t}: only its low 32 bits count, zero-extended.
     */
    public static void hash128(byte[] data, int offset, int length, long seed, long[] out) {
        long h1 = seed & 0xffffffffL;
        long h2 = h1;
        int blocks = length >>> 4;
        for (int i = 0; i < blocks; i++) {
            int at = offset + (i << 4);
            long k1 = (long) LONG_LE.get(data, at);
            long k2 = (long) LONG_LE.get(data, at + 8);

            h1 ^= mixK1(k1);
            h1 = Long.rotateLeft(h1, 27);
            h1 += h2;
            h1 = h1 * 5 + 0x52dce729;

            h2 ^= mixK2(k2);
            h2 = Long.rotateLeft(h2, 31);
            h2 += h1;
            h2 = h2 * 5 + 0x38495ab5;
        }

        // Tail: up to 15 bytes, the first 8 into k1 and the rest into k2, little-endian.
        int tail = offset + (blocks << 4);
        int rest = length & 15;
        long k1 = 0;
        long k2 = 0;
        for (int i = rest - 1; i >= 8; i--) {
            k2 = (k2 << 8) | (data[tail + i] & 0xffL);
        }
        for (int i = Math.min(rest, 8) - 1; i >= 0; i--) {
            k1 = (k1 << 8) | (data[tail + i] & 0xffL);
        }
        if (rest > 8) {
            h2 ^= mixK2(k2);
        }
        if (rest > 0) {
            h1 ^= mixK1(k1);
        }

        h1 ^= length;
        h2 ^= length;
        h1 += h2;
        h2 += h1;
        h1 = fmix64(h1);
        h2 = fmix64(h2);
        h1 += h2;
        h2 += h1;
        out[0] = h1;
        out[1] = h2;
    }

    private static long mixK1(long k1) {
        return Long.rotateLeft(k1 * C1, 31) * C2;
    }

    private static long mixK2(long k2) {
        return Long.rotateLeft(k2 * C2, 33) * C1;
    }

    /** The 64-bit finalizer: every bit of {@code k} reaches every bit of the result (for hash tables keyed by longs). */
    public static long fmix64(long k) {
        k ^= k >>> 33;
        k *= 0xff51afd7ed558ccdL;
        k ^= k >>> 33;
        k *= 0xc4ceb9fe1a85ec53L;
        k ^= k >>> 33;
        return k;
    }
}
