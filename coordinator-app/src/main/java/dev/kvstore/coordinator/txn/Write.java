package dev.kvstore.coordinator.txn;

import dev.kvstore.model.WriteOp;

/** A client's write: a put of a value with its content type, or a delete, under a condition. */
public record Write(String key, WriteOp op, byte[] value, String contentType, Precondition condition) {

    public static Write put(String key, byte[] value, String contentType, Precondition condition) {
        return new Write(key, WriteOp.PUT, value, contentType, condition);
    }

    public static Write delete(String key, Precondition condition) {
        return new Write(key, WriteOp.DELETE, null, null, condition);
    }
}
