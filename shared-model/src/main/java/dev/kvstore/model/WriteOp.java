package dev.kvstore.model;

public enum WriteOp {
    PUT,
    DELETE
}
