package dev.kvstore.node.migration;

import dev.kvstore.model.HashRange;
import dev.kvstore.model.RangeResult;
import dev.kvstore.model.Table;
import java.io.InputStream;
import java.net.URI;
import java.util.List;
import java.util.function.Function;

/** Where a copy pulls ranges from: another node's export. */
public interface PeerRangeSource {

    /**
     * Asks the node at {@code source} for the export of {@code table} in {@code ranges} and hands its
     * stream to {@code install} while it arrives, returning what that returns.
     *
     * @param sourceUrl the source as the request named it, for the errors
     * @throws RangeSourceException when the source cannot be reached, answers anything but a stream, or
     *                              its stream fails ({@link RangeStreamException} from {@code install})
     */
    RangeResult pull(URI source, String sourceUrl, Table table, List<HashRange> ranges,
                     Function<InputStream, RangeResult> install);
}
