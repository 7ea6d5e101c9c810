/**
 * The Spring web side of authenticated cluster traffic, shared by the coordinator and the nodes: a
 * {@link dev.kvstore.web.security.SigningInterceptor} that signs every outgoing cluster call, and a
 * {@link dev.kvstore.web.security.ClusterAuthFilter} that checks incoming ones with the plain-Java
 * verifier in {@code dev.kvstore.auth}. Each app decides which of its paths the filter guards.
 *
 * <p>Invariants: a request the filter refuses never reaches a controller; the body is read at most up
 * to the app's limit (413 beyond it) and handed on unchanged to the controller; the secret and the
 * expected signature never appear in a response, a log line or a {@code toString}.
 */
package dev.kvstore.web.security;
