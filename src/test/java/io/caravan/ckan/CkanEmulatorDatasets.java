package io.caravan.ckan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import static io.caravan.ckan.CkanEmulator.JSON;

/**
 * Datasets (packages of any type; harvest sources are packages of type "harvest"): package_create/show/update/
 * patch/delete, dataset_purge, package_list, package_search, and the harvest_source_* actions. Stored dicts are
 * replaced, never changed in place, so readers need no lock; writers hold this object's lock.
 */
final class CkanEmulatorDatasets implements CkanEmulatorSearch.Index {

    /** Keys CKAN computes when it shows a dataset; dropped from what is written. */
    private static final List<String> COMPUTED = List.of("organization", "num_resources", "num_tags", "isopen",
            "license_title", "license_url", "relationships_as_subject", "relationships_as_object", "revision_id",
            "tracking_summary", "metadata_created", "metadata_modified", "creator_user_id");
    static final String HARVEST = "harvest";

    private final Map<String, ObjectNode> byId = new ConcurrentHashMap<>();
    private final Map<String, String> idByName = new ConcurrentHashMap<>();
    /** Creation order, for member_list. */
    private final Map<String, Long> created = new ConcurrentHashMap<>();
    private final AtomicLong sequence = new AtomicLong();
    private final Map<String, String> tagIds = new ConcurrentHashMap<>();
    private final CkanEmulatorGroups groups;
    private final CkanEmulatorSearch search = new CkanEmulatorSearch(this);
    private CkanEmulatorResources resources;
    private final Set<String> failing = ConcurrentHashMap.newKeySet();
    private final Map<String, Integer> failingStatus = new ConcurrentHashMap<>();

    CkanEmulatorDatasets(CkanEmulatorGroups groups) {
        this.groups = groups;
    }

    void resources(CkanEmulatorResources resources) {
        this.resources = resources;
    }

    void failDataset(String name, int status) {
        failing.add(name);
        failingStatus.put(name, status);
    }

    // ---- store

    Optional<ObjectNode> find(String idOrName) {
        if (idOrName == null) {
            return Optional.empty();
        }
        ObjectNode d = byId.get(idOrName);
        if (d == null) {
            String id = idByName.get(idOrName);
            d = id == null ? null : byId.get(id);
        }
        return Optional.ofNullable(d);
    }

    /** Stores a dataset dict (replacing the one with its id) and indexes its name and resources. */
    synchronized void store(ObjectNode d) {
        String id = d.get("id").asText();
        find(id).ifPresent(old -> {
            idByName.remove(old.get("name").asText());
            resources.forget(old, d);
        });
        byId.put(id, d);
        idByName.put(d.get("name").asText(), id);
        created.computeIfAbsent(id, k -> sequence.incrementAndGet());
        resources.index(d);
    }

    /** Seeding: the dict as package_show gives it; its organization is seeded from its embedded dict if absent. */
    synchronized ObjectNode put(JsonNode dataset) {
        ObjectNode given = dataset.deepCopy();
        JsonNode org = given.get("organization");
        if (org != null && org.hasNonNull("id") && groups.find(org.get("id").asText()).isEmpty()) {
            groups.put(org, true);
        }
        if (given.hasNonNull("owner_org")) {
            groups.find(given.get("owner_org").asText()).ifPresent(o -> given.put("owner_org", o.get("id").asText()));
        }
        Optional<ObjectNode> current = find(given.path("id").asText(null));
        ObjectNode d = normalize(given, current, Optional.empty(), true);
        store(d);
        return d;
    }

    int count(boolean harvestSources) {
        return (int) byId.values().stream().filter(d -> isHarvest(d) == harvestSources).count();
    }

    static boolean isHarvest(ObjectNode d) {
        return HARVEST.equals(d.path("type").asText());
    }

    // ---- dictization and access

    ObjectNode dictize(ObjectNode d) {
        ObjectNode show = d.deepCopy();
        Optional<ObjectNode> org = groups.find(d.path("owner_org").asText(null));
        show.set("organization", org.map(o -> (JsonNode) CkanEmulatorGroups.summary(o)).orElse(JSON.nullNode()));
        show.put("num_resources", d.path("resources").size()).put("num_tags", d.path("tags").size());
        CkanEmulatorLicenses.dictize(show);
        show.set("resources", resources.dictize(d));
        show.set("relationships_as_subject", JSON.createArrayNode());
        show.set("relationships_as_object", JSON.createArrayNode());
        return show;
    }

