package io.caravan.ckan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A CKAN 2.10 Action API on 127.0.0.1 for tests, stateful and in memory: users and tokens, organizations, groups
 * and members, datasets with their resources and uploaded files, downloads, search, and (behind a switch)
 * ckanext-harvest sources. Envelopes, error shapes and visibility rules follow a recording of a real CKAN 2.10
 * (../shared/fixtures/ckan/real-ckan-2.10, digested in docs/ckan-fixtures.md); CkanEmulatorConformanceTest
 * replays it. Knobs for tests: latency, injected failures, call counts, seeding and reading back.
 */
final class CkanEmulator implements AutoCloseable {

    static final String SYSADMIN_TOKEN = "emulated-sysadmin-token-5b0f";
    static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern NAME = Pattern.compile("[a-z0-9_-]{2,100}");
    private static final Pattern DOWNLOAD = Pattern.compile("/dataset/([^/]+)/resource/([^/]+)/download(?:/([^/]+))?/?");
    private static final Pattern UPLOADED_IMAGE = Pattern.compile("/uploads/(group|user)/([^/]+)");
    private static final DateTimeFormatter MICROS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS");
    private static final AtomicLong LAST_MICROS = new AtomicLong();

    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(64);
    private final CkanEmulatorUsers users;
    private final CkanEmulatorGroups groups;
    private final CkanEmulatorDatasets datasets;
    private final CkanEmulatorResources resources;
    private final CkanEmulatorImages images = new CkanEmulatorImages(this::url);
    private final Map<String, Function<CkanEmulatorCall, JsonNode>> actions = new HashMap<>();
    private final Map<String, Function<CkanEmulatorCall, JsonNode>> harvestActions = new HashMap<>();
    private final Map<String, AtomicLong> calls = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> failures = new ConcurrentHashMap<>();
    private final Map<String, Integer> failureStatus = new ConcurrentHashMap<>();
    private volatile Duration latency = Duration.ZERO;
    private volatile boolean harvest;

