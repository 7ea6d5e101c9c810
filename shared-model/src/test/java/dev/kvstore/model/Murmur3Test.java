package dev.kvstore.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Ring positions are persisted in everyone's heads and in node tables: the hash must never drift. */
class Murmur3Test {

    private static long[] hash128(String ascii, int seed) {
        byte[] bytes = ascii.getBytes(StandardCharsets.US_ASCII);
        long[] out = new long[2];
        Murmur3.hash128(bytes, 0, bytes.length, seed, out);
        return out;
    }

    /** Guava's {@code Murmur3Hash128Test.testKnownValues}: h1, h2 for short inputs and several seeds. */
    @Test
    void matchesPublishedX64_128VectorsForH1AndH2() {
        assertThat(hash128("hell", 0)).containsExactly(0x629942693e10f867L, 0x92db0b82baeb5347L);
        assertThat(hash128("hello", 1)).containsExactly(0xa78ddff5adae8d10L, 0x128900ef20900135L);
        assertThat(hash128("hello ", 2)).containsExactly(0x8a486b23f422e826L, 0xf962a2c58947765fL);
        assertThat(hash128("hello w", 3)).containsExactly(0x2ea59f466f6bed8cL, 0xc610990acc428a17L);
        assertThat(hash128("hello wo", 4)).containsExactly(0x79f6305a386c572cL, 0x46305aed3483b94eL);
        assertThat(hash128("hello wor", 5)).containsExactly(0xc2219d213ec1f1b5L, 0xa1d8e2e0a52785bdL);
        assertThat(hash128("The quick brown fox jumps over the lazy dog", 0))
                .containsExactly(0xe34bbc7bbc071b6cL, 0x7a433ca9c49a9347L);
        assertThat(hash128("The quick brown fox jumps over the lazy cog", 0))
                .containsExactly(0x658ca970ff85269aL, 0x43fee3eaa68e5c3eL);
    }

    /**
     * SMHasher's {@code VerificationTest}: hash {0}, {0,1}, ..., {0..254} (and the empty key) with
     * seed 256 - length, then hash the 256 digests with seed 0; the first 4 bytes, little-endian, are
     * the published {@code 0x6384BA69} for MurmurHash3_x64_128. Covers every tail length and block count up to 15.
     */
    @Test
    void matchesSmhasherVerificationValue() {
        byte[] key = new byte[256];
        ByteBuffer digests = ByteBuffer.allocate(256 * 16).order(ByteOrder.LITTLE_ENDIAN);
        long[] out = new long[2];
        for (int length = 0; length < 256; length++) {
            key[length] = (byte) length;
            Murmur3.hash128(key, 0, length, 256 - length, out);
            digests.putLong(out[0]).putLong(out[1]);
        }
        Murmur3.hash128(digests.array(), 0, digests.capacity(), 0, out);

        assertThat((int) out[0]).isEqualTo(0x6384BA69);
    }

    /** Expected values from Guava's {@code Hashing.murmur3_128().hashString(s, UTF_8).asLong()}. */
    @Test
    void ringHashIsH1OfTheUtf8BytesWithSeedZero() {
        assertThat(KeyHash.of("")).isZero();
        assertThat(KeyHash.of("a")).isEqualTo(0x85555565f6597889L);
        assertThat(KeyHash.of("key-0")).isEqualTo(0xcaa56e2e1cfe5b91L);
        assertThat(KeyHash.of("node-1#0")).isEqualTo(0xb8d28c59dfcd247cL);
        assertThat(KeyHash.of("0123456789abcdef")).isEqualTo(0x4be06d94cf4ad1a7L);
        assertThat(KeyHash.of("0123456789abcdefg")).isEqualTo(0x8e32612daa45f9deL);
        assertThat(KeyHash.of("ключ/значение")).isEqualTo(0xd58ae84eae16f8ecL);
        assertThat(KeyHash.of("\uD83C\uDF35 cactus")).isEqualTo(0xaf9311337e8fb350L);
        assertThat(KeyHash.of("The quick brown fox jumps over the lazy dog")).isEqualTo(0xe34bbc7bbc071b6cL);
    }

    @Test
    void hashOfASliceEqualsHashOfTheSameBytesAlone() {
        byte[] framed = "xxThe quick brown fox jumps over the lazy dogyy".getBytes(StandardCharsets.US_ASCII);
        long[] out = new long[2];
        Murmur3.hash128(framed, 2, framed.length - 4, 0, out);

        assertThat(out).containsExactly(0xe34bbc7bbc071b6cL, 0x7a433ca9c49a9347L);
    }

    @Test
    void seedCountsOnlyItsLow32BitsLikeTheReferencesUint32() {
        assertThat(hash128("hello", 0)).containsExactly(hash128Long("hello", 0xffffffff_00000000L));
        assertThat(hash128("hello", 1)).containsExactly(hash128Long("hello", 0x7_00000001L));
    }

    private static long[] hash128Long(String ascii, long seed) {
        byte[] bytes = ascii.getBytes(StandardCharsets.US_ASCII);
        long[] out = new long[2];
        Murmur3.hash128(bytes, 0, bytes.length, seed, out);
        return out;
    }
}
