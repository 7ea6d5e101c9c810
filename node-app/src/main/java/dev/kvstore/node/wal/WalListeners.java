package dev.kvstore.node.wal;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Everyone listening to one log, told in turn; what one of them throws is logged and dropped. */
final class WalListeners implements WalListener {

    private static final Logger log = LoggerFactory.getLogger(WalListeners.class);

    private final List<WalListener> listeners = new CopyOnWriteArrayList<>();

    void add(WalListener listener) {
        listeners.add(listener);
    }

    /** A write of {@code records} ({@code bytes} long; none: a fsync alone), fsynced in {@code fsyncNanos} (negative: not fsynced). */
    void wrote(long records, long bytes, long fsyncNanos) {
        if (records > 0) {
            batchWritten(records, bytes);
        }
        if (fsyncNanos >= 0) {
            fsynced(fsyncNanos);
        }
    }

    @Override
    public void batchWritten(long records, long bytes) {
        each(listener -> listener.batchWritten(records, bytes));
    }

    @Override
    public void fsynced(long nanos) {
        each(listener -> listener.fsynced(nanos));
    }

    @Override
    public void failed(IOException error) {
        each(listener -> listener.failed(error));
    }

    private void each(Consumer<WalListener> call) {
        for (WalListener listener : listeners) {
            try {
                call.accept(listener);
            } catch (RuntimeException e) {
                log.warn("Write-ahead log listener failed; ignoring it", e);
            }
        }
    }
}
