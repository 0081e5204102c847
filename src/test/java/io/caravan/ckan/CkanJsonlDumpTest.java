package io.caravan.ckan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.caravan.testing.Rejects;
import io.caravan.testing.TestHome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** A ckanapi JSONL dump holds each record once, whatever runs wrote it; a dump that repeats one loads its last. */
class CkanJsonlDumpTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void should_hold_each_dataset_once_after_a_change_and_after_a_run_with_a_fresh_ledger() throws Exception {
        try (CkanEmulator source = new CkanEmulator()) {
            JsonNode template = JSON.readTree(Path.of("../shared/fixtures/ckan/api/ckan_functional_tests_datagovuk/"
                    + "package_show.json").toFile()).get("result");
            source.putOrganization(template.get("organization"));
            for (int i = 0; i < 3; i++) {
                ObjectNode d = template.deepCopy();
                source.putDataset(d.put("id", "dataset-id-" + i).put("name", "dataset-" + i));
            }
            Path dump = dir.resolve("datasets.jsonl");
            Map<String, String> settings = Map.of("source.type", "ckan", "source.url", source.url(),
                    "source.api-token", CkanEmulator.SYSADMIN_TOKEN, "target.type", "ckan-jsonl",
                    "target.file", dump.toString());
            TestHome home = new TestHome(dir.resolve("home"));
            home.job("ckan-dump-datasets", settings);
            assertThat(home.caravan("run", "ckan-dump-datasets")).isZero();
            assertThat(ids(dump)).containsExactlyInAnyOrder("dataset-id-0", "dataset-id-1", "dataset-id-2");

            ObjectNode changed = source.dataset("dataset-1").orElseThrow().deepCopy();
            source.putDataset(changed.put("title", "Changed").put("metadata_modified", "2032-01-01T00:00:00"));
            assertThat(home.caravan("run", "ckan-dump-datasets")).isZero();
            assertThat(ids(dump)).containsExactlyInAnyOrder("dataset-id-0", "dataset-id-1", "dataset-id-2");
            assertThat(Files.readAllLines(dump)).filteredOn(l -> l.contains("dataset-id-1")).singleElement()
                    .satisfies(l -> assertThat(JSON.readTree(l).get("title").asText()).isEqualTo("Changed"));

            TestHome fresh = new TestHome(dir.resolve("fresh-ledger"));
            fresh.job("ckan-dump-datasets", settings);
            assertThat(fresh.caravan("run", "ckan-dump-datasets")).isZero();
            assertThat(ids(dump)).as("the whole portal again, each once")
                    .containsExactlyInAnyOrder("dataset-id-0", "dataset-id-1", "dataset-id-2");
            try (Stream<Path> files = Files.list(dir)) {
                assertThat(files.map(f -> f.getFileName().toString()))
                        .as("a dump the fresh ledger did not write is kept aside, not added to")
                        .anyMatch(f -> f.startsWith("datasets.jsonl.before-"));
            }

            // the same dump (the same ledger scope), replaced meanwhile by a file this job did not write
            Files.writeString(dump, "{\"id\":\"someone-elses\",\"name\":\"someone-elses\"}\n");
            assertThat(fresh.caravan("run", "ckan-dump-datasets")).as("not a dump this job wrote").isEqualTo(2);
            assertThat(ids(dump)).containsExactly("someone-elses");
        }
    }

    @Test
    void should_load_the_last_line_of_a_dataset_that_a_dump_holds_twice_and_say_so() throws Exception {
        try (CkanEmulator target = new CkanEmulator()) {
            target.putOrganization("0b26c3a8-statcan", "statcan");
            List<String> lines = Files.readAllLines(Path.of("../shared/fixtures/ckan/jsonl/"
                    + "canada_obd_sample_2.datasets.jsonl"));
            ObjectNode newer = (ObjectNode) JSON.readTree(lines.get(0));
            newer.put("title", "The newer version");
            List<String> dump = new ArrayList<>(lines);
            dump.add(JSON.writeValueAsString(newer));
            Path file = dir.resolve("appended.jsonl");
            Files.write(file, dump);
            Path files = Files.createDirectories(dir.resolve("appended.jsonl.files")); // the uploads' files
            for (String line : lines) {
                for (JsonNode r : JSON.readTree(line).path("resources")) {
                    if ("upload".equals(r.path("url_type").asText())) {
                        Files.writeString(files.resolve(r.get("id").asText()), "the file of " + r.get("id"));
                    }
                }
            }
            TestHome home = new TestHome(dir.resolve("home"));
            home.job("ckan-load-datasets", Map.of("source.type", "ckan-jsonl", "source.records", "datasets",
                    "source.file", file.toString(), "target.type", "ckan", "target.url", target.url(),
                    "target.api-token", CkanEmulator.SYSADMIN_TOKEN));

            assertThat(home.caravan("run", "ckan-load-datasets")).isZero();

            assertThat(target.dataset(newer.get("name").asText()).orElseThrow().get("title").asText())
                    .isEqualTo("The newer version");
            assertThat(target.calls("package_create") + target.calls("package_update")).as("each once")
                    .isEqualTo(lines.size());
            String report = Files.readString(Rejects.latestRun(home.data(), "ckan-load-datasets")
                    .resolve("report.txt"));
            assertThat(report).contains("appended.jsonl holds 1 records on more than one line: the last line of"
                    + " each was taken, 1 older lines left out");
        }
    }

    private static List<String> ids(Path dump) throws Exception {
        List<String> ids = new ArrayList<>();
        for (String line : Files.readAllLines(dump)) {
            ids.add(JSON.readTree(line).get("id").asText());
        }
        return ids;
    }
}
