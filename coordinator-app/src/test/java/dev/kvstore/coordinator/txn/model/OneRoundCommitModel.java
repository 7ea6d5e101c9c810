package dev.kvstore.coordinator.txn.model;

import static dev.kvstore.coordinator.txn.model.OneRoundState.ABORTED;
import static dev.kvstore.coordinator.txn.model.OneRoundState.COMMITTED;
import static dev.kvstore.coordinator.txn.model.OneRoundState.FORGOTTEN_ABORT;
import static dev.kvstore.coordinator.txn.model.OneRoundState.FORGOTTEN_COMMIT;
import static dev.kvstore.coordinator.txn.model.OneRoundState.NONE;
import static dev.kvstore.coordinator.txn.model.OneRoundState.PREPARED;
import static dev.kvstore.coordinator.txn.model.OneRoundState.RESOLVING;
import static dev.kvstore.coordinator.txn.model.OneRoundState.kind;
import static dev.kvstore.coordinator.txn.model.OneRoundState.version;

import dev.kvstore.coordinator.txn.model.Observed.Answer;
import dev.kvstore.coordinator.txn.model.OneRoundState.Kind;
import dev.kvstore.coordinator.txn.model.OneRoundState.Msg;
import dev.kvstore.coordinator.txn.model.OneRoundState.Node;
import dev.kvstore.coordinator.txn.model.OneRoundState.State;

/**
 * The one-round commit (issue 17) as a {@link Protocol}. The commit point is both replicas' forced YES
 * votes: the coordinator chooses the version before it prepares, answers "written" as soon as both YES
 * votes are in and only then sends COMMIT, which a replica records without forcing. A replica in doubt
 * that hears nothing useful from the coordinator durably marks itself RESOLVING (from then on it refuses
 * the coordinator's ABORT) and asks its peer, which commits if it holds a YES vote and fences with an
 * ABORT if it never prepared. The rules, what a crash keeps and what is left out are in this package's
 * documentation; the states are in {@link OneRoundState}. {@link Variant} selects versions with one rule
 * broken on purpose, to show that the checker catches each.
 */
public final class OneRoundCommitModel implements Protocol<State> {

    /** The rules as designed, or one of them broken on purpose. */
    public enum Variant {
        /** The protocol as designed. */
        AS_DESIGNED,
        /** The coordinator decides COMMIT and answers "written" as soon as one YES vote is in. */
        ANSWER_AFTER_ONE_YES,
        /** A replica in doubt asks its peer without marking itself RESOLVING: it still takes the coordinator's ABORT. */
        RESOLVING_NOT_MARKED,
        /** A peer asked by a replica in doubt records COMMIT without forcing it. */
        PEER_COMMIT_NOT_FORCED,
        /** A NO vote without a forced ABORT record: a crash forgets it, and a duplicate PREPARE votes YES. */
        NO_VOTE_NOT_FORCED,
        /** A replica in doubt records the ABORT it is told (by the coordinator or its peer) without forcing it. */
        IN_DOUBT_ABORT_NOT_FORCED,
        /** A replica in doubt asks its peer although the transaction was decided while it asked the coordinator. */
        INQUIRES_AFTER_DECIDING,
        /** A replica marked RESOLVING takes the coordinator's answer ABORTED. */
        RESOLVING_TAKES_ABORTED_STATUS,
        /**
         * A peer asked about a transaction it does not know fences it with an ABORT although it may have
         * decided it and forgotten the outcome (the rule before outcomes were pruned with care).
         */
        FENCES_WHAT_IT_FORGOT
    }

    static final int REPLICAS = 2;

    private final Variant variant;
    private final boolean symmetry;
    private boolean mirror;
    private Scenario scenario;
    private Bounds bounds;

    public OneRoundCommitModel(Variant variant) {
        this(variant, false);
    }

    /**
     * @param symmetry whether to count a state and its mirror image (A and B exchanged) as one, which
     *                 halves the states to visit (only when both replicas have an in-doubt timer); a
     *                 trace then marks each step after which it swaps the replicas' names
     */
    public OneRoundCommitModel(Variant variant, boolean symmetry) {
        this.variant = variant;
        this.symmetry = symmetry;
    }

    @Override
    public String name() {
        return "one-round commit (" + variant + (mirror ? ", mirror images counted once" : "") + ")";
    }

