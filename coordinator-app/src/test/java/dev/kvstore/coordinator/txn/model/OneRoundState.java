package dev.kvstore.coordinator.txn.model;

/**
 * The states of {@link OneRoundCommitModel}: immutable values of plain ints (compared and hashed cheaply:
 * the explorer compares states millions of times). A transaction's status, on a replica, in the
 * coordinator's registry or in an answer to a question, is one code, and a party keeps one code per
 * transaction in 6 bits of an int (at most {@link #MAX_TRANSACTIONS} transactions, versions 1 to 9).
 */
public final class OneRoundState {

    static final int MAX_TRANSACTIONS = 5;

    /** Not known (a replica that never prepared; UNKNOWN when the coordinator answers). */
    static final int NONE = 0;
    static final int ABORTED = 1;
    /** Prepared with the version (+ v): a durable YES; the coordinator's PREPARED: still voting. */
    static final int PREPARED = 10;
    /** Prepared (+ v) and durably marked: asking the peer, refusing the coordinator's ABORT. */
    static final int RESOLVING = 20;
    static final int COMMITTED = 30;
    /** An ABORTED outcome forgotten after the retention (gone from memory and, by a snapshot, from the log). */
    static final int FORGOTTEN_ABORT = 2;
    /** A COMMITTED outcome (+ v) forgotten after the retention; the write stays in the table. */
    static final int FORGOTTEN_COMMIT = 40;

    private OneRoundState() {
    }

    static int kind(int status) {
        return status < PREPARED ? status : status / 10 * 10;
    }

    static int version(int status) {
        return status < PREPARED ? 0 : status % 10;
    }

    /** The code a decided outcome has once forgotten. */
    static int forgotten(int status) {
        return kind(status) == COMMITTED ? FORGOTTEN_COMMIT + version(status) : FORGOTTEN_ABORT;
    }

    static String describe(int status) {
        return switch (kind(status)) {
            case NONE -> "UNKNOWN";
            case ABORTED -> "ABORTED";
            case PREPARED -> "PREPARED";
            case RESOLVING -> "RESOLVING";
            case FORGOTTEN_ABORT -> "ABORTED, forgotten";
            case FORGOTTEN_COMMIT -> "COMMITTED v" + version(status) + ", forgotten";
            default -> "COMMITTED v" + version(status);
        };
    }

    /** The code of transaction {@code t} in a packed int. */
    static int at(int packed, int t) {
        return packed >>> (6 * t) & 63;
    }

    static int set(int packed, int t, int code) {
        return packed & ~(63 << (6 * t)) | code << (6 * t);
    }

    public enum Kind { PREPARE, VOTE, COMMIT, ABORT, ABORT_REPLY, ASK, STATUS, INQUIRY, INQUIRY_REPLY }

    /**
     * A message. {@code replica} is the replica it goes to or comes from (for an inquiry and its reply:
     * the replica that asks); {@code tag} the coordinator's term for its calls and their replies, the
     * asking replica's round for a question in doubt; {@code value} the version (PREPARE, COMMIT, and the
     * asker's prepared version in an INQUIRY), 1 for YES and 0 for NO (VOTE), or a status (STATUS,
     * INQUIRY_REPLY).
     */
    public record Msg(Kind kind, int txn, int replica, int tag, int value) implements Comparable<Msg> {

        @Override
        public int compareTo(Msg other) {
            int c = kind.compareTo(other.kind);
            if (c == 0) {
                c = Integer.compare(txn, other.txn);
            }
            if (c == 0) {
                c = Integer.compare(replica, other.replica);
            }
            if (c == 0) {
                c = Integer.compare(tag, other.tag);
            }
            return c != 0 ? c : Integer.compare(value, other.value);
        }

        Msg mirrored() {
            return new Msg(kind, txn, 1 - replica, tag, value);
        }

