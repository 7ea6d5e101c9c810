/**
 * A small typed Java client for the coordinator's HTTP API: {@link KvClient} reads, writes (with
 * {@link Condition}s) and deletes values under {@code /kv/{key}}, and reads and changes the cluster
 * under {@code /nodes}. Plain JDK {@link java.net.http.HttpClient} and Jackson; no Spring.
 *
 * <p>Invariants:
 * <ul>
 *   <li>Every failure is a {@link KvClientException}. An answer with an error status is an
 *       {@link ErrorResponseException} carrying the answer's RFC 9457 {@link Problem}, with a subclass
 *       for each status a caller branches on; a request without an answer is a {@link TransportException}
 *       that says whether it may have reached the coordinator.</li>
 *   <li>Only {@link PreconditionFailedException}, {@link UnavailableException}, an absent result, and a
 *       {@link TransportException} with {@code mayHaveReachedServer() == false} mean "nothing was written".
 *       A {@link WriteUnconfirmedException} or a {@link TransportException} that may have reached the
 *       coordinator leaves the outcome open: the write may or may not take effect.</li>
 *   <li>Keys travel in the path with their slashes literal and every other byte outside the URI's
 *       unreserved characters percent-encoded as UTF-8, so the coordinator sees exactly the key given
 *       (a literal {@code ;} would start matrix parameters, {@code ?} a query, {@code #} a fragment).</li>
 *   <li>Versions are the decimal numbers in the coordinator's ETags; the client never makes one up.</li>
 *   <li>Given several coordinators, a request goes to another one only when it was certainly not sent
 *       (connection refused, host unresolved), so no request is ever sent twice.</li>
 * </ul>
 */
package dev.kvstore.client;
