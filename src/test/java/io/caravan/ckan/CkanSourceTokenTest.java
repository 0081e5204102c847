package io.caravan.ckan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.caravan.testing.Rejects;
import io.caravan.testing.TestHome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A CKAN 2.10 runs a request with a token it does not know as anonymous: the job must not go on with the public
 * records alone, nor name the token.
 */
class CkanSourceTokenTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String WRONG = "not-a-token-3f9c2a";

    @TempDir
    Path dir;

    @Test
    void should_stop_with_exit_2_naming_the_setting_when_the_source_token_is_not_accepted() throws Exception {
        try (CkanEmulator source = portal(); CkanEmulator target = new CkanEmulator()) {
            TestHome home = new TestHome(dir.resolve("home"));
            for (String kind : new String[] {"datasets", "users"}) {
                home.job("ckan-" + kind, TestHome.merge(CkanPortalMigrationTest.portals(source, target, WRONG),
                        Map.of("source.records", kind)));
                TestHome.Ran ran = home.run("run", "--dry-run", "ckan-" + kind);
                assertThat(ran.exit()).as(ran.output()).isEqualTo(2);
                assertThat(ran.output()).contains("source.api-token is not accepted by CKAN " + source.url())
                        .doesNotContain(WRONG);
            }
            assertThat(source.calls("package_search") + source.calls("user_list")).as("nothing listed").isZero();
            try (Stream<Path> files = Files.walk(home.path())) {
                for (Path f : files.filter(Files::isRegularFile).filter(f -> !f.toString().endsWith(".properties"))
                        .toList()) {
                    assertThat(Files.readString(f, StandardCharsets.ISO_8859_1)).as(f.toString())
                            .doesNotContain(WRONG);
                }
            }
        }
    }

    @Test
    void should_say_plainly_that_a_token_without_a_sysadmin_leaves_private_datasets_behind() throws Exception {
        try (CkanEmulator source = portal(); CkanEmulator target = new CkanEmulator()) {
            source.putUser(JSON.createObjectNode().put("name", "jonas_muller").put("email", "jonas@example.org"));
            TestHome home = new TestHome(dir.resolve("home"));
            home.job("ckan-datasets", CkanPortalMigrationTest.portals(source, target, source.tokenFor("jonas_muller")));

            TestHome.Ran ran = home.run("run", "--dry-run", "ckan-datasets");

            assertThat(ran.exit()).as(ran.output()).isZero();
            String report = Files.readString(Rejects.latestRun(home.data(), "ckan-datasets").resolve("report.txt"));
            assertThat(report).contains("source.api-token is the token of a user who is not a sysadmin, so private"
                    + " datasets of organizations its user is not a member of, and drafts, are not listed and stay"
                    + " behind");
            assertThat(report).containsPattern("new\\s+1\\b");
        }
    }

    /** A public dataset and a private one, in an organization. */
    private static CkanEmulator portal() throws Exception {
        CkanEmulator portal = new CkanEmulator();
        JsonNode template = JSON.readTree(Path.of("../shared/fixtures/ckan/api/ckan_functional_tests_datagovuk/"
                + "package_show.json").toFile()).get("result");
        portal.putOrganization(template.get("organization"));
        portal.putDataset(template);
        ObjectNode hidden = template.deepCopy();
        hidden.put("id", "private-0001").put("name", "a-private-dataset").put("private", true);
        hidden.remove("resources");
        portal.putDataset(hidden);
        return portal;
    }
}