    @Override
    public State initial(Scenario scenario, Bounds bounds) {
        if (scenario.size() > OneRoundState.MAX_TRANSACTIONS) {
            throw new IllegalArgumentException("at most " + OneRoundState.MAX_TRANSACTIONS + " writes");
        }
        this.scenario = scenario;
        this.bounds = bounds;
        this.mirror = symmetry && bounds.timers() == REPLICAS;
        Node node = new Node(0, 0, 1, 0, 0, 0, 0, 0);
        return new State(scenario.size(), 1, 0, -1, 0, 0, 0, 0, node, node, Network.empty(), 0);
    }

    @Override
    public void next(State s, Steps<State> all) {
        Steps<State> steps = (label, next) -> {
            State clean = withoutDeadMessages(next);
            State canonical = mirror ? clean.canonical() : clean;
            all.step(canonical == clean ? label
                    : () -> label.get() + " [after this step the trace swaps the names A and B]", canonical);
        };
        coordinatorSteps(s, steps);
        for (int r = 0; r < REPLICAS; r++) {
            replicaSteps(s, r, steps);
        }
        // The coordinator's retry timer re-sends the same COMMIT or ABORT: a late or duplicate delivery of it.
        s.network().forEachDelivery(bounds.duplicates(), (m, after, duplicate) -> steps.step(
                () -> (duplicate ? "delivered again (a duplicate): " : "delivered: ") + m, deliver(s.with(after), m)));
    }

    // ---- garbage: messages whose delivery can change nothing any more --------------------

    private State withoutDeadMessages(State s) {
        Network<Msg> network = s.network();
        for (int i = network.size() - 1; i >= 0; i--) {
            if (dead(s, network.get(i).message())) {
                network = network.without(i);
            }
        }
        return network == s.network() ? s : s.with(network);
    }

    /**
     * A call of an older term to a replica that has seen a newer one is refused, to a coordinator process
     * that is gone (a newer term only ever makes a replica refuse, which loss covers). Other calls are dead
     * once the replica's log fixes what they do and no one waits for their reply: a PREPARE once anything
     * is logged for the transaction (it can only repeat a vote), a COMMIT once the decision is logged (it
     * has no reply here), an ABORT once COMMIT or the RESOLVING mark is logged (refused, no reply) or
     * ABORT is and no client waits for an acknowledgement, an inquiry once the peer logged its decision.
     */
    private boolean dead(State s, Msg m) {
        int t = m.txn();
        int r = m.replica();
        Node n = s.node(r);
        int logged = kind(n.logged(t));
        return switch (m.kind()) {
            case PREPARE -> m.tag() < n.term() || logged != NONE && replyDead(s, Kind.VOTE, t, r, m.tag());
            case COMMIT -> m.tag() < n.term() || logged == COMMITTED || logged == ABORTED;
            case ABORT -> m.tag() < n.term() || logged == COMMITTED
                    || logged == RESOLVING && variant != Variant.IN_DOUBT_ABORT_NOT_FORCED
                    || logged == ABORTED && replyDead(s, Kind.ABORT_REPLY, t, r, m.tag());
            case INQUIRY -> {
                int peer = kind(s.node(1 - r).logged(t));
                yield (peer == COMMITTED || peer == ABORTED) && replyDead(s, Kind.INQUIRY_REPLY, t, r, m.tag());
            }
            case ASK -> replyDead(s, Kind.STATUS, t, r, m.tag());
            default -> replyDead(s, m.kind(), t, r, m.tag());
        };
    }

    private static boolean replyDead(State s, Kind kind, int t, int r, int tag) {
        Node n = s.node(r);
        return switch (kind) {
            case VOTE -> tag != s.term() || s.current() != t || (s.yes() & (1 << r)) != 0;
            case ABORT_REPLY -> tag != s.term() || s.reg(t) != ABORTED || s.answer(t) != Answer.NONE;
            case STATUS -> n.phase() != 1 || n.txn() != t || n.round() != tag;
            case INQUIRY_REPLY -> n.phase() != 2 || n.txn() != t || n.round() != tag;
            default -> throw new IllegalArgumentException(kind + " is not a reply");
        };
    }

    // ---- the coordinator ------------------------------------------------------------------

