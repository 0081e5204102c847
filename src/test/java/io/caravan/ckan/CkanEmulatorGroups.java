package io.caravan.ckan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import static io.caravan.ckan.CkanEmulator.JSON;

/**
 * Organizations and groups (one store, as in CKAN's group table) and their user members: the _create, _show,
 * _list, _update, _patch, _delete, _member_create actions, member_create and member_list.
 */
final class CkanEmulatorGroups {

    /** Keys CKAN computes for a group; never stored. */
    private static final List<String> COMPUTED = List.of("package_count", "num_followers", "display_name",
            "image_display_url", "users", "packages", "member_count", "tags", "groups", "revision_id");
    private static final List<String> ROLES = List.of("admin", "editor", "member");

    private final Map<String, ObjectNode> byId = new ConcurrentHashMap<>();
    private final Map<String, String> idByName = new ConcurrentHashMap<>();
    /** group id → user id → capacity, in the order the members were added. */
    private final Map<String, Map<String, String>> members = new ConcurrentHashMap<>();
    private final CkanEmulatorUsers users;
    private CkanEmulatorDatasets datasets;
    private CkanEmulatorImages images;

    CkanEmulatorGroups(CkanEmulatorUsers users) {
        this.users = users;
    }

    void images(CkanEmulatorImages uploaded) {
        this.images = uploaded;
    }

    void datasets(CkanEmulatorDatasets datasets) {
        this.datasets = datasets;
    }

    // ---- seeding and lookups

    synchronized ObjectNode put(JsonNode given, boolean organization) {
        ObjectNode g = given.deepCopy();
        COMPUTED.forEach(g::remove);
        String id = g.path("id").asText("");
        g.put("id", id.isEmpty() ? UUID.randomUUID().toString() : id);
        defaults(g, organization);
        find(g.get("id").asText()).ifPresent(old -> idByName.remove(old.get("name").asText()));
        byId.put(g.get("id").asText(), g);
        idByName.put(g.get("name").asText(), g.get("id").asText());
        return g;
    }

    private static void defaults(ObjectNode g, boolean organization) {
        g.put("type", organization ? "organization" : g.path("type").asText("group"))
                .put("is_organization", organization);
        for (String key : List.of("title", "description", "image_url")) {
            if (!g.hasNonNull(key)) {
                g.put(key, "");
            }
        }
        putIfAbsent(g, "state", "active");
        putIfAbsent(g, "approval_status", "approved");
        putIfAbsent(g, "created", CkanEmulator.now());
        g.set("extras", keyValues(g.path("extras")));
    }

    private static void putIfAbsent(ObjectNode g, String key, String value) {
        if (!g.hasNonNull(key)) {
            g.put(key, value);
        }
    }

    /** Extras as stored: {key, value} pairs sorted by key. */
    private static ArrayNode keyValues(JsonNode extras) {
        ArrayNode sorted = JSON.createArrayNode();
        java.util.stream.StreamSupport.stream(extras.spliterator(), false)
                .sorted(Comparator.comparing(e -> e.path("key").asText()))
                .forEach(e -> sorted.addObject().put("key", e.path("key").asText()).set("value", e.get("value")));
        return sorted;
    }

    Optional<ObjectNode> find(String idOrName) {
        if (idOrName == null) {
            return Optional.empty();
        }
        ObjectNode g = byId.get(idOrName);
        if (g == null) {
            String id = idByName.get(idOrName);
            g = id == null ? null : byId.get(id);
        }
        return Optional.ofNullable(g);
    }

    Optional<ObjectNode> find(String idOrName, boolean organization) {
        return find(idOrName).filter(g -> g.path("is_organization").asBoolean() == organization);
    }

    void putMember(String groupId, String userId, String capacity) {
        members.computeIfAbsent(groupId, g -> java.util.Collections.synchronizedMap(new LinkedHashMap<>()))
                .put(userId, capacity.toLowerCase());
    }

