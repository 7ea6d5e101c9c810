package dev.kvstore.node.storage;

import dev.kvstore.model.EntrySummary;
import dev.kvstore.model.Table;
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

    public TableController(Tables tables) {
        this.tables = tables;
    }

    /** The value as stored, with its Content-Type and its version as ETag; 404 when absent. */
    @Operation(summary = "Read one key from the own or prev table", description = "The value with its Content-Type and its version as ETag; 404 when absent, 400 for an unknown table.")
    @GetMapping("/internal/kv")
    public ResponseEntity<byte[]> read(@RequestParam String table, @RequestParam String key) {
        return tables.get(parse(table), key)
                .map(stored -> ResponseEntity.ok()
                        .eTag(Long.toString(stored.version()))
                        .contentType(MediaType.parseMediaType(stored.contentType()))
                        .body(stored.value()))
                .orElseGet(() -> ResponseEntity.notFound().build());
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