    private void coordinatorSteps(State s, Steps<State> steps) {
        if (s.coordinatorCrashes() < bounds.coordinatorCrashes()) {
            int answers = s.answers();
            StringBuilder lost = new StringBuilder();
            for (int t = 0; t < s.transactions(); t++) {
                if ((s.started() & (1 << t)) != 0 && s.answer(t) == Answer.NONE) {
                    answers |= Answer.LOST.ordinal() << (3 * t);
                    lost.append(" (T").append(t).append("'s client loses its connection)");
                }
            }
            int term = s.term() + 1;
            State restarted = new State(s.transactions(), term, s.coordinatorCrashes() + 1, -1, 0, 0, s.started(),
                    answers, s.a(), s.b(), s.network(), s.acknowledged());
            // Its takeover tells each replica the new term (or cannot reach it, and it serves anyway) before
            // it serves anything. What replicas do meanwhile commutes with the crash, so it is one step.
            for (int reached = bounds.takeoverMayMiss() ? 0 : 3; reached <= 3; reached++) {
                State next = restarted;
                for (int r = 0; r < REPLICAS; r++) {
                    if ((reached & (1 << r)) != 0) {
                        next = next.with(r, next.node(r).withTerm(term));
                    }
                }
                String told = switch (reached) {
                    case 0 -> "reaches neither replica";
                    case 3 -> "tells both replicas the term";
                    default -> "tells only " + Names.replica(reached == 1 ? 0 : 1) + " the term";
                };
                steps.step(() -> "COORDINATOR CRASHES and restarts with term " + term + ", its registry empty; its "
                        + "takeover " + told + lost, next);
            }
        }
        if (s.current() < 0) {
            for (int i = 0; i < s.transactions(); i++) {
                int t = i;
                if ((s.started() & (1 << t)) == 0) {
                    int version = Integer.bitCount(s.started()) + 1; // the clock: above every version issued before
                    State next = new State(s.transactions(), s.term(), s.coordinatorCrashes(), t, 0, s.registry(),
                            s.started() | (1 << t), s.answers(), s.a(), s.b(), s.network(), s.acknowledged())
                            .registered(t, PREPARED + version);
                    for (int r = 0; r < REPLICAS; r++) {
                        next = next.send(new Msg(Kind.PREPARE, t, r, s.term(), version));
                    }
                    steps.step(() -> "client's write T" + t + " starts: coordinator registers T" + t + " with version "
                            + version + " and sends PREPAREs", next);
                }
            }
        } else {
            for (int i = 0; i < REPLICAS; i++) {
                int r = i;
                if ((s.yes() & (1 << r)) == 0) {
                    steps.step(() -> "coordinator: the vote of " + Names.replica(r) + " on T" + s.current()
                            + " times out: ABORTED, sends ABORTs; the client waits for one to be acknowledged",
                            decideAbort(s, s.current(), false));
                }
            }
        }
    }

    private static State decideAbort(State s, int t, boolean answerNow) {
        State next = s.registered(t, ABORTED).voting(-1, 0);
        for (int r = 0; r < REPLICAS; r++) {
            next = next.send(new Msg(Kind.ABORT, t, r, s.term(), 0));
        }
        return answerNow ? next.answered(t, Answer.NOT_WRITTEN, 0) : next;
    }

    private State vote(State s, int t, int r, boolean yes) {
        if (!yes) {
            return decideAbort(s, t, true); // a NO vote is durable on its replica: "not written" at once
        }
        int votes = s.yes() | (1 << r);
        if (votes != 3 && variant != Variant.ANSWER_AFTER_ONE_YES) {
            return s.voting(t, votes);
        }
        int version = version(s.reg(t));
        State next = s.registered(t, COMMITTED + version).voting(-1, 0)
                .answered(t, Answer.WRITTEN, version); // the commit point: answered before any COMMIT is sent
        for (int q = 0; q < REPLICAS; q++) {
            next = next.send(new Msg(Kind.COMMIT, t, q, s.term(), version));
        }
        return next;
    }

    // ---- the replicas ---------------------------------------------------------------------