        @Override
        public String toString() {
            String r = Names.replica(replica);
            String peer = Names.replica(1 - replica);
            return switch (kind) {
                case PREPARE -> "PREPARE(T" + txn + ", v" + value + ", term " + tag + ") to " + r;
                case VOTE -> "VOTE(T" + txn + ", " + (value == 1 ? "YES" : "NO") + ", term " + tag + ") from " + r;
                case COMMIT -> "COMMIT(T" + txn + ", v" + value + ", term " + tag + ") to " + r;
                case ABORT -> "ABORT(T" + txn + ", term " + tag + ") to " + r;
                case ABORT_REPLY -> "abort acknowledged(T" + txn + ", term " + tag + ") by " + r;
                case ASK -> "GET /internal/txn/T" + txn + " from " + r + " (round " + tag + ")";
                case STATUS -> "coordinator's answer " + describe(value) + " for T" + txn + " to " + r
                        + " (round " + tag + ")";
                case INQUIRY -> "inquiry(T" + txn + ", v" + value + ") from " + r + " to " + peer + " (round " + tag
                        + ")";
                case INQUIRY_REPLY -> peer + "'s answer " + describe(value) + " for T" + txn + " to " + r
                        + " (round " + tag + ")";
            };
        }
    }

    /**
     * A replica: per transaction its status in memory and in its log (the forced prefix: what a crash
     * keeps), the highest coordinator term it has seen (forced), how often it crashed, and its in-doubt
     * resolver: rounds started so far, and the round in progress ({@code phase} 0 idle, 1 asking the
     * coordinator, 2 asking the peer, about {@code txn}).
     */
    public record Node(int memory, int log, int term, int crashes, int rounds, int txn, int phase, int round) {

        int status(int t) {
            return at(memory, t);
        }

        int logged(int t) {
            return at(log, t);
        }

        /** Prepared (a durable YES) and not decided: in doubt. */
        boolean undecided(int t) {
            int k = kind(status(t));
            return k == PREPARED || k == RESOLVING;
        }

        /** The key is held by a transaction in doubt: reads are refused, other prepares vote NO. */
        boolean held() {
            for (int m = memory; m != 0; m >>>= 6) {
                int k = kind(m & 63);
                if (k == PREPARED || k == RESOLVING) {
                    return true;
                }
            }
            return false;
        }

        /** The version of the value the table holds: forgetting an outcome keeps its write. */
        int committedVersion() {
            int v = 0;
            for (int m = memory; m != 0; m >>>= 6) {
                int k = kind(m & 63);
                if (k == COMMITTED || k == FORGOTTEN_COMMIT) {
                    v = Math.max(v, version(m & 63));
                }
            }
            return v;
        }

        /** The highest version of a COMMITTED outcome forgotten (kept through crashes, as snapshots keep it); 0 for none. */
        int forgottenUpTo() {
            int v = 0;
            for (int m = memory; m != 0; m >>>= 6) {
                if (kind(m & 63) == FORGOTTEN_COMMIT) {
                    v = Math.max(v, version(m & 63));
                }
            }
            return v;
        }

        /** Forgets a decided, durable outcome, in memory and in the log. */
        Node forget(int t) {
            int code = forgotten(status(t));
            return new Node(set(memory, t, code), set(log, t, code), term, crashes, rounds, txn, phase, round);
        }

        /** Appends a record; forcing it forces everything appended before it too (the log is one file). */
        Node record(int t, int status, boolean force) {
            int m = set(memory, t, status);
            return new Node(m, force ? m : log, term, crashes, rounds, txn, phase, round);
        }

        Node withTerm(int newTerm) {
            return newTerm <= term ? this : new Node(memory, log, newTerm, crashes, rounds, txn, phase, round);
        }

        Node resolver(int t, int newPhase, int newRound, int newRounds) {
            return new Node(memory, log, term, crashes, newRounds, t, newPhase, newRound);
        }

        Node idle() {
            return new Node(memory, log, term, crashes, rounds, 0, 0, 0);
        }

        Node crashed() {
            return new Node(log, log, term, crashes + 1, rounds, 0, 0, 0);
        }
    }

