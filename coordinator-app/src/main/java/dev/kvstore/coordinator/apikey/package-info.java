/**
 * Optional client API keys on the coordinator ({@code kv.security.api-keys}): a key, sent as
 * {@code Authorization: Bearer <key>} (or {@code X-API-Key}), has a scope, READ, READ_WRITE or ADMIN, each
 * including the one before; {@link dev.kvstore.coordinator.apikey.ApiAccessRules} says which a request needs.
 *
 * <p>Invariants: with no keys configured no security filter is installed and everything is open as before;
 * with keys, a request the rules guard reaches a controller only with a key of enough scope, and is
 * otherwise answered 401 (no or unknown key, {@code WWW-Authenticate: Bearer}) or 403 (too little scope)
 * as problem+json; the cluster's own endpoints (registration, heartbeats, {@code /internal}), Actuator and
 * the API docs are never guarded by keys (the cluster signature guards the first); keys are checked
 * by their SHA-256 digests, compared in constant time; a key
 * never appears in a log line, a problem or a {@code toString}, only its name.
 */
package dev.kvstore.coordinator.apikey;