    boolean canRead(ObjectNode d, CkanEmulatorCall call) {
        if (call.sysadmin() || (!d.path("private").asBoolean(false) && state(d).equals("active"))) {
            return true;
        }
        Optional<String> capacity = groups.capacity(d.path("owner_org").asText(), call.userId());
        if (state(d).equals("active")) {
            return capacity.isPresent();
        }
        return capacity.map(c -> !c.equals("member")).orElse(false)
                || call.userId().map(d.path("creator_user_id").asText()::equals).orElse(false);
    }

    ObjectNode readable(String idOrName, CkanEmulatorCall call) {
        if (idOrName == null || idOrName.isEmpty()) {
            throw CkanEmulatorAnswer.invalid("name_or_id", "Missing value");
        }
        ObjectNode d = find(idOrName).orElseThrow(CkanEmulatorAnswer::notFound);
        if (!canRead(d, call)) {
            throw CkanEmulatorAnswer.denied(call.userName(), "read package " + d.get("id").asText());
        }
        return d;
    }

    private static String state(ObjectNode d) {
        return d.path("state").asText("active");
    }

    // ---- package actions

    JsonNode show(CkanEmulatorCall call) {
        return dictize(readable(call.param("id", call.param("name_or_id")), call));
    }

    JsonNode create(CkanEmulatorCall call) {
        ObjectNode given = call.body().deepCopy();
        failIfAsked(given.path("name").asText(""));
        authorizeCreate(call, given);
        synchronized (this) {
            String id = given.path("id").asText("");
            if (!id.isEmpty() && byId.containsKey(id)) {
                throw CkanEmulatorAnswer.invalid("id", "Dataset id already exists");
            }
            ObjectNode d = normalize(validated(given, Optional.empty()), Optional.empty(), call.userId(), false);
            store(d);
            return dictize(d);
        }
    }

    JsonNode update(CkanEmulatorCall call, boolean patch) {
        String idOrName = call.param("id", call.param("name"));
        ObjectNode current = find(idOrName).orElseThrow(CkanEmulatorAnswer::notFound);
        failIfAsked(current.get("name").asText());
        failIfAsked(call.param("name", ""));
        authorizeEdit(call, current, "edit");
        synchronized (this) {
            ObjectNode given = patch ? dictize(find(current.get("id").asText()).orElse(current)) : JSON.createObjectNode();
            call.body().fields().forEachRemaining(f -> given.set(f.getKey(), f.getValue()));
            given.put("id", current.get("id").asText());
            ObjectNode d = normalize(validated(given, Optional.of(current)), Optional.of(current), call.userId(), false);
            store(d);
            return dictize(d);
        }
    }

    JsonNode delete(CkanEmulatorCall call) {
        ObjectNode current = find(call.param("id")).orElseThrow(CkanEmulatorAnswer::notFound);
        authorizeEdit(call, current, "delete");
        synchronized (this) {
            ObjectNode d = current.deepCopy();
            d.put("state", "deleted"); // metadata_modified unchanged (recorded at step 69)
            store(d);
            return JSON.nullNode();
        }
    }

    JsonNode purge(CkanEmulatorCall call) {
        ObjectNode current = find(call.param("id")).orElseThrow(CkanEmulatorAnswer::notFound);
        if (!call.sysadmin()) {
            throw CkanEmulatorAnswer.denied(call.userName(), "purge package " + current.get("id").asText());
        }
        synchronized (this) {
            byId.remove(current.get("id").asText());
            idByName.remove(current.get("name").asText());
            created.remove(current.get("id").asText());
            resources.purge(current);
            return JSON.nullNode();
        }
    }

    /** Public, active datasets (harvest sources aside), by name; also for a sysadmin (recorded at step 32). */
    JsonNode list(CkanEmulatorCall call) {
        ArrayNode names = JSON.createArrayNode();
        byId.values().stream().filter(d -> !isHarvest(d) && !d.path("private").asBoolean(false))
                .filter(d -> state(d).equals("active")).map(d -> d.get("name").asText()).sorted()
                .skip(call.number("offset", 0)).limit(call.number("limit", Integer.MAX_VALUE))
                .forEach(names::add);
        return names;
    }

