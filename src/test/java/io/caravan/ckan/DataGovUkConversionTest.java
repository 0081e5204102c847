package io.caravan.ckan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.caravan.testing.Rejects;
import io.caravan.testing.TestHome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shipped data.gov.uk conversion (config/convert/datagovuk-*.jq) on real data.gov.uk records, from a ckanapi
 * JSONL dump to another: what the conversion list asks, the keys sorted as ckanapi writes them, and bad
 * lines and unconvertible records rejected by name while the rest goes through.
 */
class DataGovUkConversionTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path DGU = Path.of("../shared/fixtures/ckan/api/datagovuk_publish_v26");

    @TempDir
    Path dir;

    @Test
    void should_convert_datasets_as_data_gov_uk_needs_and_reject_a_bad_line_and_an_unknown_theme() throws Exception {
        List<JsonNode> datasets = new ArrayList<>();
        for (String f : List.of("create", "update", "inspire", "empty")) {
            datasets.add(result(DGU.resolve("package_show_" + f + ".json")));
        }
        ObjectNode unknownTheme = datasets.get(1).deepCopy();
        unknownTheme.put("id", "0000-unknown-theme").put("name", "unknown-theme").put("theme-primary", "Astrology");
        List<String> lines = new ArrayList<>(datasets.stream().map(JsonNode::toString).toList());
        lines.add(2, "{\"id\": \"cut-short\", \"name\": "); // line 3: a dump cut mid-record
        lines.add(unknownTheme.toString());
        Path in = Files.write(dir.resolve("datasets.jsonl"), lines);
        Path out = dir.resolve("converted.jsonl");

        TestHome home = converting("datasets", in, out);
        assertThat(home.caravan("run", "dgu")).isEqualTo(3);

        Map<String, JsonNode> rejects = Rejects.ofLatestRun(home.data(), "dgu");
        assertThat(rejects).containsOnlyKeys("line 3", "0000-unknown-theme");
        assertThat(rejects.get("line 3").get("reason").asText()).startsWith("line 3 of datasets.jsonl is not JSON");
        assertThat(rejects.get("0000-unknown-theme").get("reason").asText())
                .contains("theme-primary 'Astrology' is not a data.gov.uk theme");

        Map<String, JsonNode> converted = readSorted(out);
        assertThat(converted).hasSize(4);
        for (JsonNode source : datasets) {
            JsonNode d = converted.get(source.get("id").asText());
            for (String dropped : List.of("tags", "num_tags", "individual_resources", "additional_resources",
                    "timeseries_resources", "schema", "archiver", "qa", "theme-secondary")) {
                assertThat(d.has(dropped)).as(dropped).isFalse();
            }
            assertThat(d.get("title")).isEqualTo(source.get("title"));
            assertThat(d.get("resources")).isEqualTo(source.get("resources"));
            Map<String, String> extras = extras(d);
            assertThat(extras).doesNotContainKey("theme-primary");
            for (String moved : List.of("archiver", "qa", "theme-secondary")) {
                if (source.has(moved)) {
                    assertThat(JSON.readTree(extras.get(moved))).as(moved).isEqualTo(source.get(moved));
                }
            }
        }
        String update = datasets.get(1).get("id").asText();
        assertThat(converted.get(update).get("theme-primary").asText()).isEqualTo("environment");
        assertThat(converted.get(update).get("schema-vocabulary")).isEqualTo(JSON.createArrayNode()
                .add("d3c0b23f-6979-45e4-88ed-d2ab59b005d0"));
        assertThat(converted.get(datasets.get(3).get("id").asText()).get("theme-primary").asText())
                .isEqualTo("business-and-economy");
        assertThat(extras(converted.get(update))).containsEntry("theme-secondary", "[\"Transport\"]");
    }

    @Test
    void should_promote_contact_and_foi_extras_of_organizations() throws Exception {
        JsonNode org = result(DGU.resolve("organization_show_create.json"));
        Path in = Files.writeString(dir.resolve("organizations.jsonl"), org + "\n");
        Path out = dir.resolve("converted.jsonl");
        TestHome home = converting("organizations", in, out);
        assertThat(home.caravan("run", "dgu")).isZero();

        JsonNode converted = readSorted(out).get(org.get("id").asText());
        assertThat(converted.get("foi-web").asText())
                .isEqualTo("http://www.whatdotheyknow.com/body/2gether_nhs_foundation_trust");
        assertThat(extras(converted)).containsOnlyKeys("abbreviation", "category", "website-name", "website-url");
    }

    @Test
    void should_skip_inactive_harvest_sources_and_rename_source_types_from_a_gzip_dump() throws Exception {
        Map<String, String> types = Map.of("gemini-single", "single-doc", "gemini-csw", "csw", "gemini-waf", "waf",
                "data_json", "dcat_json");
        Path in = dir.resolve("harvest.jsonl.gz");
        try (OutputStream gz = new GZIPOutputStream(Files.newOutputStream(in))) {
            for (String type : types.keySet()) {
                gz.write((JSON.createObjectNode().put("id", "src-" + type).put("name", "src-" + type.replace('_', '-'))
                        .put("type", "harvest").put("source_type", type).put("active", true)
                        .put("url", "https://example.org/" + type) + "\n").getBytes(StandardCharsets.UTF_8));
            }
            gz.write((JSON.createObjectNode().put("id", "src-off").put("name", "src-off").put("type", "harvest")
                    .put("source_type", "gemini-waf").put("active", false) + "\n").getBytes(StandardCharsets.UTF_8));
        }
        Path out = dir.resolve("converted.jsonl");
        TestHome home = converting("harvest-sources", in, out);
        assertThat(home.caravan("run", "dgu")).isZero();

        Map<String, JsonNode> converted = readSorted(out);
        assertThat(converted).doesNotContainKey("src-off").hasSize(4);
        types.forEach((from, to) -> assertThat(converted.get("src-" + from).get("source_type").asText()).isEqualTo(to));
        String report = Files.readString(Rejects.latestRun(home.data(), "dgu").resolve("report.txt"));
        assertThat(report).containsPattern("dropped by the conversion\\s+1");
    }

    private TestHome converting(String records, Path in, Path out) {
        TestHome home = new TestHome(dir.resolve("home")).route("dgu");
        home.job("dgu", Map.of("source.type", "ckan-jsonl", "source.file", in.toString(),
                "source.records", records, "target.type", "ckan-jsonl", "target.file", out.toString(),
                "convert.jq", Path.of("config/convert/datagovuk-" + records + ".jq").toAbsolutePath().toString()));
        return home;
    }

    /** The dump's records by id; each line must be compact with its keys sorted, as ckanapi writes them. */
    private static Map<String, JsonNode> readSorted(Path jsonl) throws IOException {
        Map<String, JsonNode> byId = new HashMap<>();
        for (String line : Files.readAllLines(jsonl, StandardCharsets.UTF_8)) {
            JsonNode record = JSON.readTree(line);
            assertThat(line).as("compact").doesNotContain("\n").isEqualTo(JSON.writeValueAsString(record));
            assertSorted(record);
            byId.put(record.get("id").asText(), record);
        }
        return byId;
    }

    private static void assertSorted(JsonNode node) {
        if (node.isObject()) {
            List<String> keys = new ArrayList<>();
            node.fieldNames().forEachRemaining(keys::add);
            assertThat(keys).isSorted();
        }
        node.elements().forEachRemaining(DataGovUkConversionTest::assertSorted);
    }

    private static Map<String, String> extras(JsonNode record) {
        Map<String, String> extras = new HashMap<>();
        for (Iterator<JsonNode> it = record.path("extras").elements(); it.hasNext(); ) {
            JsonNode e = it.next();
            extras.put(e.get("key").asText(), e.get("value").asText());
        }
        return extras;
    }

    /** The result of an API response file; data.gov.uk's organization files start with two // lines. */
    private static JsonNode result(Path file) throws IOException {
        String text = Files.readAllLines(file).stream().filter(l -> !l.startsWith("//"))
                .collect(Collectors.joining("\n"));
        return JSON.readTree(text).get("result");
    }
}
