package dev.kvstore.coordinator.membership;

import dev.kvstore.model.NodeRegistration;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.regex.Pattern;

/** What a registration must look like. */
final class NodeRegistrations {

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_-]{16,128}");

    private NodeRegistrations() {
    }

    static void validate(NodeRegistration registration) {
        if (registration == null || registration.id() == null || !ID.matcher(registration.id()).matches()) {
            throw new InvalidRegistrationException(
                    "id must be 1 to 63 letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
        if (registration.instanceToken() != null && !TOKEN.matcher(registration.instanceToken()).matches()) {
            throw new InvalidRegistrationException("instanceToken, when sent, must be 16 to 128 base64url characters");
        }
        try {
            URI url = new URI(registration.url());
            if (!("http".equals(url.getScheme()) || "https".equals(url.getScheme())) || url.getHost() == null) {
                throw new InvalidRegistrationException("url must be an absolute http(s) URL like http://10.0.0.5:9001");
            }
        } catch (URISyntaxException | NullPointerException e) {
            throw new InvalidRegistrationException("url must be an absolute http(s) URL like http://10.0.0.5:9001");
        }
    }
}
