package dev.kvstore.model;

/**
 * The answer to one {@link KeyRead}: 200 with the value, its content type and version; 404 when absent;
 * 409 when a transaction in doubt holds the key (the value here may be stale: read the other replica);
 * 400 with the detail for a malformed read.
 */
public record ReadReply(int status, byte[] value, String contentType, long version, String detail) {

    public static ReadReply found(byte[] value, String contentType, long version) {
        return new ReadReply(200, value, contentType, version, null);
    }

    public static ReadReply failed(int status, String detail) {
        return new ReadReply(status, null, null, 0, detail);
    }
}