    JsonNode search(CkanEmulatorCall call) {
        boolean harvest = CkanEmulatorSearch.asksForHarvest(call.param("fq"));
        Stream<ObjectNode> visible = byId.values().stream().filter(d -> isHarvest(d) == harvest)
                .filter(d -> searchable(d, call));
        return search.search(visible, call, this::dictize);
    }

    private boolean searchable(ObjectNode d, CkanEmulatorCall call) {
        boolean member = call.sysadmin() || groups.capacity(d.path("owner_org").asText(), call.userId()).isPresent();
        if (d.path("private").asBoolean(false) && !(call.flag("include_private") && member)) {
            return false;
        }
        return switch (state(d)) {
            case "active" -> true;
            case "draft" -> call.flag("include_drafts") && member;
            case "deleted" -> call.flag("include_deleted") && call.sysadmin();
            default -> false;
        };
    }

    // ---- harvest sources (ckanext-harvest): packages of type "harvest"

    JsonNode harvestCreate(CkanEmulatorCall call) {
        ObjectNode given = call.body().deepCopy();
        given.put("type", HARVEST);
        return harvestDict(saveHarvest(given, Optional.empty(), call));
    }

    JsonNode harvestUpdate(CkanEmulatorCall call) {
        ObjectNode current = find(call.param("id")).filter(CkanEmulatorDatasets::isHarvest)
                .orElseThrow(CkanEmulatorAnswer::notFound);
        ObjectNode given = current.deepCopy();
        call.body().fields().forEachRemaining(f -> given.set(f.getKey(), f.getValue()));
        given.put("type", HARVEST).put("id", current.get("id").asText());
        return harvestDict(saveHarvest(given, Optional.of(current), call));
    }

    private ObjectNode saveHarvest(ObjectNode given, Optional<ObjectNode> current, CkanEmulatorCall call) {
        if (!call.sysadmin()) {
            throw CkanEmulatorAnswer.denied(call.userName(), "create harvest sources");
        }
        synchronized (this) {
            Map<String, String> errors = new LinkedHashMap<>();
            if (given.path("url").asText("").isBlank()) {
                errors.put("url", "Missing value");
            }
            if (given.path("source_type").asText("").isBlank()) {
                errors.put("source_type", "Missing value");
            }
            if (!errors.isEmpty()) {
                throw CkanEmulatorAnswer.invalid(errors);
            }
            ObjectNode d = normalize(validated(given, current), current, call.userId(), false);
            store(d);
            return d;
        }
    }

    JsonNode harvestShow(CkanEmulatorCall call) {
        return harvestDict(find(call.param("id")).filter(CkanEmulatorDatasets::isHarvest)
                .orElseThrow(CkanEmulatorAnswer::notFound));
    }

    JsonNode harvestList(CkanEmulatorCall call) {
        ArrayNode list = JSON.createArrayNode();
        byId.values().stream().filter(CkanEmulatorDatasets::isHarvest)
                .filter(d -> !state(d).equals("deleted")).sorted(Comparator.comparing(d -> d.get("name").asText()))
                .forEach(d -> list.add(harvestDict(d)));
        return list;
    }

    ObjectNode harvestDict(ObjectNode d) {
        ObjectNode h = dictize(d);
        if (!h.has("active")) {
            h.put("active", !state(d).equals("deleted"));
        }
        for (String key : List.of("frequency", "config", "source_type", "url")) {
            if (!h.has(key)) {
                h.putNull(key);
            }
        }
        return h;
    }

    // ---- writing rules

    private void failIfAsked(String name) {
        if (failing.contains(name)) {
            throw CkanEmulatorAnswer.injected(failingStatus.get(name));
        }
    }

    private void authorizeCreate(CkanEmulatorCall call, ObjectNode given) {
        if (call.sysadmin()) {
            return;
        }
        if (call.viewer().isEmpty() || !groups.canCreateIn(call.userId().get(), Optional.empty())) {
            throw CkanEmulatorAnswer.denied(call.userName(), "create packages");
        }
        Optional<ObjectNode> org = groups.find(given.path("owner_org").asText(null), true);
        if (org.isPresent() && !groups.canCreateIn(call.userId().get(), Optional.of(org.get().get("id").asText()))) {
            throw CkanEmulatorAnswer.denied(call.userName(), "add dataset to this organization");
        }
    }

