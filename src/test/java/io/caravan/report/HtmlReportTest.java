package io.caravan.report;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** report.html as a document: what it shows, and that nothing from the source becomes markup. */
class HtmlReportTest {

    @TempDir
    Path dir;

    private static final String HOSTILE = "<script>alert('x')</script>&\"quoted\"";

    @Test
    void should_escape_a_hostile_key_and_reason_everywhere_they_appear() {
        RejectsFile rejects = new RejectsFile(dir.resolve("rejects.jsonl"));
        rejects.add(HOSTILE, "rejected", "list", "bad <b>name</b>");
        rejects.close();
        RunReport report = report(3, dir.resolve("rejects.jsonl"),
                List.of(new TopItems.Entry(HOSTILE, 10, 5)), Map.of(HOSTILE, plan(1, 2)));

        String html = HtmlReport.of(report);

        assertThat(html).doesNotContain("<script").doesNotContain("<b>name");
        Document page = Jsoup.parse(html);
        assertThat(page.select("script")).isEmpty();
        assertThat(page.select("#rejects td.key").text()).isEqualTo(HOSTILE);
        assertThat(page.select("#rejects td").last().text()).isEqualTo("bad <b>name</b>");
        assertThat(page.select("#largest td.key").text()).isEqualTo(HOSTILE);
        assertThat(page.select("#slowest td.key").text()).isEqualTo(HOSTILE);
        assertThat(page.select("#groups td.key").text()).isEqualTo(HOSTILE);
        // an attribute built from a group name stays one attribute
        assertThat(page.select("#groups td[data-figure]").first().attr("data-figure"))
                .isEqualTo("planByGroup." + HOSTILE + ".new.items");
    }

    @Test
    void should_show_the_first_thousand_rejects_and_link_the_whole_file() {
        RejectsFile rejects = new RejectsFile(dir.resolve("rejects.jsonl"));
        for (int i = 0; i < 1234; i++) {
            rejects.add("key-" + i, "rejected", "transfer", "reason " + i);
        }
        rejects.close();

        Document page = Jsoup.parse(HtmlReport.of(report(1234, dir.resolve("rejects.jsonl"), List.of(), Map.of())));

        assertThat(page.select("#rejects tr:has(td)")).hasSize(1000);
        assertThat(page.select("#rejects tr:has(td)").first().child(0).text()).isEqualTo("key-0");
        assertThat(page.select("#rejects tr:has(td)").last().child(0).text()).isEqualTo("key-999");
        assertThat(page.select("#rejects-file").attr("href")).isEqualTo("rejects.jsonl");
        assertThat(page.select("#rejects-file").parents().first().text())
                .contains("The first 1,000 of 1,234; all are in rejects.jsonl");
    }

    @Test
    void should_show_the_plan_per_group() {
        Map<String, Map<String, RunReport.Counts>> groups = new LinkedHashMap<>();
        groups.put("blocks", plan(1200, 5_000_000));
        groups.put("commits", plan(7, 700));
        groups.put("fs", plan(40, 4_000));

        Document page = Jsoup.parse(HtmlReport.of(report(0, dir.resolve("none.jsonl"), List.of(), groups)));

        assertThat(page.select("#groups th").eachText())
                .containsExactly("group", "new", "changed", "unchanged", "rejected");
        assertThat(page.select("#groups td.key").eachText()).containsExactly("blocks", "commits", "fs");
        Element blocks = page.select("#groups tr").get(1);
        assertThat(blocks.child(1).attr("data-value")).isEqualTo("1200");
        assertThat(blocks.child(1).text()).isEqualTo("1,200 (4.8 MiB)");
        assertThat(blocks.child(3).text()).startsWith("3 ");
        assertThat(page.select("#rejects")).isEmpty();
    }

    @Test
    void should_draw_one_point_per_sample() {
        ThroughputSamples samples = new ThroughputSamples();
        samples.add(1, 10, 1000);
        samples.add(2, 30, 3000);
        samples.finish(2.5, 31, 3100);
        Instant now = Instant.parse("2026-12-05T07:00:00Z");
        RunReport report = new RunReport("job", "run", false, now, now.plusMillis(2500), 2.5, "s", "t", null, 31, 0,
                plan(31, 3100), Map.of(), 31, Map.of(), 3100, 0, 0, 12.4, 1240, null, null, List.of(), 0,
                samples.points(), List.of(), List.of());

        Document page = Jsoup.parse(HtmlReport.of(report));

        assertThat(page.select("#chart-items circle.point")).hasSize(3);
        assertThat(page.select("#chart-bytes circle.point")).hasSize(3);
        assertThat(page.select("#chart-items circle.point").eachAttr("data-value"))
                .containsExactly("10.0", "20.0", "2.0");
    }

    private static Map<String, RunReport.Counts> plan(long items, long bytes) {
        Map<String, RunReport.Counts> plan = new LinkedHashMap<>();
        plan.put("new", new RunReport.Counts(items, bytes));
        plan.put("changed", new RunReport.Counts(2, 20));
        plan.put("unchanged", new RunReport.Counts(3, 30));
        plan.put("rejected", new RunReport.Counts(0, 0));
        return plan;
    }

    private static RunReport report(long rejected, Path rejects, List<TopItems.Entry> top,
                                    Map<String, Map<String, RunReport.Counts>> groups) {
        Instant now = Instant.parse("2026-12-05T07:00:00Z");
        return new RunReport("job", "20261205T070000.000Z-abcd", false, now, now.plusSeconds(3), 3.0,
                "folder /src", "folder /dst", "scope-1", 10 + rejected, 0, plan(5, 50), groups, 5,
                Map.of("created", 5L), 50, rejected, 0, 1.7, 16.7, null,
                rejected > 0 ? rejects.toString() : null, List.of(), rejected > 0 ? 3 : 0, List.of(), top, top);
    }
}
