package dev.kvstore.node.migration;

import dev.kvstore.model.RangeCopyRequest;
import dev.kvstore.model.RangeMoveRequest;
import dev.kvstore.model.RangeRequest;
import dev.kvstore.model.RangeResult;
import dev.kvstore.node.replica.InvalidRangeException;
import dev.kvstore.node.replica.RangeSelector;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Data migration when the ring changes, driven by the coordinator: ranges of keys are copied node to
 * node (the target pulls from the source), moved between a node's two tables and dropped where no
 * longer needed. Every operation is durable in the write-ahead log before it answers and idempotent,
 * so the coordinator may repeat any of them after a failure.
 */
@Tag(name = "internal: ranges", description = "Data migration between nodes when the ring changes; called by the "
        + "coordinator (export by other nodes). Ranges are arcs of the 64-bit ring, {fromExclusive, toInclusive} as "
        + "signed longs, wrapping past the largest; fromExclusive == toInclusive is the whole ring.")
@RestController
@RequestMapping("/internal/ranges")
public class RangeController {

    private static final Logger log = LoggerFactory.getLogger(RangeController.class);

    // Documentation shared by the operations below.
    private static final String RANGE_REQUEST = """
            {"table": "PREV", "ranges": [{"fromExclusive": -9223372036854775808, "toInclusive": -4611686018427387904}]}""";
    private static final String RANGE_RESULT = "{\"keys\": 1342}";
    private static final String BAD_RANGES = "A table or the ranges are missing or malformed, or the body is not JSON";
    private static final String WAL_DOWN = "The write-ahead log cannot make records durable now; retry later";

    private final RangeMigration migration;
    private final PeerRangeSource peers;

    public RangeController(RangeMigration migration, PeerRangeSource peers) {
        this.migration = migration;
        this.peers = peers;
    }