    static {
        // The JDK server writes headers and body apart; with Nagle's algorithm on, the client's delayed ACK adds
        // 40 ms to every POST answer (a real portal's nginx sets TCP_NODELAY)
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    CkanEmulator() throws IOException {
        users = new CkanEmulatorUsers((user, everything) -> datasets().createdBy(user, everything));
        users.images(images);
        groups = new CkanEmulatorGroups(users);
        groups.images(images);
        datasets = new CkanEmulatorDatasets(groups);
        resources = new CkanEmulatorResources(datasets, this::url);
        groups.datasets(datasets);
        datasets.resources(resources);
        ObjectNode admin = users.put(JSON.createObjectNode().put("name", "ckan_admin")
                .put("fullname", "Administrateur CKAN").put("email", "admin@example.org").put("sysadmin", true));
        users.issueToken(admin.get("id").asText(), SYSADMIN_TOKEN);
        registerActions();
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 128);
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    private CkanEmulatorDatasets datasets() {
        return datasets;
    }

    private void registerActions() {
        actions.put("status_show", c -> JSON.createObjectNode().put("site_title", "CKAN").put("site_description", "")
                .put("site_url", url()).put("error_emails_to", "").put("locale_default", "en")
                .<ObjectNode>set("extensions", harvest ? JSON.createArrayNode().add("activity").add("harvest")
                        : JSON.createArrayNode().add("activity")).put("ckan_version", "2.10.10"));
        actions.put("user_create", users::create);
        actions.put("user_show", users::show);
        actions.put("user_list", users::list);
        actions.put("user_update", c -> users.update(withImage(c, "user")));
        actions.put("api_token_create", users::tokenCreate);
        actions.put("am_following_dataset", this::amFollowingDataset);
        actions.put("config_option_list", c -> {
            if (!c.sysadmin()) { // a sysadmin-only auth function: anonymous and users alike are refused
                throw CkanEmulatorAnswer.denied(c.userName(), "list config options");
            }
            return JSON.createArrayNode().add("ckan.site_title").add("ckan.site_description");
        });
        for (boolean org : new boolean[] {true, false}) {
            String noun = org ? "organization" : "group";
            actions.put(noun + "_create", c -> groups.create(withImage(c, "group"), org));
            actions.put(noun + "_show", c -> groups.show(c, org));
            actions.put(noun + "_list", c -> groups.list(c, org));
            actions.put(noun + "_update", c -> groups.update(withImage(c, "group"), org, false));
            actions.put(noun + "_patch", c -> groups.update(withImage(c, "group"), org, true));
            actions.put(noun + "_delete", c -> groups.delete(c, org));
            actions.put(noun + "_member_create", c -> groups.memberCreate(c, org));
        }
        actions.put("member_create", groups::memberCreateAny);
        actions.put("member_list", groups::memberList);
        actions.put("package_create", datasets::create);
        actions.put("package_show", datasets::show);
        actions.put("package_update", c -> datasets.update(c, false));
        actions.put("package_patch", c -> datasets.update(c, true));
        actions.put("package_delete", datasets::delete);
        actions.put("dataset_purge", datasets::purge);
        actions.put("package_list", datasets::list);
        actions.put("package_search", datasets::search);
        actions.put("resource_create", resources::create);
        actions.put("resource_show", resources::show);
        actions.put("resource_update", c -> resources.update(c, false));
        actions.put("resource_patch", c -> resources.update(c, true));
        actions.put("resource_delete", resources::delete);
        harvestActions.put("harvest_source_create", datasets::harvestCreate);
        harvestActions.put("harvest_source_show", datasets::harvestShow);
        harvestActions.put("harvest_source_update", datasets::harvestUpdate);
        harvestActions.put("harvest_source_list", datasets::harvestList);
    }

    /**
     * CKAN's am_following_dataset raises NotAuthorized itself for an anonymous request (an unknown token is one,
     * recorded at steps 52-54), and validates the id for a user.
     */
    private JsonNode amFollowingDataset(CkanEmulatorCall call) {
        if (call.viewer().isEmpty()) {
            throw CkanEmulatorAnswer.loginRequired("You must be logged in to determine if you are following a"
                    + " dataset.");
        }
        if (datasets.find(call.param("id", "")).isEmpty()) {
            throw CkanEmulatorAnswer.invalid("id", "Not found: Dataset");
        }
        return JSON.getNodeFactory().booleanNode(false);
    }

    /**
     * CKAN's uploader ({@code update_data_dict(data_dict, 'image_url', 'image_upload', 'clear_upload')}): a file
     * in {@code image_upload} is stored, and {@code image_url} becomes its stored name.
     */
    private CkanEmulatorCall withImage(CkanEmulatorCall call, String type) {
        call.upload().ifPresent(file -> call.body().put("image_url", images.store(type, file.filename(),
                file.bytes())));
        return call;
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    // ---- knobs

    void latency(Duration perRequest) {
        latency = perRequest;
    }

    void harvest(boolean enabled) {
        harvest = enabled;
    }

    /** The next {@code times} calls of {@code action} ("*": any, "download": the download route) answer {@code status}. */
    void fail(String action, int status, int times) {
        failureStatus.put(action, status);
        failures.put(action, new AtomicInteger(times));
    }

    /** Every package_create/update/patch of the dataset with this name answers {@code status}. */
    void failDataset(String name, int status) {
        datasets.failDataset(name, status);
    }

    long calls(String action) {
        return calls.getOrDefault(action, new AtomicLong()).get();
    }

    long totalCalls() {
        return calls.values().stream().mapToLong(AtomicLong::get).sum();
    }

    void resetCalls() {
        calls.clear();
    }

    // ---- seeding, as if the records were in CKAN's database already

    void putDataset(JsonNode packageShowDict) {
        datasets.put(packageShowDict);
    }

    void putOrganization(JsonNode organization) {
        groups.put(organization, true);
    }

    void putOrganization(String id, String name) {
        groups.put(JSON.createObjectNode().put("id", id).put("name", name).put("title", name), true);
    }

    void putGroup(JsonNode group) {
        groups.put(group, false);
    }

    void putUser(JsonNode user) {
        users.put(user);
    }

    void putMember(String orgOrGroupName, String userName, String capacity) {
        ObjectNode g = groups.find(orgOrGroupName).orElseThrow(() -> new IllegalArgumentException(orgOrGroupName));
        ObjectNode u = users.find(userName).orElseThrow(() -> new IllegalArgumentException(userName));
        groups.putMember(g.get("id").asText(), u.get("id").asText(), capacity);
    }

    void putUpload(String resourceId, byte[] bytes) {
        resources.putFile(resourceId, bytes);
    }

    /** The stored file of an upload resource is lost, its record stays: the download answers 404 with a page. */
    void removeUpload(String resourceId) {
        resources.removeFile(resourceId);
    }

    /** An image uploaded to the organization, group (type group) or user (type user) of that name. */
    void putImage(String type, String name, String fileName, byte[] bytes) {
        String stored = images.store(type, fileName, bytes);
        if (type.equals("user")) {
            ObjectNode u = users.find(name).orElseThrow(() -> new IllegalArgumentException(name)).deepCopy();
            users.put(u.put("image_url", stored));
        } else {
            ObjectNode g = groups.find(name).orElseThrow(() -> new IllegalArgumentException(name)).deepCopy();
            groups.put(g.put("image_url", stored), g.path("is_organization").asBoolean());
        }
    }

    /** The bytes of an uploaded image, by its stored name (image_url). */
    Optional<byte[]> image(String type, String storedName) {
        return images.file(type, storedName);
    }

    void putHarvestSource(JsonNode source) {
        ObjectNode s = source.deepCopy();
        s.put("type", CkanEmulatorDatasets.HARVEST);
        datasets.put(s);
    }

    String tokenFor(String userName) {
        return users.issueToken(users.find(userName).orElseThrow(() -> new IllegalArgumentException(userName))
                .get("id").asText());
    }

    // ---- reading back

    /** The dataset as package_show gives it to a sysadmin. */
    Optional<ObjectNode> dataset(String idOrName) {
        return datasets.find(idOrName).filter(d -> !CkanEmulatorDatasets.isHarvest(d)).map(datasets::dictize);
    }

    /**
     * The organization as stored: what was written plus CKAN's defaults (id, state, type, created, extras as
     * {key, value} sorted by key), without what organization_show computes (package_count, users, ...), so that a
     * test sees what a migration wrote.
     */
    Optional<ObjectNode> organization(String idOrName) {
        return groups.find(idOrName, true).map(ObjectNode::deepCopy);
    }

    Optional<ObjectNode> group(String idOrName) {
        return groups.find(idOrName, false).map(ObjectNode::deepCopy);
    }

    /** The user as user_show gives it to a sysadmin. */
    Optional<ObjectNode> user(String idOrName) {
        return users.find(idOrName).map(u -> users.dictize(u, users.find("ckan_admin")));
    }

    Optional<ObjectNode> harvestSource(String idOrName) {
        return datasets.find(idOrName).filter(CkanEmulatorDatasets::isHarvest).map(datasets::harvestDict);
    }

    /** User name → capacity (lowercase). */
    Map<String, String> members(String orgOrGroupName) {
        return groups.find(orgOrGroupName).map(g -> groups.members(g.get("id").asText())).orElse(Map.of());
    }

    Optional<byte[]> upload(String resourceId) {
        return resources.file(resourceId);
    }

    /** Packages of any type but harvest, in any state. */
    int datasetCount() {
        return datasets.count(false);
    }

    // ---- shared rules

    /** CKAN's name validator message, or null for a valid name. */
    static String nameError(String name) {
        if (name == null || name.isEmpty()) {
            return "Missing value";
        }
        return NAME.matcher(name).matches() ? null
                : "Must be purely lowercase alphanumeric (ascii) characters and these symbols: -_";
    }

    /** A UTC timestamp as CKAN writes them (no zone, microseconds), strictly increasing across calls. */
    static String now() {
        long micros = ChronoUnit.MICROS.between(LocalDateTime.of(1970, 1, 1, 0, 0), LocalDateTime.now(ZoneOffset.UTC));
        long next = LAST_MICROS.accumulateAndGet(micros, (last, m) -> Math.max(last + 1, m));
        return MICROS.format(LocalDateTime.of(1970, 1, 1, 0, 0).plus(next, ChronoUnit.MICROS));
    }

    // ---- HTTP

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            sleep();
            String path = exchange.getRequestURI().getPath();
            Matcher download = DOWNLOAD.matcher(path);
            if (path.startsWith("/api/3/action/")) {
                action(exchange, path.substring("/api/3/action/".length()));
            } else if (download.matches()) {
                download(exchange, download);
            } else if (UPLOADED_IMAGE.matcher(path).matches()) {
                image(exchange, UPLOADED_IMAGE.matcher(path));
            } else {
                CkanEmulatorHttp.send(exchange, CkanEmulatorAnswer.page(404, "Page not found"), "");
            }
        } catch (RuntimeException e) {
            CkanEmulatorHttp.send(exchange, CkanEmulatorAnswer.injected(500), "");
        }
    }