    void authorizeEdit(CkanEmulatorCall call, ObjectNode current, String verb) {
        boolean editor = groups.capacity(current.path("owner_org").asText(), call.userId())
                .map(c -> !c.equals("member")).orElse(false);
        if (!call.sysadmin() && !editor) {
            throw CkanEmulatorAnswer.denied(call.userName(), verb + " package " + current.get("id").asText());
        }
    }

    /** The given dict with owner_org resolved to an id; 409 with every field error otherwise. */
    private ObjectNode validated(ObjectNode given, Optional<ObjectNode> current) {
        Map<String, String> errors = new LinkedHashMap<>();
        String name = given.path("name").asText("");
        String nameError = CkanEmulator.nameError(name);
        if (nameError != null) {
            errors.put("name", nameError);
        } else if (find(name).filter(d -> current.map(c -> !c.get("id").equals(d.get("id"))).orElse(true))
                .isPresent()) {
            errors.put("name", "That URL is already in use.");
        }
        String owner = given.path("owner_org").asText("");
        if (!owner.isEmpty()) {
            Optional<ObjectNode> org = groups.find(owner, true);
            if (org.isEmpty()) {
                errors.put("owner_org", "Organization does not exist");
            } else {
                given.put("owner_org", org.get().get("id").asText());
            }
        }
        if (!errors.isEmpty()) {
            throw CkanEmulatorAnswer.invalid(errors);
        }
        return given;
    }

    /**
     * The dict to store: what was given minus what CKAN computes, with CKAN's defaults, sorted tags and extras,
     * groups resolved, resources numbered; metadata_modified bumped (a seed keeps its own).
     */
    private ObjectNode normalize(ObjectNode given, Optional<ObjectNode> current, Optional<String> user, boolean seed) {
        ObjectNode d = given.deepCopy();
        if (!seed) {
            COMPUTED.forEach(d::remove);
        }
        String id = d.path("id").asText("");
        d.put("id", id.isEmpty() ? UUID.randomUUID().toString() : id);
        String now = CkanEmulator.now();
        defaultFrom(d, current, "type", "dataset");
        defaultFrom(d, current, "state", "active");
        if (!d.hasNonNull("private")) {
            d.put("private", current.map(c -> c.path("private").asBoolean(false)).orElse(false));
        }
        for (String key : List.of("author", "author_email", "license_id", "maintainer", "maintainer_email", "notes",
                "url", "version", "owner_org")) {
            if (!d.has(key)) {
                d.putNull(key);
            }
        }
        if (!seed || !d.hasNonNull("metadata_modified")) {
            d.put("metadata_modified", now);
        }
        d.put("metadata_created", current.map(c -> c.path("metadata_created").asText(now))
                .orElse(d.path("metadata_created").asText(now)));
        if (!d.has("creator_user_id")) {
            d.put("creator_user_id", current.map(c -> c.path("creator_user_id").asText(null))
                    .orElse(user.orElse(null)));
        }
        d.set("tags", tags(d.path("tags")));
        d.set("extras", sortedByKey(d.path("extras")));
        d.set("groups", packageGroups(d.path("groups")));
        d.set("resources", resources.normalize(d, current, now));
        return d;
    }

    private static void defaultFrom(ObjectNode d, Optional<ObjectNode> current, String key, String otherwise) {
        if (!d.hasNonNull(key) || d.get(key).asText().isEmpty()) {
            d.put(key, current.map(c -> c.path(key).asText(otherwise)).orElse(otherwise));
        }
    }

    private ArrayNode tags(JsonNode given) {
        List<ObjectNode> tags = new ArrayList<>();
        given.forEach(t -> {
            ObjectNode tag = t.isTextual() ? JSON.createObjectNode().put("name", t.asText()) : t.deepCopy();
            String name = tag.path("name").asText();
            tag.put("display_name", tag.path("display_name").asText(name))
                    .put("id", tag.path("id").asText(tagIds.computeIfAbsent(name, n -> UUID.randomUUID().toString())))
                    .put("name", name).put("state", tag.path("state").asText("active"));
            if (!tag.has("vocabulary_id")) {
                tag.putNull("vocabulary_id");
            }
            tags.add(tag);
        });
        tags.sort(Comparator.comparing(t -> t.get("name").asText())); // code point order, as CKAN (step 16)
        ArrayNode sorted = JSON.createArrayNode();
        tags.forEach(sorted::add);
        return sorted;
    }

    private static ArrayNode sortedByKey(JsonNode extras) {
        ArrayNode sorted = JSON.createArrayNode();
        CkanEmulatorSearch.stream(extras).sorted(Comparator.comparing(e -> e.path("key").asText())).forEach(sorted::add);
        return sorted;
    }

