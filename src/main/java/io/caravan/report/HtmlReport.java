package io.caravan.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.jsoup.nodes.Entities;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.DoubleFunction;
import java.util.function.ToDoubleFunction;

/**
 * report.html: a run's report as one page that opens with no network. The plan and the outcomes, throughput over
 * time (items/s and bytes/s, drawn here as SVG, one point per sample), the largest and the slowest items, the
 * first {@value #REJECTS_SHOWN} rejects with a link to the whole rejects file, and the plan per group. Every string
 * from the source or the target (keys, reasons, descriptions) is escaped; the page runs no script, and says so in
 * its Content-Security-Policy. Each figure carries its exact value in {@code data-value}, named by
 * {@code data-figure} after its place in report.json.
 */
public final class HtmlReport {

    public static final String FILE = "report.html";
    public static final int REJECTS_SHOWN = 1000;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int WIDTH = 760;
    private static final int HEIGHT = 200;
    private static final int LEFT = 80;
    private static final int RIGHT = 20;
    private static final int TOP = 16;
    private static final int BOTTOM = 34;

    private final RunReport r;
    private final StringBuilder b = new StringBuilder(16_384);

    private HtmlReport(RunReport report) {
        this.r = report;
    }

    public static String of(RunReport report) {
        return new HtmlReport(report).page();
    }

