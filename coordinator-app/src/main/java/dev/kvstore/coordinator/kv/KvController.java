package dev.kvstore.coordinator.kv;

import dev.kvstore.coordinator.txn.Precondition;
import dev.kvstore.coordinator.txn.WriteOutcome;
import dev.kvstore.model.Key;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import org.springframework.http.HttpHeaders;
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

/** {@code /kv/{key}}: the key is the whole rest of the path, slashes included. */
@Tag(name = "kv", description = "Read and write values by key.")
@RestController
public class KvController {

    // Documentation shared by the operations below; error responses get their problem body from OpenApiConventions.
    private static final String KEY = "The key: 1 to 1024 bytes of UTF-8, the whole rest of the path. Slashes are part "
            + "of the key (/kv/app/db/url is key app/db/url); sent percent-encoded (as Swagger UI does) they are "
            + "refused, so use keys without slashes here and curl for the others.";
    private static final String ETAG = "The version, quoted; send it back in If-Match to replace or delete only that "
            + "version.";
    private static final String IF_MATCH = "Write only if the key is at this version: one version as an ETag gave "
            + "it, like \"17\", or * for any existing version. 412 otherwise.";
    private static final String BAD_KEY = "The key is empty or longer than 1024 bytes";
    private static final String UNAVAILABLE = "A replica of the key is down or did not answer, the key stayed busy "
            + "with other writes, its range is being moved, or the cluster is still forming; nothing was written. "
            + "Retry after Retry-After seconds.";
    private static final String UNCONFIRMED = "Outcome unknown: not committed when answered, but no replica refused "
            + "the write or confirmed its abort (one was unreachable), so it may still take effect; read the key to see.";

    private final KvService kv;
    private final long maxValueBytes;

    public KvController(KvService kv, KvApiProperties properties) {
        this.kv = kv;
        this.maxValueBytes = properties.maxValueSize().toBytes();
    }

    @Operation(summary = "Read a value", description = "The value as stored, with its Content-Type and its version "
            + "as ETag. Answered from the coordinator's cache when it holds the key, else read from the key's "
            + "primary (or its replica when the primary is down). HEAD answers the same without the body.")
    @ApiResponse(responseCode = "200", description = "The value, with the Content-Type it was stored with",
            headers = @Header(name = "ETag", description = ETAG, schema = @Schema(type = "string", example = "\"1718000000000001\"")),
            content = @Content(mediaType = "*/*", schema = @Schema(type = "string", format = "binary"),
                    examples = @ExampleObject(value = "hello")))
    @ApiResponse(responseCode = "400", description = BAD_KEY)
    @ApiResponse(responseCode = "404", description = "No value is stored under the key")
    @ApiResponse(responseCode = "503", description = "Neither replica of the key could be read now, or the cluster "
            + "is still forming. Retry after Retry-After seconds.")
    @GetMapping("/kv/{*key}")
    public ResponseEntity<byte[]> get(@Parameter(description = KEY, example = "greeting") @PathVariable String key) {
        Key k = key(key);
        CachedValue value = kv.get(k).orElseThrow(() -> new KeyNotFoundException(k.text()));
        return ResponseEntity.ok()
                .eTag(Long.toString(value.version()))
                .contentType(MediaType.parseMediaType(value.contentType()))
                .body(value.value());
    }

