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
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Real datasets and organizations (data.gov.uk and HDX responses) moved between two emulated CKAN portals. */
class CkanMigrationTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path API = Path.of("../shared/fixtures/ckan/api");
    private static final String ORPHAN = "5622c3ae-e31c-45e5-94ef-60bdcc736055"; // its organization is not at the target

    @TempDir
    Path dir;

    @Test
    void should_create_or_update_every_dataset_reject_one_without_its_organization_and_then_move_only_changes()
            throws Exception {
        try (CkanEmulator source = new CkanEmulator(); CkanEmulator target = new CkanEmulator()) {
            List<JsonNode> datasets = fixtureDatasets();
            datasets.forEach(source::putDataset);
            ObjectNode hidden = datasets.get(0).deepCopy();
            hidden.put("id", "0000aaaa-private-draft").put("name", "a-private-dataset").put("private", true);
            source.putDataset(hidden);
            for (String org : List.of("eidc", "colchester-borough-council", "unesco")) {
                target.putOrganization("target-org-" + org, org);
            }
            ObjectNode sameName = JSON.createObjectNode().put("id", "another-id-at-the-target")
                    .put("name", "organisation-chart-cbc").put("title", "An old copy");
            target.putDataset(sameName);

            TestHome home = new TestHome(dir.resolve("home")).route("ckan-datasets");
            home.job("ckan-datasets", Map.of("source.type", "ckan", "source.url", source.url(),
                    "source.api-token", CkanEmulator.SYSADMIN_TOKEN, "source.page-size", "2",
                    "target.type", "ckan", "target.url", target.url(),
                    "target.api-token", CkanEmulator.SYSADMIN_TOKEN, "caravan.workers", "4"));

            assertThat(home.caravan("run", "ckan-datasets")).isEqualTo(3);

            Map<String, JsonNode> rejects = Rejects.ofLatestRun(home.data(), "ckan-datasets");
            assertThat(rejects).containsOnlyKeys(ORPHAN);
            assertThat(rejects.get(ORPHAN).get("reason").asText())
                    .isEqualTo("dataset " + datasets.stream().filter(d -> d.get("id").asText().equals(ORPHAN))
                            .findFirst().orElseThrow().get("name").asText()
                            + ": CKAN refused package_create: owner_org: Organization does not exist");
            for (JsonNode d : Stream.concat(datasets.stream(), Stream.of(hidden)).toList()) {
                if (d.get("id").asText().equals(ORPHAN)) {
                    assertThat(target.dataset(d.get("name").asText())).isEmpty();
                    continue;
                }
                ObjectNode copy = target.dataset(d.get("name").asText()).orElseThrow();
                assertThat(copy.get("title")).isEqualTo(d.get("title"));
                assertSameResources(copy.get("resources"), d.get("resources"));
                assertThat(copy.path("organization").path("name")).isEqualTo(d.path("organization").path("name"));
            }
            assertThat(target.dataset("organisation-chart-cbc").orElseThrow().get("id").asText())
                    .as("updated by name, not created twice").isEqualTo("another-id-at-the-target");
            assertThat(target.dataset("a-private-dataset").orElseThrow().get("private").asBoolean()).isTrue();
            assertThat(target.datasetCount()).isEqualTo(5);

            // the organization arrives; the rerun writes only the dataset that was refused
            target.putOrganization("target-org-cefas", "centre-for-environment-fisheries-aquaculture-science");
            target.resetCalls();
            assertThat(home.caravan("run", "ckan-datasets")).isZero();
            assertThat(target.calls("package_create") + target.calls("package_update")).isEqualTo(1);

            // a dataset edited at the source: only it is written again
            ObjectNode edited = source.dataset("unesco-data-for-zimbabwe").orElseThrow().deepCopy();
            edited.put("title", "UNESCO data for Zimbabwe, edited").put("metadata_modified", "2030-01-01T00:00:00");
            source.putDataset(edited);
            target.resetCalls();
            assertThat(home.caravan("run", "ckan-datasets")).isZero();
            assertThat(target.calls("package_update")).isEqualTo(1);
            assertThat(target.datasetCount()).as("updated, not created again").isEqualTo(6);
            assertThat(target.dataset("unesco-data-for-zimbabwe").orElseThrow().get("title").asText())
                    .isEqualTo("UNESCO data for Zimbabwe, edited");

            try (Stream<Path> files = Files.walk(home.data())) {
                for (Path f : files.filter(f -> f.toString().endsWith(".json") || f.toString().endsWith(".jsonl")
                        || f.toString().endsWith(".txt")).toList()) {
                    assertThat(Files.readString(f)).as(f.toString()).doesNotContain(CkanEmulator.SYSADMIN_TOKEN);
                }
            }
        }
    }

    @Test
    void should_move_organizations_first_so_that_every_dataset_finds_its_organization() throws Exception {
        try (CkanEmulator source = new CkanEmulator(); CkanEmulator target = new CkanEmulator()) {
            fixtureDatasets().forEach(source::putDataset); // their organizations come with them
            JsonNode cabinetOffice = JSON.readTree(API.resolve(
                    "ckan_functional_tests_datagovuk/organization_show.result_only.cabinet-office.json").toFile());
            source.putOrganization(cabinetOffice);
            TestHome home = new TestHome(dir.resolve("home")).route("ckan-organizations").route("ckan-datasets");
            Map<String, String> portals = Map.of("source.type", "ckan", "source.url", source.url(),
                    "source.api-token", CkanEmulator.SYSADMIN_TOKEN, "target.type", "ckan", "target.url", target.url(),
                    "target.api-token", CkanEmulator.SYSADMIN_TOKEN, "source.page-size", "2");
            home.job("ckan-organizations", TestHome.merge(portals, Map.of("source.records", "organizations",
                    "target.records", "organizations")));
            home.job("ckan-datasets", portals);

            assertThat(home.caravan("run", "ckan-organizations")).isZero();
            assertThat(home.caravan("run", "ckan-datasets")).as("every dataset finds its organization").isZero();

            ObjectNode copied = target.organization("cabinet-office").orElseThrow();
            assertThat(copied.get("id")).isEqualTo(cabinetOffice.get("id"));
            for (String field : List.of("title", "description", "foi-email", "contact-email", "extras", "image_url")) {
                assertThat(copied.get(field)).as(field).isEqualTo(cabinetOffice.get(field));
            }
            assertThat(copied.has("package_count")).as("computed by CKAN, not copied").isFalse();
            for (String org : List.of("eidc", "colchester-borough-council", "unesco",
                    "centre-for-environment-fisheries-aquaculture-science")) {
                assertThat(target.organization(org)).as(org).isPresent();
            }
            assertThat(target.datasetCount()).isEqualTo(5);

            target.resetCalls();
            assertThat(home.caravan("run", "ckan-organizations")).isZero();
            assertThat(target.calls("organization_create") + target.calls("organization_update"))
                    .as("unchanged organizations are not written again").isZero();
        }
    }

    /** Equal but for an uploaded file's URL, which each portal builds from its own address and the file's name. */
    static void assertSameResources(JsonNode copied, JsonNode source) {
        assertThat(copied.size()).isEqualTo(source.size());
        for (int i = 0; i < source.size(); i++) {
            ObjectNode expected = source.get(i).deepCopy();
            ObjectNode actual = copied.get(i).deepCopy();
            expected.remove("metadata_modified"); // the target's own, a resource's last write
            actual.remove("metadata_modified");
            if ("upload".equals(expected.path("url_type").asText())) {
                String url = expected.remove("url").asText();
                assertThat("/" + actual.remove("url").asText()).endsWith("/" + url.substring(url.lastIndexOf('/') + 1));
            }
            expected.fieldNames().forEachRemaining(field -> assertThat(actual.get(field))
                    .as(expected.path("id").asText() + " " + field).isEqualTo(expected.get(field)));
            assertThat(actual).isEqualTo(expected);
        }
    }

    private static List<JsonNode> fixtureDatasets() throws Exception {
        List<JsonNode> all = new java.util.ArrayList<>();
        JSON.readTree(API.resolve("ckan_functional_tests_datagovuk/package_search.json").toFile())
                .at("/result/results").forEach(all::add);
        all.add(JSON.readTree(API.resolve("hdx_python_api/unesco_dataset.package_show_result.json").toFile()));
        return all;
    }
}