    private String page() {
        String title = (r.dryRun() ? "Dry run " : "Run ") + r.runId() + " of job " + r.job();
        b.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none';"
                        + " style-src 'unsafe-inline'; img-src data:\">\n")
                .append("<link rel=\"icon\" href=\"data:,\">\n")
                .append("<title>").append(esc(title)).append("</title>\n<style>").append(STYLE).append("</style>\n")
                .append("</head>\n<body>\n<h1>").append(esc(title)).append("</h1>\n");
        summary();
        plan();
        outcomes();
        throughput();
        items("largest", "Largest items", r.largest());
        items("slowest", "Slowest items", r.slowest());
        rejects();
        groups();
        b.append("</body>\n</html>\n");
        return b.toString();
    }

    private void summary() {
        b.append("<p class=\"route\">").append(esc(r.source())).append(" → ").append(esc(r.target()))
                .append("</p>\n");
        b.append("<table class=\"facts\">\n");
        fact("Started", String.valueOf(r.startedAt()));
        fact("Finished", String.valueOf(r.finishedAt()));
        b.append("<tr><th>Took</th><td data-figure=\"seconds\" data-value=\"").append(r.seconds()).append("\">")
                .append(String.format(Locale.ROOT, "%.1f s", r.seconds())).append("</td></tr>\n");
        if (r.scope() != null) {
            fact("Ledger scope", r.scope());
        }
        b.append("<tr><th>Exit code</th>").append(figure("exitCode", r.exitCode())).append("</tr>\n");
        if (r.fatalError() != null) {
            b.append("<tr class=\"bad\"><th>Stopped</th><td>").append(esc(r.fatalError())).append("</td></tr>\n");
        }
        if (r.steps() != null) {
            r.steps().forEach(step -> fact("Step", step));
        }
        b.append("</table>\n");
    }

    private void fact(String name, String value) {
        b.append("<tr><th>").append(esc(name)).append("</th><td>").append(esc(value)).append("</td></tr>\n");
    }

    private void plan() {
        b.append("<h2>Plan</h2>\n<table id=\"plan\">\n<tr><th>decision</th><th>items</th><th>bytes</th></tr>\n");
        b.append("<tr><td>listed</td>").append(figure("listed", r.listed())).append("<td></td></tr>\n");
        b.append("<tr><td>excluded by filters</td>").append(figure("excluded", r.excluded()))
                .append("<td></td></tr>\n");
        if (r.plan() != null) {
            r.plan().forEach((decision, c) -> b.append("<tr><td>").append(esc(decision)).append("</td>")
                    .append(figure("plan." + decision + ".items", c.items()))
                    .append(bytesFigure("plan." + decision + ".bytes", c.bytes())).append("</tr>\n"));
        }
        b.append("</table>\n");
    }

    private void outcomes() {
        b.append("<h2>Outcomes</h2>\n");
        if (r.dryRun()) {
            b.append("<p>A dry run: nothing was written.</p>\n");
        }
        b.append("<table id=\"outcomes\">\n<tr><th>outcome</th><th>items</th><th>bytes</th></tr>\n");
        b.append("<tr><td>done</td>").append(figure("done", r.done())).append(bytesFigure("bytesDone", r.bytesDone()))
                .append("</tr>\n");
        if (r.outcomes() != null) {
            r.outcomes().forEach((outcome, n) -> b.append("<tr><td class=\"sub\">").append(esc(outcome))
                    .append("</td>").append(figure("outcomes." + outcome, n)).append("<td></td></tr>\n"));
        }
        b.append("<tr><td>failed</td>").append(figure("failed", r.failed())).append("<td></td></tr>\n");
        b.append("<tr><td>rejected</td>").append(figure("rejected", r.rejected())).append("<td></td></tr>\n");
        b.append("</table>\n<p>Average: <span data-figure=\"itemsPerSecond\" data-value=\"").append(r.itemsPerSecond())
                .append("\">").append(String.format(Locale.ROOT, "%,.1f", r.itemsPerSecond()))
                .append("</span> items/s, <span data-figure=\"bytesPerSecond\" data-value=\"")
                .append(r.bytesPerSecond()).append("\">").append(esc(Bytes.human((long) r.bytesPerSecond())))
                .append("</span>/s</p>\n");
    }

    private void throughput() {
        b.append("<h2>Throughput</h2>\n");
        List<ThroughputSamples.Point> points = r.samples() == null ? List.of() : r.samples();
        if (points.isEmpty()) {
            b.append("<p>No samples were taken.</p>\n");
            return;
        }
        b.append("<p>One point per sample (").append(String.format(Locale.ROOT, "%,d", points.size()))
                .append("): the rate since the point before.</p>\n");
        chart("items", "items/s", points, ThroughputSamples.Point::itemsPerSecond,
                v -> String.format(Locale.ROOT, "%,.0f", v));
        chart("bytes", "bytes/s", points, ThroughputSamples.Point::bytesPerSecond,
                v -> Bytes.human((long) v) + "/s");
    }

    private void chart(String id, String unit, List<ThroughputSamples.Point> points,
                       ToDoubleFunction<ThroughputSamples.Point> rate, DoubleFunction<String> label) {
        double maxSeconds = points.get(points.size() - 1).seconds();
        double maxRate = 0;
        for (ThroughputSamples.Point p : points) {
            maxRate = Math.max(maxRate, rate.applyAsDouble(p));
        }
        double xSpan = maxSeconds > 0 ? maxSeconds : 1;
        double ySpan = maxRate > 0 ? maxRate : 1;
        int plotW = WIDTH - LEFT - RIGHT;
        int plotH = HEIGHT - TOP - BOTTOM;
        b.append(String.format(Locale.ROOT, "<svg id=\"chart-%s\" class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\""
                + " width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"%s over time\">%n",
                id, WIDTH, HEIGHT, WIDTH, HEIGHT, unit));
        int baseline = TOP + plotH;
        b.append(String.format(Locale.ROOT, "<line class=\"axis\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>%n",
                LEFT, TOP, LEFT, baseline));
        b.append(String.format(Locale.ROOT, "<line class=\"axis\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>%n",
                LEFT, baseline, LEFT + plotW, baseline));
        b.append(String.format(Locale.ROOT, "<text class=\"label\" x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>%n",
                LEFT - 6, TOP + 4, esc(label.apply(maxRate))));
        b.append(String.format(Locale.ROOT, "<text class=\"label\" x=\"%d\" y=\"%d\" text-anchor=\"end\">0</text>%n",
                LEFT - 6, baseline + 4));
        b.append(String.format(Locale.ROOT, "<text class=\"label\" x=\"%d\" y=\"%d\">0 s</text>%n",
                LEFT, baseline + 16));
        b.append(String.format(Locale.ROOT,
                "<text class=\"label\" x=\"%d\" y=\"%d\" text-anchor=\"end\">%.1f s</text>%n",
                LEFT + plotW, baseline + 16, maxSeconds));
        b.append(String.format(Locale.ROOT,
                "<text class=\"label\" x=\"%d\" y=\"%d\" text-anchor=\"middle\">%s</text>%n",
                LEFT + plotW / 2, baseline + 30, esc(unit)));
        List<String> xy = new ArrayList<>(points.size());
        StringBuilder dots = new StringBuilder();
        for (ThroughputSamples.Point p : points) {
            double v = rate.applyAsDouble(p);
            double x = LEFT + p.seconds() / xSpan * plotW;
            double y = baseline - v / ySpan * plotH;
            xy.add(String.format(Locale.ROOT, "%.1f,%.1f", x, y));
            dots.append(String.format(Locale.ROOT, "<circle class=\"point\" cx=\"%.1f\" cy=\"%.1f\" r=\"3\""
                    + " data-seconds=\"%s\" data-value=\"%s\"><title>%.1f s: %s</title></circle>%n",
                    x, y, p.seconds(), v, p.seconds(), esc(label.apply(v))));
        }
        b.append("<polyline class=\"line\" points=\"").append(String.join(" ", xy)).append("\"/>\n");
        b.append(dots).append("</svg>\n");
    }

    private void items(String id, String heading, List<TopItems.Entry> entries) {
        b.append("<h2>").append(heading).append("</h2>\n");
        if (entries == null || entries.isEmpty()) {
            b.append("<p>No item was done.</p>\n");
            return;
        }
        b.append("<table id=\"").append(id).append("\">\n<tr><th>key</th><th>bytes</th><th>time</th></tr>\n");
        for (TopItems.Entry e : entries) {
            b.append("<tr><td class=\"key\">").append(esc(e.key())).append("</td>")
                    .append(bytesFigure(null, e.bytes())).append("<td class=\"n\">")
                    .append(e.millis() < 0 ? "" : String.format(Locale.ROOT, "%,.3f s", e.millis() / 1000.0))
                    .append("</td></tr>\n");
        }
        b.append("</table>\n");
    }

    private void rejects() {
        b.append("<h2>Rejects</h2>\n");
        Path file = r.rejectsFile() == null ? null : Path.of(r.rejectsFile());
        if (file == null || !Files.exists(file)) {
            b.append("<p>None.</p>\n");
            return;
        }
        List<JsonNode> shown = new ArrayList<>();
        long lines = 0;
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (line.isBlank()) {
                    continue;
                }
                lines++;
                if (shown.size() < REJECTS_SHOWN) {
                    shown.add(JSON.readTree(line));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the rejects file " + file, e);
        }
        String link = "<a id=\"rejects-file\" href=\"" + esc(file.getFileName().toString()) + "\">"
                + esc(file.getFileName().toString()) + "</a>";
        b.append("<p>").append(lines > shown.size()
                        ? String.format(Locale.ROOT, "The first %,d of %,d; all are in ", shown.size(), lines)
                        : String.format(Locale.ROOT, "All %,d, also in ", lines))
                .append(link).append(", one JSON line each.</p>\n");
        b.append("<table id=\"rejects\">\n<tr><th>key</th><th>status</th><th>stage</th><th>reason</th></tr>\n");
        for (JsonNode n : shown) {
            b.append("<tr><td class=\"key\">").append(esc(n.path("key").asText())).append("</td><td>")
                    .append(esc(n.path("status").asText())).append("</td><td>")
                    .append(esc(n.path("stage").asText())).append("</td><td>")
                    .append(esc(n.path("reason").asText())).append("</td></tr>\n");
        }
        b.append("</table>\n");
    }

    private void groups() {
        Map<String, Map<String, RunReport.Counts>> byGroup = r.planByGroup();
        if (byGroup == null || byGroup.isEmpty()) {
            return;
        }
        List<String> decisions = new ArrayList<>(byGroup.values().iterator().next().keySet());
        b.append("<h2>Per group</h2>\n<table id=\"groups\">\n<tr><th>group</th>");
        decisions.forEach(d -> b.append("<th>").append(esc(d)).append("</th>"));
        b.append("</tr>\n");
        byGroup.forEach((group, counts) -> {
            b.append("<tr><td class=\"key\">").append(esc(group)).append("</td>");
            for (String d : decisions) {
                RunReport.Counts c = counts.get(d);
                long items = c == null ? 0 : c.items();
                long bytes = c == null ? 0 : c.bytes();
                b.append("<td class=\"n\" data-figure=\"").append(esc("planByGroup." + group + "." + d + ".items"))
                        .append("\" data-value=\"").append(items).append("\">")
                        .append(String.format(Locale.ROOT, "%,d", items)).append(" <span class=\"bytes\">(")
                        .append(esc(Bytes.human(bytes))).append(")</span></td>");
            }
            b.append("</tr>\n");
        });
        b.append("</table>\n");
    }

    private static String figure(String name, long value) {
        return "<td class=\"n\" data-figure=\"" + esc(name) + "\" data-value=\"" + value + "\">"
                + String.format(Locale.ROOT, "%,d", value) + "</td>";
    }

    private static String bytesFigure(String name, long bytes) {
        return "<td class=\"n\"" + (name == null ? "" : " data-figure=\"" + esc(name) + "\"") + " data-value=\""
                + bytes + "\" title=\"" + String.format(Locale.ROOT, "%,d", bytes) + " bytes\">"
                + esc(Bytes.human(bytes)) + "</td>";
    }

    /** Text and attribute values alike: {@code & < > " '} become entities. */
    static String esc(String s) {
        return s == null ? "" : Entities.escape(s).replace("'", "&#x27;");
    }

    private static final String STYLE = """
            body{font:14px/1.4 system-ui,sans-serif;margin:2em;color:#222;max-width:60em}
            h1{font-size:1.4em}h2{font-size:1.15em;margin-top:1.6em}
            table{border-collapse:collapse;margin:.4em 0}
            th,td{padding:.2em .8em;border-bottom:1px solid #ddd;text-align:left;vertical-align:top}
            td.n{text-align:right;font-variant-numeric:tabular-nums}
            td.sub{padding-left:2em;color:#555}td.key{font-family:monospace;word-break:break-all}
            tr.bad td{color:#a00}.route{font-family:monospace}.bytes{color:#777}
            .chart{display:block;margin:.6em 0}.axis{stroke:#888}.label{font-size:11px;fill:#555}
            .line{fill:none;stroke:#2a6fb0;stroke-width:1.5}.point{fill:#2a6fb0}
            """;
}