    /** Groups named by id or name become CKAN's group dicts; an unknown one is kept as given. */
    private ArrayNode packageGroups(JsonNode given) {
        ArrayNode list = JSON.createArrayNode();
        given.forEach(g -> list.add(groups.find(g.path("id").asText(g.path("name").asText(null)), false)
                .map(group -> (JsonNode) CkanEmulatorGroups.packageGroup(group)).orElse(g)));
        return list;
    }

    synchronized String addToGroup(String idOrName, ObjectNode group) {
        ObjectNode d = find(idOrName).orElseThrow(CkanEmulatorAnswer::notFound).deepCopy();
        String groupId = group.get("id").asText();
        if (CkanEmulatorSearch.stream(d.path("groups")).noneMatch(g -> g.path("id").asText().equals(groupId))) {
            ((ArrayNode) d.withArray("groups")).add(CkanEmulatorGroups.packageGroup(group));
            store(d);
        }
        return d.get("id").asText();
    }

    // ---- what organizations and groups ask

    int countIn(String groupId) {
        return (int) byId.values().stream().filter(d -> inGroup(d, groupId) && !isHarvest(d))
                .filter(d -> state(d).equals("active") && !d.path("private").asBoolean(false)).count();
    }

    boolean hasUndeletedIn(String orgId) {
        return byId.values().stream().anyMatch(d -> orgId.equals(d.path("owner_org").asText())
                && !state(d).equals("deleted"));
    }

    List<String> memberIds(String groupId, boolean organization) {
        return byId.values().stream().filter(d -> organization ? groupId.equals(d.path("owner_org").asText())
                        : inGroup(d, groupId))
                .sorted(Comparator.comparing(d -> created.getOrDefault(d.get("id").asText(), 0L)))
                .map(d -> d.get("id").asText()).toList();
    }

    ArrayNode shownIn(String groupId, CkanEmulatorCall call) {
        ArrayNode list = JSON.createArrayNode();
        byId.values().stream().filter(d -> inGroup(d, groupId) && canRead(d, call)).map(this::dictize).forEach(list::add);
        return list;
    }

    private static boolean inGroup(ObjectNode d, String groupId) {
        return groupId.equals(d.path("owner_org").asText())
                || CkanEmulatorSearch.stream(d.path("groups")).anyMatch(g -> groupId.equals(g.path("id").asText()));
    }

    long createdBy(String userId, boolean everything) {
        return byId.values().stream().filter(d -> userId.equals(d.path("creator_user_id").asText()))
                .filter(d -> everything ? !state(d).equals("deleted")
                        : state(d).equals("active") && !d.path("private").asBoolean(false)).count();
    }

    // ---- the search index

    @Override
    public List<String> values(ObjectNode d, String field) {
        return switch (field) {
            case "organization" -> groups.find(d.path("owner_org").asText(null)).map(o -> List.of(o.get("name").asText()))
                    .orElse(List.of());
            case "dataset_type" -> List.of(d.path("type").asText("dataset"));
            case "tags" -> CkanEmulatorSearch.stream(d.path("tags")).map(t -> t.path("name").asText()).toList();
            case "groups" -> CkanEmulatorSearch.stream(d.path("groups")).map(g -> g.path("name").asText()).toList();
            case "res_format" -> CkanEmulatorSearch.stream(d.path("resources")).map(r -> r.path("format").asText(""))
                    .filter(f -> !f.isEmpty()).toList();
            case "capacity" -> List.of(d.path("private").asBoolean() ? "private" : "public");
            default -> scalar(d, field);
        };
    }

    private static List<String> scalar(ObjectNode d, String field) {
        JsonNode v = d.get(field);
        if (v == null) {
            v = CkanEmulatorSearch.stream(d.path("extras")).filter(e -> field.equals(e.path("key").asText()))
                    .map(e -> e.get("value")).findFirst().orElse(null);
        }
        return v == null || v.isNull() ? List.of() : List.of(v.asText());
    }

    @Override
    public String facetDisplayName(String field, String value) {
        return switch (field) {
            case "organization", "groups" -> groups.find(value).map(CkanEmulatorGroups::displayName).orElse(value);
            case "license_id" -> CkanEmulatorLicenses.title(value).orElse(value);
            default -> value;
        };
    }
}
