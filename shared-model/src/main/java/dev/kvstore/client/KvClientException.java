package dev.kvstore.client;

/**
 * Whatever goes wrong in a {@link KvClient} call. Thrown directly only when the coordinator answered
 * something the client cannot read (a success without an ETag, say): the request reached it, so a write
 * may have taken effect. The subclasses say more: {@link ErrorResponseException} for error answers,
 * {@link TransportException} for requests without an answer.
 */
public class KvClientException extends RuntimeException {

    public KvClientException(String message) {
        super(message);
    }

    public KvClientException(String message, Throwable cause) {
        super(message, cause);
    }
}