    /** The user's capacity in the group (admin, editor, member), if a member. */
    Optional<String> capacity(String groupId, Optional<String> userId) {
        return userId.map(u -> members.getOrDefault(groupId, Map.of()).get(u));
    }

    /** Whether the user is an editor or admin of the organization, or of any organization when none is named. */
    boolean canCreateIn(String userId, Optional<String> orgId) {
        return members.entrySet().stream().filter(m -> orgId.map(m.getKey()::equals).orElse(true))
                .map(m -> m.getValue().get(userId)).anyMatch(c -> "admin".equals(c) || "editor".equals(c));
    }

    /** User name → capacity. */
    Map<String, String> members(String groupId) {
        Map<String, String> byName = new LinkedHashMap<>();
        Map<String, String> m = members.getOrDefault(groupId, Map.of());
        synchronized (m) {
            m.forEach((user, capacity) -> users.find(user).ifPresent(u -> byName.put(u.get("name").asText(), capacity)));
        }
        return byName;
    }

    // ---- dictization

    /** The short dict package_show embeds as "organization". */
    static ObjectNode summary(ObjectNode org) {
        ObjectNode s = JSON.createObjectNode();
        for (String key : List.of("id", "name", "title", "type", "description", "image_url", "created",
                "is_organization", "approval_status", "state")) {
            s.set(key, org.get(key));
        }
        return s;
    }

    /** The dict package_show embeds in "groups". */
    static ObjectNode packageGroup(ObjectNode group) {
        return JSON.createObjectNode().put("description", group.path("description").asText())
                .put("display_name", displayName(group)).put("id", group.get("id").asText())
                .put("image_display_url", group.path("image_url").asText()).put("name", group.get("name").asText())
                .put("title", group.path("title").asText());
    }

    static String displayName(ObjectNode g) {
        String title = g.path("title").asText("");
        return title.isEmpty() ? g.get("name").asText() : title;
    }

    private ObjectNode listEntry(ObjectNode g, boolean extras) {
        ObjectNode d = g.deepCopy();
        d.put("display_name", displayName(g)).put("image_display_url", images.displayUrl("group",
                        g.path("image_url").asText()))
                .put("num_followers", 0).put("package_count", datasets.countIn(g.get("id").asText()));
        if (extras) {
            d.set("extras", dictizedExtras(g));
        } else {
            d.remove("extras");
        }
        return d;
    }

    private ObjectNode dictize(ObjectNode g, CkanEmulatorCall call) {
        ObjectNode d = listEntry(g, !"false".equalsIgnoreCase(call.param("include_extras")));
        if (!"false".equalsIgnoreCase(call.param("include_users"))) {
            d.set("users", userList(g.get("id").asText(), call));
        }
        d.set("tags", JSON.createArrayNode());
        d.set("groups", JSON.createArrayNode());
        if (call.flag("include_datasets")) {
            d.set("packages", datasets.shownIn(g.get("id").asText(), call));
        }
        return d;
    }

    private static ArrayNode dictizedExtras(ObjectNode g) {
        ArrayNode extras = JSON.createArrayNode();
        String groupId = g.get("id").asText();
        g.path("extras").forEach(e -> extras.addObject().put("group_id", groupId)
                .put("id", UUID.nameUUIDFromBytes((groupId + "/" + e.path("key").asText())
                        .getBytes(StandardCharsets.UTF_8)).toString())
                .put("key", e.path("key").asText()).put("state", "active").set("value", e.get("value")));
        return extras;
    }

    private ArrayNode userList(String groupId, CkanEmulatorCall call) {
        ArrayNode list = JSON.createArrayNode();
        members(groupId).entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(m ->
                users.find(m.getKey()).ifPresent(u -> {
                    ObjectNode d = users.dictize(u, Optional.empty());
                    d.put("capacity", m.getValue());
                    list.add(d);
                }));
        return list;
    }

    // ---- actions

