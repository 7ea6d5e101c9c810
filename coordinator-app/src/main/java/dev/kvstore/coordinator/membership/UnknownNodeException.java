package dev.kvstore.coordinator.membership;

/** A node id the coordinator does not know (never registered, or registered with a coordinator since restarted). */
public class UnknownNodeException extends RuntimeException {

    public UnknownNodeException(String id, String whatToDo) {
        super("no node with id '" + id + "' is registered; " + whatToDo);
    }
}
