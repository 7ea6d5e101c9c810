package dev.kvstore.node.storage;

import dev.kvstore.model.EntrySummary;
import dev.kvstore.model.KeyRead;
import dev.kvstore.model.Keys;
import dev.kvstore.model.NodeError;
import dev.kvstore.model.ReadBatch;
import dev.kvstore.model.ReadBatchReply;
import dev.kvstore.model.ReadReply;
import dev.kvstore.model.Table;
import dev.kvstore.node.participant.ParticipantOptions;
import dev.kvstore.node.replica.Replica;
import dev.kvstore.node.replica.StoredValue;
import dev.kvstore.node.replica.Tables;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** Reads of committed data from either table. */
@Tag(name = "internal: tables", description = "Committed data of this node; for the coordinator and for checks.")
@RestController
public class TableController {

    /** Far more than the coordinator sends at once (256 by default). */
    static final int MAX_READS = 1024;

    private final Tables tables;
    private final Replica replica;
    /** A held key is usually a write answered at its votes whose COMMIT is on its way: worth a short wait. */
    private final Duration heldKeyWait;

    public TableController(Tables tables, Replica replica, ParticipantOptions options) {
        this.heldKeyWait = options.heldKeyWait();
        this.tables = tables;
        this.replica = replica;
    }

    /** Many reads in one request: how the coordinator reads a node (a lone read is a batch of one). */
    @Operation(summary = "Read many keys at once", description = "One reply per read, in order: the value (bytes: base64 in JSON, a byte string in CBOR), its content type and version; or an error with its detail: KEY_NOT_FOUND when absent, KEY_IN_DOUBT when a transaction in doubt holds the key (read the other replica), INVALID_REQUEST for a malformed key or table. At most " + MAX_READS + " reads a request.",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(content = {@Content(
                    mediaType = "application/cbor", schema = @Schema(implementation = ReadBatch.class)), @Content(
                    mediaType = "application/json", schema = @Schema(implementation = ReadBatch.class), examples = @ExampleObject(value = """
                            {"reads": [{"table": "OWN", "key": "greeting"}, {"table": "PREV", "key": "absent"}]}"""))}))
    @ApiResponse(responseCode = "200", description = "One reply per read, in order, in the request's format", content = {@Content(
            mediaType = "application/cbor", schema = @Schema(implementation = ReadBatchReply.class)), @Content(
            mediaType = "application/json", schema = @Schema(implementation = ReadBatchReply.class), examples = @ExampleObject(value = """
                    {"replies": [
                      {"value": "aGVsbG8=", "contentType": "text/plain", "version": 1718000000000001, "error": null, "detail": null},
                      {"value": null, "contentType": null, "version": 0, "error": "KEY_NOT_FOUND", "detail": "no key 'absent' in table PREV"}]}"""))})
    @ApiResponse(responseCode = "400", description = "The body is not a batch of reads, or holds more than " + MAX_READS + " reads")
    @PostMapping("/internal/kv/batch")
    public ReadBatchReply readMany(@RequestBody ReadBatch batch) {
        if (batch.reads().size() > MAX_READS) {
            throw new InvalidKeyException("a batch holds at most " + MAX_READS + " reads, this one has "
                    + batch.reads().size());
        }
        List<ReadReply> replies = new ArrayList<>(batch.reads().size());
        long waitUntil = System.nanoTime() + heldKeyWait.toNanos(); // one wait for the whole batch, not one per read
        for (KeyRead read : batch.reads()) {
            replies.add(readOne(read, waitUntil));
        }
        return new ReadBatchReply(replies);
    }

    private ReadReply readOne(KeyRead read, long waitUntil) {
        if (read == null || read.table() == null) {
            return ReadReply.failed(NodeError.INVALID_REQUEST, "each read needs a table (OWN or PREV) and a key");
        }
        String problem = Keys.problem(read.key());
        if (problem != null) {
            return ReadReply.failed(NodeError.INVALID_REQUEST, problem);
        }
        if (replica.isHeld(read.key())) {
            long patience = waitUntil - System.nanoTime();
            if (patience > 0) {
                replica.awaitRelease(read.key(), Duration.ofNanos(patience));
            }
        }
        long generation = replica.stateGeneration();
        if (replica.isHeld(read.key())) {
            return ReadReply.failed(NodeError.KEY_IN_DOUBT, "a transaction in doubt holds key '" + read.key()
                    + "', so the value here may be stale; read the other replica");
        }
        Optional<StoredValue> found = tables.get(read.table(), read.key());
        if (replica.stateGeneration() != generation) {
            return ReadReply.failed(NodeError.KEY_IN_DOUBT, "this node is rebuilding its tables from its log; read the other replica");
        }
        return found
                .map(stored -> ReadReply.found(stored.value(), stored.contentType(), stored.version()))
                .orElseGet(() -> ReadReply.failed(NodeError.KEY_NOT_FOUND, "no key '" + read.key() + "' in table " + read.table()));
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
