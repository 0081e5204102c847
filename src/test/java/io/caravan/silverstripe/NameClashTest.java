package io.caravan.silverstripe;

import com.fasterxml.jackson.databind.JsonNode;
import io.caravan.testing.TestHome;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two rows of one folder that end with one name ({@code team__photo.jpg}, id 16, cleaned to {@code team_photo.jpg};
 * {@code team_photo.jpg}, id 17): the row whose name did not change keeps it, though its id is the later one, and
 * the renamed row gets {@code -v2}. On the SS 3.1 site of issue 18, on a real MariaDB and PostgreSQL.
 */
class NameClashTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(SiteServers.Kind.class)
    void should_leave_the_name_to_the_row_whose_name_did_not_change(SiteServers.Kind kind) throws Exception {
        Ss31Site s = Ss31Site.seed(SiteFixture.create(kind, dir));
        TestHome home = s.site.home(dir.resolve("home"), Map.of());
        assertThat(s.id("team-renamed")).as("the renamed row is the earlier").isLessThan(s.id("team"));

        home.caravan("run", "silverstripe");

        Map<Long, Map<String, String>> rows = s.site.rows("File");
        for (String key : new String[] {"team", "team-renamed"}) {
            JsonNode f = s.file(key);
            String ss4 = f.get("ss4").asText();
            assertThat(rows.get(s.id(key)).get("FileFilename")).as(f.get("name").asText()).isEqualTo(ss4);
            assertThat(Files.readAllBytes(s.site.assets.resolve(ss4))).as(ss4).isEqualTo(s.content(key));
        }
    }
}
