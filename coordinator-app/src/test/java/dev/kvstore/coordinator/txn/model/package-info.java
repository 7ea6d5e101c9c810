/**
 * An exhaustive model check of the write protocol (test code only, plain Java): {@link
 * dev.kvstore.coordinator.txn.model.Explorer} visits, breadth first, every state a {@link
 * dev.kvstore.coordinator.txn.model.Protocol} can reach in a {@link dev.kvstore.coordinator.txn.model.Scenario}
 * within some {@link dev.kvstore.coordinator.txn.model.Bounds}, checks the {@link
 * dev.kvstore.coordinator.txn.model.Properties} in each, and returns the shortest trace to a state that
 * breaks one. The shape follows CockroachDB's TLA+ spec of parallel commits: the protocol as actions on
 * immutable state, its invariants checked over every interleaving. A protocol plugs in by implementing
 * {@code Protocol} over a state that implements {@link dev.kvstore.coordinator.txn.model.Observed} (what the
 * properties look at); the one-round protocol of issue 17 is to be another implementation.
 *
 * <h2>Parties, network, faults</h2>
 * A coordinator, two replicas A and B of one key, and one client per write. Messages in flight form a set;
 * any may be delivered next, in any order, or never (a loss is a message never delivered: it reaches the
 * same states of every party as an explicit loss, so it needs no step); each may be delivered a second
 * time (a duplicate). Each party may crash at any step, a bounded number of times, and restarts at once
 * (its downtime is what message loss and timeouts already cover), keeping only what it forced to disk.
 * Messages that can no longer change anything (replies to a call nobody waits for, calls of an older
 * term to a replica that has seen a newer one, calls about a transaction the replica has decided and
 * whose reply nobody waits for) are dropped, so that states differing only in such garbage are one.
 *
 * <h2>Today's protocol ({@link dev.kvstore.coordinator.txn.model.TwoPhaseCommitModel}), rule by rule</h2>
 * <ul>
 *   <li>Coordinator ({@code TwoPhaseCommit}): one write per key at a time (its key lock). Registers the
 *       transaction PREPARED in {@code TxnRegistry}, sends PREPARE to both replicas. A prepare may time out
 *       (no vote in time, or a refused call): unavailable. Once both are known: any NO or unavailable
 *       decides ABORT in the registry, sends ABORT to both and answers "not written" (412 for CONFLICT, 503
 *       otherwise); two YES votes pick a version above both votes' floors (and every version issued
 *       before: the wall clock, kept across restarts) and decide COMMIT in the registry before sending
 *       COMMIT to both. The client is told "written" once both commits were acknowledged, 504 (unconfirmed)
 *       when its patience ran out or a replica refused the commit. Undelivered decisions are re-sent until
 *       acknowledged; an acknowledged-by-all decision is forgotten, an old abort may be forgotten anyway.
 *       {@code GET /internal/txn/{id}} answers the registry: PREPARED, COMMITTED with version, ABORTED, or
 *       UNKNOWN when not there.</li>
 *   <li>Coordinator crash: the registry, the write in progress and its votes are memory only (the Raft
 *       group keeps membership and the ring, not transactions), so all are lost; its client's request is
 *       lost. It restarts with a higher term, and its takeover tells each replica the term (or fails to
 *       reach one, and serves anyway) before it serves anything, replicas' questions included.</li>
 *   <li>Replica ({@code Participant}): every call from the coordinator carries its term; one older than
 *       the highest seen is refused, a newer one is forced first. PREPARE: a known outcome repeats its vote
 *       (COMMITTED: yes, ABORTED: no); a repeated prepare votes yes again; a key held by another prepared
 *       transaction votes no (LOCKED); an expected version other than the current one votes no (CONFLICT);
 *       otherwise it forces a PREPARE record, holds the key and votes yes with its version floor. COMMIT of
 *       a prepared transaction forces a COMMIT record and applies the write; of one unknown or aborted, it
 *       is refused. ABORT of a prepared or unknown transaction forces an ABORT record (unknown: a fence,
 *       so a late PREPARE votes no). Every record is forced before the answer, so a crash loses nothing
 *       answered.</li>
 *   <li>Replica in doubt ({@code InDoubtResolver}): its timer may fire at any time for a prepared,
 *       undecided transaction (the decision timeout is time, which the model does not bound). It asks the
 *       coordinator: COMMITTED or ABORTED decide so; PREPARED waits for the next round; UNKNOWN, or no
 *       answer in time, goes on to the peer. The peer ({@code inquire}) answers its state, forcing an ABORT
 *       first if it never prepared the transaction. A peer's COMMITTED commits; ABORTED or UNKNOWN aborts;
 *       PREPARED aborts if the coordinator answered UNKNOWN (today's rule: "undecided everywhere and the
 *       coordinator has forgotten: abort"), and otherwise waits. A decision that arrived meanwhile wins.
 *       Answers belong to their round: a late answer to a round that is over is ignored.</li>
 * </ul>
 * Not modelled: outcome pruning on replicas and its retention time, disk-full votes (NO_SPACE), range
 * migration, the operator's settlement, the coordinator's read cache (reads are modelled as reads of a
 * replica, refused while the key is held), and the small window inside one replica where an admitted
 * call of an old term is still being forced when a newer term arrives (delivery is atomic here).
 *
 * <h2>Properties, in every reachable state</h2>
 * No transaction is COMMITTED on one replica and ABORTED on the other; a write answered "written" has no
 * ABORT record anywhere; a write answered "not written" (412/503) has no COMMIT record anywhere; and a
 * replica that would answer a read (not holding the key for a transaction in doubt) holds a version at
 * least as new as any acknowledged. Checked in every state, the second and third cover "never later".
 *
 * <h2>What today's protocol does</h2>
 * It keeps every property for one write and for two conflicting writes while the coordinator stays up:
 * one write with replica crashes, duplicates and both replicas' in-doubt timers; two writes once with
 * replica crashes and duplicates, once with replica A's in-doubt timer (together they are past a unit
 * test's time). With one coordinator crash the
 * replicas can disagree: the coordinator decided COMMIT and crashed with the decision (a COMMIT, or its
 * answer to a replica's question) still on its way to one replica; the other replica, in doubt, hears
 * UNKNOWN from the restarted coordinator and PREPARED from that peer, and aborts; then the COMMIT lands.
 * The model test pins this down so that the fix (issue 17) turns it around.
 */
package dev.kvstore.coordinator.txn.model;
