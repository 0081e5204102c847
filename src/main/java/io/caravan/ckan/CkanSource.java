package io.caravan.ckan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.caravan.item.CloseableIterator;
import io.caravan.item.Item;
import io.caravan.item.LookaheadIterator;
import io.caravan.item.ItemRejectedException;
import io.caravan.item.JobFatalException;
import io.caravan.source.ItemSource;
import io.caravan.target.Md5;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;

/**
 * Records of a live CKAN. Datasets, private and draft ones included, a page of {@code package_search} at a time in
 * id order (stable while the portal changes), fingerprinted by {@code metadata_modified}. Organizations, a page of
 * {@code organization_list} with all fields at a time, fingerprinted by an MD5 of what the list shows (they carry
 * no modification time). An item is a record by id; its body is the {@code _show} action's dict as JSON.
 */
public final class CkanSource implements ItemSource {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final CkanClient ckan;
    private final CkanRecords records;
    private final int pageSize;

    public CkanSource(CkanClient ckan, CkanRecords records, int pageSize) {
        this.ckan = ckan;
        this.records = records;
        this.pageSize = pageSize;
    }

    @Override
    public void check() {
        ckan.check();
    }

    @Override
    public CloseableIterator<Item> list() {
        return new LookaheadIterator<>() {
            private final Deque<Item> page = new ArrayDeque<>();
            private int start;
            private boolean last;

            @Override
            protected Item advance() {
                if (page.isEmpty() && !last) {
                    JsonNode results = records == CkanRecords.DATASETS ? datasets(start) : organizations(start);
                    results.forEach(d -> page.add(Item.of(d.path("id").asText(), fingerprint(d), 0, 0)));
                    start += results.size();
                    last = results.size() < pageSize;
                }
                return page.poll();
            }

            @Override
            public void close() {
                page.clear();
            }
        };
    }

    private JsonNode datasets(int start) {
        return ckan.get("package_search", Map.of("q", "*:*", "sort", "id asc", "rows", Integer.toString(pageSize),
                "start", Integer.toString(start), "include_private", "true", "include_drafts", "true"))
                .orElseThrow(() -> new JobFatalException(ckan.describe() + " has no package_search")).path("results");
    }

    private JsonNode organizations(int start) {
        return ckan.get("organization_list", Map.of("all_fields", "true", "include_extras", "true",
                "limit", Integer.toString(pageSize), "offset", Integer.toString(start)))
                .orElseThrow(() -> new JobFatalException(ckan.describe() + " has no organization_list"));
    }

    private String fingerprint(JsonNode record) {
        if (records == CkanRecords.DATASETS) {
            return record.path("metadata_modified").asText("");
        }
        try {
            return Md5.hex(Md5.newDigest().digest(JSON.writeValueAsBytes(record)));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public Content open(Item item) {
        JsonNode dataset = ckan.get(records.action() + "_show", Map.of("id", item.key())).orElseThrow(() ->
                new ItemRejectedException("transfer", records.noun() + " " + item.key()
                        + " vanished since it was listed"));
        try {
            return new Content(new ByteArrayInputStream(JSON.writeValueAsBytes(dataset)),
                    new Item.Attributes("application/json", Map.of("name", dataset.path("name").asText())));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String describe() {
        return ckan.describe() + " " + records.name().toLowerCase(java.util.Locale.ROOT);
    }
}
