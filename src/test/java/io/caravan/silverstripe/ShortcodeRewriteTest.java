package io.caravan.silverstripe;

import com.fasterxml.jackson.databind.JsonNode;
import io.caravan.testing.TestHome;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code rewrite-shortcodes} on TagsToShortcodeHelperTest's site (its File rows, its page, draft and Live, and its
 * HTML objects) and on every case of TagsToShortcode_cases.json stored as a row, on a real MariaDB and PostgreSQL.
 */
class ShortcodeRewriteTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(SiteServers.Kind.class)
    void should_rewrite_every_case_and_the_fixture_pages_in_the_database(SiteServers.Kind kind) throws Exception {
        SiteFixture site = SiteFixture.create(kind, dir);
        Map<String, Map<String, Map<String, Object>>> yaml = Fixtures.yaml("TagsToShortcodeHelperTest.yml");
        seedFiles(site, yaml);
        String text = kind == SiteServers.Kind.MARIADB ? "MEDIUMTEXT" : "TEXT";
        for (String table : List.of("PseudoPage", "PseudoPage_Live", "Cases")) {
            site.execute("CREATE TABLE " + site.db.q(table) + " (" + site.db.q("ID") + " INT PRIMARY KEY, "
                    + site.db.q("Content") + " " + text + ")");
        }
        site.execute("CREATE TABLE " + site.db.q("HtmlObject") + " (" + site.db.q("ID") + " INT PRIMARY KEY, "
                + site.db.q("HtmlLine") + " VARCHAR(1024), " + site.db.q("HtmlLineNoShortCode") + " VARCHAR(1024), "
                + site.db.q("Content") + " " + text + ")");
        site.execute("CREATE TABLE " + site.db.q("SubHtmlObject") + " (" + site.db.q("ID") + " INT PRIMARY KEY, "
                + site.db.q("HtmlContent") + " " + text + ")");
        site.execute("CREATE TABLE " + site.db.q("NoStage") + " (" + site.db.q("ID") + " INT PRIMARY KEY, "
                + site.db.q("Content") + " " + text + ")");
        String page = (String) yaml.get("SilverStripe\\Assets\\Tests\\Dev\\Tasks\\Shortcode\\PseudoPage")
                .get("page1").get("Content");
        site.insert("PseudoPage", "ID, Content", 1, page);
        site.insert("PseudoPage_Live", "ID, Content", 1, page);
        Map<String, Object> html = yaml.get("SilverStripe\\Assets\\Tests\\Dev\\Tasks\\Shortcode\\HtmlObject")
                .get("htmlObject");
        Map<String, Object> sub = yaml.get("SilverStripe\\Assets\\Tests\\Dev\\Tasks\\Shortcode\\SubHtmlObject")
                .get("subHtmlObject");
        site.insert("HtmlObject", "ID, HtmlLine, HtmlLineNoShortCode, Content", 1, html.get("HtmlLine"),
                html.get("HtmlLineNoShortCode"), html.get("Content"));
        site.insert("HtmlObject", "ID, HtmlLine, Content", 2, sub.get("HtmlLine"), sub.get("Content"));
        site.insert("SubHtmlObject", "ID, HtmlContent", 2, sub.get("HtmlContent"));
        site.insert("NoStage", "ID, Content", 1, yaml.get("SilverStripe\\Assets\\Tests\\Dev\\Tasks\\Shortcode\\NoStage")
                .get("stageless").get("Content"));
        List<JsonNode> cases = new ArrayList<>();
        Fixtures.json("TagsToShortcode_cases.json").get("cases").forEach(cases::add);
        for (int i = 0; i < cases.size(); i++) {
            site.insert("Cases", "ID, Content", i + 1, cases.get(i).get("input").asText());
        }
        // HtmlLineNoShortCode is not named: over JDBC, only the operator knows which columns hold shortcodes
        TestHome home = site.home(dir.resolve("home"), Map.of("shortcodes.columns", "PseudoPage.Content,"
                + " PseudoPage_Live.Content, HtmlObject.HtmlLine, HtmlObject.Content, SubHtmlObject.HtmlContent,"
                + " NoStage.Content, Cases.Content"));

        assertThat(home.caravan("run", "silverstripe", "--only", "rewrite-shortcodes")).isZero();

        Map<Long, Map<String, String>> rows = site.rows("Cases");
        for (int i = 0; i < cases.size(); i++) {
            JsonNode c = cases.get(i);
            // T24 and T25 name a folder the fixture has not: left as they are (TagsToShortcodeTest says why)
            boolean unchanged = c.get("unchanged").asBoolean() || c.get("input").asText().contains("decade1980/");
            String expected = unchanged ? c.get("input").asText() : c.get("expected").asText();
            assertThat(rows.get(i + 1L).get("Content")).as("T" + i + " " + c.get("name").asText()).isEqualTo(expected);
        }
        for (String table : List.of("PseudoPage", "PseudoPage_Live")) {
            assertThat(site.rows(table).get(1L).get("Content")).as(table).contains(
                    "<p id=\"filelink\">file link <a href=\"[file_link,id=5]\">link to file</a></p>",
                    "<p id=\"image\">[image src=\"/assets/33be1b95cb/myimage.jpg\" id=\"2\"]</p>",
                    "<p id=\"variant\">[image src=\"/assets/33be1b95cb/myimage.jpg\" width=\"64\" height=\"64\""
                            + " id=\"2\"]</p>");
        }
        Map<Long, Map<String, String>> objects = site.rows("HtmlObject");
        assertThat(objects.get(1L).get("HtmlLine")).isEqualTo("<a href=\"[file_link,id=5]\">link to file</a>");
        assertThat(objects.get(1L).get("Content")).isEqualTo("<a href=\"[file_link,id=5]\">Content Field</a>");
        assertThat(objects.get(1L).get("HtmlLineNoShortCode"))
                .isEqualTo("<a href=\"/assets/document.pdf\">This wont be converted</a>");
        assertThat(objects.get(2L).get("HtmlLine")).isEqualTo("<a href=\"[file_link,id=5]\">HtmlObject Table</a>");
        assertThat(site.rows("SubHtmlObject").get(2L).get("HtmlContent"))
                .isEqualTo("[image src=\"/assets/33be1b95cb/myimage.jpg\" alt=\"SubHtmlObject Table\" id=\"2\"]");
        assertThat(site.rows("NoStage").get(1L).get("Content"))
                .isEqualTo("<a href=\"[file_link,id=5]\">Stageless Versioned Object</a>");

        RecordingListener.clear();
        assertThat(home.caravan("run", "silverstripe", "--only", "rewrite-shortcodes")).isZero();
        assertThat(RecordingListener.outcome("rewrite-shortcodes", "rewritten")).as("a rerun rewrites nothing")
                .isZero();
    }

    /** The fixture's File rows, already SilverStripe 4's, ids in file order (decade80 = 1 ... document = 5). */
    private static void seedFiles(SiteFixture site, Map<String, Map<String, Map<String, Object>>> yaml)
            throws Exception {
        long id = 1;
        for (String cls : List.of("SilverStripe\\Assets\\Folder", "SilverStripe\\Assets\\Image",
                "SilverStripe\\Assets\\File")) {
            for (Map<String, Object> f : yaml.get(cls).values()) {
                site.insertFile(id++, cls, (String) f.get("Name"), null, (String) f.get("FileFilename"),
                        (String) f.get("FileHash"), f.containsKey("Parent") ? 1 : 0, null);
            }
        }
    }
}
