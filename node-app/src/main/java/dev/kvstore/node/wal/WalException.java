package dev.kvstore.node.wal;

import dev.kvstore.model.NodeError;
import dev.kvstore.model.NodeErrorException;
import java.io.IOException;

/**
 * The log could not make a record durable. After the first failed write or fsync the log refuses
 * every later append: the page cache may have dropped the dirty pages, so retrying the fsync could
 * report success for data that is gone. Callers see {@link NodeError#STORAGE_UNAVAILABLE}.
 */
public class WalException extends NodeErrorException {

    public WalException(String message, IOException cause) {
        super(NodeError.STORAGE_UNAVAILABLE, message, cause);
    }

    @Override
    public String detail() {
        return "this node cannot make writes durable now; retry on another replica or later";
    }
}
