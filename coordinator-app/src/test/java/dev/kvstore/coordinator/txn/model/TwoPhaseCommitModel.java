package dev.kvstore.coordinator.txn.model;

import dev.kvstore.coordinator.txn.model.Observed.Answer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;

/**
 * The two-phase commit before the one-round commit of issue 17 ({@link OneRoundCommitModel}), as a {@link
 * Protocol}: {@code TwoPhaseCommit} and {@code TxnRegistry} on the coordinator, {@code Participant}, {@code
 * InDoubtResolver} and the term fencing on the replicas. Kept because the checker found its flaw (replicas
 * that disagree after a coordinator restart), which its test pins down. The rules and what each party keeps
 * across a crash are listed in this package's documentation; {@link Variant} selects deliberately broken
 * versions, to show the checker can fail ({@code TODAY} is the protocol as it was).
 */
public final class TwoPhaseCommitModel implements Protocol<TwoPhaseCommitModel.State> {

    /** Today's rules, or one of them broken on purpose. */
    public enum Variant {
        /** The code as it is. */
        TODAY,
        /** The coordinator decides COMMIT and answers "written" as soon as one YES vote is in. */
        ANSWER_AFTER_ONE_YES,
        /** A replica votes YES without forcing its PREPARE record: a crash forgets the prepare. */
        PREPARE_NOT_FORCED
    }

    // A replica's status for a transaction, also what the coordinator and a peer answer when asked.
    static final int NONE = 0; // never prepared here / UNKNOWN to the coordinator
    static final int PREPARED = 1;
    static final int ABORTED = 2;
    static final int COMMITTED = 10; // + version

    // The coordinator's view of a vote, and of a commit's delivery.
    static final int PENDING = 0;
    static final int YES = 1;
    static final int NO_CONFLICT = 2;
    static final int NO = 3; // LOCKED, or ABORTED already
    static final int UNAVAILABLE = 4; // no answer in time, or refused (a stale term)
    static final int ACKED = 1;
    static final int FAILED = 2; // patience exhausted, or the node refused the commit

    private static final int REPLICAS = 2;

    public enum Kind { PREPARE, VOTE, COMMIT, COMMIT_REPLY, ABORT, ABORT_REPLY, ASK, STATUS, INQUIRY, INQUIRY_REPLY }

    /**
     * A message. {@code replica} is the replica it goes to or comes from (for an inquiry and its reply:
     * the replica that asks); {@code tag} the coordinator's term for its calls and their replies, the
     * asking replica's round for a question in doubt; {@code value} the vote (code * 100 + the
     * replica's version floor), the version, the acknowledgement (1 ok, 0 refused) or the status.
     */
    public record Msg(Kind kind, int txn, int replica, int tag, int value) implements Comparable<Msg> {

        private static final Comparator<Msg> ORDER = Comparator.comparing(Msg::kind).thenComparingInt(Msg::txn)
                .thenComparingInt(Msg::replica).thenComparingInt(Msg::tag).thenComparingInt(Msg::value);

        @Override
        public int compareTo(Msg other) {
            return ORDER.compare(this, other);
        }

        @Override
        public String toString() {
            String r = Names.replica(replica);
            String peer = Names.replica(1 - replica);
            return switch (kind) {
                case PREPARE -> "PREPARE(T" + txn + ", term " + tag + ") to " + r;
                case VOTE -> "VOTE(T" + txn + ", " + vote(value / 100) + ", term " + tag + ") from " + r;
                case COMMIT -> "COMMIT(T" + txn + ", v" + value + ", term " + tag + ") to " + r;
                case COMMIT_REPLY -> (value == 1 ? "commit OK" : "commit REFUSED") + "(T" + txn + ", term " + tag
                        + ") from " + r;
                case ABORT -> "ABORT(T" + txn + ", term " + tag + ") to " + r;
                case ABORT_REPLY -> "abort reply(T" + txn + ", term " + tag + ") from " + r;
                case ASK -> "GET /internal/txn/T" + txn + " from " + r + " (round " + tag + ")";
                case STATUS -> "coordinator's answer " + status(value) + " for T" + txn + " to " + r
                        + " (round " + tag + ")";
                case INQUIRY -> "inquiry(T" + txn + ") from " + r + " to " + peer + " (round " + tag + ")";
                case INQUIRY_REPLY -> peer + "'s answer " + status(value) + " for T" + txn + " to " + r
                        + " (round " + tag + ")";
            };
        }
    }