    @Operation(summary = "Stream the entries of one table in some ranges",
            description = "The body is a sequence of frames, each a big-endian int32 length and that many bytes of an "
                    + "entry, ended by a frame of length 0; a stream without it was cut off. An entry is the log's "
                    + "encoding (java.io.DataOutput): byte 10, byte table (0 OWN, 1 PREV), the key as modified UTF-8 "
                    + "(uint16 length, bytes), int32 value length and the value, boolean content type present and "
                    + "the content type as modified UTF-8, int64 version. After the entries come the deletions the "
                    + "node remembers there: byte 12, byte table, the key, int64 version, int64 deletion time in epoch "
                    + "milliseconds. Then each write in doubt there: byte 1 and the log's PREPARE encoding, naming this "
                    + "node among its peers, so the target holds it in doubt too and asks this node for its outcome. "
                    + "Weakly consistent: the coordinator keeps writes away from the ranges meanwhile.",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(
                    schema = @Schema(implementation = RangeRequest.class), examples = @ExampleObject(value = RANGE_REQUEST))))
    @ApiResponse(responseCode = "200", description = "the frames",
            content = @Content(mediaType = MediaType.APPLICATION_OCTET_STREAM_VALUE,
                    schema = @Schema(type = "string", format = "binary")))
    @ApiResponse(responseCode = "400", description = BAD_RANGES)
    @PostMapping("/export")
    public void export(@RequestBody RangeRequest request, HttpServletResponse response) throws IOException {
        long started = System.nanoTime();
        RangeResult result = migration.exportRange(request.table(), request.ranges(), new ResponseStream(response));
        log.info("nodeId={} exported {} keys of {} in {} ranges in {} ms", migration.nodeId(), result.keys(),
                request.table(), request.ranges().size(), millisSince(started));
    }

    @Operation(summary = "Pull ranges of a table from another node and install them here",
            description = "Calls POST {sourceUrl}/internal/ranges/export with {table: sourceTable, ranges} and installs "
                    + "each entry into targetTable only if its version is newer than the one held here, so a repeated "
                    + "copy changes nothing and never goes back in time; durable before the answer. Answers how many "
                    + "keys were installed. When the source fails, the problem also names it (source) and says how many "
                    + "keys were installed before the failure (installed; they stay).",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(
                    schema = @Schema(implementation = RangeCopyRequest.class), examples = @ExampleObject(value = """
                            {"sourceUrl": "http://10.0.0.6:9001", "sourceTable": "OWN", "targetTable": "PREV",
                             "ranges": [{"fromExclusive": -9223372036854775808, "toInclusive": -4611686018427387904}]}"""))))
    @ApiResponse(responseCode = "200", description = "How many keys were installed", content = @Content(
            schema = @Schema(implementation = RangeResult.class), examples = @ExampleObject(value = RANGE_RESULT)))
    @ApiResponse(responseCode = "400", description = "sourceUrl is not a node's base URL, a table or the ranges are "
            + "missing or malformed, or the body is not JSON")
    @ApiResponse(responseCode = "502", description = "The source answered anything but a stream of entries")
    @ApiResponse(responseCode = "503", description = "The source cannot be reached or its stream was cut off, or "
            + "this node's log cannot make the keys durable; repeat the copy to complete it")
    @PostMapping("/copy")
    public RangeResult copy(@RequestBody RangeCopyRequest request) {
        URI source = sourceUri(request.sourceUrl());
        RangeMigration.requireTable(request.sourceTable(), "sourceTable");
        RangeMigration.requireTable(request.targetTable(), "targetTable");
        RangeSelector.of(request.ranges());
        String sourceUrl = request.sourceUrl();
        long started = System.nanoTime();
        RangeResult result = peers.pull(source, sourceUrl, request.sourceTable(), request.ranges(),
                frames -> migration.install(request.targetTable(), frames));
        log.info("nodeId={} copied {} keys from {} of {} into {} ({} ranges) in {} ms", migration.nodeId(),
                result.keys(), request.sourceTable(), sourceUrl, request.targetTable(), request.ranges().size(),
                millisSince(started));
        return result;
    }

    @Operation(summary = "Delete every key of a table in some ranges",
            description = "Durable (one log record) before the answer; answers how many keys were deleted. Idempotent: "
                    + "a repeat deletes nothing more. A write in doubt in the ranges keeps its outcome and, if it "
                    + "commits, recreates its key; a later drop removes it.",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(
                    schema = @Schema(implementation = RangeRequest.class), examples = @ExampleObject(value = RANGE_REQUEST))))
    @ApiResponse(responseCode = "200", description = "How many keys were deleted", content = @Content(
            schema = @Schema(implementation = RangeResult.class), examples = @ExampleObject(value = RANGE_RESULT)))
    @ApiResponse(responseCode = "400", description = BAD_RANGES)
    @ApiResponse(responseCode = "503", description = WAL_DOWN)
    @PostMapping("/drop")
    public RangeResult drop(@RequestBody RangeRequest request) {
        long started = System.nanoTime();
        RangeResult result = migration.dropRange(request.table(), request.ranges());
        log.info("nodeId={} dropped {} keys of {} in {} ranges in {} ms", migration.nodeId(), result.keys(),
                request.table(), request.ranges().size(), millisSince(started));
        return result;
    }

    @Operation(summary = "Move the keys of some ranges from one table of this node to the other",
            description = "PREV to OWN when this node becomes primary for its dead predecessor's keys, OWN to PREV when "
                    + "a returning node takes the primary role back. An entry the target table holds at an equal or "
                    + "newer version is only removed from the source table. Writes in doubt move with their keys. "
                    + "Durable (one log record) before the answer; answers how many keys left the source table. "
                    + "Idempotent.",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(
                    schema = @Schema(implementation = RangeMoveRequest.class), examples = @ExampleObject(value = """
                            {"from": "PREV", "to": "OWN", "ranges": [{"fromExclusive": -9223372036854775808, "toInclusive": -4611686018427387904}]}"""))))
    @ApiResponse(responseCode = "200", description = "How many keys left the source table", content = @Content(
            schema = @Schema(implementation = RangeResult.class), examples = @ExampleObject(value = RANGE_RESULT)))
    @ApiResponse(responseCode = "400", description = BAD_RANGES + ", or from and to are the same table")
    @ApiResponse(responseCode = "503", description = WAL_DOWN)
    @PostMapping("/move")
    public RangeResult move(@RequestBody RangeMoveRequest request) {
        long started = System.nanoTime();
        RangeResult result = migration.moveRange(request.from(), request.to(), request.ranges());
        log.info("nodeId={} moved {} keys from {} to {} in {} ranges in {} ms", migration.nodeId(), result.keys(),
                request.from(), request.to(), request.ranges().size(), millisSince(started));
        return result;
    }

    @Operation(summary = "Count the keys of a table in some ranges", description = "Changes nothing; for progress "
            + "reports and checks.",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(
                    schema = @Schema(implementation = RangeRequest.class), examples = @ExampleObject(value = RANGE_REQUEST))))
    @ApiResponse(responseCode = "200", description = "How many keys are in the ranges", content = @Content(
            schema = @Schema(implementation = RangeResult.class), examples = @ExampleObject(value = RANGE_RESULT)))
    @ApiResponse(responseCode = "400", description = BAD_RANGES)
    @PostMapping("/count")
    public RangeResult count(@RequestBody RangeRequest request) {
        RangeResult result = migration.count(request.table(), request.ranges());
        log.info("nodeId={} counted {} keys of {} in {} ranges", migration.nodeId(), result.keys(), request.table(),
                request.ranges().size());
        return result;
    }

    private static URI sourceUri(String sourceUrl) {
        if (sourceUrl == null || sourceUrl.isBlank()) {
            throw new InvalidRangeException("sourceUrl is required: the base URL of the node to copy from");
        }
        URI uri;
        try {
            uri = new URI(sourceUrl.strip());
        } catch (URISyntaxException e) {
            throw new InvalidRangeException("sourceUrl '" + sourceUrl + "' is not a URL: " + e.getReason());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null
                || uri.getQuery() != null || uri.getFragment() != null) {
            throw new InvalidRangeException("sourceUrl '" + sourceUrl
                    + "' must be a node's base URL such as http://10.0.0.7:41234");
        }
        return uri;
    }

    private static long millisSince(long started) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
    }

    /**
     * The response body, opened (and typed application/octet-stream) only at the first byte, so a
     * request refused before any frame still gets its problem+json.
     */
    private static final class ResponseStream extends OutputStream {

        private final HttpServletResponse response;
        private OutputStream out;

        ResponseStream(HttpServletResponse response) {
            this.response = response;
        }

        private OutputStream out() throws IOException {
            if (out == null) {
                response.setContentType(MediaType.APPLICATION_OCTET_STREAM_VALUE);
                out = response.getOutputStream();
            }
            return out;
        }

        @Override
        public void write(int b) throws IOException {
            out().write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out().write(b, off, len);
        }

        @Override
        public void flush() throws IOException {
            out().flush();
        }
    }
}