    JsonNode create(CkanEmulatorCall call, boolean organization) {
        if (!call.sysadmin()) {
            // CKAN 2.10 names the anonymous user "None" here, but "" for packages (recorded, steps 51 and 52)
            throw CkanEmulatorAnswer.denied(call.viewer().isPresent() ? call.userName() : "None",
                    "create " + noun(organization) + "s");
        }
        synchronized (this) {
            validate(call.body(), Optional.empty());
            ObjectNode g = put(call.body(), organization);
            call.userId().ifPresent(u -> putMember(g.get("id").asText(), u, "admin"));
            return dictize(g, call);
        }
    }

    JsonNode show(CkanEmulatorCall call, boolean organization) {
        ObjectNode g = find(call.param("id"), organization).orElseThrow(CkanEmulatorAnswer::notFound);
        if (!g.path("state").asText().equals("active") && !call.sysadmin()) {
            throw CkanEmulatorAnswer.notFound();
        }
        return dictize(g, call);
    }

    JsonNode list(CkanEmulatorCall call, boolean organization) {
        boolean allFields = call.flag("all_fields");
        // CKAN caps the page silently: ckan.group_and_organization_list_all_fields_max (25), ..._list_max (1000)
        int limit = Math.min(call.number("limit", allFields ? 25 : 1000), allFields ? 25 : 1000);
        int offset = call.number("offset", 0);
        ArrayNode list = JSON.createArrayNode();
        byId.values().stream().filter(g -> g.path("is_organization").asBoolean() == organization)
                .filter(g -> g.path("state").asText().equals("active"))
                .sorted(Comparator.comparing((ObjectNode g) -> displayName(g).toLowerCase())
                        .thenComparing(g -> g.get("name").asText()))
                .skip(offset).limit(limit)
                .forEach(g -> list.add(allFields ? listEntryWithUsers(g, call)
                        : JSON.getNodeFactory().textNode(g.get("name").asText())));
        return list;
    }

    /** An all_fields list entry; its users too with include_users (a documented group_list option, not recorded). */
    private ObjectNode listEntryWithUsers(ObjectNode g, CkanEmulatorCall call) {
        ObjectNode d = listEntry(g, call.flag("include_extras"));
        if (call.flag("include_users")) {
            d.set("users", userList(g.get("id").asText(), call));
        }
        return d;
    }

    JsonNode update(CkanEmulatorCall call, boolean organization, boolean patch) {
        ObjectNode current = find(call.param("id", call.param("name")), organization)
                .orElseThrow(CkanEmulatorAnswer::notFound);
        authorizeAdmin(call, current, "edit");
        synchronized (this) {
            ObjectNode next = patch ? current.deepCopy() : JSON.createObjectNode();
            if (!patch) {
                next.put("created", current.path("created").asText()).put("state", current.path("state").asText());
            }
            call.body().fields().forEachRemaining(f -> next.set(f.getKey(), f.getValue()));
            next.put("id", current.get("id").asText());
            validate(next, Optional.of(current));
            return dictize(put(next, organization), call);
        }
    }

    JsonNode delete(CkanEmulatorCall call, boolean organization) {
        ObjectNode current = find(call.param("id"), organization).orElseThrow(CkanEmulatorAnswer::notFound);
        authorizeAdmin(call, current, "delete");
        synchronized (this) {
            if (organization && datasets.hasUndeletedIn(current.get("id").asText())) {
                throw CkanEmulatorAnswer.invalidMessage("Organization cannot be deleted while it still has datasets");
            }
            ObjectNode next = current.deepCopy();
            next.put("state", "deleted");
            byId.put(next.get("id").asText(), next);
            return JSON.nullNode();
        }
    }

    /** organization_member_create / group_member_create {id, username, role}. */
    JsonNode memberCreate(CkanEmulatorCall call, boolean organization) {
        ObjectNode g = find(call.param("id"), organization).orElseThrow(CkanEmulatorAnswer::notFound);
        ObjectNode user = users.find(call.param("username"))
                .orElseThrow(() -> CkanEmulatorAnswer.notFound("Not found: User not found"));
        return addUser(call, g, user, call.param("role", ""));
    }