    @Operation(summary = "Store a value", description = "The body is stored as raw bytes with its Content-Type, on "
            + "both of the key's replicas through two-phase commit, or on neither. 201 when the key is new, 200 when "
            + "replaced; ETag carries the new version. If-None-Match: * creates only; If-Match replaces only the "
            + "given version.",
            requestBody = @RequestBody(required = true, description = "The value: any bytes up to kv.api.max-value-size "
                    + "(1 MB by default), stored with the request's Content-Type (application/octet-stream when absent)",
                    content = {
                            @Content(mediaType = "text/plain", schema = @Schema(type = "string"),
                                    examples = @ExampleObject(value = "hello")),
                            @Content(mediaType = "application/octet-stream", schema = @Schema(type = "string", format = "binary"))}))
    @ApiResponse(responseCode = "200", description = "Replaced an existing value",
            headers = @Header(name = "ETag", description = ETAG, schema = @Schema(type = "string", example = "\"1718000000000002\"")))
    @ApiResponse(responseCode = "201", description = "Created the key",
            headers = {
                    @Header(name = "ETag", description = ETAG, schema = @Schema(type = "string", example = "\"1718000000000001\"")),
                    @Header(name = "Location", description = "The key's URL", schema = @Schema(type = "string", example = "/kv/greeting"))})
    @ApiResponse(responseCode = "400", description = BAD_KEY + ", If-Match or If-None-Match is malformed (or both "
            + "are sent), or the Content-Type is not a media type")
    @ApiResponse(responseCode = "412", description = "The If-Match or If-None-Match condition does not hold; nothing "
            + "was written, and the detail gives the key's current version")
    @ApiResponse(responseCode = "413", description = "The value is larger than kv.api.max-value-size; refused before "
            + "the body is read")
    @ApiResponse(responseCode = "503", description = UNAVAILABLE)
    @ApiResponse(responseCode = "504", description = UNCONFIRMED)
    @ApiResponse(responseCode = "507", description = "A replica of the key is low on disk space (below its high "
            + "watermark) and takes no new values until space is freed; nothing was written. Deletes are still taken")
    @PutMapping("/kv/{*key}")
    public ResponseEntity<Void> put(@Parameter(description = KEY, example = "greeting") @PathVariable String key,
                                    HttpServletRequest request,
                                    @Parameter(description = IF_MATCH)
                                    @RequestHeader(value = HttpHeaders.IF_MATCH, required = false) String ifMatch,
                                    @Parameter(description = "* to create only: 412 when the key exists.")
                                    @RequestHeader(value = HttpHeaders.IF_NONE_MATCH, required = false) String ifNoneMatch)
            throws IOException {
        String text = keyText(key);
        byte[] value = PutRequests.value(request, maxValueBytes);
        String contentType = PutRequests.contentType(request.getContentType());
        Precondition condition = Conditions.parse(ifMatch, ifNoneMatch);
        // Checked after the body and the headers: a request wrong in several ways is told of those first.
        Key k = Key.of(text);
        WriteOutcome.Committed committed = kv.put(k, value, contentType, condition);
        ResponseEntity.BodyBuilder response = committed.created()
                ? ResponseEntity.created(PutRequests.location(k))
                : ResponseEntity.ok();
        return response.eTag(Long.toString(committed.version())).build();
    }

    @Operation(summary = "Delete a value", description = "Removes the key from both replicas through two-phase commit, "
            + "or from neither. If-Match deletes only the given version.")
    @ApiResponse(responseCode = "204", description = "Deleted",
            headers = @Header(name = "ETag", description = "The version of the deletion; later writes of the key get "
                    + "higher ones", schema = @Schema(type = "string", example = "\"1718000000000003\"")))
    @ApiResponse(responseCode = "400", description = BAD_KEY + ", or If-Match is malformed")
    @ApiResponse(responseCode = "404", description = "No value is stored under the key")
    @ApiResponse(responseCode = "412", description = "The key is not at the If-Match version; nothing was deleted")
    @ApiResponse(responseCode = "503", description = UNAVAILABLE)
    @ApiResponse(responseCode = "504", description = UNCONFIRMED)
    @DeleteMapping("/kv/{*key}")
    public ResponseEntity<Void> delete(@Parameter(description = KEY, example = "greeting") @PathVariable String key,
                                       @Parameter(description = IF_MATCH)
                                       @RequestHeader(value = HttpHeaders.IF_MATCH, required = false) String ifMatch) {
        Precondition condition = ifMatch == null ? Precondition.NONE : Conditions.parse(ifMatch, null);
        WriteOutcome.Committed deleted = kv.delete(key(key), condition);
        return ResponseEntity.noContent().eTag(Long.toString(deleted.version())).build();
    }

    /**
     * The key as sent (see {@link RequestKeys}), checked and hashed once for the whole request; the
     * captured {@code {*key}} only outside a request.
     */
    private static Key key(String captured) {
        HttpServletRequest request = currentRequest();
        Key key = request == null ? null : RequestKeys.of(request);
        return key != null ? key : Key.of(stripped(captured));
    }

    /** The key's text as {@link #key} finds it, before it is checked. */
    private static String keyText(String captured) {
        HttpServletRequest request = currentRequest();
        String text = request == null ? null : RequestKeys.text(request);
        return text != null ? text : stripped(captured);
    }

    private static HttpServletRequest currentRequest() {
        return RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attributes
                ? attributes.getRequest() : null;
    }

    private static String stripped(String captured) {
        return captured.startsWith("/") ? captured.substring(1) : captured;
    }
}
