package dev.kvstore.e2e.history;

/** The three requests a client can make against one key. */
public enum OpType {
    /** {@code PUT /kv/{key}}: writes a value; answers with the new version. */
    PUT,
    /** {@code DELETE /kv/{key}}: 204 with the deletion's version, or 404 when there was nothing to delete. */
    DELETE,
    /** {@code GET /kv/{key}}: 200 with the value and its version, or 404 when absent. */
    GET
}
