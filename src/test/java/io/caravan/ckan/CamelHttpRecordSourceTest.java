package io.caravan.ckan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.caravan.testing.TestHome;
import io.caravan.testing.Trees;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A paged JSON API as a Camel record source: CKAN's package_search through camel-http, {@code rows}/{@code start}
 * pages of 4, each dataset one JSON file. The first test runs the shipped job, http-api-to-folder, with its address,
 * token and folder set.
 */
class CamelHttpRecordSourceTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int DATASETS = 19;
    private static final int PAGE = 4;

    @TempDir
    Path dir;

    @Test
    void should_page_the_api_into_one_file_per_record_then_write_nothing_then_only_the_changed_one()
            throws Exception {
        try (CkanEmulator ckan = portal()) {
            Path folder = dir.resolve("datasets");
            TestHome home = new TestHome(dir.resolve("shipped"));
            Files.copy(Path.of("config/jobs/http-api-to-folder.properties"),
                    home.path().resolve("config/jobs/http-api-to-folder.properties"));
            String[] run = {"run", "http-api-to-folder", "--set", "source.uri=" + ckan.url()
                    + "/api/3/action/package_search?sort=name%20asc&include_private=true", "--set",
                    "source.header.Authorization=" + CkanEmulator.SYSADMIN_TOKEN, "--set", "source.page-size=" + PAGE,
                    "--set", "target.root=" + folder, "--set", "caravan.queue-size=3"};

            assertThat(home.caravan(run)).isZero();
            long pages = (DATASETS + PAGE - 1) / PAGE + 1; // the last one empty
            assertThat(ckan.calls("package_search")).isEqualTo(pages);
            assertEveryDatasetIsItsFile(ckan, folder);

            Trees.markWritten(folder);
            ckan.resetCalls();
            assertThat(home.caravan(run)).isZero();
            assertThat(ckan.calls("package_search")).as("the rerun pages the listing again").isEqualTo(pages);
            assertThat(ckan.totalCalls()).as("and asks nothing else").isEqualTo(pages);
            JsonNode plan = latestReport(home, "http-api-to-folder").get("plan");
            assertThat(plan.at("/unchanged/items").asLong()).isEqualTo(DATASETS);
            assertThat(Trees.rewrittenSinceMarked(folder)).as("an unchanged rerun writes nothing").isZero();

            ObjectNode changed = ckan.dataset("dataset-07").orElseThrow().deepCopy();
            ckan.putDataset(changed.put("title", "Changed at the source"));
            assertThat(home.caravan(run)).isZero();
            plan = latestReport(home, "http-api-to-folder").get("plan");
            assertThat(plan.at("/changed/items").asLong()).isEqualTo(1);
            assertThat(plan.at("/unchanged/items").asLong()).isEqualTo(DATASETS - 1);
            assertThat(Trees.rewrittenSinceMarked(folder)).isEqualTo(1);
            assertThat(JSON.readTree(folder.resolve("dataset-07.json").toFile()).get("title").asText())
                    .isEqualTo("Changed at the source");
            assertEveryDatasetIsItsFile(ckan, folder);

            String[] verify = run.clone();
            verify[0] = "verify";
            assertThat(home.run(verify).exit()).isZero();
            Files.delete(folder.resolve("dataset-03.json"));
            TestHome.Ran missing = home.run(verify);
            assertThat(missing.exit()).isEqualTo(3);
            assertThat(missing.out()).contains("- dataset-03");
        }
    }

    @Test
    void should_stop_with_the_address_and_status_when_a_page_fails() throws Exception {
        try (CkanEmulator ckan = portal()) {
            Path folder = dir.resolve("never");
            TestHome home = job(ckan, folder, Map.of());
            ckan.fail("package_search", 503, 100);

            TestHome.Ran run = home.run("run", "datasets");

            assertThat(run.exit()).isEqualTo(2);
            assertThat(run.err()).contains("package_search?sort=name%20asc&include_private=true&start=0&rows=4")
                    .contains("HTTP 503");
            assertThat(folder).satisfiesAnyOf(f -> assertThat(f).doesNotExist(), f -> assertThat(f).isEmptyDirectory());
        }
    }

    @Test
    void should_need_source_key_for_an_http_source() throws Exception {
        try (CkanEmulator ckan = portal()) {
            Path folder = dir.resolve("never");
            Map<String, String> settings = new HashMap<>(settings(ckan, folder));
            settings.remove("source.key");
            TestHome home = new TestHome(dir.resolve("home")).route("datasets").job("datasets", settings);

            TestHome.Ran run = home.run("run", "datasets");

            assertThat(run.exit()).isEqualTo(2);
            assertThat(run.err()).contains("source.key is needed");
            assertThat(ckan.calls("package_search")).isZero();
        }
    }

    @Test
    void should_reject_a_record_without_a_key_and_copy_the_others() throws Exception {
        try (CkanEmulator ckan = portal()) {
            Path folder = dir.resolve("datasets");
            TestHome home = job(ckan, folder, Map.of("source.key", "${body[notes_key]}"));
            ObjectNode keyed = ckan.dataset("dataset-02").orElseThrow().deepCopy();
            ckan.putDataset(keyed.put("notes_key", "only-one"));

            TestHome.Ran run = home.run("run", "datasets");

            assertThat(run.exit()).isEqualTo(3);
            assertThat(folder.resolve("only-one.json")).exists();
            assertThat(run.output()).contains("source.key gave no key for record");
            assertThat(latestReport(home).at("/plan/rejected/items").asLong()).isEqualTo(DATASETS - 1);
        }
    }

    private CkanEmulator portal() throws Exception {
        CkanEmulator ckan = new CkanEmulator();
        JsonNode template = JSON.readTree(Path.of("../shared/fixtures/ckan/api/ckan_functional_tests_datagovuk/"
                + "package_show.json").toFile()).get("result");
        ckan.putOrganization(template.get("organization"));
        for (int i = 0; i < DATASETS; i++) {
            ObjectNode d = template.deepCopy();
            ckan.putDataset(d.put("id", "dataset-id-" + i).put("name", String.format("dataset-%02d", i))
                    .put("private", i == 11)); // seen only by a reader with a token
        }
        return ckan;
    }

    private TestHome job(CkanEmulator ckan, Path folder, Map<String, String> more) {
        Map<String, String> settings = new HashMap<>(settings(ckan, folder));
        settings.putAll(more);
        return new TestHome(dir.resolve("home")).route("datasets").job("datasets", settings);
    }

    private static Map<String, String> settings(CkanEmulator ckan, Path folder) {
        return Map.ofEntries(Map.entry("source.type", "camel"),
                Map.entry("source.uri", ckan.url() + "/api/3/action/package_search?sort=name%20asc&include_private=true"),
                Map.entry("source.header.Authorization", CkanEmulator.SYSADMIN_TOKEN),
                Map.entry("source.records", "/result/results"), Map.entry("source.page-param", "start"),
                Map.entry("source.page-size", String.valueOf(PAGE)), Map.entry("source.page-size-param", "rows"),
                Map.entry("source.key", "${body[name]}"), Map.entry("mapping.rename-from", "$"),
                Map.entry("mapping.rename-to", ".json"), Map.entry("target.type", "folder"),
                Map.entry("target.root", folder.toString()), Map.entry("caravan.queue-size", "3"));
    }

    /** Each dataset's file is what package_show answers for it. */
    private static void assertEveryDatasetIsItsFile(CkanEmulator ckan, Path folder) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        for (int i = 0; i < DATASETS; i++) {
            String name = String.format("dataset-%02d", i);
            String shown = http.send(HttpRequest.newBuilder(URI.create(ckan.url() + "/api/3/action/package_show?id="
                    + name)).header("Authorization", CkanEmulator.SYSADMIN_TOKEN).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            assertThat(JSON.readTree(folder.resolve(name + ".json").toFile())).as(name)
                    .isEqualTo(JSON.readTree(shown).get("result"));
        }
        try (Stream<Path> files = Files.list(folder)) {
            assertThat(files.count()).isEqualTo(DATASETS);
        }
    }

    private JsonNode latestReport(TestHome home) throws Exception {
        return latestReport(home, "datasets");
    }

    private JsonNode latestReport(TestHome home, String job) throws Exception {
        try (Stream<Path> runs = Files.list(home.data().resolve("runs/" + job))) {
            Path run = runs.sorted().reduce((a, b) -> b).orElseThrow();
            return JSON.readTree(run.resolve("report.json").toFile());
        }
    }
}