    /** The coordinator's registry entry for a transaction (lost when it crashes). */
    public record Reg(int state, int version, int unacknowledged) {
        static final Reg UNKNOWN = new Reg(NONE, 0, 0);
    }

    /** The transaction the coordinator is driving (holding the key's write lock), with its votes and acks. */
    public record Current(int txn, boolean committing, int voteA, int voteB, int seen, int version, int ackA,
                          int ackB) {

        int vote(int r) {
            return r == 0 ? voteA : voteB;
        }

        int ack(int r) {
            return r == 0 ? ackA : ackB;
        }

        Current withVote(int r, int vote, int floor) {
            int s = vote == YES ? Math.max(seen, floor) : seen;
            return r == 0 ? new Current(txn, committing, vote, voteB, s, version, ackA, ackB)
                    : new Current(txn, committing, voteA, vote, s, version, ackA, ackB);
        }

        Current withAck(int r, int ack) {
            return r == 0 ? new Current(txn, committing, voteA, voteB, seen, version, ack, ackB)
                    : new Current(txn, committing, voteA, voteB, seen, version, ackA, ack);
        }
    }

    /**
     * A replica: its in-memory status per transaction, its log (what a crash keeps), the highest
     * coordinator term it has seen (forced), and its in-doubt resolver's round in progress
     * ({@code phase} 0 idle, 1 waiting for the coordinator, 2 waiting for the peer).
     */
    public record Node(List<Integer> memory, List<Integer> log, int term, int crashes, int rounds, int txn,
                       int phase, boolean coordinatorAnswered, int round) {

        int status(int t) {
            return memory.get(t);
        }

        boolean held() {
            return memory.contains(PREPARED);
        }

        long committedVersion() {
            long v = 0;
            for (int s : memory) {
                if (s >= COMMITTED) {
                    v = Math.max(v, s - COMMITTED);
                }
            }
            return v;
        }

        Node record(int t, int status, boolean force) {
            List<Integer> m = new ArrayList<>(memory);
            m.set(t, status);
            List<Integer> l = log;
            if (force) {
                l = new ArrayList<>(log);
                l.set(t, status);
                l = List.copyOf(l);
            }
            return new Node(List.copyOf(m), l, term, crashes, rounds, txn, phase, coordinatorAnswered, round);
        }

        Node withTerm(int newTerm) {
            return new Node(memory, log, Math.max(term, newTerm), crashes, rounds, txn, phase, coordinatorAnswered, round);
        }

        Node resolving(int t, int newPhase, boolean answered, int newRound, int newRounds) {
            return new Node(memory, log, term, crashes, newRounds, t, newPhase, answered, newRound);
        }

        Node idle() {
            return new Node(memory, log, term, crashes, rounds, 0, 0, false, 0);
        }

        Node crashed() {
            return new Node(log, log, term, crashes + 1, rounds, 0, 0, false, 0);
        }
    }

