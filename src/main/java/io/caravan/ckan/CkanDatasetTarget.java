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
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Datasets written to a live CKAN as ckanapi load does: updated by id, else by name, else created with the
 * source's id; or only created, or only updated ({@link Mode}). The organization is named by its name, which
 * travels between portals where ids do not; keys CKAN computes are left out.
 */
public final class CkanDatasetTarget implements ItemTarget {

    public enum Mode { UPSERT, CREATE_ONLY, UPDATE_ONLY }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> COMPUTED = List.of("organization", "num_resources", "num_tags", "isopen",
            "relationships_as_subject", "relationships_as_object", "revision_id", "tracking_summary",
            "metadata_created", "metadata_modified", "creator_user_id");

    private final CkanClient ckan;
    private final Mode mode;

    public CkanDatasetTarget(CkanClient ckan, Mode mode) {
        this.ckan = ckan;
        this.mode = mode;
    }

    @Override
    public void check() {
        ckan.get("status_show", Map.of());
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
            throw new ItemRejectedException("transfer", "dataset " + targetKey + " is not a JSON object: " + e);
        }
        String org = dataset.path("organization").path("name").asText("");
        COMPUTED.forEach(dataset::remove);
        if (!org.isEmpty()) {
            dataset.put("owner_org", org);
        }
        beforeCommit.run();
        String id = dataset.path("id").asText();
        String name = dataset.path("name").asText();
        Optional<JsonNode> existing = ckan.get("package_show", Map.of("id", id));
        if (existing.isEmpty() && !name.isEmpty()) {
            existing = ckan.get("package_show", Map.of("id", name));
        }
        if (existing.isPresent()) {
            if (mode == Mode.CREATE_ONLY) {
                throw new ItemRejectedException("transfer", "dataset " + name + " exists at the target"
                        + " (target.mode = create-only)");
            }
            dataset.put("id", existing.get().path("id").asText());
            ckan.post("package_update", dataset).orElseThrow(() -> new ItemRejectedException("transfer",
                    "dataset " + name + " vanished at the target while it was updated"));
        } else {
            if (mode == Mode.UPDATE_ONLY) {
                throw new ItemRejectedException("transfer", "dataset " + name + " is not at the target"
                        + " (target.mode = update-only)");
            }
            ckan.post("package_create", dataset);
        }
        return new Written(Md5.hex(Md5.newDigest().digest(bytes)), bytes.length);
    }

    @Override
    public Optional<Entry> stat(String targetKey) {
        return ckan.get("package_show", Map.of("id", targetKey)).map(d -> new Entry(targetKey, 0, null));
    }

    @Override
    public CloseableIterator<Entry> list(String prefix) {
        return CloseableIterator.empty();
    }

    @Override
    public InputStream read(String targetKey) {
        throw new UnsupportedOperationException("datasets are verified by their presence at the target");
    }

    @Override
    public String describe() {
        return ckan.describe() + " datasets";
    }
}
