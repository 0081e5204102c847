package io.caravan.silverstripe;

import com.fasterxml.jackson.databind.JsonNode;
import io.caravan.silverstripe.files.FileNames;
import io.caravan.testing.TestHome;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code rewrite-shortcodes} on the SS 3.1 site of issue 18 (ss31-site.json), after the whole job, on a real MariaDB
 * and PostgreSQL: which File row each link of its page ends up naming, and what is reported of those it cannot name.
 */
class LinkResolutionTest {

    private static final Pattern URL = Pattern.compile("(href|src)=\"([^\"]*)\"");

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(SiteServers.Kind.class)
    void should_link_the_row_whose_name_matches_exactly_and_ignore_case_only_for_a_single_candidate(
            SiteServers.Kind kind) throws Exception {
        Ss31Site s = Ss31Site.seed(SiteFixture.create(kind, dir));
        TestHome home = s.site.home(dir.resolve("home"), Map.of("shortcodes.columns", Ss31Site.PAGE_COLUMNS));

        home.caravan("run", "silverstripe");

        Map<Long, Map<String, String>> files = s.site.rows("File");
        for (String table : List.of("SiteTree", "SiteTree_Live")) {
            String page = s.site.rows(table).get(1L).get("Content");
            for (JsonNode link : s.fixture.get("links")) {
                String html = link.get("html").asText();
                if (link.has("file") && !html.contains("%20") && !html.contains("&amp;")) {
                    assertThat(page).as(table + ": " + html).contains(rewritten(html, files.get(s.id(
                            link.get("file").asText()))));
                }
            }
            assertThat(page).as(table + ": a link two rows match without regard to case is left as it was")
                    .contains("<a href=\"assets/Uploads/REPORT.pdf\">which one?</a>");
        }
    }

    @ParameterizedTest
    @EnumSource(SiteServers.Kind.class)
    void should_decode_percent_encoding_and_entities_and_report_every_link_left_unresolved(SiteServers.Kind kind)
            throws Exception {
        Ss31Site s = Ss31Site.seed(SiteFixture.create(kind, dir));
        TestHome home = s.site.home(dir.resolve("home"), Map.of("shortcodes.columns", Ss31Site.PAGE_COLUMNS));
        RecordingListener.clear();

        home.caravan("run", "silverstripe");

        Map<Long, Map<String, String>> files = s.site.rows("File");
        List<String> steps = RecordingListener.REPORTS.get("rewrite-shortcodes").steps();
        for (String table : List.of("SiteTree", "SiteTree_Live")) {
            String page = s.site.rows(table).get(1L).get("Content");
            for (JsonNode link : s.fixture.get("links")) {
                String html = link.get("html").asText();
                if (link.has("file")) {
                    assertThat(page).as(table + ": " + html).contains(rewritten(html, files.get(s.id(
                            link.get("file").asText()))));
                    continue;
                }
                assertThat(page).as(table + ": left as it was").contains(html);
                Matcher url = URL.matcher(html);
                assertThat(url.find()).isTrue();
                assertThat(steps).as(table + ": reported").anySatisfy(step -> assertThat(step)
                        .contains(table + ".Content/1").contains(url.group(2))
                        .contains(link.get("unresolved").asText()));
            }
        }
        assertThat(steps).as("nothing else reported as unresolved").filteredOn(l -> l.contains("unresolved"))
                .hasSize(2 * s.fixture.get("links").findValues("unresolved").size());
    }

    /** The tag as SilverStripe 4 has it once it names {@code row}: a file_link, or an image shortcode. */
    static String rewritten(String html, Map<String, String> row) {
        if (html.startsWith("<a ")) {
            return URL.matcher(html).replaceFirst("href=\"[file_link,id=" + row.get("ID") + "]\"");
        }
        String src = "src=\"/assets/" + FileNames.hashPath(row.get("FileFilename"), row.get("FileHash")) + "\"";
        return URL.matcher(html).replaceFirst(Matcher.quoteReplacement(src)).replaceFirst("^<img", "[image")
                .replaceFirst(">$", " id=\"" + row.get("ID") + "\"]");
    }
}