    /**
     * @param announcing the replicas a coordinator that restarted has still to tell its term (its takeover:
     *                   it serves nothing, not even the questions of replicas in doubt, until each was told
     *                   or could not be reached)
     */
    public record State(int term, int coordinatorCrashes, int announcing, Current current, List<Reg> registry, int lastIssued,
                        List<Answer> answers, int started, List<Node> nodes, Network<Msg> network,
                        int acknowledged) implements Observed {

        @Override
        public int replicas() {
            return REPLICAS;
        }

        @Override
        public int transactions() {
            return answers.size();
        }

        @Override
        public Decision decision(int replica, int txn) {
            Node n = nodes.get(replica);
            int s = Math.max(n.memory().get(txn), n.log().get(txn));
            return s >= COMMITTED ? Decision.COMMITTED : s == ABORTED ? Decision.ABORTED : Decision.NONE;
        }

        @Override
        public Answer answer(int txn) {
            return answers.get(txn);
        }

        @Override
        public long acknowledgedVersion() {
            return acknowledged;
        }

        @Override
        public long readableVersion(int replica) {
            Node n = nodes.get(replica);
            return n.held() ? -1 : n.committedVersion();
        }

        State with(Network<Msg> n) {
            return new State(term, coordinatorCrashes, announcing, current, registry, lastIssued, answers, started, nodes, n,
                    acknowledged);
        }

        State announced(int r) {
            return new State(term, coordinatorCrashes, announcing & ~(1 << r), current, registry, lastIssued, answers,
                    started, nodes, network, acknowledged);
        }

        State send(Msg m) {
            return with(network.send(m));
        }

        State with(Current c) {
            return new State(term, coordinatorCrashes, announcing, c, registry, lastIssued, answers, started, nodes, network,
                    acknowledged);
        }

        State with(int r, Node n) {
            List<Node> ns = new ArrayList<>(nodes);
            ns.set(r, n);
            return new State(term, coordinatorCrashes, announcing, current, registry, lastIssued, answers, started, List.copyOf(ns),
                    network, acknowledged);
        }

        State with(int t, Reg reg) {
            List<Reg> rs = new ArrayList<>(registry);
            rs.set(t, reg);
            return new State(term, coordinatorCrashes, announcing, current, List.copyOf(rs), lastIssued, answers, started, nodes,
                    network, acknowledged);
        }

        State answered(int t, Answer a, int version) {
            List<Answer> as = new ArrayList<>(answers);
            as.set(t, a);
            return new State(term, coordinatorCrashes, announcing, current, registry, lastIssued, List.copyOf(as), started, nodes,
                    network, a == Answer.WRITTEN ? Math.max(acknowledged, version) : acknowledged);
        }
    }

    private final Variant variant;
    private Scenario scenario;
    private Bounds bounds;

    public TwoPhaseCommitModel(Variant variant) {
        this.variant = variant;
    }

    @Override
    public String name() {
        return "two-phase commit (" + variant + ")";
    }

    @Override
    public State initial(Scenario scenario, Bounds bounds) {
        this.scenario = scenario;
        this.bounds = bounds;
        int n = scenario.size();
        List<Integer> none = List.copyOf(new ArrayList<>(Collections.nCopies(n, NONE)));
        Node node = new Node(none, none, 1, 0, 0, 0, 0, false, 0);
        return new State(1, 0, 0, null, Collections.nCopies(n, Reg.UNKNOWN), 0,
                Collections.nCopies(n, Answer.NONE), 0, List.of(node, node), Network.empty(), 0);
    }

    @Override
    public void next(State s, Steps<State> all) {
        Steps<State> steps = (label, next) -> all.step(label, withoutDeadMessages(next));
        coordinatorSteps(s, steps);
        for (int r = 0; r < REPLICAS; r++) {
            replicaSteps(s, r, steps);
        }
        s.network().forEachDelivery(bounds.duplicates(), (m, after, duplicate) -> steps.step(
                () -> (duplicate ? "delivered again (a duplicate): " : "delivered: ") + m, deliver(s.with(after), m)));
    }

    /**
     * Drops the messages whose delivery can change nothing any more, now or later, so that states
     * differing only in such garbage are one state: replies to a coordinator process that crashed
     * (another term) or to a call it no longer waits for, answers to a replica's round of questions
     * that is over (rounds are numbered and never reused), and calls of an older coordinator term to a
     * replica that has seen a newer one (refused, and their refusal is such a dead reply).
     */
    private static State withoutDeadMessages(State s) {
        Network<Msg> network = s.network();
        for (int i = network.size() - 1; i >= 0; i--) {
            if (dead(s, network.get(i).message())) {
                network = network.without(i);
            }
        }
        return network == s.network() ? s : s.with(network);
    }

