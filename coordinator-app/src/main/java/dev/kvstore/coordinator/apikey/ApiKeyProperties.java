package dev.kvstore.coordinator.apikey;

import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Client API keys. None by default: the client API is open, and no security filter is installed. With at
 * least one, every client call needs a key of enough scope (see {@link ApiAccessRules}); binding fails, and
 * the coordinator does not start, when an entry is incomplete or ambiguous.
 *
 * @param apiKeys the keys ({@code kv.security.api-keys[0].name=...}, or in the environment
 *                {@code KV_SECURITY_APIKEYS_0_NAME=...})
 */
@ConfigurationProperties("kv.security")
public record ApiKeyProperties(List<Entry> apiKeys) {

    /** Raw keys (the {@code key} form) must be at least this long, so one cannot be guessed. */
    public static final int MIN_KEY_LENGTH = 16;

    /**
     * One key: give {@code keySha256} (the key itself then lives only with its clients) or, for development,
     * {@code key}; not both.
     *
     * @param name      names the key in logs and problem details; never the key itself
     * @param keySha256 lower- or upper-case hex of the SHA-256 of the key's UTF-8 bytes
     *                  ({@code printf %s "$KEY" | sha256sum})
     * @param key       the key itself, at least {@value #MIN_KEY_LENGTH} characters
     * @param scope     READ, READ_WRITE or ADMIN
     */
    public record Entry(String name, String keySha256, String key, ApiScope scope) {

        @Override
        public String toString() {
            return "Entry[name=" + name + ", scope=" + scope + "]";
        }
    }

    public ApiKeyProperties {
        apiKeys = apiKeys == null ? List.of() : List.copyOf(apiKeys);
        Set<String> names = new HashSet<>();
        for (int i = 0; i < apiKeys.size(); i++) {
            Entry entry = apiKeys.get(i);
            String where = "kv.security.api-keys[" + i + "]";
            if (entry.name() == null || entry.name().isBlank()) {
                throw new IllegalArgumentException(where + ".name is missing: give every key a name for the logs");
            }
            if (!names.add(entry.name())) {
                throw new IllegalArgumentException(where + ".name '" + entry.name() + "' is used twice; names must differ");
            }
            if (entry.scope() == null) {
                throw new IllegalArgumentException(where + ".scope is missing: READ, READ_WRITE or ADMIN");
            }
            boolean hashed = entry.keySha256() != null && !entry.keySha256().isBlank();
            boolean raw = entry.key() != null && !entry.key().isEmpty();
            if (hashed == raw) {
                throw new IllegalArgumentException(where + " ('" + entry.name() + "') needs exactly one of key-sha256 "
                        + "(hex SHA-256 of the key: printf %s \"$KEY\" | sha256sum) or key");
            }
            if (hashed && !entry.keySha256().strip().matches("[0-9a-fA-F]{64}")) {
                throw new IllegalArgumentException(where + ".key-sha256 ('" + entry.name() + "') must be 64 hex digits, "
                        + "the SHA-256 of the key");
            }
            if (raw && entry.key().length() < MIN_KEY_LENGTH) {
                throw new IllegalArgumentException(where + ".key ('" + entry.name() + "') is shorter than "
                        + MIN_KEY_LENGTH + " characters; generate one with openssl rand -base64 32");
            }
        }
    }

    /** Whether clients need keys at all. */
    public boolean enabled() {
        return !apiKeys.isEmpty();
    }

    public ApiKeys toApiKeys() {
        return new ApiKeys(apiKeys.stream().map(entry -> new ApiKeys.Digest(entry.name(),
                entry.key() != null && !entry.key().isEmpty() ? ApiKeys.sha256(entry.key())
                        : HexFormat.of().parseHex(entry.keySha256().strip().toLowerCase()),
                entry.scope())).toList());
    }
}
