package dev.kvstore.node.disk;

import org.springframework.util.unit.DataSize;

/**
 * A free-space threshold: a size ({@code 500MB}) or a share of the file system ({@code 5%}).
 *
 * @param bytes   the free space below which the threshold is crossed, when given as a size (else -1)
 * @param percent the share of the file system's size, when given as a percentage (else -1)
 */
public record Watermark(long bytes, double percent) {

    public Watermark {
        if ((bytes < 0) == (percent < 0)) {
            throw new IllegalArgumentException("a watermark is either a size or a percentage");
        }
        if (percent > 100) {
            throw new IllegalArgumentException("a watermark percentage is at most 100%, not " + percent + "%");
        }
    }

    /** Parses {@code 5%} or a size such as {@code 500MB} (Spring's {@link DataSize} format). */
    public static Watermark of(String text) {
        String trimmed = text == null ? "" : text.trim();
        try {
            if (trimmed.endsWith("%")) {
                return new Watermark(-1, Double.parseDouble(trimmed.substring(0, trimmed.length() - 1).trim()));
            }
            return new Watermark(DataSize.parse(trimmed).toBytes(), -1);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("a watermark is a free-space size such as 500MB or a percentage such as "
                    + "5%, not '" + text + "'", e);
        }
    }

    /** The free bytes below which the threshold is crossed on a file system of {@code totalBytes}. */
    public long freeBytesOn(long totalBytes) {
        return bytes >= 0 ? bytes : (long) Math.ceil(totalBytes * percent / 100.0);
    }

    /** As it would be configured: {@code 5%}, {@code 500MB}. */
    @Override
    public String toString() {
        if (bytes < 0) {
            return java.math.BigDecimal.valueOf(percent).stripTrailingZeros().toPlainString() + "%";
        }
        for (String unit : new String[] {"GB", "MB", "KB"}) {
            long size = DataSize.parse("1" + unit).toBytes();
            if (bytes >= size && bytes % size == 0) {
                return bytes / size + unit;
            }
        }
        return bytes + "B";
    }
}
