package dev.kvstore.node.storage;

/** A key no write could have stored (empty, or over the length limit). */
public class InvalidKeyException extends RuntimeException {

    public InvalidKeyException(String problem) {
        super(problem);
    }
}
