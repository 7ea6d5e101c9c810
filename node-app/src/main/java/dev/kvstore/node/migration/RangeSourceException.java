package dev.kvstore.node.migration;

import dev.kvstore.model.NodeError;
import dev.kvstore.model.NodeErrorException;
import java.util.Map;
import org.springframework.http.HttpStatus;

/**
 * A range copy failed at its source node: it could not be reached or its stream was cut off
 * ({@link HttpStatus#SERVICE_UNAVAILABLE}, worth retrying), or it answered something else than a
 * stream of entries ({@link HttpStatus#BAD_GATEWAY}). Keys installed before the failure stay installed.
 */
public class RangeSourceException extends NodeErrorException {

    private final String source;
    private final HttpStatus status;
    private final long installed;

    public RangeSourceException(String source, HttpStatus status, String message, long installed, Throwable cause) {
        super(status == HttpStatus.SERVICE_UNAVAILABLE ? NodeError.RANGE_SOURCE_UNAVAILABLE : NodeError.RANGE_SOURCE_FAILED,
                message, cause);
        this.source = source;
        this.status = status;
        this.installed = installed;
    }

    /** The source node's base URL as the request named it. */
    public String source() {
        return source;
    }

    public HttpStatus status() {
        return status;
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
