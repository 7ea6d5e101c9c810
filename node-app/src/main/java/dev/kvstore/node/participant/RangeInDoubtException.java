package dev.kvstore.node.participant;

import dev.kvstore.model.Table;
import java.util.List;

/**
 * An export refused because transactions in doubt hold writes to the table in the ranges: a copy taken
 * now would miss them if they commit. They resolve within the decision timeout (or once the peer they
 * wait for is back), and the copy is repeated then.
 */
public class RangeInDoubtException extends RuntimeException {

    public RangeInDoubtException(Table table, List<String> pending) {
        super("transactions in doubt hold writes to " + table + " in these ranges (" + pending.size() + ": "
                + (pending.size() <= 5 ? pending : pending.subList(0, 5) + " and more")
                + "); the export is possible once they are resolved");
    }
}
