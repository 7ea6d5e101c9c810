package dev.kvstore.model;

/**
 * The answer to one {@link KeyRead}: the value with its content type and version, or the
 * {@link NodeError} with its detail: {@link NodeError#KEY_NOT_FOUND} when absent,
 * {@link NodeError#KEY_IN_DOUBT} when a transaction in doubt holds the key (the value here may be stale:
 * read the other replica), {@link NodeError#INVALID_REQUEST} for a malformed read.
 */
public record ReadReply(byte[] value, String contentType, long version, NodeError error, String detail) {

    public static ReadReply found(byte[] value, String contentType, long version) {
        return new ReadReply(value, contentType, version, null, null);
    }

    public static ReadReply failed(NodeError error, String detail) {
        return new ReadReply(null, null, 0, error, detail);
    }
}
