/**
 * Authenticated cluster traffic on the coordinator: every call to a node is signed with the cluster
 * secret ({@code Authorization: KV-HMAC ...}, see {@code dev.kvstore.auth}), and node registration,
 * heartbeats and {@code /internal} calls are refused with 401 unless signed.
 *
 * <p>Invariants: a refused request never reaches a controller and changes nothing; the client API
 * ({@code /kv}), {@code GET /nodes}, {@code DELETE /nodes/{id}}, Actuator and the API docs never need a
 * signature; without a secret the coordinator starts only with {@code kv.cluster.insecure-dev=true},
 * and then says so at WARN; the secret never appears in a log line, a problem or a {@code toString}.
 */
package dev.kvstore.coordinator.security;