    private static boolean dead(State s, Msg m) {
        int t = m.txn();
        int r = m.replica();
        Node n = s.nodes().get(r);
        // Decided in the replica's log (the decision is final): a call about it changes nothing there any more.
        boolean settled = n.log().get(t) != NONE;
        return switch (m.kind()) {
            case PREPARE -> m.tag() < n.term() || settled && replyDead(s, Kind.VOTE, t, r, m.tag());
            case COMMIT -> m.tag() < n.term() || settled && n.log().get(t) != PREPARED
                    && replyDead(s, Kind.COMMIT_REPLY, t, r, m.tag());
            case ABORT -> m.tag() < n.term() || settled && n.log().get(t) != PREPARED
                    && replyDead(s, Kind.ABORT_REPLY, t, r, m.tag());
            case INQUIRY -> s.nodes().get(1 - r).log().get(t) != NONE && replyDead(s, Kind.INQUIRY_REPLY, t, r, m.tag());
            case ASK -> replyDead(s, Kind.STATUS, t, r, m.tag());
            default -> replyDead(s, m.kind(), t, r, m.tag());
        };
    }

    /** Whether a reply of {@code kind} can no longer be waited for: by the coordinator, or by a replica's round. */
    private static boolean replyDead(State s, Kind kind, int t, int r, int tag) {
        Node n = s.nodes().get(r);
        Current c = s.current();
        Reg reg = s.registry().get(t);
        boolean unacknowledged = (reg.unacknowledged() & (1 << r)) != 0;
        return switch (kind) {
            case VOTE -> tag != s.term() || c == null || c.txn() != t || c.committing() || c.vote(r) != PENDING;
            case COMMIT_REPLY -> tag != s.term() || !(reg.state() == COMMITTED && unacknowledged
                    || c != null && c.txn() == t && c.committing() && c.ack(r) == PENDING);
            case ABORT_REPLY -> tag != s.term() || !(reg.state() == ABORTED && unacknowledged);
            case STATUS -> n.phase() != 1 || n.txn() != t || n.round() != tag;
            case INQUIRY_REPLY -> n.phase() != 2 || n.txn() != t || n.round() != tag;
            default -> throw new IllegalArgumentException(kind + " is not a reply");
        };
    }

    // ---- the coordinator ------------------------------------------------------------------

