package dev.kvstore.node.participant;

/** A request meant for another node reached this one (its URL now serves a different node). */
public class WrongNodeException extends RuntimeException {

    public WrongNodeException(String asked, String self) {
        super("this is node " + self + ", not " + asked + ": its URL now serves another node; look it up again");
    }
}
