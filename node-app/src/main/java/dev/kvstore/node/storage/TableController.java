package dev.kvstore.node.storage;

import dev.kvstore.model.EntrySummary;
import dev.kvstore.model.Keys;
import dev.kvstore.model.Table;
import dev.kvstore.node.participant.Participant;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import java.util.Locale;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Reads of committed data from either table. The key travels as a query parameter, so any key fits. */
@Tag(name = "internal: tables", description = "Committed data of this node; for the coordinator and for checks.")
@RestController
public class TableController {

    private final Tables tables;
    private final Participant participant;

    public TableController(Tables tables, Participant participant) {
        this.tables = tables;
        this.participant = participant;
    }

    /** The value as stored, with its Content-Type and its version as ETag; 404 when absent. */
    @Operation(summary = "Read one key from the own or prev table", description = "The value with its Content-Type and its version as ETag; 404 when absent, 400 for an unknown table, 409 while a transaction in doubt holds the key (its committed value here may be stale: read the other replica).")
    @GetMapping("/internal/kv")
    public ResponseEntity<byte[]> read(@RequestParam String table, @RequestParam String key) {
        Table which = parse(table);
        if (Keys.problem(key) != null) {
            throw new InvalidKeyException(Keys.problem(key));
        }
        if (participant.isHeld(key)) {
            throw new KeyInDoubtException(key);
        }
        return tables.get(which, key)
                .map(stored -> ResponseEntity.ok()
                        .eTag(Long.toString(stored.version()))
                        .contentType(MediaType.parseMediaType(stored.contentType()))
                        .body(stored.value()))
                .orElseThrow(() -> new KeyNotFoundException(table, key));
    }

    /** Every key of a table with its version, content type and size (no values). */
    @Operation(summary = "List a table: every key with version, content type and size")
    @GetMapping("/internal/tables/{table}")
    public List<EntrySummary> list(@PathVariable String table) {
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
