package io.caravan.ckan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.caravan.testing.Rejects;
import io.caravan.testing.TestHome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Users arrive with their ids; the target's own user of the same name is not overwritten unless asked. */
class CkanTargetUsersTest {

    @TempDir
    Path dir;

    @Test
    void should_leave_the_targets_own_user_of_the_same_name_alone_and_report_it_unless_asked_to_merge_by_name()
            throws Exception {
        try (CkanEmulator source = new CkanEmulator(); CkanEmulator target = new CkanEmulator()) {
            CkanPortalMigrationTest.Seed seed = CkanPortalMigrationTest.seedPortal(source);
            ObjectNode targetsAdmin = target.user("ckan_admin").orElseThrow();
            targetsAdmin.put("email", "root@target.example.org");
            target.putUser(targetsAdmin);
            JsonNode sourcesAdmin = source.user("ckan_admin").orElseThrow();
            assertThat(sourcesAdmin.get("id")).isNotEqualTo(targetsAdmin.get("id"));
            TestHome home = new TestHome(dir.resolve("home"));
            Map<String, String> users = TestHome.merge(CkanPortalMigrationTest.portals(source, target,
                    CkanEmulator.SYSADMIN_TOKEN), Map.of("source.records", "users", "target.merge-users-by-name",
                    "false"));
            home.job("ckan-users", users);

            assertThat(home.caravan("run", "ckan-users")).isEqualTo(3);

            JsonNode admin = target.user("ckan_admin").orElseThrow();
            assertThat(admin.get("id")).isEqualTo(targetsAdmin.get("id"));
            assertThat(admin.get("email").asText()).as("left alone").isEqualTo("root@target.example.org");
            Map<String, JsonNode> rejects = Rejects.ofLatestRun(home.data(), "ckan-users");
            assertThat(rejects).containsOnlyKeys(sourcesAdmin.get("id").asText());
            assertThat(rejects.get(sourcesAdmin.get("id").asText()).get("reason").asText())
                    .contains("user ckan_admin is another user at the target (same name, id "
                            + targetsAdmin.get("id").asText() + "): left alone")
                    .contains("target.merge-users-by-name");
            for (JsonNode user : seed.users()) {
                assertThat(target.user(user.get("name").asText()).orElseThrow().get("id"))
                        .as("created with the source's id").isEqualTo(user.get("id"));
            }

            home.job("ckan-users", TestHome.merge(users, Map.of("target.merge-users-by-name", "true")));
            assertThat(home.caravan("run", "ckan-users")).isZero();
            JsonNode merged = target.user("ckan_admin").orElseThrow();
            assertThat(merged.get("id")).as("the target's user, kept").isEqualTo(targetsAdmin.get("id"));
            assertThat(merged.get("email")).isEqualTo(sourcesAdmin.get("email"));
        }
    }
}