    private void coordinatorSteps(State s, Steps<State> steps) {
        Current c = s.current();
        if (s.coordinatorCrashes() < bounds.coordinatorCrashes()) {
            State next = new State(s.term() + 1, s.coordinatorCrashes() + 1, (1 << REPLICAS) - 1, null,
                    Collections.nCopies(scenario.size(), Reg.UNKNOWN), s.lastIssued(), s.answers(),
                    s.started(), s.nodes(), s.network(), s.acknowledged());
            boolean open = c != null && s.answer(c.txn()) == Answer.NONE;
            if (open) {
                next = next.answered(c.txn(), Answer.LOST, 0);
            }
            String lost = open ? " (T" + c.txn() + "'s client loses its connection)" : "";
            steps.step(() -> "COORDINATOR CRASHES and restarts with term " + (s.term() + 1) + ", its registry empty" + lost,
                    next);
        }

        if (s.announcing() != 0) {
            for (int i = 0; i < REPLICAS; i++) {
                int r = i;
                if ((s.announcing() & (1 << r)) != 0) {
                    State told = s.with(r, s.nodes().get(r).withTerm(s.term()));
                    steps.step(() -> "the restarted coordinator's takeover tells " + Names.replica(r) + " its term "
                            + s.term(), told.announced(r));
                    if (bounds.takeoverMayMiss()) {
                        steps.step(() -> "the restarted coordinator's takeover cannot reach " + Names.replica(r)
                                + " (it serves anyway)", s.announced(r));
                    }
                }
            }
            return; // no client write, no retry, no answer to a replica in doubt before the takeover is over
        }
        if (c == null) {
            for (int i = 0; i < scenario.size(); i++) {
                int t = i;
                if ((s.started() & (1 << t)) == 0) {
                    State next = new State(s.term(), s.coordinatorCrashes(), s.announcing(), new Current(t, false, PENDING, PENDING, 0, 0,
                            PENDING, PENDING), s.registry(), s.lastIssued(), s.answers(), s.started() | (1 << t),
                            s.nodes(), s.network(), s.acknowledged()).with(t, new Reg(PREPARED, 0, 0));
                    for (int r = 0; r < REPLICAS; r++) {
                        next = next.send(new Msg(Kind.PREPARE, t, r, s.term(), 0));
                    }
                    steps.step(() -> "client's write T" + t + " starts: coordinator registers T" + t + " and sends PREPAREs",
                            next);
                }
            }
        } else {
            for (int i = 0; i < REPLICAS; i++) {
                int r = i;
                if (!c.committing() && c.vote(r) == PENDING) {
                    steps.step(() -> "coordinator: the prepare of T" + c.txn() + " on " + Names.replica(r)
                            + " times out (unavailable)", afterVote(s.with(c.withVote(r, UNAVAILABLE, 0))));
                }
                if (c.committing() && c.ack(r) == PENDING) {
                    steps.step(() -> "coordinator: commit patience for T" + c.txn() + " on " + Names.replica(r)
                            + " runs out", afterAck(s.with(c.withAck(r, FAILED))));
                }
            }
        }
        for (int i = 0; i < scenario.size(); i++) {
            int t = i;
            Reg reg = s.registry().get(t);
            if (reg.state() == COMMITTED || reg.state() == ABORTED) {
                for (int r = 0; r < REPLICAS; r++) {
                    boolean ownAttempt = c != null && c.txn() == t && c.committing() && c.ack(r) == PENDING;
                    if ((reg.unacknowledged() & (1 << r)) != 0) {
                        Msg decision = reg.state() == COMMITTED ? new Msg(Kind.COMMIT, t, r, s.term(), reg.version())
                                : new Msg(Kind.ABORT, t, r, s.term(), 0);
                        State next = s.send(decision);
                        if (!next.equals(s)) {
                            steps.step(() -> (ownAttempt ? "coordinator retries " : "coordinator's retry timer re-sends ")
                                    + decision, next);
                        }
                    }
                }
            }
            if (reg.state() == ABORTED) {
                steps.step(() -> "coordinator forgets the old abort of T" + t, s.with(t, Reg.UNKNOWN));
            }
        }
    }

    private State afterVote(State s) {
        Current c = s.current();
        if (variant == Variant.ANSWER_AFTER_ONE_YES && (c.voteA() == YES || c.voteB() == YES)) {
            State decided = decideCommit(s, c);
            return decided.with((Current) null).answered(c.txn(), Answer.WRITTEN, decided.lastIssued());
        }
        if (c.voteA() == PENDING || c.voteB() == PENDING) {
            return s;
        }
        if (c.voteA() != YES || c.voteB() != YES) {
            State next = s.with(c.txn(), new Reg(ABORTED, 0, 3)).with((Current) null);
            for (int r = 0; r < REPLICAS; r++) {
                next = next.send(new Msg(Kind.ABORT, c.txn(), r, s.term(), 0));
            }
            return next.answered(c.txn(), Answer.NOT_WRITTEN, 0);
        }
        return decideCommit(s, c);
    }

    private State decideCommit(State s, Current c) {
        int version = Math.max(c.seen(), s.lastIssued()) + 1;
        State next = new State(s.term(), s.coordinatorCrashes(), s.announcing(),
                new Current(c.txn(), true, c.voteA(), c.voteB(), c.seen(), version, PENDING, PENDING), s.registry(),
                version, s.answers(), s.started(), s.nodes(), s.network(), s.acknowledged())
                .with(c.txn(), new Reg(COMMITTED, version, 3));
        for (int r = 0; r < REPLICAS; r++) {
            next = next.send(new Msg(Kind.COMMIT, c.txn(), r, s.term(), version));
        }
        return next;
    }

