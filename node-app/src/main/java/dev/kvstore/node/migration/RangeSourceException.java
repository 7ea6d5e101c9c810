package dev.kvstore.node.migration;

import dev.kvstore.model.NodeError;
import dev.kvstore.model.NodeErrorException;
import java.util.Map;

/**
 * A range copy failed at its source node: it could not be reached or its stream was cut off
 * ({@link NodeError#RANGE_SOURCE_UNAVAILABLE}, worth retrying), or it answered something else than a
 * stream of entries ({@link NodeError#RANGE_SOURCE_FAILED}). Keys installed before the failure stay installed.
 */
public class RangeSourceException extends NodeErrorException {

    private final String source;
    private final long installed;

    public RangeSourceException(String source, NodeError error, String message, long installed, Throwable cause) {
        super(error, message, cause);
        this.source = source;
        this.installed = installed;
    }

    /** The source node's base URL as the request named it. */
    public String source() {
        return source;
    }

    /** Keys installed before the failure. */
    public long installed() {
        return installed;
    }

    @Override
    public Map<String, Object> properties() {
        return Map.of("source", source, "installed", installed);
    }
}
