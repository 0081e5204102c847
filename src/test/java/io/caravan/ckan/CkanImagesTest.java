package io.caravan.ckan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.caravan.testing.TestHome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** Images uploaded to organizations and groups, and users' avatars, move with them, byte for byte. */
class CkanImagesTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void should_upload_each_organization_image_and_user_avatar_to_the_target_and_verify_them() throws Exception {
        try (CkanEmulator source = new CkanEmulator(); CkanEmulator target = new CkanEmulator()) {
            source.putOrganization("org-0001", "airparif-demo");
            byte[] logo = bytes(2048, 1);
            source.putImage("group", "airparif-demo", "logo airparif.png", logo);
            source.putUser(JSON.createObjectNode().put("id", "user-0001").put("name", "amelie_dupont")
                    .put("email", "amelie.dupont@example.org").put("fullname", "Amélie Dupont"));
            byte[] avatar = bytes(777, 2);
            source.putImage("user", "amelie_dupont", "amelie.png", avatar);
            JsonNode org = source.organization("airparif-demo").orElseThrow();
            JsonNode user = source.user("amelie_dupont").orElseThrow();
            TestHome home = new TestHome(dir.resolve("home"));
            Map<String, String> portals = CkanPortalMigrationTest.portals(source, target,
                    CkanEmulator.SYSADMIN_TOKEN);
            home.job("ckan-organizations", TestHome.merge(portals, Map.of("source.records", "organizations")));
            home.job("ckan-users", TestHome.merge(portals, Map.of("source.records", "users")));

            assertThat(home.caravan("run", "ckan-users", "ckan-organizations")).isZero();

            String orgImage = target.organization("airparif-demo").orElseThrow().get("image_url").asText();
            assertThat(orgImage).as("stored at the target under its own upload time").endsWith(org.get("image_url")
                    .asText()).isNotEqualTo(org.get("image_url").asText());
            assertThat(target.image("group", orgImage)).hasValue(logo);
            String userImage = target.user("amelie_dupont").orElseThrow().get("image_url").asText();
            assertThat(userImage).endsWith(user.get("image_url").asText());
            assertThat(target.image("user", userImage)).hasValue(avatar);
            assertThat(target.user("amelie_dupont").orElseThrow().get("email").asText())
                    .isEqualTo("amelie.dupont@example.org");

            for (String job : new String[] {"ckan-organizations", "ckan-users"}) {
                String verified = verify(home, job);
                assertThat(verified).as(job).contains(" 0 missing, 0 differ, 0 pending, 0 extra");
            }
        }
    }

    private static byte[] bytes(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static String verify(TestHome home, String job) {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            home.caravan("verify", job);
            return captured.toString(StandardCharsets.UTF_8);
        } finally {
            System.setOut(original);
        }
    }
}