    private void action(HttpExchange exchange, String action) throws IOException {
        count(action);
        String help = url() + "/api/3/action/help_show?name=" + action;
        try {
            failIfAsked(action);
            Function<CkanEmulatorCall, JsonNode> handler = actions.get(action);
            if (handler == null && harvest) {
                handler = harvestActions.get(action);
            }
            if (handler == null) {
                throw CkanEmulatorAnswer.unknownAction(action);
            }
            JsonNode result = handler.apply(CkanEmulatorHttp.call(exchange, action, viewer(exchange)));
            CkanEmulatorHttp.sendResult(exchange, help, result);
        } catch (CkanEmulatorAnswer answer) {
            CkanEmulatorHttp.send(exchange, answer, help);
        }
    }

    private void download(HttpExchange exchange, Matcher path) throws IOException {
        count("download");
        try {
            failIfAsked("download");
            CkanEmulatorCall call = new CkanEmulatorCall("download", Map.of(), JSON.createObjectNode(),
                    Optional.empty(), viewer(exchange));
            CkanEmulatorHttp.send(exchange, resources.download(decode(path.group(1)), decode(path.group(2)),
                    Optional.ofNullable(path.group(3)).map(CkanEmulator::decode), call));
        } catch (CkanEmulatorAnswer answer) {
            CkanEmulatorHttp.send(exchange, answer, "");
        }
    }

