package dev.kvstore.node.wal;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The log could not make a record durable. After the first failed write or fsync the log refuses
 * every later append: the page cache may have dropped the dirty pages, so retrying the fsync could
 * report success for data that is gone.
 */
public class WalException extends UncheckedIOException {

    public WalException(String message, IOException cause) {
        super(message, cause);
    }
}
