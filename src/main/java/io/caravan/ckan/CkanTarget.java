package io.caravan.ckan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.caravan.item.CloseableIterator;
import io.caravan.item.Item;
import io.caravan.item.ItemRejectedException;
import io.caravan.item.RetryableException;
import io.caravan.job.JobRun;
import io.caravan.ledger.LedgerEntry;
import io.caravan.source.ItemSource;
import io.caravan.target.ItemTarget;
import io.caravan.target.Md5;
import io.caravan.verify.Difference;
import io.caravan.verify.ItemComparing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Records written to a live CKAN as ckanapi load does: updated by id, else by name, else created with the
 * source's id; or only created, or only updated ({@link Mode}). Organizations and groups are named by name, which
 * travels between portals where ids do not; keys CKAN computes are left out. A dataset is created first and
 * updated only when CKAN says it exists, so a first migration costs one request per dataset; one an earlier run
 * wrote is updated by id at once. A user of the same name and another id is the target's own, left alone unless
 * merged by name. Uploaded images and avatars follow their records ({@link CkanImages}); a dump's files follow
 * their datasets. {@code caravan verify} compares what was written ({@link CkanComparison}).
 */
public final class CkanTarget implements ItemTarget, ItemComparing {

    public enum Mode { UPSERT, CREATE_ONLY, UPDATE_ONLY }

    private final CkanClient ckan;
    private final CkanRecords kind;
    private final Mode mode;
    private final boolean mergeUsersByName;
    private final CkanFileUpload files;
    /** Carries uploaded images and avatars; null when the source is not a live portal. */
    private final CkanImages images;
    /** kind/group → the names of its users at the target, for a run's memberships. */
    private final Map<String, Set<String>> membersAtTarget = new ConcurrentHashMap<>();

    /**
     * @param mergeUsersByName whether a user found at the target by name only (another id: the target's own
     *                         {@code admin}, say) is updated with the source's; else it is left alone and rejected
     */
    public CkanTarget(CkanClient ckan, CkanRecords kind, Mode mode, boolean mergeUsersByName) {
        this(ckan, kind, mode, mergeUsersByName, null);
    }

    /** @param sourceImages opens an image's URL at the source portal, with its token; null for no live source */
    CkanTarget(CkanClient ckan, CkanRecords kind, Mode mode, boolean mergeUsersByName,
               Function<String, CkanClient.Download> sourceImages) {
        this.ckan = ckan;
        this.kind = kind;
        this.mode = mode;
        this.mergeUsersByName = mergeUsersByName;
        this.images = sourceImages == null ? null : new CkanImages(ckan, sourceImages, kind);
        this.files = new CkanFileUpload(ckan);
    }

    @Override
    public void check() {
        ckan.check();
    }

