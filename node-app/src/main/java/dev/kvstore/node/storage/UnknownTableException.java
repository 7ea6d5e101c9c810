package dev.kvstore.node.storage;

/** A table name other than {@code own} or {@code prev}. */
public class UnknownTableException extends RuntimeException {

    public UnknownTableException(String table) {
        super("unknown table '" + table + "'; use 'own' or 'prev'");
    }
}
