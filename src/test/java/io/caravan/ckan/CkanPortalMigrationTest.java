package io.caravan.ckan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.caravan.testing.Rejects;
import io.caravan.testing.TestHome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Whole portals moved between two emulated CKAN 2.10 (the emulator is held to a real one's recording by
 * {@link CkanEmulatorConformanceTest}), seeded with real records from data.gov.uk, HDX and Open Canada.
 */
class CkanPortalMigrationTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path API = Path.of("../shared/fixtures/ckan/api");
    private static final Path CANADA = Path.of("../shared/fixtures/ckan/jsonl/canada_obd_sample_2.datasets.jsonl");
    static final List<String> IN_ORDER = List.of("ckan-users", "ckan-organizations", "ckan-groups",
            "ckan-memberships", "ckan-datasets", "ckan-resource-files");

    @TempDir
    Path dir;

    @Test
    void should_move_users_organizations_groups_memberships_datasets_and_uploaded_files_equal() throws Exception {
        try (CkanEmulator source = new CkanEmulator(); CkanEmulator target = new CkanEmulator()) {
            Seed seed = seedPortal(source);
            TestHome home = portalJobs(source, target, CkanEmulator.SYSADMIN_TOKEN);

            List<String> run = new ArrayList<>(List.of("run"));
            run.addAll(IN_ORDER);
            assertThat(home.caravan(run.toArray(String[]::new))).isZero();

            for (JsonNode user : seed.users) {
                ObjectNode copy = target.user(user.get("name").asText()).orElseThrow();
                for (String field : List.of("name", "fullname", "email", "about", "state")) {
                    assertThat(copy.get(field)).as(user.get("name") + " " + field).isEqualTo(user.get(field));
                }
            }
            for (JsonNode org : seed.organizations) {
                ObjectNode copy = target.organization(org.get("name").asText()).orElseThrow();
                for (String field : List.of("id", "title", "description", "image_url", "extras")) {
                    assertThat(copy.get(field)).as(org.get("name") + " " + field).isEqualTo(org.get(field));
                }
                // the sysadmin who created the organization at the target is its admin too, as CKAN does
                assertThat(target.members(org.get("name").asText())).as("members of " + org.get("name"))
                        .containsAllEntriesOf(source.members(org.get("name").asText()));
            }
            for (JsonNode group : seed.groups) {
                ObjectNode copy = target.group(group.get("name").asText()).orElseThrow();
                assertThat(copy.get("title")).isEqualTo(group.get("title"));
                assertThat(source.members(group.get("name").asText())).isNotEmpty();
                assertThat(target.members(group.get("name").asText()))
                        .containsAllEntriesOf(source.members(group.get("name").asText()));
            }
            for (String name : seed.datasets) {
                assertCarried(source.dataset(name).orElseThrow(), target.dataset(name).orElseThrow());
            }
            int files = 0;
            for (String name : seed.datasets) {
                for (JsonNode r : source.dataset(name).orElseThrow().get("resources")) {
                    if ("upload".equals(r.path("url_type").asText())) {
                        assertThat(target.upload(r.get("id").asText())).as("file of " + r.get("id"))
                                .hasValueSatisfying(b -> assertThat(b).isEqualTo(source.upload(r.get("id").asText())
                                        .orElseThrow()));
                        files++;
                    }
                }
            }
            assertThat(files).as("uploaded files, the private dataset's among them").isEqualTo(9 + 9);
            assertThat(target.dataset("private-copy-of-unesco").orElseThrow().get("private").asBoolean()).isTrue();

            // nothing changed: a second pass writes nothing and downloads nothing
            source.resetCalls();
            target.resetCalls();
            assertThat(home.caravan(run.toArray(String[]::new))).isZero();
            assertThat(source.calls("download")).isZero();
            for (String write : List.of("user_create", "user_update", "organization_create", "organization_update",
                    "group_create", "group_update", "organization_member_create", "group_member_create",
                    "package_create", "package_update", "resource_patch")) {
                assertThat(target.calls(write)).as(write).isZero();
            }

            // a file replaced at the source: only it travels again
            JsonNode unesco = source.dataset("unesco-data-for-zimbabwe").orElseThrow();
            String replaced = unesco.get("resources").get(0).get("id").asText();
            byte[] newBytes = "a new version of the file\n".getBytes();
            source.putUpload(replaced, newBytes);
            ObjectNode bumped = unesco.deepCopy();
            ((ObjectNode) bumped.get("resources").get(0)).put("last_modified", "2031-01-01T00:00:00")
                    .put("size", newBytes.length);
            bumped.put("metadata_modified", "2031-01-01T00:00:01");
            source.putDataset(bumped);
            source.resetCalls();
            assertThat(home.caravan("run", "ckan-datasets", "ckan-resource-files")).isZero();
            assertThat(source.calls("download")).isEqualTo(1);
            assertThat(target.upload(replaced)).hasValue(newBytes);
        }
    }

    @Test
    void should_reject_a_file_whose_download_fails_and_never_upload_the_error_page() throws Exception {
        try (CkanEmulator source = new CkanEmulator(); CkanEmulator target = new CkanEmulator()) {
            Seed seed = seedPortal(source);
            TestHome home = portalJobs(source, target, CkanEmulator.SYSADMIN_TOKEN);
            assertThat(home.caravan("run", "ckan-organizations", "ckan-groups", "ckan-datasets")).isZero();
            JsonNode unesco = source.dataset("unesco-data-for-zimbabwe").orElseThrow();
            String lost = unesco.get("resources").get(1).get("id").asText();
            source.removeUpload(lost); // on the record, but its file is gone: CKAN answers 404 with a page
            source.fail("download", 403, 1); // and one download is refused, with a page

            assertThat(home.caravan("run", "ckan-resource-files")).isEqualTo(3);

            Map<String, JsonNode> rejects = Rejects.ofLatestRun(home.data(), "ckan-resource-files");
            assertThat(rejects).hasSize(2);
            assertThat(rejects.get(lost).get("reason").asText()).contains("answered HTTP 404")
                    .contains("the error page is not the file");
            assertThat(rejects.values()).filteredOn(r -> r.get("reason").asText().contains("answered HTTP 403"))
                    .hasSize(1);
            int arrived = 0;
            for (String name : seed.datasets) {
                for (JsonNode r : source.dataset(name).orElseThrow().get("resources")) {
                    if ("upload".equals(r.path("url_type").asText())) {
                        String id = r.get("id").asText();
                        assertThat(target.upload(id).isPresent()).as("file " + id + " arrived, or was rejected"
                                + " and nothing was uploaded").isEqualTo(!rejects.containsKey(id));
                        arrived += rejects.containsKey(id) ? 0 : 1;
                    }
                }
            }
            assertThat(arrived).isEqualTo(18 - 2);
        }
    }

    @Test
    void should_resume_a_killed_load_with_nothing_duplicated_or_missing_then_touch_only_three_changed_datasets()
            throws Exception {
        try (CkanEmulator source = new CkanEmulator(); CkanEmulator target = new CkanEmulator()) {
            JsonNode template = JSON.readTree(API.resolve("ckan_functional_tests_datagovuk/package_show.json")
                    .toFile()).get("result");
            target.putOrganization(template.get("organization"));
            int count = 300;
            for (int i = 0; i < count; i++) {
                ObjectNode d = template.deepCopy();
                d.put("id", String.format("00000000-0000-0000-0000-%012d", i)).put("name", "dataset-" + i)
                        .put("title", "Dataset " + i);
                source.putDataset(d);
            }
            target.latency(Duration.ofMillis(40));
            TestHome home = new TestHome(dir.resolve("home"));
            home.job("ckan-datasets", TestHome.merge(portals(source, target, CkanEmulator.SYSADMIN_TOKEN),
                    Map.of("source.page-size", "50", "caravan.workers", "4")));

            Process run = home.start(dir.resolve("killed.log"), List.of(), "run", "ckan-datasets");
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (target.datasetCount() < 40 && run.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(run.isAlive()).as("still loading when killed").isTrue();
            run.destroyForcibly().waitFor();
            assertThat(target.datasetCount()).isBetween(40, count - 1);

            target.latency(Duration.ZERO);
            assertThat(home.caravan("run", "ckan-datasets")).isZero();
            assertThat(target.datasetCount()).as("each dataset once").isEqualTo(count);
            for (int i = 0; i < count; i++) {
                assertThat(target.dataset("dataset-" + i).orElseThrow().get("title").asText())
                        .isEqualTo("Dataset " + i);
            }

            Map<String, String> before = new HashMap<>();
            for (int i = 0; i < count; i++) {
                before.put("dataset-" + i, target.dataset("dataset-" + i).orElseThrow().get("metadata_modified")
                        .asText());
            }
            Set<Integer> changed = Set.of(7, 150, 299);
            for (int i : changed) {
                ObjectNode d = source.dataset("dataset-" + i).orElseThrow().deepCopy();
                d.put("title", "Dataset " + i + ", revised").put("metadata_modified", "2035-01-01T00:00:00");
                source.putDataset(d);
            }
            source.resetCalls();
            target.resetCalls();
            assertThat(home.caravan("run", "ckan-datasets")).isZero();
            assertThat(source.calls("package_search")).as("only the changed ones listed: a page, and the empty one"
                    + " that ends the listing").isEqualTo(2);
            assertThat(target.calls("package_update")).isEqualTo(3);
            for (int i = 0; i < count; i++) {
                JsonNode d = target.dataset("dataset-" + i).orElseThrow();
                if (changed.contains(i)) {
                    assertThat(d.get("title").asText()).endsWith(", revised");
                } else {
                    assertThat(d.get("metadata_modified").asText()).as("untouched").isEqualTo(before.get("dataset-" + i));
                }
            }
        }
    }

    @Test
    void should_load_a_ckanapi_dump_and_dump_the_portal_for_the_same_loader_rejecting_a_malformed_line()
            throws Exception {
        try (CkanEmulator first = new CkanEmulator(); CkanEmulator second = new CkanEmulator()) {
            for (CkanEmulator portal : List.of(first, second)) {
                portal.putOrganization("0b26c3a8-statcan", "statcan");
            }
            List<String> lines = Files.readAllLines(CANADA);
            Path dump = dir.resolve("canada.jsonl.gz");
            try (OutputStream gz = new GZIPOutputStream(Files.newOutputStream(dump))) {
                for (String line : lines) {
                    gz.write((line + "\n").getBytes());
                }
                gz.write("{\"id\": \"cut-short\", \"title\": \"a dump cut mid-rec\n".getBytes());
            }
            Path files = Files.createDirectories(dir.resolve("canada.jsonl.gz.files")); // the uploads' files
            for (String line : lines) {
                for (JsonNode r : JSON.readTree(line).path("resources")) {
                    if ("upload".equals(r.path("url_type").asText())) {
                        Files.write(files.resolve(r.get("id").asText()), bytes(r.get("id").asText(),
                                r.path("size").asInt(300)));
                    }
                }
            }
            TestHome home = new TestHome(dir.resolve("home"));
            Map<String, String> load = Map.of("source.type", "ckan-jsonl", "source.records", "datasets",
                    "target.type", "ckan", "target.api-token", CkanEmulator.SYSADMIN_TOKEN);
            home.job("ckan-load-datasets", TestHome.merge(load, Map.of("source.file", dump.toString(),
                    "target.url", first.url())));
            assertThat(home.caravan("run", "ckan-load-datasets")).isEqualTo(3);
            assertThat(Rejects.ofLatestRun(home.data(), "ckan-load-datasets")).containsOnlyKeys("line 5");

            Path ours = dir.resolve("dump.jsonl");
            home.job("ckan-dump-datasets", Map.of("source.type", "ckan", "source.url", first.url(),
                    "source.api-token", CkanEmulator.SYSADMIN_TOKEN, "target.type", "ckan-jsonl",
                    "target.file", ours.toString()));
            home.job("ckan-dump-resource-files", Map.of("source.type", "ckan", "source.url", first.url(),
                    "source.api-token", CkanEmulator.SYSADMIN_TOKEN, "source.records", "resource-files",
                    "target.type", "folder", "target.root", ours + ".files"));
            assertThat(home.caravan("run", "ckan-dump-datasets", "ckan-dump-resource-files")).isZero();
            assertThat(Files.readAllLines(ours)).hasSize(4);

            TestHome again = new TestHome(dir.resolve("again"));
            again.job("ckan-load-datasets", TestHome.merge(load, Map.of("source.file", ours.toString(),
                    "target.url", second.url())));
            assertThat(again.caravan("run", "ckan-load-datasets")).isZero();
            for (String line : lines) {
                JsonNode original = JSON.readTree(line);
                String name = original.get("name").asText();
                JsonNode loaded = second.dataset(name).orElseThrow();
                assertCarried(first.dataset(name).orElseThrow(), loaded);
                for (String field : List.of("title_translated", "notes_translated", "type", "keywords")) {
                    assertThat(loaded.get(field)).as(name + " " + field).isEqualTo(original.get(field));
                }
                assertThat(loaded.path("organization").path("name").asText()).isEqualTo("statcan");
            }
        }
    }

    @Test
    void should_reject_what_the_target_keeps_failing_through_a_500_storm_and_load_the_rest() throws Exception {
        try (CkanEmulator source = new CkanEmulator(); CkanEmulator target = new CkanEmulator()) {
            Seed seed = seedPortal(source);
            TestHome home = portalJobs(source, target, CkanEmulator.SYSADMIN_TOKEN);
            assertThat(home.caravan("run", "ckan-organizations", "ckan-groups")).isZero();
            String doomed = "organisation-chart-cbc";
            target.failDataset(doomed, 500);
            target.fail("package_create", 503, 6); // a storm the retries ride out

            assertThat(home.caravan("run", "ckan-datasets")).isEqualTo(3);

            Map<String, JsonNode> rejects = Rejects.ofLatestRun(home.data(), "ckan-datasets");
            assertThat(rejects).hasSize(1);
            JsonNode reject = rejects.values().iterator().next();
            assertThat(reject.get("reason").asText()).contains("HTTP 500");
            assertThat(source.dataset(doomed).orElseThrow().get("id").asText()).isEqualTo(reject.get("key").asText());
            for (String name : seed.datasets) {
                assertThat(target.dataset(name).isPresent()).as(name).isEqualTo(!name.equals(doomed));
            }
        }
    }

    @Test
    void should_leave_deleted_datasets_behind_unless_asked_and_write_nothing_on_a_dry_run() throws Exception {
        try (CkanEmulator source = new CkanEmulator(); CkanEmulator target = new CkanEmulator()) {
            JsonNode template = JSON.readTree(API.resolve("ckan_functional_tests_datagovuk/package_show.json")
                    .toFile()).get("result");
            target.putOrganization(template.get("organization"));
            source.putDataset(template);
            ObjectNode deleted = template.deepCopy();
            deleted.put("id", "deleted-0000").put("name", "a-deleted-dataset").put("state", "deleted");
            source.putDataset(deleted);
            TestHome home = new TestHome(dir.resolve("home"));
            home.job("ckan-datasets", portals(source, target, CkanEmulator.SYSADMIN_TOKEN));

            assertThat(home.caravan("run", "--dry-run", "ckan-datasets")).isZero();
            assertThat(target.datasetCount()).as("a dry run writes nothing").isZero();
            String plan = Files.readString(Rejects.latestRun(home.data(), "ckan-datasets").resolve("report.txt"));
            assertThat(plan).containsPattern("new\\s+1\\b");

            assertThat(home.caravan("run", "ckan-datasets")).isZero();
            assertThat(target.dataset("a-deleted-dataset")).isEmpty();
            assertThat(target.dataset(template.get("name").asText())).isPresent();

            home.job("ckan-datasets", TestHome.merge(portals(source, target, CkanEmulator.SYSADMIN_TOKEN),
                    Map.of("source.include-deleted", "true", "source.modified-since", "all")));
            assertThat(home.caravan("run", "ckan-datasets")).isZero();
            assertThat(target.dataset("a-deleted-dataset").orElseThrow().get("state").asText()).isEqualTo("deleted");
            String report = Files.readString(Rejects.latestRun(home.data(), "ckan-datasets").resolve("report.txt"));
            assertThat(report).containsPattern("created\\s+1\\b").containsPattern("unchanged\\s+1\\b");
        }
    }

    @Test
    void should_move_active_harvest_sources_converted_for_data_gov_uk() throws Exception {
        try (CkanEmulator source = new CkanEmulator(); CkanEmulator target = new CkanEmulator()) {
            source.harvest(true);
            target.harvest(true);
            source.putOrganization("org-1", "a-publisher");
            target.putOrganization("org-1", "a-publisher");
            Map<String, String> types = Map.of("gemini-single", "single-doc", "gemini-csw", "csw",
                    "gemini-waf", "waf", "data_json", "dcat_json");
            types.keySet().forEach(type -> source.putHarvestSource(harvestSource("src-" + type.replace('_', '-'),
                    type, true)));
            source.putHarvestSource(harvestSource("src-retired", "gemini-waf", false));
            TestHome home = new TestHome(dir.resolve("home"));
            home.job("ckan-datagovuk-harvest-sources", TestHome.merge(portals(source, target,
                    CkanEmulator.SYSADMIN_TOKEN), Map.of("source.records", "harvest-sources", "convert.jq",
                    Path.of("config/convert/datagovuk-harvest-sources.jq").toAbsolutePath().toString())));

            assertThat(home.caravan("run", "ckan-datagovuk-harvest-sources")).isZero();

            types.forEach((from, to) -> {
                JsonNode moved = target.harvestSource("src-" + from.replace('_', '-')).orElseThrow();
                assertThat(moved.get("source_type").asText()).isEqualTo(to);
                assertThat(moved.get("url").asText()).isEqualTo("https://example.org/" + from);
            });
            assertThat(target.harvestSource("src-retired")).isEmpty();
            assertThat(target.datasetCount()).as("harvest sources are not datasets").isZero();

            // verify compares what the conversion wrote (renamed source types), and the one it dropped is no loss
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            PrintStream stdout = System.out;
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            try {
                assertThat(home.caravan("verify", "ckan-datagovuk-harvest-sources")).as(out.toString()).isZero();
            } finally {
                System.setOut(stdout);
            }
            assertThat(out.toString()).contains("5 match, 0 missing, 0 differ, 0 pending, 0 extra");
        }
    }

    private static ObjectNode harvestSource(String name, String type, boolean active) {
        return JSON.createObjectNode().put("id", "id-" + name).put("name", name).put("title", name)
                .put("type", "harvest").put("source_type", type).put("url", "https://example.org/"
                        + type).put("frequency", "WEEKLY").put("active", active).put("owner_org", "org-1");
    }

    /** Every field of the source dataset arrives, but those each portal computes. */
    private static void assertCarried(JsonNode source, JsonNode target) {
        Set<String> computed = Set.of("metadata_modified", "metadata_created", "revision_id", "num_resources",
                "num_tags", "organization", "owner_org", "resources", "groups", "tracking_summary", "isopen",
                "relationships_as_subject", "relationships_as_object", "creator_user_id", "tags", "url");
        source.fieldNames().forEachRemaining(field -> {
            if (!computed.contains(field)) {
                assertThat(target.get(field)).as(source.get("name") + " " + field).isEqualTo(source.get(field));
            }
        });
        assertThat(target.path("organization").path("name")).isEqualTo(source.path("organization").path("name"));
        assertThat(names(target.path("groups"))).isEqualTo(names(source.path("groups")));
        assertThat(names(target.path("tags"))).isEqualTo(names(source.path("tags")));
        CkanMigrationTest.assertSameResources(target.get("resources"), source.get("resources"));
    }

    private static List<String> names(JsonNode list) {
        List<String> names = new ArrayList<>();
        list.forEach(n -> names.add(n.path("name").asText()));
        return names;
    }

    private TestHome portalJobs(CkanEmulator source, CkanEmulator target, String sourceToken) {
        TestHome home = new TestHome(dir.resolve("home"));
        Map<String, String> portals = portals(source, target, sourceToken);
        Map<String, String> records = Map.of("ckan-users", "users", "ckan-organizations", "organizations",
                "ckan-groups", "groups", "ckan-memberships", "memberships", "ckan-datasets", "datasets",
                "ckan-resource-files", "resource-files");
        records.forEach((job, kind) -> home.job(job, TestHome.merge(portals, Map.of("source.records", kind))));
        return home;
    }

    /** Both portals have a sysadmin ckan_admin of their own: the target's is merged with the source's, by name. */
    static Map<String, String> portals(CkanEmulator source, CkanEmulator target, String sourceToken) {
        return Map.of("source.type", "ckan", "source.url", source.url(), "source.api-token", sourceToken,
                "source.page-size", "3", "target.type", "ckan", "target.url", target.url(),
                "target.api-token", CkanEmulator.SYSADMIN_TOKEN, "caravan.workers", "4",
                "caravan.retry-delay-ms", "20", "target.merge-users-by-name", "true");
    }

    /** What a portal was seeded with, to compare the target against. */
    record Seed(List<JsonNode> users, List<JsonNode> organizations, List<JsonNode> groups,
                        List<String> datasets) {
    }

    /**
     * Real users (HDX), organizations (data.gov.uk), datasets (data.gov.uk, HDX, and a private copy of the HDX one)
     * with their organizations and groups, memberships, and a file of the recorded size for every upload.
     */
    static Seed seedPortal(CkanEmulator portal) throws IOException {
        List<JsonNode> users = new ArrayList<>();
        for (JsonNode u : JSON.readTree(API.resolve("hdx_python_api/user_list.mock_response.json").toFile())
                .get("result")) {
            // the HDX mock lists "MyUser1" twice, with one id and two e-mails; CKAN names are lowercase and unique
            ObjectNode user = u.deepCopy();
            String n = Integer.toString(users.size());
            String id = user.get("id").asText();
            user.put("name", user.get("name").asText().toLowerCase() + "-" + n)
                    .put("id", id.substring(0, id.length() - n.length()) + n);
            portal.putUser(user);
            users.add(user);
        }
        List<JsonNode> organizations = new ArrayList<>();
        JsonNode cabinetOffice = JSON.readTree(API.resolve(
                "ckan_functional_tests_datagovuk/organization_show.result_only.cabinet-office.json").toFile());
        portal.putOrganization(cabinetOffice);
        organizations.add(cabinetOffice);

        List<JsonNode> datasets = new ArrayList<>();
        JSON.readTree(API.resolve("ckan_functional_tests_datagovuk/package_search.json").toFile())
                .at("/result/results").forEach(datasets::add);
        JsonNode unesco = JSON.readTree(API.resolve("hdx_python_api/unesco_dataset.package_show_result.json")
                .toFile());
        datasets.add(unesco);
        ObjectNode hidden = unesco.deepCopy();
        hidden.put("id", "11111111-2222-3333-4444-555555555555").put("name", "private-copy-of-unesco")
                .put("private", true);
        hidden.withArray("resources").forEach(r -> ((ObjectNode) r).put("id", "p" + r.get("id").asText().substring(1))
                .put("package_id", hidden.get("id").asText()));
        datasets.add(hidden);
        List<JsonNode> groups = new ArrayList<>();
        for (JsonNode d : datasets) {
            d.path("groups").forEach(g -> {
                if (groups.stream().noneMatch(x -> x.get("name").equals(g.get("name")))) {
                    portal.putGroup(g);
                    groups.add(g);
                }
            });
            portal.putDataset(d);
            JsonNode org = d.get("organization");
            if (organizations.stream().noneMatch(o -> o.get("name").equals(org.get("name")))) {
                organizations.add(portal.organization(org.get("name").asText()).orElseThrow());
            }
            for (JsonNode r : d.get("resources")) {
                if ("upload".equals(r.path("url_type").asText())) {
                    portal.putUpload(r.get("id").asText(), bytes(r.get("id").asText(),
                            r.path("size").asInt(1000)));
                }
            }
        }
        String admin = users.get(0).get("name").asText();
        String editor = users.get(users.size() - 1).get("name").asText();
        portal.putMember("cabinet-office", admin, "admin");
        portal.putMember("cabinet-office", editor, "editor");
        portal.putMember("unesco", editor, "member");
        portal.putMember(groups.get(0).get("name").asText(), admin, "member");
        return new Seed(users, organizations, groups,
                datasets.stream().map(d -> d.get("name").asText()).collect(Collectors.toList()));
    }

    /** A file's bytes, the same for the same resource. */
    private static byte[] bytes(String id, int size) {
        byte[] b = new byte[size];
        new Random(id.hashCode()).nextBytes(b);
        return b;
    }
}
