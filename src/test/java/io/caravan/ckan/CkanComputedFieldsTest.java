package io.caravan.ckan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.caravan.testing.Rejects;
import io.caravan.testing.TestHome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** What CKAN computes (package counts, a user's last activity) is no change to write. */
class CkanComputedFieldsTest {

    private static final List<String> JOBS = List.of("ckan-users", "ckan-organizations", "ckan-groups");

    @TempDir
    Path dir;

    @Test
    void should_find_users_organizations_and_groups_unchanged_after_a_dataset_is_created_and_a_user_logs_in()
            throws Exception {
        try (CkanEmulator source = new CkanEmulator(); CkanEmulator target = new CkanEmulator()) {
            CkanPortalMigrationTest.Seed seed = CkanPortalMigrationTest.seedPortal(source);
            TestHome home = new TestHome(dir.resolve("home"));
            Map<String, String> portals = CkanPortalMigrationTest.portals(source, target,
                    CkanEmulator.SYSADMIN_TOKEN);
            Map.of("ckan-users", "users", "ckan-organizations", "organizations", "ckan-groups", "groups")
                    .forEach((job, kind) -> home.job(job, TestHome.merge(portals, Map.of("source.records", kind))));
            assertThat(home.caravan("run", "ckan-users", "ckan-organizations", "ckan-groups")).isZero();

            // a user creates a dataset in an organization and a group, which CKAN counts, and was active
            JsonNode creator = seed.users().get(0);
            ObjectNode created = source.dataset(seed.datasets().get(0)).orElseThrow().deepCopy();
            created.put("id", "a-new-dataset-0001").put("name", "a-new-dataset").put("creator_user_id",
                    creator.get("id").asText()).putArray("resources");
            created.putArray("groups").addObject().put("name", seed.groups().get(0).get("name").asText());
            created.put("owner_org", seed.organizations().get(0).get("id").asText()).remove("organization");
            source.putDataset(created);
            ObjectNode active = source.user(creator.get("name").asText()).orElseThrow();
            active.put("last_active", "2031-02-03T04:05:06.000007");
            source.putUser(active);
            target.resetCalls();

            assertThat(home.caravan("run", "ckan-users", "ckan-organizations", "ckan-groups")).isZero();

            for (String write : List.of("user_update", "organization_update", "group_update", "user_create",
                    "organization_create", "group_create")) {
                assertThat(target.calls(write)).as(write).isZero();
            }
            for (String job : JOBS) {
                String report = Files.readString(Rejects.latestRun(home.data(), job).resolve("report.txt"));
                assertThat(report).as(job).doesNotContainPattern("updated\\s+[1-9]");
            }
        }
    }
}