    @Override
    public Written write(String targetKey, long expectedSize, InputStream body, Item.Attributes attributes,
                         Runnable beforeCommit) {
        if (kind == CkanRecords.RESOURCE_FILES) {
            return files.upload(targetKey, body, attributes, beforeCommit);
        }
        byte[] bytes;
        try {
            bytes = body.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ObjectNode record = (ObjectNode) CkanJson.parse(bytes);
        beforeCommit.run();
        String name = record.path("name").asText("");
        boolean writtenBefore = "true".equals(attributes.metadata().get(CkanSource.WRITTEN_BEFORE));
        String outcome;
        try {
            outcome = switch (kind) {
                case MEMBERSHIPS -> membership(record);
                case DATASETS -> {
                    String written = dataset(prepared(record), writtenBefore);
                    String dumped = attributes.metadata().get(JsonlSource.DUMPED_FILES);
                    if (dumped != null) {
                        files.uploadDumped(record, Path.of(dumped));
                    }
                    yield written;
                }
                default -> withImage(record);
            };
        } catch (ItemRejectedException | RetryableException e) {
            throw kind == CkanRecords.MEMBERSHIPS ? e : named(name, e);
        }
        return new Written(Md5.hex(Md5.newDigest().digest(bytes)), bytes.length, outcome);
    }

    /**
     * An organization, group or user, written; an image it uploaded at the source follows it ({@link CkanImages}).
     * Until then its {@code image_url} is left empty: the source's stored name means nothing at the target. An
     * image the source itself no longer has (404) keeps its name, as at the source, and the report counts it.
     */
    private String withImage(ObjectNode record) {
        String image = record.path("image_url").asText("");
        String imageAt = record.path("image_display_url").asText("");
        boolean uploaded = images != null && CkanImages.isStored(image) && imageAt.startsWith("http");
        ObjectNode written = prepared(record);
        if (!uploaded) {
            return upsert(written);
        }
        Optional<CkanClient.Download> opened = images.open(imageAt);
        if (opened.isEmpty()) {
            return upsert(written) + ", its image missing at the source";
        }
        written.put("image_url", "");
        try {
            String outcome = upsert(written);
            images.carry(written, opened.get(), imageAt, image);
            return outcome;
        } finally {
            closeQuietly(opened.get());
        }
    }

    private static void closeQuietly(CkanClient.Download download) {
        try {
            download.body().close();
        } catch (IOException ignored) {
            // read whole, or abandoned with the record
        }
    }

    /** The reason, with the record's name first: an item is keyed by its id, which a reader cannot place. */
    private RuntimeException named(String name, RuntimeException e) {
        String prefix = kind.noun() + " " + name;
        if (name.isEmpty() || String.valueOf(e.getMessage()).startsWith(prefix)) {
            return e;
        }
        String message = prefix + ": " + e.getMessage();
        return e instanceof ItemRejectedException rejected
                ? new ItemRejectedException(rejected.stage(), message, e) : new RetryableException(message, e);
    }

    /** A run's memberships are compared with the target's as they were when the run began. */
    @Override
    public void beforeRun(JobRun run) {
        membersAtTarget.clear();
    }

    /** The record as the target's create and update take it. */
    private ObjectNode prepared(ObjectNode record) {
        return prepared(kind, record);
    }

    /** The record of this kind as the target's create and update take it (and as verify compares it). */
    static ObjectNode prepared(CkanRecords kind, ObjectNode record) {
        String org = record.path("organization").path("name").asText("");
        kind.computed().forEach(record::remove);
        if (!org.isEmpty()) {
            record.put("owner_org", org);
        }
        if (record.path("groups").isArray()) {
            ArrayNode byName = CkanJson.MAPPER.createArrayNode();
            record.path("groups").forEach(g -> byName.addObject().put("name", g.path("name").asText()));
            record.set("groups", byName);
        }
        record.path("resources").forEach(r -> {
            if ("upload".equals(r.path("url_type").asText())) {
                ((ObjectNode) r).put("url", CkanJson.fileName(r)); // the target builds its own download URL
            }
        });
        return record;
    }

    /** Users, organizations, groups and harvest sources: looked up by id, then name; then updated or created. */
    private String upsert(ObjectNode record) {
        Optional<JsonNode> existing = existing(record);
        if (existing.isPresent()) {
            refuseIf(mode == Mode.CREATE_ONLY, record, "exists at the target (target.mode = create-only)");
            refuseIf(kind == CkanRecords.USERS && !mergeUsersByName && isAnother(record, existing.get()), record,
                    "is another user at the target (same name, id " + existing.get().path("id").asText()
                            + "): left alone; set target.merge-users-by-name = true to update it with the source's");
            record.put("id", existing.get().path("id").asText());
            if (existing.get().has("users") && (kind == CkanRecords.ORGANIZATIONS || kind == CkanRecords.GROUPS)) {
                record.set("users", existing.get().get("users")); // an update without users would drop them
            }
            ckan.post(kind.action() + "_update", record).orElseThrow(() -> vanished(record));
            return "updated";
        }
        refuseIf(mode == Mode.UPDATE_ONLY, record, "is not at the target (target.mode = update-only)");
        if (kind == CkanRecords.USERS && !record.hasNonNull("password")) {
            record.put("password", randomPassword()); // CKAN keeps no readable password: the user resets it
        }
        ckan.post(kind.action() + "_create", record);
        return "created";
    }

    /**
     * Created first; CKAN's "already exists" or "already in use" sends it to an update of the one there. A dataset
     * this job wrote before (its source says so) is updated by id straight away, and created only when the target
     * no longer has it.
     */
    private String dataset(ObjectNode record, boolean writtenBefore) {
        if (writtenBefore && mode != Mode.CREATE_ONLY && ckan.post("package_update", record).isPresent()) {
            return "updated";
        }
        if (mode != Mode.UPDATE_ONLY) {
            try {
                ckan.post("package_create", record);
                return "created";
            } catch (CkanClient.CkanValidationException e) {
                boolean exists = e.about("id") != null
                        || String.valueOf(e.about("name")).contains("already in use");
                if (!exists || mode == Mode.CREATE_ONLY) {
                    throw exists ? refusal(record, "exists at the target (target.mode = create-only)") : e;
                }
            }
        }
        return upsert(record);
    }

    /** Created, or updated when the user was a member at the target already (it is asked once per group). */
    private String membership(JsonNode m) {
        String group = m.path("group").asText();
        String user = m.path("user").asText();
        boolean member = membersAtTarget.computeIfAbsent(m.path("kind").asText() + "/" + group, g -> members(
                m.path("kind").asText(), group)).contains(user);
        ckan.post(m.path("kind").asText() + "_member_create", CkanJson.MAPPER.createObjectNode().put("id", group)
                .put("username", user).put("role", m.path("capacity").asText())).orElseThrow(() ->
                new ItemRejectedException("transfer", m.path("kind").asText() + " " + group + " or user " + user
                        + " is not at the target (move users and " + m.path("kind").asText() + "s first)"));
        return member ? "updated" : "created";
    }

    /** The names of the organization's (or group's) users at the target; none when it is not there. */
    private Set<String> members(String groupKind, String group) {
        return ckan.get(groupKind + "_show", Map.of("id", group, "include_users", "true", "include_datasets",
                "false", "include_extras", "false")).map(g -> CkanJson.stream(g.path("users"))
                .map(u -> u.path("name").asText()).collect(Collectors.toSet())).orElse(Set.of());
    }

    /** The record found at the target by name has another id than the source's. */
    private static boolean isAnother(JsonNode record, JsonNode existing) {
        String id = record.path("id").asText("");
        return !id.isEmpty() && !id.equals(existing.path("id").asText());
    }

    private Optional<JsonNode> existing(JsonNode record) {
        String show = kind.action() + "_show";
        String id = record.path("id").asText("");
        Optional<JsonNode> found = id.isEmpty() ? Optional.empty() : ckan.get(show, Map.of("id", id));
        String name = record.path("name").asText("");
        return found.isPresent() || name.isEmpty() ? found : ckan.get(show, Map.of("id", name));
    }

    private void refuseIf(boolean refused, JsonNode record, String why) {
        if (refused) {
            throw refusal(record, why);
        }
    }

    private ItemRejectedException refusal(JsonNode record, String why) {
        return new ItemRejectedException("transfer", kind.noun() + " " + record.path("name").asText() + " " + why);
    }

    private ItemRejectedException vanished(JsonNode record) {
        return refusal(record, "vanished at the target while it was updated");
    }

    private static String randomPassword() {
        byte[] random = new byte[24];
        new SecureRandom().nextBytes(random);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    }

    @Override
    public void afterRun(JobRun run, boolean complete) {
        run.addStep(String.format(Locale.ROOT, "%s: %,d requests", ckan.describe(), ckan.requests()));
    }

    @Override
    public Difference compare(Item item, String targetKey, LedgerEntry migrated,
                              Supplier<ItemSource.Content> written) {
        return new CkanComparison(ckan, kind).compare(item, targetKey, migrated, written);
    }

    @Override
    public Optional<Entry> stat(String targetKey) {
        return kind.action() == null || kind == CkanRecords.RESOURCE_FILES ? Optional.empty()
                : ckan.get(kind.action() + "_show", Map.of("id", targetKey)).map(d -> new Entry(targetKey, 0, null));
    }

    @Override
    public CloseableIterator<Entry> list(String prefix) {
        return CloseableIterator.empty();
    }

    @Override
    public InputStream read(String targetKey) {
        throw new UnsupportedOperationException("CKAN records are verified field by field (compare), not read");
    }

    @Override
    public String describe() {
        return ckan.describe() + " " + kind.setting();
    }

    @Override
    public boolean takesRecords() {
        return true;
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