    /** The static route of uploaded images: public, as CKAN serves {@code storage/uploads}. */
    private void image(HttpExchange exchange, Matcher path) throws IOException {
        count("image");
        path.matches();
        Optional<byte[]> file = images.file(path.group(1), decode(path.group(2)));
        if (file.isEmpty()) {
            CkanEmulatorHttp.send(exchange, CkanEmulatorAnswer.page(404, "Not Found"), "");
            return;
        }
        String name = path.group(2).toLowerCase();
        CkanEmulatorHttp.send(exchange, new CkanEmulatorResources.Download(200, Map.of("Content-Type",
                name.endsWith(".png") ? "image/png" : name.endsWith(".jpg") || name.endsWith(".jpeg") ? "image/jpeg"
                        : "application/octet-stream"), file.get()));
    }

    private Optional<ObjectNode> viewer(HttpExchange exchange) {
        String token = exchange.getRequestHeaders().getFirst("Authorization");
        if (token != null && token.startsWith("Bearer ")) {
            token = token.substring("Bearer ".length());
        }
        return users.byToken(token);
    }

    private void count(String action) {
        calls.computeIfAbsent(action, a -> new AtomicLong()).incrementAndGet();
    }

    private void failIfAsked(String action) {
        for (String key : new String[] {action, "*"}) {
            AtomicInteger left = failures.get(key);
            if (left != null && left.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                throw CkanEmulatorAnswer.injected(failureStatus.get(key));
            }
        }
    }

    private void sleep() {
        if (!latency.isZero()) {
            try {
                Thread.sleep(latency.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static String decode(String segment) {
        return URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