    private void replicaSteps(State s, int r, Steps<State> steps) {
        Node n = s.node(r);
        String name = Names.replica(r);
        // A crash that loses nothing (memory as logged, no round in progress) only uses up a crash: skipped.
        if (n.crashes() < bounds.replicaCrashes() && (n.memory() != n.log() || n.phase() != 0)) {
            steps.step(() -> "REPLICA " + name + " CRASHES and restarts from its log", s.with(r, n.crashed()));
        }
        if (n.phase() == 0 && n.rounds() < bounds.timerRounds() && r < bounds.timers()) {
            for (int i = 0; i < s.transactions(); i++) {
                int t = i;
                if (n.undecided(t)) {
                    int round = n.rounds() + 1;
                    steps.step(() -> name + "'s in-doubt timer fires for T" + t + ": asks the coordinator",
                            s.with(r, n.resolver(t, 1, round, round)).send(new Msg(Kind.ASK, t, r, round, 0)));
                }
            }
        }
        if (bounds.pruning()) {
            for (int i = 0; i < s.transactions(); i++) {
                int t = i;
                if (forgettable(s, r, t)) {
                    steps.step(() -> name + " forgets T" + t + "'s outcome (" + OneRoundState.describe(n.status(t))
                            + ") after the retention, and a snapshot drops it from its log", s.with(r, n.forget(t)));
                }
            }
        }
        if (n.phase() == 1) {
            steps.step(() -> name + ": the coordinator does not answer about T" + n.txn() + " in time", toPeer(s, r));
        }
        if (n.phase() == 2) {
            steps.step(() -> name + ": its peer does not answer about T" + n.txn() + " in time: stays in doubt",
                    s.with(r, n.idle()));
        }
    }

    /**
     * A decided outcome may be forgotten once nothing the coordinator sent about it can still arrive: the
     * retention is longer than any call may take (a signed call older than the allowed clock skew is refused),
     * and the coordinator is no longer collecting votes for it. A question from the peer may still come.
     */
    private static boolean forgettable(State s, int r, int t) {
        int k = kind(s.node(r).status(t));
        if (k != COMMITTED && k != ABORTED || s.current() == t) {
            return false;
        }
        for (int i = 0; i < s.network().size(); i++) {
            Msg m = s.network().get(i).message();
            if (m.txn() == t && m.replica() == r
                    && (m.kind() == Kind.PREPARE || m.kind() == Kind.COMMIT || m.kind() == Kind.ABORT)) {
                return false;
            }
        }
        return true;
    }

    /** No useful answer from the coordinator: if still undecided, mark RESOLVING (forced) and ask the peer. */
    private State toPeer(State s, int r) {
        Node n = s.node(r);
        int t = n.txn();
        boolean undecided = n.undecided(t);
        if (!undecided && variant != Variant.INQUIRES_AFTER_DECIDING) {
            return s.with(r, n.idle());
        }
        if (undecided && variant != Variant.RESOLVING_NOT_MARKED) {
            n = n.record(t, RESOLVING + version(n.status(t)), true);
        }
        return s.with(r, n.resolver(t, 2, n.round(), n.rounds()))
                .send(new Msg(Kind.INQUIRY, t, r, n.round(), version(n.status(t))));
    }

