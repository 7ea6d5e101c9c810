package dev.kvstore.coordinator.kv;

import dev.kvstore.coordinator.txn.Condition;
import dev.kvstore.coordinator.txn.WriteOutcome;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import org.springframework.http.HttpHeaders;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;
import org.springframework.web.util.UriUtils;

/** {@code /kv/{key}}: the key is the whole rest of the path, slashes included. */
@Tag(name = "kv", description = "Read and write values by key.")
@RestController
public class KvController {

    private final KvService kv;
    private final long maxValueBytes;

    public KvController(KvService kv, KvApiProperties properties) {
        this.kv = kv;
        this.maxValueBytes = properties.maxValueSize().toBytes();
    }

    @Operation(summary = "Read a value", description = "The value as stored, with its Content-Type and its version as ETag; 404 when absent. HEAD answers the same without the body.")
    @GetMapping("/kv/{*key}")
    public ResponseEntity<byte[]> get(@PathVariable String key) {
        String k = strip(key);
        CachedValue value = kv.get(k).orElseThrow(() -> new KeyNotFoundException(k));
        return ResponseEntity.ok()
                .eTag(Long.toString(value.version()))
                .contentType(MediaType.parseMediaType(value.contentType()))
                .body(value.value());
    }

    @Operation(summary = "Store a value", description = "The body is stored as raw bytes with its Content-Type. 201 when the key is new, 200 when replaced; ETag carries the new version. If-None-Match: * creates only; If-Match: \"<version>\" (or *) replaces only that version; 412 when the condition fails, 413 over the size limit, 503 with Retry-After when a replica cannot commit now (nothing was written).")
    @PutMapping("/kv/{*key}")
    public ResponseEntity<Void> put(@PathVariable String key, HttpServletRequest request,
                                    @RequestHeader(value = HttpHeaders.IF_MATCH, required = false) String ifMatch,
                                    @RequestHeader(value = HttpHeaders.IF_NONE_MATCH, required = false) String ifNoneMatch)
            throws IOException {
        String k = strip(key);
        byte[] value = readValue(request);
        String contentType = contentType(request.getContentType());
        WriteOutcome.Committed committed = kv.put(k, value, contentType, Conditions.parse(ifMatch, ifNoneMatch));
        ResponseEntity.BodyBuilder response = committed.created()
                ? ResponseEntity.created(URI.create("/kv/" + UriUtils.encodePath(k, StandardCharsets.UTF_8)))
                : ResponseEntity.ok();
        return response.eTag(Long.toString(committed.version())).build();
    }

    @Operation(summary = "Delete a value", description = "204 when deleted, with the version of the deletion as ETag (later writes get higher ones); 404 when absent; If-Match: \"<version>\" deletes only that version (412 otherwise).")
    @DeleteMapping("/kv/{*key}")
    public ResponseEntity<Void> delete(@PathVariable String key,
                                       @RequestHeader(value = HttpHeaders.IF_MATCH, required = false) String ifMatch) {
        Condition condition = ifMatch == null ? Condition.NONE : Conditions.parse(ifMatch, null);
        WriteOutcome.Committed deleted = kv.delete(strip(key), condition);
        return ResponseEntity.noContent().eTag(Long.toString(deleted.version())).build();
    }

    /**
     * The key as sent: the raw path after {@code /kv/}, percent-decoded. Not the captured {@code {*key}}
     * alone, which drops what follows a ';' in each segment (path parameters to Spring, part of the
     * key here: {@code /kv/a;b} is key {@code a;b}, not {@code a}).
     */
    private static String strip(String captured) {
        if (RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attributes) {
            HttpServletRequest request = attributes.getRequest();
            String path = request.getRequestURI().substring(request.getContextPath().length());
            if (path.startsWith("/kv")) {
                String raw = path.substring(path.startsWith("/kv/") ? 4 : 3);
                try {
                    return UriUtils.decode(raw, StandardCharsets.UTF_8);
                } catch (IllegalArgumentException e) {
                    throw new InvalidRequestException("the key's percent-encoding is invalid: '%' must be followed "
                            + "by two hex digits");
                }
            }
        }
        return captured.startsWith("/") ? captured.substring(1) : captured;
    }

    /** Reads at most one byte past the limit, so an oversized body is refused without reading it all. */
    private byte[] readValue(HttpServletRequest request) throws IOException {
        long declared = request.getContentLengthLong();
        if (declared > maxValueBytes) {
            throw new ValueTooLargeException(maxValueBytes);
        }
        try (InputStream body = request.getInputStream()) {
            byte[] value = body.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxValueBytes + 1));
            if (value.length > maxValueBytes) {
                throw new ValueTooLargeException(maxValueBytes);
            }
            return value;
        }
    }

    private static String contentType(String header) {
        if (header == null || header.isBlank()) {
            return MediaType.APPLICATION_OCTET_STREAM_VALUE;
        }
        try {
            return MediaType.parseMediaType(header).toString();
        } catch (InvalidMediaTypeException e) {
            throw new InvalidRequestException("Content-Type '" + header + "' is not a media type like text/plain");
        }
    }
}