    /**
     * @param current  the transaction the coordinator is collecting votes for (it holds the key's write
     *                 lock until it decides), -1 for none; {@code yes} the replicas whose YES is in
     * @param registry the coordinator's registry (memory only): per transaction NONE (UNKNOWN),
     *                 PREPARED + v (voting), COMMITTED + v or ABORTED
     * @param started  the transactions started; the next one's version is one above their count
     * @param answers  what each client was told: 3 bits per transaction, an {@link Observed.Answer}'s ordinal
     */
    public record State(int transactions, int term, int coordinatorCrashes, int current, int yes, int registry,
                        int started, int answers, Node a, Node b, Network<Msg> network, int acknowledged)
            implements Observed {

        @Override
        public int replicas() {
            return OneRoundCommitModel.REPLICAS;
        }

        @Override
        public Decision decision(int replica, int txn) {
            int k = kind(node(replica).status(txn));
            return k == COMMITTED || k == FORGOTTEN_COMMIT ? Decision.COMMITTED
                    : k == ABORTED || k == FORGOTTEN_ABORT ? Decision.ABORTED : Decision.NONE;
        }

        @Override
        public Answer answer(int txn) {
            return Answer.values()[answers >>> (3 * txn) & 7];
        }

        @Override
        public long acknowledgedVersion() {
            return acknowledged;
        }

        @Override
        public long readableVersion(int replica) {
            Node n = node(replica);
            return n.held() ? -1 : n.committedVersion();
        }

        Node node(int r) {
            return r == 0 ? a : b;
        }

        int reg(int t) {
            return at(registry, t);
        }

        State with(Network<Msg> n) {
            return new State(transactions, term, coordinatorCrashes, current, yes, registry, started, answers, a, b, n,
                    acknowledged);
        }

        State send(Msg m) {
            return with(network.send(m));
        }

        State voting(int txn, int votes) {
            return new State(transactions, term, coordinatorCrashes, txn, votes, registry, started, answers, a, b, network,
                    acknowledged);
        }

        State with(int r, Node n) {
            return new State(transactions, term, coordinatorCrashes, current, yes, registry, started, answers,
                    r == 0 ? n : a, r == 0 ? b : n, network, acknowledged);
        }

        State registered(int t, int status) {
            return new State(transactions, term, coordinatorCrashes, current, yes, set(registry, t, status), started,
                    answers, a, b, network, acknowledged);
        }

        State answered(int t, Answer answer, int version) {
            int as = answers & ~(7 << (3 * t)) | answer.ordinal() << (3 * t);
            return new State(transactions, term, coordinatorCrashes, current, yes, registry, started, as, a, b, network,
                    answer == Answer.WRITTEN ? Math.max(acknowledged, version) : acknowledged);
        }

        /** The same state with the replicas' names exchanged. */
        State mirrored() {
            Network<Msg> n = Network.empty();
            for (Network.InFlight<Msg> m : network.messages()) {
                n = n.send(m.message().mirrored());
            }
            for (Network.InFlight<Msg> m : network.messages()) {
                if (m.deliveredOnce()) {
                    n = n.keptForDuplicate(n.messages().indexOf(new Network.InFlight<>(m.message().mirrored(), false)));
                }
            }
            return new State(transactions, term, coordinatorCrashes, current, (yes & 1) << 1 | yes >> 1, registry,
                    started, answers, b, a, n, acknowledged);
        }

        /**
         * This state or its mirror image, the same one for both: the replicas play the same part, so the
         * states reachable from the two are mirror images, and the properties hold in both or in neither.
         */
        State canonical() {
            int c = Integer.compare(a.hashCode(), b.hashCode());
            if (c != 0) {
                return c < 0 ? this : mirrored();
            }
            State other = mirrored();
            c = Integer.compare(hashCode(), other.hashCode());
            if (c == 0 && !equals(other)) {
                c = toString().compareTo(other.toString());
            }
            return c <= 0 ? this : other;
        }
    }
}
