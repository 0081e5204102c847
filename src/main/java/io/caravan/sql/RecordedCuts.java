package io.caravan.sql;

import io.caravan.ledger.Ledger;
import io.caravan.ledger.LedgerScope;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where the ledger's chunks cut each table: the chain of chunks from the table's start, each recorded chunk giving
 * the key its successor starts at. A rerun lists the same ranges again, so a row inserted or deleted in the middle
 * of a table changes its own chunk only; cut anew every so many rows, it moved every later chunk's bounds, and all
 * of them were copied again.
 */
final class RecordedCuts {

    private final Map<String, Map<String, Chunk>> byTable;

    private RecordedCuts(Map<String, Map<String, Chunk>> byTable) {
        this.byTable = byTable;
    }

    /**
     * The chunk rows of the scope, however they ended (a failed chunk was cut by a listing too), held by table (at
     * the default 10,000 rows a chunk, a table of a billion rows has 100,000 of them).
     */
    static RecordedCuts read(Ledger ledger, LedgerScope scope) {
        Map<String, Map<String, Chunk>> byTable = new HashMap<>();
        ledger.forEach(scope, entry -> {
            Chunk chunk = parse(entry.key(), entry.fingerprint());
            if (chunk != null) {
                byTable.computeIfAbsent(chunk.table(), t -> new HashMap<>()).put(chunk.itemKey(), chunk);
            }
        });
        return new RecordedCuts(byTable);
    }

    /**
     * The table's recorded chunks in key order, from its start: up to one that reaches the table's end, or to the
     * last before a chunk that is missing (a run stopped before it was recorded); empty for a table never recorded.
     */
    List<Chunk> of(String table) {
        Map<String, Chunk> chunks = byTable.getOrDefault(table, Map.of());
        List<Chunk> chain = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        Chunk chunk = chunks.get(new Chunk(table, null, null, 0, "").itemKey());
        while (chunk != null && seen.add(chunk.itemKey())) { // a loop: only rows written by hand could make one
            chain.add(chunk);
            chunk = chunk.to() == null ? null : chunks.get(new Chunk(table, chunk.to(), null, 0, "").itemKey());
        }
        return chain;
    }

    private static Chunk parse(String key, String fingerprint) {
        if (fingerprint == null || key.indexOf('/') < 0) {
            return null;
        }
        try {
            return Chunk.of(key, fingerprint);
        } catch (RuntimeException e) {
            return null; // not a chunk's row
        }
    }
}
