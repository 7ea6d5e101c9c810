package dev.kvstore.node.wal;

import java.nio.ByteBuffer;

/**
 * The records appended since the last flush, framed one after another in one buffer, and the spare
 * buffer the next flush swaps in, so appends go on while a flush writes. Guarded by the log's lock.
 */
final class PendingBatch {

    private static final int INITIAL_BYTES = 64 * 1024;

    private ByteBuffer filling = ByteBuffer.allocate(INITIAL_BYTES);
    private ByteBuffer spare = ByteBuffer.allocate(INITIAL_BYTES);

    /** Frames {@code payload} onto the batch; returns the bytes it takes there. */
    int add(byte[] payload) {
        int size = RecordFormat.framedSize(payload.length);
        if (filling.remaining() < size) {
            filling = grow(filling, size);
        }
        RecordFormat.encode(payload, filling);
        return size;
    }

    boolean isEmpty() {
        return filling.position() == 0;
    }

    /** The batch, flipped for writing; appends go on into the spare until {@link #giveBack}. One flush at a time. */
    ByteBuffer take() {
        ByteBuffer out = filling;
        filling = spare;
        spare = null;
        return out.flip();
    }

    /** The flush is done with {@code out}: it becomes the spare. */
    void giveBack(ByteBuffer out) {
        spare = out.clear();
    }

    /** Forgets what was appended and not flushed: after a failure, it never will be. */
    void discard() {
        filling.clear();
    }

    private static ByteBuffer grow(ByteBuffer buffer, int needed) {
        int capacity = Math.max(buffer.capacity() * 2, buffer.position() + needed);
        ByteBuffer bigger = ByteBuffer.allocate(capacity);
        buffer.flip();
        bigger.put(buffer);
        return bigger;
    }
}