    private State deliver(State s, Msg m) {
        int t = m.txn();
        int r = m.replica();
        Node n = s.node(r);
        int status = n.status(t);
        int kind = kind(status);
        return switch (m.kind()) {
            case PREPARE -> {
                if (m.tag() < n.term()) {
                    yield s; // refused, to a coordinator process that is gone
                }
                n = n.withTerm(m.tag());
                boolean yes;
                if (kind != NONE) {
                    yes = kind != ABORTED; // a decision votes by it; a prepare is repeated
                } else {
                    Long expected = scenario.writes().get(t).expectedVersion();
                    yes = !n.held() && (expected == null || expected == n.committedVersion());
                    n = yes ? n.record(t, PREPARED + m.value(), true)
                            : n.record(t, ABORTED, variant != Variant.NO_VOTE_NOT_FORCED); // a fence, then NO
                }
                yield s.with(r, n).send(new Msg(Kind.VOTE, t, r, m.tag(), yes ? 1 : 0));
            }
            case VOTE -> replyDead(s, Kind.VOTE, t, r, m.tag()) ? s : vote(s, t, r, m.value() == 1);
            case COMMIT -> {
                if (m.tag() < n.term()) {
                    yield s;
                }
                n = n.withTerm(m.tag());
                if (kind == PREPARED || kind == RESOLVING) {
                    n = n.record(t, COMMITTED + m.value(), false); // rides on the next forced record
                }
                // Its acknowledgement (or refusal: ABORTED, never prepared) only stops the coordinator's
                // retries, which the model leaves to late and duplicate deliveries: no reply.
                yield s.with(r, n);
            }
            case ABORT -> {
                if (m.tag() < n.term()) {
                    yield s;
                }
                n = n.withTerm(m.tag());
                if (kind == PREPARED || kind == NONE) {
                    n = n.record(t, ABORTED, true); // never prepared: a fence, so a late PREPARE votes NO
                }
                // Refused when COMMITTED or RESOLVING: the refusal changes nothing (the client's answer
                // "outcome unknown" is left out), so only an acknowledgement is sent.
                boolean ok = kind == PREPARED || kind == NONE || kind == ABORTED;
                yield ok ? s.with(r, n).send(new Msg(Kind.ABORT_REPLY, t, r, m.tag(), 0)) : s.with(r, n);
            }
            case ABORT_REPLY -> replyDead(s, Kind.ABORT_REPLY, t, r, m.tag()) ? s
                    : s.answered(t, Answer.NOT_WRITTEN, 0); // that replica forced its ABORT
            case ASK -> {
                int reg = s.reg(t);
                yield s.send(new Msg(Kind.STATUS, t, r, m.tag(), kind(reg) == PREPARED ? PREPARED : reg));
            }
            case STATUS -> {
                if (replyDead(s, Kind.STATUS, t, r, m.tag())) {
                    yield s;
                }
                int answer = kind(m.value());
                if (!n.undecided(t) || answer == PREPARED) {
                    yield s.with(r, n.idle()); // decided meanwhile, or still voting: wait for the next round
                }
                if (answer == COMMITTED) {
                    yield s.with(r, n.idle().record(t, m.value(), false));
                }
                if (answer == ABORTED && (kind != RESOLVING || variant == Variant.RESOLVING_TAKES_ABORTED_STATUS)) {
                    yield s.with(r, n.idle().record(t, ABORTED, variant != Variant.IN_DOUBT_ABORT_NOT_FORCED));
                }
                yield toPeer(s, r); // UNKNOWN, or ABORTED while resolving
            }
            case INQUIRY -> {
                int p = 1 - r;
                Node peer = s.node(p);
                int own = peer.status(t);
                int ownKind = kind(own);
                if (ownKind == NONE || ownKind == FORGOTTEN_ABORT || ownKind == FORGOTTEN_COMMIT) {
                    // Not known here. Never prepared, or forgotten: only a COMMIT at the asker's version or
                    // above can have been forgotten, so below every forgotten COMMIT it was never committed here.
                    int upTo = peer.forgottenUpTo();
                    if (upTo != 0 && m.value() <= upTo && variant != Variant.FENCES_WHAT_IT_FORGOT) {
                        yield s.send(new Msg(Kind.INQUIRY_REPLY, t, r, m.tag(), NONE)); // UNKNOWN: cannot tell
                    }
                    peer = peer.record(t, ABORTED, true); // a fence: a late PREPARE votes NO
                } else if (peer.undecided(t)) { // a durable YES: commit, also if resolving itself
                    peer = peer.record(t, COMMITTED + version(own), variant != Variant.PEER_COMMIT_NOT_FORCED);
                }
                yield s.with(p, peer).send(new Msg(Kind.INQUIRY_REPLY, t, r, m.tag(), peer.status(t)));
            }
            case INQUIRY_REPLY -> {
                if (replyDead(s, Kind.INQUIRY_REPLY, t, r, m.tag())) {
                    yield s;
                }
                if (!n.undecided(t) || kind(m.value()) == NONE) {
                    yield s.with(r, n.idle()); // decided meanwhile, or the peer cannot tell: stays in doubt
                }
                boolean commit = kind(m.value()) == COMMITTED; // ABORTED binds, also when resolving
                yield s.with(r, n.idle().record(t, m.value(), !commit && variant != Variant.IN_DOUBT_ABORT_NOT_FORCED));
            }
        };
    }
}
