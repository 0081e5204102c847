package io.caravan.ckan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.caravan.item.Item;
import io.caravan.ledger.LedgerEntry;
import io.caravan.source.ItemSource;
import io.caravan.target.CountingDigest;
import io.caravan.verify.Difference;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * What {@code caravan verify} compares at a CKAN target, kind by kind: a record on the fields the transfer writes
 * (after the conversion, as the create or update sends them) against the target's {@code _show}; a resource's file
 * by the size and MD5 of its bytes, downloaded with the token, against those the ledger recorded when it was sent;
 * a membership by the user's capacity in the organization or group.
 */
final class CkanComparison {

    private static final int SHOWN_FIELDS = 3;

    private final CkanClient ckan;
    private final CkanRecords kind;

    CkanComparison(CkanClient ckan, CkanRecords kind) {
        this.ckan = ckan;
        this.kind = kind;
    }

    Difference compare(Item item, String targetKey, LedgerEntry migrated, Supplier<ItemSource.Content> written) {
        return switch (kind) {
            case RESOURCE_FILES -> file(item.key(), targetKey, migrated);
            case MEMBERSHIPS -> membership(item.key(), record(written));
            default -> record(item.key(), record(written));
        };
    }

    private Difference file(String key, String resourceId, LedgerEntry migrated) {
        Optional<JsonNode> resource = ckan.get("resource_show", Map.of("id", resourceId));
        if (resource.isEmpty()) {
            return new Difference(Difference.Kind.MISSING, key, "resource " + resourceId + " is not at the target");
        }
        CountingDigest read;
        try (InputStream body = ckan.download(resource.get().path("url").asText()).body()) {
            read = new CountingDigest(body);
            read.transferTo(OutputStream.nullOutputStream());
        } catch (IOException e) {
            throw new UncheckedIOException("reading the file of resource " + resourceId + " at the target", e);
        }
        if (read.bytes() != migrated.bytes()) {
            return new Difference(Difference.Kind.DIFFER, key, "size " + migrated.bytes() + " sent, "
                    + read.bytes() + " at the target");
        }
        String md5 = read.md5();
        return md5.equals(migrated.checksum()) ? match(key) : new Difference(Difference.Kind.DIFFER, key,
                "MD5 " + md5 + " at the target, " + migrated.checksum() + " sent");
    }

    private Difference membership(String key, JsonNode m) {
        if (m == null) {
            return match(key);
        }
        String group = m.path("group").asText();
        String user = m.path("user").asText();
        Optional<JsonNode> shown = ckan.get(m.path("kind").asText() + "_show", Map.of("id", group,
                "include_users", "true", "include_datasets", "false", "include_extras", "false"));
        Optional<JsonNode> member = shown.flatMap(g -> CkanJson.stream(g.path("users"))
                .filter(u -> u.path("name").asText().equals(user)).findFirst());
        if (member.isEmpty()) {
            return new Difference(Difference.Kind.MISSING, key, "user " + user + " is not a member of "
                    + m.path("kind").asText() + " " + group + " at the target");
        }
        String capacity = m.path("capacity").asText();
        String there = member.get().path("capacity").asText();
        return capacity.equalsIgnoreCase(there) ? match(key) : new Difference(Difference.Kind.DIFFER, key,
                "capacity " + capacity + " at the source, " + there + " at the target");
    }

    private Difference record(String key, JsonNode converted) {
        if (converted == null) {
            return match(key); // dropped by the conversion: nothing was to be written
        }
        ObjectNode written = CkanTarget.prepared(kind, (ObjectNode) converted);
        Optional<JsonNode> stored = stored(written);
        if (stored.isEmpty()) {
            return new Difference(Difference.Kind.MISSING, key, kind.noun() + " " + written.path("name").asText()
                    + " is not at the target");
        }
        List<String> differences = CkanRecordDiff.of(kind, written, stored.get());
        if (differences.isEmpty()) {
            return match(key);
        }
        String shown = String.join("; ", differences.subList(0, Math.min(SHOWN_FIELDS, differences.size())));
        return new Difference(Difference.Kind.DIFFER, key, shown + (differences.size() > SHOWN_FIELDS
                ? "; and " + (differences.size() - SHOWN_FIELDS) + " more" : ""));
    }

    /** The record at the target, found as the write finds it: by id, then by name. */
    private Optional<JsonNode> stored(JsonNode written) {
        String show = kind.action() + "_show";
        String id = written.path("id").asText("");
        Optional<JsonNode> found = id.isEmpty() ? Optional.empty() : ckan.get(show, Map.of("id", id));
        String name = written.path("name").asText("");
        return found.isPresent() || name.isEmpty() ? found : ckan.get(show, Map.of("id", name));
    }

    private static JsonNode record(Supplier<ItemSource.Content> written) {
        ItemSource.Content content = written.get();
        if (content == null) {
            return null;
        }
        try (InputStream body = content.body()) {
            return CkanJson.parse(body.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Difference match(String key) {
        return new Difference(Difference.Kind.MATCH, key, "");
    }
}
