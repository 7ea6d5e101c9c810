/**
 * Authenticated cluster traffic: every call between the coordinator and the nodes (registration,
 * heartbeats, two-phase commit, decision lookups, range moves, ring pushes) carries
 * {@code Authorization: KV-HMAC t=<epoch seconds>,n=<nonce>,sig=<base64url>}, an HMAC-SHA256 with a key
 * derived from the cluster secret over the method, the raw path and query, the timestamp, the nonce and
 * the SHA-256 of the body. Plain Java: the apps plug {@link dev.kvstore.auth.RequestSigner} into their
 * HTTP clients and {@link dev.kvstore.auth.RequestVerifier} into a servlet filter.
 *
 * <p>Invariants: a request is accepted only if its signature matches, compared in constant time, and
 * its timestamp is within the allowed skew of the verifier's clock (30 s by default), so a captured
 * request can be replayed only within that window; the calls a replay could still change later are
 * additionally accepted once per nonce ({@link dev.kvstore.auth.ReplayGuard}), and the others are
 * idempotent or epoch-checked. Neither the secret nor the expected signature ever appears in a message
 * or a {@code toString}. Key derivation happens once; each request costs one SHA-256 of its body and
 * one HMAC of a short string.
 */
package dev.kvstore.auth;
