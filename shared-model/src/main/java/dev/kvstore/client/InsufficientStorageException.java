package dev.kvstore.client;

/**
 * 507: a replica of the key is low on disk (below its high watermark) and takes no new values until space
 * is freed; nothing was written. Deletes still go through.
 */
public class InsufficientStorageException extends ErrorResponseException {

    public InsufficientStorageException(String request, Problem problem) {
        super(request, 507, problem);
    }
}
