package io.caravan.ckan;

import com.fasterxml.jackson.databind.JsonNode;
import io.caravan.item.CloseableIterator;
import io.caravan.item.Item;
import io.caravan.item.ItemRejectedException;
import io.caravan.job.JobRun;
import io.caravan.source.ItemSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.function.Predicate;

/**
 * Records of one kind at a live CKAN ({@link CkanListing}). A record travels with its listing, so moving a page of
 * datasets costs one request; with {@code fidelity = show} each dataset is read again with {@code package_show},
 * for portals whose search index lags or drops fields. A resource file is downloaded, with the token.
 */
public final class CkanSource implements ItemSource {

    /** Metadata of a record's content: "true" when an earlier run wrote it to the target (it is updated there). */
    static final String WRITTEN_BEFORE = "ckan.written-before";

    private static final Logger LOG = LoggerFactory.getLogger(CkanSource.class);

    private final CkanClient ckan;
    private final CkanRecords kind;
    private final CkanListing listing;
    private final boolean showEach;
    private final boolean tokenSet;
    private final Predicate<String> writtenBefore;
    private volatile String tokenWarning;

    /**
     * @param tokenSet      whether {@code source.api-token} is set (empty counts as set)
     * @param writtenBefore whether the ledger knows the item as written to the target by an earlier run
     */
    CkanSource(CkanClient ckan, CkanRecords kind, CkanListing listing, boolean showEach, boolean tokenSet,
               Predicate<String> writtenBefore) {
        this.ckan = ckan;
        this.kind = kind;
        this.listing = listing;
        this.showEach = showEach;
        this.tokenSet = tokenSet;
        this.writtenBefore = writtenBefore;
    }

    /** The portal answers, and the token is one it accepts ({@link CkanTokenCheck}). */
    @Override
    public void check() {
        ckan.check();
        tokenWarning = CkanTokenCheck.check(ckan, "source.api-token", tokenSet, kind);
        if (tokenWarning != null) {
            LOG.warn(tokenWarning);
        }
    }

    /** A run lists incrementally ({@code source.modified-since}); a verify, which runs nothing, lists all. */
    @Override
    public void beforeRun(JobRun run) {
        listing.incremental(true);
        if (tokenWarning != null) {
            run.addStep("warning: " + tokenWarning);
        }
    }

    @Override
    public CloseableIterator<Item> list() {
        return CloseableIterator.filterMap(listing.records(kind), this::item);
    }

    /** A record listed whole; a resource's file is as long as CKAN recorded (a file target checks the length). */
    private Item item(JsonNode r) {
        byte[] record = CkanJson.bytes(r);
        long fileSize = r.path("size").asLong(0);
        return kind == CkanRecords.RESOURCE_FILES && fileSize > 0
                ? new Item(kind.keyOf(r), kind.fingerprintOf(r), fileSize, 0, null, record)
                : Item.ofRecord(kind.keyOf(r), kind.fingerprintOf(r), record);
    }

    @Override
    public Content open(Item item) {
        if (kind == CkanRecords.RESOURCE_FILES) {
            JsonNode resource = CkanJson.parse(item.record());
            CkanClient.Download file = ckan.download(resource.path("url").asText());
            return new Content(file.body(), new Item.Attributes(file.contentType(), Map.of(
                    "name", CkanJson.fileName(resource), "dataset", resource.path("dataset").asText(),
                    "length", Long.toString(file.length()),
                    "last_modified", resource.path("last_modified").asText(""))));
        }
        Map<String, String> metadata = writtenBefore.test(item.key()) ? Map.of(WRITTEN_BEFORE, "true") : Map.of();
        if (showEach && kind.action() != null) {
            JsonNode record = ckan.get(kind.action() + "_show", Map.of("id", item.key())).orElseThrow(() ->
                    new ItemRejectedException("transfer", kind.noun() + " " + item.key()
                            + " vanished since it was listed"));
            return CkanJson.content(CkanJson.bytes(record), metadata);
        }
        return CkanJson.content(item.record(), metadata);
    }

    /** Opens a file at this portal (an uploaded image), with the token; an error page is never the file. */
    CkanClient.Download download(String url) {
        return ckan.download(url);
    }

    @Override
    public String describe() {
        return ckan.describe() + " " + kind.setting();
    }

    @Override
    public String identity() {
        return ckan.identity();
    }

    @Override
    public void close() {
        ckan.close();
    }
}
