package dev.kvstore.coordinator.apikey;

/** What a client API key may do; each scope includes the ones before it. */
public enum ApiScope {
    /** GET and HEAD of {@code /kv/**}, {@code GET /nodes}, {@code GET /nodes/placement}. */
    READ("read"),
    /** Also PUT and DELETE of {@code /kv/**}. */
    READ_WRITE("read-write"),
    /** Also the operator's {@code DELETE /nodes/{id}} (graceful removal of a node). */
    ADMIN("admin");

    private final String label;

    ApiScope(String label) {
        this.label = label;
    }

    public boolean includes(ApiScope other) {
        return compareTo(other) >= 0;
    }

    /** As the README and problem details name it. */
    public String label() {
        return label;
    }
}
