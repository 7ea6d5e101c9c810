package dev.kvstore.node.storage;

import dev.kvstore.model.EntrySummary;
import dev.kvstore.model.KeyRead;
import dev.kvstore.model.Keys;
import dev.kvstore.model.ReadBatch;
import dev.kvstore.model.ReadBatchReply;
import dev.kvstore.model.ReadReply;
import dev.kvstore.model.Table;
import dev.kvstore.node.replica.Replica;
import dev.kvstore.node.replica.StoredValue;
import dev.kvstore.node.replica.Tables;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Reads of committed data from either table. The key travels as a query parameter, so any key fits. */
@Tag(name = "internal: tables", description = "Committed data of this node; for the coordinator and for checks.")
@RestController
public class TableController {

    /** Far more than the coordinator sends at once (256 by default). */
    static final int MAX_READS = 1024;

    private final Tables tables;
    private final Replica replica;

    public TableController(Tables tables, Replica replica) {
        this.tables = tables;
        this.replica = replica;
    }

    /** The value as stored, with its Content-Type and its version as ETag; 404 when absent. */
    @Operation(summary = "Read one key from the own or prev table", description = "The committed value with its Content-Type and its version as ETag.")
    @ApiResponse(responseCode = "200", description = "The value, with the Content-Type it was stored with",
            headers = @Header(name = "ETag", description = "The version, quoted",
                    schema = @Schema(type = "string", example = "\"1718000000000001\"")),
            content = @Content(mediaType = "*/*", schema = @Schema(type = "string", format = "binary"),
                    examples = @ExampleObject(value = "hello")))
    @ApiResponse(responseCode = "400", description = "The table is not own or prev, or a parameter is missing")
    @ApiResponse(responseCode = "404", description = "The table holds no value under the key")
    @ApiResponse(responseCode = "409", description = "A transaction whose outcome this node does not know yet "
            + "holds the key, so the value here may be stale: read the other replica")
    @GetMapping("/internal/kv")
    public ResponseEntity<byte[]> read(@Parameter(description = "own or prev", example = "own") @RequestParam String table,
                                       @Parameter(description = "The key, slashes allowed", example = "greeting")
                                       @RequestParam String key) {
        Table which = parse(table);
        if (Keys.problem(key) != null) {
            throw new InvalidKeyException(Keys.problem(key));
        }
        long generation = replica.stateGeneration();
        if (replica.isHeld(key)) {
            throw new KeyInDoubtException(key);
        }
        Optional<StoredValue> found = tables.get(which, key);
        if (replica.stateGeneration() != generation) {
            throw new KeyInDoubtException(key);
        }
        return found
                .map(stored -> ResponseEntity.ok()
                        .eTag(Long.toString(stored.version()))
                        .contentType(MediaType.parseMediaType(stored.contentType()))
                        .body(stored.value()))
                .orElseThrow(() -> new KeyNotFoundException(table, key));
    }

    /** Many reads in one request, each answered as {@link #read} would: how the coordinator reads under load. */
    @Operation(summary = "Read many keys at once", description = "One reply per read, in order, each with the status GET /internal/kv would have answered: 200 with the value (base64), its content type and version; 404 when absent; 409 when a transaction in doubt holds the key (read the other replica); 400 with the detail for a malformed key or table. At most " + MAX_READS + " reads a request.",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(
                    schema = @Schema(implementation = ReadBatch.class), examples = @ExampleObject(value = """
                            {"reads": [{"table": "OWN", "key": "greeting"}, {"table": "PREV", "key": "absent"}]}"""))))
    @ApiResponse(responseCode = "200", description = "One reply per read, in order", content = @Content(
            schema = @Schema(implementation = ReadBatchReply.class), examples = @ExampleObject(value = """
                    {"replies": [
                      {"status": 200, "value": "aGVsbG8=", "contentType": "text/plain", "version": 1718000000000001, "detail": null},
                      {"status": 404, "value": null, "contentType": null, "version": 0, "detail": "no key 'absent' in table PREV"}]}""")))
    @ApiResponse(responseCode = "400", description = "The body is not a batch of reads, or holds more than " + MAX_READS + " reads")
    @PostMapping("/internal/kv/batch")
    public ReadBatchReply readMany(@RequestBody ReadBatch batch) {
        if (batch.reads().size() > MAX_READS) {
            throw new InvalidKeyException("a batch holds at most " + MAX_READS + " reads, this one has "
                    + batch.reads().size());
        }
        List<ReadReply> replies = new ArrayList<>(batch.reads().size());
        for (KeyRead read : batch.reads()) {
            replies.add(readOne(read));
        }
        return new ReadBatchReply(replies);
    }

    private ReadReply readOne(KeyRead read) {
        if (read == null || read.table() == null) {
            return ReadReply.failed(400, "each read needs a table (OWN or PREV) and a key");
        }
        String problem = Keys.problem(read.key());
        if (problem != null) {
            return ReadReply.failed(400, problem);
        }
        long generation = replica.stateGeneration();
        if (replica.isHeld(read.key())) {
            return ReadReply.failed(409, "a transaction in doubt holds key '" + read.key() + "'");
        }
        Optional<StoredValue> found = tables.get(read.table(), read.key());
        if (replica.stateGeneration() != generation) {
            return ReadReply.failed(409, "this node is rebuilding its tables from its log; read the other replica");
        }
        return found
                .map(stored -> ReadReply.found(stored.value(), stored.contentType(), stored.version()))
                .orElseGet(() -> ReadReply.failed(404, "no key '" + read.key() + "' in table " + read.table()));
    }

    /** Every key of a table with its version, content type and size (no values). */
    @Operation(summary = "List a table: every key with version, content type and size", description = "No values; for checks and tests.")
    @ApiResponse(responseCode = "200", description = "The table's entries", content = @Content(
            array = @ArraySchema(schema = @Schema(implementation = EntrySummary.class)),
            examples = @ExampleObject(value = """
                    [{"key": "greeting", "version": 1718000000000001, "contentType": "text/plain", "size": 5}]""")))
    @ApiResponse(responseCode = "400", description = "The table is not own or prev")
    @GetMapping("/internal/tables/{table}")
    public List<EntrySummary> list(@Parameter(description = "own or prev", example = "own") @PathVariable String table) {
        return tables.summaries(parse(table));
    }

    static Table parse(String table) {
        try {
            return Table.valueOf(table.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new UnknownTableException(table);
        }
    }
}
