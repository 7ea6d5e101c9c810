package dev.kvstore.node.replica;

/**
 * A committed value: its bytes, media type and version. Equal content types share one String (see
 * {@link ContentTypes}): a table holds one of these per key.
 */
public record StoredValue(byte[] value, String contentType, long version) {

    public StoredValue {
        contentType = ContentTypes.SHARED.share(contentType);
    }
}
