package dev.kvstore.coordinator.apikey;

import java.util.Objects;

/** A configured client key as a request presents it: its name (for logs, never the key) and its scope. */
public record ApiKey(String name, ApiScope scope) {

    public ApiKey {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(scope, "scope");
    }
}
