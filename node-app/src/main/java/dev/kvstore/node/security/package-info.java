/**
 * Authenticated cluster traffic on a node: every call it makes (registration, heartbeats, decision
 * lookups, peer inquiries, range pulls) is signed with the cluster secret
 * ({@code Authorization: KV-HMAC ...}, see {@code dev.kvstore.auth}), and its whole {@code /internal}
 * API refuses unsigned calls with 401.
 *
 * <p>Invariants: a refused request never reaches a controller and changes nothing (no lock, no log
 * record); Actuator and the API docs never need a signature; without a secret the node starts only with
 * {@code kv.cluster.insecure-dev=true}, and then says so at WARN; the secret never appears in a log
 * line, a problem or a {@code toString}; decided transaction outcomes are kept longer than a signature
 * stays valid, so a replayed prepare or commit only repeats its answer.
 */
package dev.kvstore.node.security;
