package io.caravan.ckan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.caravan.item.CloseableIterator;
import io.caravan.item.Item;
import io.caravan.item.ItemRejectedException;
import io.caravan.target.ItemTarget;
import io.caravan.target.Md5;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.Optional;

/**
 * Records written to a live CKAN as ckanapi load does: updated by id, else by name, else created with the
 * source's id; or only created, or only updated ({@link Mode}). A dataset names its organization by name, which
 * travels between portals where ids do not; keys CKAN computes are left out.
 */
public final class CkanTarget implements ItemTarget {

    public enum Mode { UPSERT, CREATE_ONLY, UPDATE_ONLY }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final CkanClient ckan;
    private final CkanRecords records;
    private final Mode mode;

    public CkanTarget(CkanClient ckan, CkanRecords records, Mode mode) {
        this.ckan = ckan;
        this.records = records;
        this.mode = mode;
    }

    @Override
    public void check() {
        ckan.check();
    }

    @Override
    public Written write(String targetKey, long expectedSize, InputStream body, Item.Attributes attributes,
                         Runnable beforeCommit) {
        byte[] bytes;
        ObjectNode dataset;
        try {
            bytes = body.readAllBytes();
            dataset = (ObjectNode) JSON.readTree(bytes);
        } catch (IOException | ClassCastException e) {
            throw new ItemRejectedException("transfer", records.noun() + " " + targetKey + " is not a JSON object: "
                    + e);
        }
        String org = dataset.path("organization").path("name").asText("");
        records.computed().forEach(dataset::remove);
        if (!org.isEmpty()) {
            dataset.put("owner_org", org);
        }
        beforeCommit.run();
        String id = dataset.path("id").asText();
        String name = dataset.path("name").asText();
        String show = records.action() + "_show";
        Optional<JsonNode> existing = ckan.get(show, Map.of("id", id));
        if (existing.isEmpty() && !name.isEmpty()) {
            existing = ckan.get(show, Map.of("id", name));
        }
        if (existing.isPresent()) {
            if (mode == Mode.CREATE_ONLY) {
                throw new ItemRejectedException("transfer", records.noun() + " " + name + " exists at the target"
                        + " (target.mode = create-only)");
            }
            dataset.put("id", existing.get().path("id").asText());
            ckan.post(records.action() + "_update", dataset).orElseThrow(() -> new ItemRejectedException(
                    "transfer", records.noun() + " " + name + " vanished at the target while it was updated"));
        } else {
            if (mode == Mode.UPDATE_ONLY) {
                throw new ItemRejectedException("transfer", records.noun() + " " + name + " is not at the target"
                        + " (target.mode = update-only)");
            }
            ckan.post(records.action() + "_create", dataset);
        }
        return new Written(Md5.hex(Md5.newDigest().digest(bytes)), bytes.length);
    }

    @Override
    public Optional<Entry> stat(String targetKey) {
        return ckan.get(records.action() + "_show", Map.of("id", targetKey)).map(d -> new Entry(targetKey, 0, null));
    }

    @Override
    public CloseableIterator<Entry> list(String prefix) {
        return CloseableIterator.empty();
    }

    @Override
    public InputStream read(String targetKey) {
        throw new UnsupportedOperationException("CKAN records are verified by their presence at the target");
    }

    @Override
    public String describe() {
        return ckan.describe() + " " + records.name().toLowerCase(java.util.Locale.ROOT);
    }
}
