package io.caravan.ckan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.caravan.testing.Rejects;
import io.caravan.testing.TestHome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** A dump carries its uploads' files, and a load either brings each file or names the upload it could not. */
class CkanDumpFilesTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void should_carry_uploaded_files_with_the_dump_and_reject_a_dataset_naming_the_upload_whose_file_is_gone()
            throws Exception {
        try (CkanEmulator source = new CkanEmulator(); CkanEmulator whole = new CkanEmulator();
             CkanEmulator partial = new CkanEmulator()) {
            JsonNode unesco = JSON.readTree(Path.of("../shared/fixtures/ckan/api/hdx_python_api/"
                    + "unesco_dataset.package_show_result.json").toFile());
            for (CkanEmulator portal : List.of(source, whole, partial)) {
                portal.putOrganization(unesco.get("organization"));
            }
            source.putDataset(unesco);
            List<String> uploads = new ArrayList<>();
            for (JsonNode r : unesco.get("resources")) {
                if ("upload".equals(r.path("url_type").asText())) {
                    String id = r.get("id").asText();
                    byte[] bytes = new byte[r.path("size").asInt(100)]; // as long as CKAN recorded
                    new Random(id.hashCode()).nextBytes(bytes);
                    source.putUpload(id, bytes);
                    uploads.add(id);
                }
            }
            assertThat(uploads).hasSizeGreaterThan(1);
            Path dump = dir.resolve("dumps/datasets.jsonl");
            Files.createDirectories(dump.getParent());
            TestHome home = new TestHome(dir.resolve("home"));
            Map<String, String> live = Map.of("source.type", "ckan", "source.url", source.url(),
                    "source.api-token", CkanEmulator.SYSADMIN_TOKEN);
            home.job("ckan-dump-datasets", TestHome.merge(live, Map.of("target.type", "ckan-jsonl",
                    "target.file", dump.toString())));
            home.job("ckan-dump-resource-files", TestHome.merge(live, Map.of("source.records", "resource-files",
                    "target.type", "folder", "target.root", dump + ".files")));
            assertThat(home.caravan("run", "ckan-dump-datasets", "ckan-dump-resource-files")).isZero();

            Map<String, String> load = Map.of("source.type", "ckan-jsonl", "source.records", "datasets",
                    "source.file", dump.toString(), "target.type", "ckan",
                    "target.api-token", CkanEmulator.SYSADMIN_TOKEN);
            home.job("ckan-load-datasets", TestHome.merge(load, Map.of("target.url", whole.url())));
            assertThat(home.caravan("run", "ckan-load-datasets")).isZero();
            for (String id : uploads) {
                assertThat(whole.upload(id)).as("file of " + id).hasValue(source.upload(id).orElseThrow());
            }

            String lost = uploads.get(1);
            Files.delete(dump.resolveSibling("datasets.jsonl.files").resolve(lost));
            TestHome again = new TestHome(dir.resolve("again"));
            again.job("ckan-load-datasets", TestHome.merge(load, Map.of("target.url", partial.url())));
            assertThat(again.caravan("run", "ckan-load-datasets")).isEqualTo(3);

            String name = unesco.get("resources").findValues("id").stream().map(JsonNode::asText)
                    .filter(lost::equals).findFirst().map(id -> fileName(unesco, id)).orElseThrow();
            assertThat(Rejects.ofLatestRun(again.data(), "ckan-load-datasets").get(unesco.get("id").asText())
                    .get("reason").asText())
                    .startsWith("dataset " + unesco.get("name").asText() + ": written, but the file of upload"
                            + " resource " + lost + " (" + name + ") is not in ");
            for (String id : uploads) {
                assertThat(partial.upload(id).isPresent()).as("file of " + id).isEqualTo(!id.equals(lost));
            }
        }
    }

    private static String fileName(JsonNode dataset, String resourceId) {
        for (JsonNode r : dataset.get("resources")) {
            if (r.get("id").asText().equals(resourceId)) {
                String url = r.get("url").asText();
                return url.substring(url.lastIndexOf('/') + 1);
            }
        }
        throw new IllegalArgumentException(resourceId);
    }
}
