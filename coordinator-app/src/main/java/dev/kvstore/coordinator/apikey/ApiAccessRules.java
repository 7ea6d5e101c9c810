package dev.kvstore.coordinator.apikey;

import java.util.Optional;

/**
 * Which scope each request needs when client keys are configured; {@link Optional#empty()} for what stays
 * open: the cluster's own calls (registration, heartbeats, {@code /internal}: the cluster signature guards
 * them), Actuator, the API docs and Swagger UI. Everything else the coordinator serves needs a key.
 */
public final class ApiAccessRules {

    private ApiAccessRules() {
    }

    /**
     * @param method the HTTP method
     * @param path   the request path after the servlet container decoded and normalised it
     */
    public static Optional<ApiScope> required(String method, String path) {
        boolean read = method.equals("GET") || method.equals("HEAD");
        if (path.equals("/kv") || path.startsWith("/kv/")) {
            return Optional.of(read ? ApiScope.READ : ApiScope.READ_WRITE);
        }
        if (path.equals("/nodes") || path.startsWith("/nodes/")) {
            if (read) {
                return Optional.of(ApiScope.READ);
            }
            if (method.equals("DELETE") || isSettlement(method, path)) {
                return Optional.of(ApiScope.ADMIN);
            }
            // POST /nodes, PUT /nodes/{id}/heartbeat: the nodes' calls, signed with the cluster secret.
            return Optional.empty();
        }
        if (isOpen(path)) {
            return Optional.empty();
        }
        return Optional.of(ApiScope.READ);
    }

    /** {@code POST /nodes/{id}/transactions/{txId}}: an operator deciding a transaction in doubt. */
    private static boolean isSettlement(String method, String path) {
        String[] parts = path.split("/", -1);
        return method.equals("POST") && parts.length == 5 && parts[3].equals("transactions") && !parts[2].isEmpty()
                && !parts[4].isEmpty();
    }

    private static boolean isOpen(String path) {
        return under(path, "/internal") || under(path, "/actuator") || under(path, "/v3/api-docs")
                || under(path, "/swagger-ui") || path.equals("/swagger-ui.html") || path.equals("/livez")
                || path.equals("/readyz") || path.equals("/error");
    }

    private static boolean under(String path, String prefix) {
        return path.equals(prefix) || path.startsWith(prefix + "/") || path.startsWith(prefix + ".");
    }
}
