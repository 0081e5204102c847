package io.caravan.ckan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.caravan.item.CloseableIterator;
import io.caravan.item.JobFatalException;
import io.caravan.item.LookaheadIterator;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The records of one kind at a live CKAN, a page at a time. Datasets come from {@code package_search} (private and
 * draft ones included, deleted ones on request) in id order, each page from the last id seen, which stays right
 * while the portal changes. CKAN caps a page silently ({@code ckan.search.rows_max}, {@code ..._all_fields_max}),
 * so paging goes on until a page comes back empty, never by comparing a page with the size asked for.
 */
final class CkanListing {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter SOLR_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'")
            .withZone(ZoneOffset.UTC);

    private final CkanClient ckan;
    private final int pageSize;
    private final boolean includeDeleted;
    private final Supplier<Instant> modifiedSince;
    private volatile boolean incremental;

    /**
     * @param modifiedSince only records modified at or after it (datasets, harvest sources, files), asked anew at
     *                      each listing (a long-lived job's last run moves on); null for all
     */
    CkanListing(CkanClient ckan, int pageSize, boolean includeDeleted, Supplier<Instant> modifiedSince) {
        this.ckan = ckan;
        this.pageSize = pageSize;
        this.includeDeleted = includeDeleted;
        this.modifiedSince = modifiedSince;
    }

    /**
     * Lists only what changed since {@code modifiedSince}: set for a run, whose ledger knows the rest; a verify
     * lists everything.
     */
    void incremental(boolean onlyChanged) {
        this.incremental = onlyChanged;
    }

    CloseableIterator<JsonNode> records(CkanRecords kind) {
        return switch (kind) {
            case USERS -> pages(offset -> ckan.get("user_list", Map.of("limit", size(), "offset", offset(offset)))
                    .orElseThrow(() -> missing("user_list")));
            case ORGANIZATIONS, GROUPS -> groups(kind.action());
            case MEMBERSHIPS -> CloseableIterator.concat(List.of(() -> memberships("organization"),
                    () -> memberships("group")));
            case DATASETS -> search(null);
            case HARVEST_SOURCES -> search("+dataset_type:harvest");
            case RESOURCE_FILES -> uploads(search(null));
        };
    }

    private CloseableIterator<JsonNode> groups(String kind) {
        return pages(offset -> ckan.get(kind + "_list", Map.of("all_fields", "true", "include_extras", "true",
                "include_users", "true", "limit", size(), "offset", offset(offset)))
                .orElseThrow(() -> missing(kind + "_list")));
    }

    /** One record per user of each organization (or group): {kind, group, user, capacity}. */
    private CloseableIterator<JsonNode> memberships(String kind) {
        return flatten(groups(kind), group -> {
            List<JsonNode> members = new ArrayList<>();
            group.path("users").forEach(user -> members.add(JSON.createObjectNode().put("kind", kind)
                    .put("group", group.path("name").asText()).put("user", user.path("name").asText())
                    .put("capacity", user.path("capacity").asText("member"))));
            return members;
        });
    }

    /** The uploaded files of the listed datasets, each with its dataset's id and name. */
    private static CloseableIterator<JsonNode> uploads(CloseableIterator<JsonNode> datasets) {
        return flatten(datasets, dataset -> {
            List<JsonNode> files = new ArrayList<>();
            dataset.path("resources").forEach(r -> {
                if ("upload".equals(r.path("url_type").asText())) {
                    ObjectNode file = r.deepCopy();
                    file.put("package_id", dataset.path("id").asText()).put("dataset", dataset.path("name").asText());
                    files.add(file);
                }
            });
            return files;
        });
    }

    private CloseableIterator<JsonNode> search(String typeFilter) {
        StringBuilder fq = new StringBuilder(typeFilter == null ? "" : typeFilter);
        Instant since = incremental ? modifiedSince.get() : null;
        if (since != null) {
            fq.append(fq.isEmpty() ? "" : " ").append("+metadata_modified:[").append(SOLR_TIME.format(since))
                    .append(" TO *]");
        }
        return new LookaheadIterator<>() {
            private final Deque<JsonNode> page = new ArrayDeque<>();
            private String lastId;
            private boolean done;

            // keyset paging: each page starts at the last id seen, so datasets deleted or added meanwhile
            // cannot shift the pages under the listing (an offset would skip a dataset after a deletion)
            @Override
            protected JsonNode advance() {
                if (page.isEmpty() && !done) {
                    String filter = (fq + (lastId == null ? "" : " +id:[" + lastId + " TO *]")).strip();
                    Map<String, String> q = new HashMap<>(Map.of("q", "*:*", "sort", "id asc", "rows", size(),
                            "start", "0", "include_private", "true", "include_drafts", "true"));
                    if (!filter.isEmpty()) {
                        q.put("fq", filter);
                    }
                    if (includeDeleted) {
                        q.put("include_deleted", "true");
                    }
                    JsonNode results = ckan.get("package_search", q).orElseThrow(() -> missing("package_search"))
                            .path("results");
                    for (JsonNode d : results) {
                        if (!d.path("id").asText().equals(lastId)) {
                            page.add(d);
                        }
                    }
                    done = page.isEmpty();
                    if (!done) {
                        lastId = page.peekLast().path("id").asText();
                    }
                }
                return page.poll();
            }

            @Override
            public void close() {
                page.clear();
            }
        };
    }

    /**
     * A list action paged by offset, until an empty page. A portal that ignores the paging (some versions'
     * {@code user_list}) answers every page with the whole list: a page that starts like the first one ends it.
     */
    private CloseableIterator<JsonNode> pages(Function<Integer, JsonNode> fetch) {
        return new LookaheadIterator<>() {
            private final Deque<JsonNode> page = new ArrayDeque<>();
            private int offset;
            private boolean last;
            private JsonNode first;

            @Override
            protected JsonNode advance() {
                if (page.isEmpty() && !last) {
                    JsonNode results = fetch.apply(offset);
                    boolean repeated = offset > 0 && !results.isEmpty() && results.get(0).equals(first);
                    if (offset == 0 && !results.isEmpty()) {
                        first = results.get(0);
                    }
                    last = results.isEmpty() || repeated || results.size() > pageSize;
                    if (!repeated) {
                        results.forEach(page::add);
                        offset += results.size();
                    }
                }
                return page.poll();
            }

            @Override
            public void close() {
                page.clear();
            }
        };
    }

    private static CloseableIterator<JsonNode> flatten(CloseableIterator<JsonNode> outer,
                                                       Function<JsonNode, List<JsonNode>> inner) {
        return new LookaheadIterator<>() {
            private final Deque<JsonNode> pending = new ArrayDeque<>();

            @Override
            protected JsonNode advance() {
                while (pending.isEmpty() && outer.hasNext()) {
                    pending.addAll(inner.apply(outer.next()));
                }
                return pending.poll();
            }

            @Override
            public void close() {
                outer.close();
            }
        };
    }

    private String size() {
        return Integer.toString(pageSize);
    }

    private static String offset(int offset) {
        return Integer.toString(offset);
    }

    private JobFatalException missing(String action) {
        return new JobFatalException(ckan.describe() + " has no " + action);
    }
}
