package io.caravan.ckan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * A CKAN Action API on 127.0.0.1 for tests: datasets and organizations in memory, with the envelopes, error shapes
 * and visibility rules recorded from a real CKAN 2.10 (../shared/fixtures/ckan/real-ckan-2.10, see
 * docs/ckan-fixtures.md): Not Found (404), Validation Error with field errors (409), Authorization Error (403,
 * and an invalid token runs as anonymous), an unknown action (400, a bare string). Counts the calls per action.
 */
final class CkanEmulator implements AutoCloseable {

    static final String SYSADMIN_TOKEN = "emulated-sysadmin-token-5b0f";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern NAME = Pattern.compile("[a-z0-9_-]{2,100}");

    private final HttpServer server;
    private final Map<String, ObjectNode> datasets = new ConcurrentHashMap<>();
    private final Map<String, ObjectNode> organizations = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> calls = new ConcurrentHashMap<>();

    CkanEmulator() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/api/3/action/", this::handle);
        server.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(8));
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    long calls(String action) {
        return calls.getOrDefault(action, new AtomicLong()).get();
    }

    void resetCalls() {
        calls.clear();
    }

    /** Seeds a dataset as package_show returns it (its organization is seeded from its embedded dict). */
    void putDataset(JsonNode dataset) {
        ObjectNode d = dataset.deepCopy();
        JsonNode org = d.get("organization");
        if (org != null && org.isObject()) {
            organizations.putIfAbsent(org.get("id").asText(), (ObjectNode) org.deepCopy());
        }
        datasets.put(d.get("id").asText(), d);
    }

    void putOrganization(String id, String name) {
        organizations.put(id, JSON.createObjectNode().put("id", id).put("name", name).put("title", name)
                .put("type", "organization").put("is_organization", true).put("state", "active"));
    }

    Optional<ObjectNode> dataset(String idOrName) {
        return find(datasets, idOrName);
    }

    int datasetCount() {
        return datasets.size();
    }

    private void handle(HttpExchange exchange) throws IOException {
        String action = exchange.getRequestURI().getPath().substring("/api/3/action/".length());
        calls.computeIfAbsent(action, a -> new AtomicLong()).incrementAndGet();
        boolean sysadmin = SYSADMIN_TOKEN.equals(exchange.getRequestHeaders().getFirst("Authorization"));
        Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
        JsonNode body = exchange.getRequestMethod().equals("POST")
                ? JSON.readTree(exchange.getRequestBody().readAllBytes()) : JSON.createObjectNode();
        try {
            JsonNode result = switch (action) {
                case "status_show" -> JSON.createObjectNode().put("ckan_version", "2.10.10");
                case "package_search" -> search(query, sysadmin);
                case "package_show" -> show(query.get("id"), sysadmin);
                case "package_create" -> write(body, sysadmin, true);
                case "package_update" -> write(body, sysadmin, false);
                case "package_patch" -> write(patched(body), sysadmin, false);
                case "organization_show" -> find(organizations, query.get("id"))
                        .orElseThrow(() -> new Answer(404, error("Not Found Error", "Not found")));
                case "organization_list" -> organizationList(query);
                case "organization_create" -> writeOrganization(body, sysadmin, true);
                case "organization_update" -> writeOrganization(body, sysadmin, false);
                default -> throw new Answer(400, JSON.getNodeFactory()
                        .textNode("Bad request - Action name not known: " + action));
            };
            send(exchange, 200, JSON.createObjectNode().put("help", url() + "/api/3/action/help_show?name=" + action)
                    .put("success", true).set("result", result));
        } catch (Answer answer) {
            JsonNode payload = answer.status == 400 ? answer.body : JSON.createObjectNode()
                    .put("help", url() + "/api/3/action/help_show?name=" + action).<ObjectNode>set("error", answer.body)
                    .put("success", false);
            send(exchange, answer.status, payload);
        }
    }

    private JsonNode search(Map<String, String> query, boolean sysadmin) {
        boolean privateToo = sysadmin && "true".equals(query.get("include_private"));
        boolean drafts = sysadmin && "true".equals(query.get("include_drafts"));
        Comparator<ObjectNode> order = "id asc".equals(query.get("sort"))
                ? Comparator.comparing(d -> d.path("id").asText())
                : Comparator.<ObjectNode, String>comparing(d -> d.path("metadata_modified").asText()).reversed();
        List<ObjectNode> all = datasets.values().stream()
                .filter(d -> d.path("state").asText("active").equals("active")
                        || drafts && d.path("state").asText().equals("draft"))
                .filter(d -> !d.path("private").asBoolean(false) || privateToo)
                .sorted(order).toList();
        int start = Integer.parseInt(query.getOrDefault("start", "0"));
        int rows = Integer.parseInt(query.getOrDefault("rows", "10"));
        ArrayNode results = JSON.createArrayNode();
        all.stream().skip(start).limit(rows).forEach(results::add);
        ObjectNode result = JSON.createObjectNode().put("count", all.size());
        result.set("facets", JSON.createObjectNode());
        result.set("results", results);
        result.put("sort", query.getOrDefault("sort", "score desc, metadata_modified desc"));
        result.set("search_facets", JSON.createObjectNode());
        return result;
    }

    private JsonNode show(String id, boolean sysadmin) {
        if (id == null) {
            throw new Answer(409, validation(Map.of("name_or_id", "Missing value")));
        }
        ObjectNode d = dataset(id).orElseThrow(() -> new Answer(404, error("Not Found Error", "Not found")));
        if (!sysadmin && (d.path("private").asBoolean(false) || !d.path("state").asText("active").equals("active"))) {
            throw new Answer(403, error("Authorization Error",
                    "Access denied: User  not authorized to read package " + d.get("id").asText()));
        }
        return d;
    }

    private synchronized JsonNode write(JsonNode body, boolean sysadmin, boolean create) {
        if (!sysadmin) {
            throw new Answer(403, error("Authorization Error", "Access denied: User  not authorized to "
                    + (create ? "create" : "edit") + " packages"));
        }
        ObjectNode d = body.deepCopy();
        String name = d.path("name").asText("");
        Optional<ObjectNode> current = current(datasets, d, create);
        Map<String, String> errors = new HashMap<>();
        if (name.isEmpty()) {
            errors.put("name", "Missing value");
        } else if (!NAME.matcher(name).matches()) {
            errors.put("name", "Must be purely lowercase alphanumeric (ascii) characters and these symbols: -_");
        } else if (takenByAnother(datasets, name, current)) {
            errors.put("name", "That URL is already in use.");
        }
        Optional<ObjectNode> org = find(organizations, d.path("owner_org").asText(""));
        if (d.hasNonNull("owner_org") && org.isEmpty()) {
            errors.put("owner_org", "Organization does not exist");
        }
        if (!errors.isEmpty()) {
            throw new Answer(409, validation(errors));
        }
        String id = idOf(d, current);
        d.put("id", id);
        org.ifPresent(o -> {
            d.put("owner_org", o.get("id").asText());
            d.set("organization", o.deepCopy());
        });
        if (!d.hasNonNull("state")) {
            d.put("state", "active");
        }
        if (!d.hasNonNull("type")) {
            d.put("type", "dataset");
        }
        if (!d.hasNonNull("private")) {
            d.put("private", false);
        }
        d.put("metadata_modified", LocalDateTime.now().toString());
        d.put("num_resources", d.path("resources").size());
        datasets.put(id, d);
        return d;
    }

    private JsonNode organizationList(Map<String, String> query) {
        int offset = Integer.parseInt(query.getOrDefault("offset", "0"));
        int limit = Integer.parseInt(query.getOrDefault("limit", "1000"));
        boolean allFields = "true".equals(query.get("all_fields"));
        ArrayNode list = JSON.createArrayNode();
        organizations.values().stream().filter(o -> o.path("state").asText("active").equals("active"))
                .sorted(Comparator.comparing(o -> o.path("name").asText())).skip(offset).limit(limit)
                .forEach(o -> list.add(allFields ? o.deepCopy() : JSON.getNodeFactory().textNode(o.get("name").asText())));
        return list;
    }

    private synchronized JsonNode writeOrganization(JsonNode body, boolean sysadmin, boolean create) {
        if (!sysadmin) {
            // CKAN 2.10 names the anonymous user "None" here, and "" for packages (recorded, steps 51 and 52)
            throw new Answer(403, error("Authorization Error", "Access denied: User None not authorized to "
                    + (create ? "create" : "edit") + " organizations"));
        }
        ObjectNode o = body.deepCopy();
        String name = o.path("name").asText("");
        Optional<ObjectNode> current = current(organizations, o, create);
        if (name.isEmpty()) {
            throw new Answer(409, validation(Map.of("name", "Missing value")));
        }
        if (takenByAnother(organizations, name, current)) {
            throw new Answer(409, validation(Map.of("name", "Group name already exists in database")));
        }
        String id = idOf(o, current);
        o.put("id", id).put("type", "organization").put("is_organization", true);
        if (!o.has("state")) {
            o.put("state", "active");
        }
        organizations.put(id, o);
        return o;
    }

    /** The record an update names (by id, else name); Not Found if there is none. Empty for a create. */
    private static Optional<ObjectNode> current(Map<String, ObjectNode> store, ObjectNode body, boolean create) {
        if (create) {
            return Optional.empty();
        }
        return Optional.of(find(store, body.path("id").asText(body.path("name").asText("")))
                .orElseThrow(() -> new Answer(404, error("Not Found Error", "Not found"))));
    }

    private static boolean takenByAnother(Map<String, ObjectNode> store, String name, Optional<ObjectNode> current) {
        Optional<ObjectNode> sameName = find(store, name);
        return sameName.isPresent() && (current.isEmpty()
                || !sameName.get().get("id").asText().equals(current.get().get("id").asText()));
    }

    /** An update keeps the record's id; a create takes the given one, or a new one. */
    private static String idOf(ObjectNode body, Optional<ObjectNode> current) {
        return current.map(c -> c.get("id").asText()).orElse(body.path("id").asText(UUID.randomUUID().toString()));
    }

    Optional<ObjectNode> organization(String idOrName) {
        return find(organizations, idOrName);
    }

    void putOrganization(JsonNode organization) {
        organizations.put(organization.get("id").asText(), (ObjectNode) organization.deepCopy());
    }

    /** package_patch: the stored dataset with the given fields replaced. */
    private JsonNode patched(JsonNode body) {
        ObjectNode current = dataset(body.path("id").asText("")).orElseThrow(() ->
                new Answer(404, error("Not Found Error", "Not found"))).deepCopy();
        body.fields().forEachRemaining(f -> current.set(f.getKey(), f.getValue()));
        return current;
    }

    private static Optional<ObjectNode> find(Map<String, ObjectNode> store, String idOrName) {
        if (idOrName == null) {
            return Optional.empty();
        }
        ObjectNode byId = store.get(idOrName);
        return byId != null ? Optional.of(byId)
                : store.values().stream().filter(v -> idOrName.equals(v.path("name").asText())).findFirst();
    }

    private static ObjectNode error(String type, String message) {
        return JSON.createObjectNode().put("__type", type).put("message", message);
    }

    private static ObjectNode validation(Map<String, String> fields) {
        ObjectNode e = JSON.createObjectNode();
        fields.forEach((field, message) -> e.set(field, JSON.createArrayNode().add(message)));
        return e.put("__type", "Validation Error");
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> q = new HashMap<>();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                q.put(URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8),
                        eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return q;
    }

    private static void send(HttpExchange exchange, int status, JsonNode payload) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(payload);
        exchange.getResponseHeaders().set("Content-Type", "application/json;charset=utf-8");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }

    /** An answer other than success: its HTTP status and the error (or, for 400, the bare body). */
    private static final class Answer extends RuntimeException {
        private final int status;
        private final JsonNode body;

        Answer(int status, JsonNode body) {
            super(null, null, false, false);
            this.status = status;
            this.body = body;
        }
    }
}