    private State afterAck(State s) {
        Current c = s.current();
        if (c.ackA() == PENDING || c.ackB() == PENDING) {
            return s;
        }
        boolean both = c.ackA() == ACKED && c.ackB() == ACKED;
        return s.with((Current) null).answered(c.txn(), both ? Answer.WRITTEN : Answer.UNCONFIRMED, c.version());
    }

    private static State acknowledged(State s, int t, int r) {
        Reg reg = s.registry().get(t);
        if (reg.state() != COMMITTED && reg.state() != ABORTED) {
            return s;
        }
        int left = reg.unacknowledged() & ~(1 << r);
        return s.with(t, left == 0 ? Reg.UNKNOWN : new Reg(reg.state(), reg.version(), left));
    }

    // ---- the replicas ---------------------------------------------------------------------

    private void replicaSteps(State s, int r, Steps<State> steps) {
        Node n = s.nodes().get(r);
        String name = Names.replica(r);
        if (n.crashes() < bounds.replicaCrashes()) {
            steps.step(() -> "REPLICA " + name + " CRASHES and restarts from its log", s.with(r, n.crashed()));
        }
        if (n.phase() == 0 && n.rounds() < bounds.timerRounds() && r < bounds.timers()) {
            for (int i = 0; i < scenario.size(); i++) {
                int t = i;
                if (n.status(t) == PREPARED) {
                    int round = n.rounds() + 1;
                    steps.step(() -> name + "'s in-doubt timer fires for T" + t + ": asks the coordinator",
                            s.with(r, n.resolving(t, 1, false, round, round))
                                    .send(new Msg(Kind.ASK, t, r, round, 0)));
                }
            }
        }
        if (n.phase() == 1) {
            steps.step(() -> name + ": the coordinator does not answer about T" + n.txn() + " in time: asks its peer",
                    s.with(r, n.resolving(n.txn(), 2, false, n.round(), n.rounds()))
                            .send(new Msg(Kind.INQUIRY, n.txn(), r, n.round(), 0)));
        }
        if (n.phase() == 2) {
            steps.step(() -> name + ": its peer does not answer about T" + n.txn() + " in time: stays in doubt",
                    s.with(r, n.idle()));
        }
    }

