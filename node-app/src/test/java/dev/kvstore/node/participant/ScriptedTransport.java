package dev.kvstore.node.participant;

import dev.kvstore.model.TxnState;
import dev.kvstore.model.TxnStatus;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Answers what the test scripted; an unscripted party is unreachable. Records who was asked. */
public final class ScriptedTransport implements DecisionTransport {

    private TxnStatus coordinatorAnswer;
    private final Map<String, TxnStatus> peerAnswers = new HashMap<>();
    public final List<String> asked = new ArrayList<>();
    /** The prepared version each inquiry to a peer carried. */
    public final List<Long> versionsAsked = new ArrayList<>();

    public void coordinatorSays(TxnState state, long version) {
        coordinatorAnswer = new TxnStatus("any", state, version);
    }

    public void coordinatorUnreachable() {
        coordinatorAnswer = null;
    }

    public void peerSays(String peer, TxnState state, long version) {
        peerAnswers.put(peer, new TxnStatus("any", state, version));
    }

    @Override
    public Optional<TxnStatus> askCoordinator(String txId) {
        asked.add("coordinator:" + txId);
        return Optional.ofNullable(coordinatorAnswer).map(a -> new TxnStatus(txId, a.state(), a.version()));
    }

    @Override
    public Optional<TxnStatus> inquirePeer(String peer, String txId, boolean resolving, long version) {
        asked.add(peer + ":" + txId + (resolving ? " (resolving)" : ""));
        versionsAsked.add(version);
        return Optional.ofNullable(peerAnswers.get(peer)).map(a -> new TxnStatus(txId, a.state(), a.version()));
    }
}
