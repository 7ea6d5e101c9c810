/**
 * The node's side of two-phase commit and of data migration, over its {@code own} and {@code prev}
 * tables.
 *
 * <p>Invariants: every vote, decision and migration step is in the write-ahead log before it is
 * answered; a YES vote holds its key until the transaction is decided, so a prepared write can
 * always commit; commit and abort are idempotent, and an abort that arrives before its prepare makes
 * the late prepare vote no; a transaction left undecided past its timeout is resolved by asking the
 * coordinator, then the peer replica (which presumes abort for a transaction it never prepared), and
 * never by deciding alone; reads of a key held in doubt are refused (409) rather than answered with a
 * value that might be about to change.
 *
 * <p>A batch ({@code POST /internal/txn/batch}, {@link dev.kvstore.node.participant.TxnBatches}) is no
 * new protocol: each of its messages is handled exactly as its single endpoint would handle it and
 * answered with that endpoint's status, only concurrently, so that their log records share fsyncs.
 */
package dev.kvstore.node.participant;
