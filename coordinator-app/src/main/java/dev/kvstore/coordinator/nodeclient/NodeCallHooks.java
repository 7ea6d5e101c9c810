package dev.kvstore.coordinator.nodeclient;

import java.net.URI;

/**
 * What every call to a node carries and reports, whichever HTTP client sends it: where it goes (the
 * endpoint with the leader's term and the node's id on it), its signature, and what the coordinator
 * learns from the node's answer (a later term) or from a refused connection (the process is gone).
 */
public interface NodeCallHooks {

    /** For tests and a coordinator that signs nothing and tracks no terms: every call goes as it is. */
    NodeCallHooks NONE = new NodeCallHooks() {
        @Override
        public URI target(URI endpoint) {
            return endpoint;
        }

        @Override
        public String authorization(String method, URI target, byte[] body) {
            return null;
        }

        @Override
        public void answered(int status, String currentTerm) {
        }

        @Override
        public void refused(URI endpoint) {
        }
    };

    /** The URI a call to {@code endpoint} is sent to; asked again for each attempt. */
    URI target(URI endpoint);

    /** The {@code Authorization} header of a request to {@code target}, fresh for each attempt; null for none. */
    String authorization(String method, URI target, byte[] body);

    /** The node answered with {@code status}; {@code currentTerm} is its current-term header, or null. */
    void answered(int status, String currentTerm);

    /** The connection to {@code endpoint} was refused. */
    void refused(URI endpoint);
}
