package dev.kvstore.coordinator.kv;

import dev.kvstore.model.Key;
import dev.kvstore.web.RequestBodies;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.web.util.UriUtils;

/** How a PUT's value, type and answer are read and made: one rule for the controller and {@link DirectWrites}. */
final class PutRequests {

    private PutRequests() {
    }

    /** Reads at most one byte past the limit, so an oversized body is refused without reading it all. */
    static byte[] value(HttpServletRequest request, long maxValueBytes) throws IOException {
        long declared = request.getContentLengthLong();
        if (declared > maxValueBytes) {
            throw new ValueTooLargeException(maxValueBytes);
        }
        try (InputStream body = request.getInputStream()) {
            byte[] value = RequestBodies.readAtMost(body, declared, maxValueBytes);
            if (value.length > maxValueBytes) {
                throw new ValueTooLargeException(maxValueBytes);
            }
            return value;
        }
    }

    /** The value's media type as stored: octet-stream when none is sent. */
    static String contentType(String header) {
        if (header == null || header.isBlank()) {
            return MediaType.APPLICATION_OCTET_STREAM_VALUE;
        }
        try {
            return MediaType.parseMediaType(header).toString();
        } catch (InvalidMediaTypeException e) {
            throw new InvalidRequestException("Content-Type '" + header + "' is not a media type like text/plain");
        }
    }

    /** The {@code Location} of a key a PUT created. */
    static URI location(Key key) {
        return URI.create("/kv/" + UriUtils.encodePath(key.text(), StandardCharsets.UTF_8));
    }
}
