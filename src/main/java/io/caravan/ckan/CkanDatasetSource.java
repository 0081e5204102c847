package io.caravan.ckan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.caravan.item.CloseableIterator;
import io.caravan.item.Item;
import io.caravan.item.ItemRejectedException;
import io.caravan.item.JobFatalException;
import io.caravan.source.ItemSource;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * The datasets of a live CKAN, private and draft ones included, a page of {@code package_search} at a time in id
 * order (stable while the portal changes). An item is a dataset by id, fingerprinted by its
 * {@code metadata_modified}; its body is {@code package_show}'s dict as JSON.
 */
public final class CkanDatasetSource implements ItemSource {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final CkanClient ckan;
    private final int pageSize;

    public CkanDatasetSource(CkanClient ckan, int pageSize) {
        this.ckan = ckan;
        this.pageSize = pageSize;
    }

    @Override
    public void check() {
        if (ckan.get("status_show", Map.of()).isEmpty()) {
            throw new JobFatalException(ckan.describe() + " does not answer status_show");
        }
    }

    @Override
    public CloseableIterator<Item> list() {
        return new CloseableIterator<>() {
            private final Deque<Item> page = new ArrayDeque<>();
            private int start;
            private boolean last;

            @Override
            public boolean hasNext() {
                if (page.isEmpty() && !last) {
                    JsonNode result = ckan.get("package_search", Map.of("q", "*:*", "sort", "id asc",
                            "rows", Integer.toString(pageSize), "start", Integer.toString(start),
                            "include_private", "true", "include_drafts", "true")).orElseThrow(() ->
                            new JobFatalException(ckan.describe() + " has no package_search"));
                    JsonNode results = result.path("results");
                    results.forEach(d -> page.add(Item.of(d.path("id").asText(),
                            d.path("metadata_modified").asText(""), 0, 0)));
                    start += results.size();
                    last = results.size() < pageSize;
                }
                return !page.isEmpty();
            }

            @Override
            public Item next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return page.poll();
            }

            @Override
            public void close() {
                page.clear();
            }
        };
    }

    @Override
    public Content open(Item item) {
        JsonNode dataset = ckan.get("package_show", Map.of("id", item.key())).orElseThrow(() ->
                new ItemRejectedException("transfer", "dataset " + item.key() + " vanished since it was listed"));
        try {
            return new Content(new ByteArrayInputStream(JSON.writeValueAsBytes(dataset)),
                    new Item.Attributes("application/json", Map.of("name", dataset.path("name").asText())));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String describe() {
        return ckan.describe() + " datasets";
    }
}
