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
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** What a CKAN target run counts, the requests it spends, and how its rejects name a record. */
class CkanTargetRequestsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void should_count_first_run_memberships_as_created() throws Exception {
        try (CkanEmulator source = new CkanEmulator(); CkanEmulator target = new CkanEmulator()) {
            CkanPortalMigrationTest.seedPortal(source);
            TestHome home = new TestHome(dir.resolve("home"));
            Map<String, String> portals = CkanPortalMigrationTest.portals(source, target,
                    CkanEmulator.SYSADMIN_TOKEN);
            Map.of("ckan-users", "users", "ckan-organizations", "organizations", "ckan-groups", "groups",
                    "ckan-memberships", "memberships").forEach((job, kind) -> home.job(job,
                    TestHome.merge(portals, Map.of("source.records", kind))));

            assertThat(home.caravan("run", "ckan-users", "ckan-organizations", "ckan-groups", "ckan-memberships"))
                    .isZero();

            String report = Files.readString(Rejects.latestRun(home.data(), "ckan-memberships").resolve("report.txt"));
            assertThat(report).containsPattern("created\\s+4\\b").doesNotContainPattern("updated\\s+[1-9]");
        }
    }

    @Test
    void should_update_a_changed_dataset_with_one_request_and_name_a_refused_one_in_the_rejects() throws Exception {
        try (CkanEmulator source = new CkanEmulator(); CkanEmulator target = new CkanEmulator()) {
            JsonNode template = JSON.readTree(Path.of("../shared/fixtures/ckan/api/ckan_functional_tests_datagovuk/"
                    + "package_show.json").toFile()).get("result");
            source.putOrganization(template.get("organization"));
            target.putOrganization(template.get("organization"));
            source.putDataset(template);
            ObjectNode orphan = template.deepCopy();
            orphan.put("id", "orphan-0001").put("name", "a-dataset-without-its-organization")
                    .put("owner_org", "org-not-at-the-target").remove("organization");
            source.putOrganization("org-not-at-the-target", "org-not-at-the-target");
            source.putDataset(orphan);
            TestHome home = new TestHome(dir.resolve("home"));
            home.job("ckan-datasets", CkanPortalMigrationTest.portals(source, target, CkanEmulator.SYSADMIN_TOKEN));
            assertThat(home.caravan("run", "ckan-datasets")).isEqualTo(3);
            assertThat(Rejects.ofLatestRun(home.data(), "ckan-datasets").get("orphan-0001").get("reason").asText())
                    .isEqualTo("dataset a-dataset-without-its-organization: CKAN refused package_create:"
                            + " owner_org: Organization does not exist");

            ObjectNode changed = source.dataset(template.get("name").asText()).orElseThrow().deepCopy();
            source.putDataset(changed.put("title", "Changed").put("metadata_modified", "2032-01-01T00:00:00"));
            target.resetCalls();
            assertThat(home.caravan("run", "ckan-datasets")).isEqualTo(3);

            assertThat(target.dataset(template.get("name").asText()).orElseThrow().get("title").asText())
                    .isEqualTo("Changed");
            assertThat(target.calls("package_update")).isEqualTo(1);
            assertThat(target.calls("package_show")).as("no lookup: the ledger knows it is there").isZero();
            assertThat(target.calls("package_create")).as("only the refused one, again").isEqualTo(1);
        }
    }
}