    private State deliver(State s, Msg m) {
        int t = m.txn();
        int r = m.replica();
        Node n = s.nodes().get(r);
        return switch (m.kind()) {
            case PREPARE -> {
                if (m.tag() < n.term()) {
                    yield s.send(new Msg(Kind.VOTE, t, r, m.tag(), UNAVAILABLE * 100));
                }
                n = n.withTerm(m.tag());
                int current = (int) n.committedVersion();
                int status = n.status(t);
                int vote;
                if (status == PREPARED || status >= COMMITTED) {
                    vote = YES;
                } else if (status == ABORTED) {
                    vote = NO;
                } else if (n.held()) {
                    vote = NO; // LOCKED
                } else {
                    Long expected = scenario.writes().get(t).expectedVersion();
                    if (expected != null && expected != current) {
                        vote = NO_CONFLICT;
                    } else {
                        vote = YES;
                        n = n.record(t, PREPARED, variant != Variant.PREPARE_NOT_FORCED);
                    }
                }
                yield s.with(r, n).send(new Msg(Kind.VOTE, t, r, m.tag(), vote * 100 + current));
            }
            case VOTE -> {
                Current c = s.current();
                if (m.tag() != s.term() || c == null || c.txn() != t || c.committing() || c.vote(r) != PENDING) {
                    yield s; // a reply to a call this coordinator process did not make, or no longer waits for
                }
                yield afterVote(s.with(c.withVote(r, m.value() / 100, m.value() % 100)));
            }
            case COMMIT -> {
                if (m.tag() < n.term()) {
                    yield s.send(new Msg(Kind.COMMIT_REPLY, t, r, m.tag(), 0));
                }
                n = n.withTerm(m.tag());
                int status = n.status(t);
                if (status == PREPARED) {
                    n = n.record(t, COMMITTED + m.value(), true);
                }
                boolean ok = status == PREPARED || status >= COMMITTED;
                yield s.with(r, n).send(new Msg(Kind.COMMIT_REPLY, t, r, m.tag(), ok ? 1 : 0));
            }
            case COMMIT_REPLY -> {
                if (m.tag() != s.term()) {
                    yield s;
                }
                Current c = s.current();
                if (c != null && c.txn() == t && c.committing() && c.ack(r) == PENDING) {
                    State next = s.with(c.withAck(r, m.value() == 1 ? ACKED : FAILED));
                    yield afterAck(m.value() == 1 ? acknowledged(next, t, r) : next);
                }
                yield acknowledged(s, t, r); // the retry timer's call: a refusal ends the retries too
            }
            case ABORT -> {
                if (m.tag() >= n.term()) {
                    n = n.withTerm(m.tag());
                    int status = n.status(t);
                    if (status == PREPARED || status == NONE) {
                        n = n.record(t, ABORTED, true);
                    }
                }
                yield s.with(r, n).send(new Msg(Kind.ABORT_REPLY, t, r, m.tag(), 0));
            }
            case ABORT_REPLY -> m.tag() == s.term() ? acknowledged(s, t, r) : s;
            case ASK -> {
                if (s.announcing() != 0) {
                    yield s; // not serving yet: the replica's call fails
                }
                Reg reg = s.registry().get(t);
                int answer = reg.state() == COMMITTED ? COMMITTED + reg.version() : reg.state();
                yield s.send(new Msg(Kind.STATUS, t, r, m.tag(), answer));
            }
            case STATUS -> {
                if (n.phase() != 1 || n.txn() != t || n.round() != m.tag()) {
                    yield s; // the call this answers timed out, or the replica restarted since
                }
                if (m.value() == NONE) {
                    yield s.with(r, n.resolving(t, 2, true, n.round(), n.rounds()))
                            .send(new Msg(Kind.INQUIRY, t, r, n.round(), 0));
                }
                yield m.value() == PREPARED ? s.with(r, n.idle()) : s.with(r, settle(n, t, m.value()));
            }
            case INQUIRY -> {
                int p = 1 - r;
                Node peer = s.nodes().get(p);
                if (peer.status(t) == NONE) {
                    peer = peer.record(t, ABORTED, true); // never prepared here: abort first, then answer
                }
                yield s.with(p, peer).send(new Msg(Kind.INQUIRY_REPLY, t, r, m.tag(), peer.status(t)));
            }
            case INQUIRY_REPLY -> {
                if (n.phase() != 2 || n.txn() != t || n.round() != m.tag()) {
                    yield s;
                }
                int answer = m.value();
                if (answer == PREPARED) {
                    yield s.with(r, n.coordinatorAnswered() ? settle(n, t, ABORTED) : n.idle());
                }
                yield s.with(r, settle(n, t, answer == NONE ? ABORTED : answer));
            }
        };
    }

    /** {@code InDoubtResolver.settle}: decides unless a commit or abort decided it meanwhile. */
    private static Node settle(Node n, int t, int decision) {
        Node idle = n.idle();
        return idle.status(t) == PREPARED ? idle.record(t, decision, true) : idle;
    }

    static String vote(int code) {
        return switch (code) {
            case YES -> "YES";
            case NO_CONFLICT -> "NO (CONFLICT)";
            case NO -> "NO (LOCKED or ABORTED)";
            default -> "REFUSED (stale term)";
        };
    }

    static String status(int code) {
        return code >= COMMITTED ? "COMMITTED v" + (code - COMMITTED)
                : switch (code) {
                    case NONE -> "UNKNOWN";
                    case PREPARED -> "PREPARED";
                    default -> "ABORTED";
                };
    }
}
