/**
 * Fencing of deposed coordinator leaders. Every call the coordinators' leader makes to a node's
 * {@code /internal} API carries its Raft term ({@code ?term=N}, covered by the cluster signature);
 * {@link dev.kvstore.node.term.TermStore} keeps the highest term this node has seen in its data
 * directory ({@code coordinator-term}) and {@link dev.kvstore.node.term.TermFencingFilter} checks each
 * call against it, after the signature check and before any controller.
 *
 * <p>Invariants: a call with a term older than the highest this node has seen changes nothing and is
 * answered {@code 409} (problem type {@code urn:kvstore:problem:stale-term}, with {@code currentTerm});
 * a newer term is on disk (written, forced, renamed, directory forced) before its call runs, so the
 * highest term never goes down, across crashes and restarts included; a call without a term (node to
 * node, operators) is not checked.
 */
package dev.kvstore.node.term;