    /** member_create {id, object, object_type, capacity}: a user, or a dataset into a group. */
    JsonNode memberCreateAny(CkanEmulatorCall call) {
        ObjectNode g = find(call.param("id")).orElseThrow(CkanEmulatorAnswer::notFound);
        String type = call.param("object_type", "");
        if (type.equals("package")) {
            authorizeAdmin(call, g, "edit");
            String packageId = datasets.addToGroup(call.param("object", ""), g);
            return membership(g, "package", packageId, call.param("capacity", "public"));
        }
        if (!type.equals("user")) {
            throw CkanEmulatorAnswer.invalid("object_type", "Missing value");
        }
        ObjectNode user = users.find(call.param("object"))
                .orElseThrow(() -> CkanEmulatorAnswer.notFound("Not found: User not found"));
        return addUser(call, g, user, call.param("capacity", ""));
    }

    private JsonNode addUser(CkanEmulatorCall call, ObjectNode g, ObjectNode user, String role) {
        authorizeAdmin(call, g, "edit");
        if (!ROLES.contains(role)) {
            throw CkanEmulatorAnswer.invalid("role", role.isEmpty() ? "Missing value"
                    : "role \"" + role + "\" is not valid.");
        }
        putMember(g.get("id").asText(), user.get("id").asText(), role);
        return membership(g, "user", user.get("id").asText(), role);
    }

    private static ObjectNode membership(ObjectNode g, String table, String objectId, String capacity) {
        String groupId = g.get("id").asText();
        return JSON.createObjectNode().put("id", UUID.nameUUIDFromBytes((groupId + "/" + objectId)
                        .getBytes(StandardCharsets.UTF_8)).toString())
                .put("table_name", table).put("table_id", objectId).put("capacity", capacity)
                .put("group_id", groupId).put("state", "active");
    }

    /** member_list: [id, type, capacity] with capitalised user capacities, then the datasets (any state). */
    JsonNode memberList(CkanEmulatorCall call) {
        ObjectNode g = find(call.param("id")).orElseThrow(CkanEmulatorAnswer::notFound);
        String type = call.param("object_type", "");
        ArrayNode list = JSON.createArrayNode();
        if (type.isEmpty() || type.equals("user")) {
            Map<String, String> m = members.getOrDefault(g.get("id").asText(), Map.of());
            synchronized (m) {
                m.forEach((user, capacity) -> list.addArray().add(user).add("user")
                        .add(Character.toUpperCase(capacity.charAt(0)) + capacity.substring(1)));
            }
        }
        if (type.isEmpty() || type.equals("package")) {
            boolean organization = g.path("is_organization").asBoolean();
            datasets.memberIds(g.get("id").asText(), organization).forEach(id -> list.addArray().add(id)
                    .add("package").add(organization ? "organization" : "public"));
        }
        return list;
    }

    private void authorizeAdmin(CkanEmulatorCall call, ObjectNode g, String verb) {
        if (!call.sysadmin() && !capacity(g.get("id").asText(), call.userId()).map("admin"::equals).orElse(false)) {
            throw CkanEmulatorAnswer.denied(call.userName(), verb + " group " + g.get("id").asText());
        }
    }

    private void validate(JsonNode g, Optional<ObjectNode> current) {
        String name = g.path("name").asText("");
        String error = CkanEmulator.nameError(name);
        if (error == null) {
            Optional<ObjectNode> same = find(name);
            if (same.isPresent() && current.map(c -> !c.get("id").equals(same.get().get("id"))).orElse(true)) {
                error = "Group name already exists in database";
            }
        }
        if (error != null) {
            throw CkanEmulatorAnswer.invalid("name", error);
        }
    }

    private static String noun(boolean organization) {
        return organization ? "organization" : "group";
    }
}
