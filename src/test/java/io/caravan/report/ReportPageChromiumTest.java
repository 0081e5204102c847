package io.caravan.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.caravan.testing.HeadlessChromium;
import io.caravan.testing.Rejects;
import io.caravan.testing.TestHome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.logging.Level;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real run's report.html opened in a headless Chromium, with no network: it loads without a console error, its
 * chart has one point per sample of the run, and its figures are report.json's. A screenshot is kept in
 * target/report-page.png. Needs Debian's chromium and chromium-driver (.ci/run installs them); skipped, saying so,
 * only when those are absent.
 */
class ReportPageChromiumTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void should_open_the_report_of_a_run_offline_with_the_chart_and_figures_of_report_json() throws Exception {
        HeadlessChromium.assumeInstalled("report.html");
        Path source = dir.resolve("source");
        Path target = dir.resolve("target");
        // 400 items at 100 a second: a run of about 4 s, sampled every second
        for (int i = 0; i < 400; i++) {
            Path file = source.resolve("d" + i % 10 + "/file-" + i + ".bin");
            Files.createDirectories(file.getParent());
            Files.write(file, new byte[100 + i * 37]);
        }
        // two items the folder source rejects: links that lead back into the tree
        Files.createSymbolicLink(source.resolve("d0/again"), Path.of(".."));
        Files.createSymbolicLink(source.resolve("d1/again"), Path.of(".."));
        TestHome home = new TestHome(dir.resolve("home"));
        home.job("folder-to-folder", Map.of("source.type", "folder", "source.root", source.toString(),
                "target.type", "folder", "target.root", target.toString(), "caravan.workers", "2",
                "caravan.rate-limit", "100", "caravan.progress-interval", "1s"));

        TestHome.Ran ran = home.run("run", "folder-to-folder");
        assertThat(ran.exit()).as(ran.output()).isEqualTo(3);
        Path runFolder = Rejects.latestRun(home.data(), "folder-to-folder");
        JsonNode json = JSON.readTree(runFolder.resolve("report.json").toFile());
        TestHome.Ran located = home.run("report", "folder-to-folder");
        assertThat(located.exit()).as(located.output()).isZero();
        Path page = Path.of(located.out().trim());
        assertThat(page).isEqualTo(runFolder.resolve("report.html").toAbsolutePath().normalize()).exists();
        assertThat(json.get("samples").size()).as("samples of a ~4 s run at 1 s").isGreaterThanOrEqualTo(3);

        ChromeDriver browser = HeadlessChromium.start(1000, 3000);
        try {
            // the console is read at all: a page that logs an error shows in it (else "no errors" would prove nothing)
            browser.get("data:text/html,<script>console.error('probe')</script>");
            assertThat(browser.manage().logs().get(LogType.BROWSER).getAll())
                    .anySatisfy(e -> assertThat(e.getMessage()).contains("probe"));

            browser.get(page.toUri().toString());
            List<LogEntry> console = browser.manage().logs().get(LogType.BROWSER).getAll();
            assertThat(console).filteredOn(e -> e.getLevel().intValue() >= Level.WARNING.intValue())
                    .as("console errors and warnings").isEmpty();
            assertThat(browser.getTitle()).startsWith("Run " + json.get("runId").asText());

            List<WebElement> points = browser.findElements(By.cssSelector("#chart-items circle.point"));
            assertThat(points).hasSize(json.get("samples").size());
            assertThat(browser.findElements(By.cssSelector("#chart-bytes circle.point")))
                    .hasSize(json.get("samples").size());
            for (int i = 0; i < points.size(); i++) {
                JsonNode sample = json.get("samples").get(i);
                assertThat(Double.parseDouble(points.get(i).getAttribute("data-seconds")))
                        .isEqualTo(sample.get("seconds").asDouble());
                assertThat(Double.parseDouble(points.get(i).getAttribute("data-value")))
                        .isEqualTo(sample.get("itemsPerSecond").asDouble());
                assertThat(points.get(i).isDisplayed()).isTrue();
            }

            Map<String, WebElement> figures = new HashMap<>();
            browser.findElements(By.cssSelector("[data-figure]"))
                    .forEach(e -> figures.put(e.getAttribute("data-figure"), e));
            Map<String, Long> expected = new HashMap<>();
            for (String name : List.of("listed", "excluded", "done", "bytesDone", "failed", "rejected", "exitCode")) {
                expected.put(name, json.get(name).asLong());
            }
            json.get("plan").fields().forEachRemaining(d -> {
                expected.put("plan." + d.getKey() + ".items", d.getValue().get("items").asLong());
                expected.put("plan." + d.getKey() + ".bytes", d.getValue().get("bytes").asLong());
            });
            json.get("outcomes").fields().forEachRemaining(o -> expected.put("outcomes." + o.getKey(),
                    o.getValue().asLong()));
            assertThat(expected).containsEntry("done", 400L).containsEntry("rejected", 2L)
                    .containsEntry("plan.new.items", 400L).containsEntry("plan.rejected.items", 2L);
            expected.forEach((name, value) -> {
                assertThat(figures).as(name).containsKey(name);
                WebElement shown = figures.get(name);
                assertThat(Long.parseLong(shown.getAttribute("data-value"))).as(name).isEqualTo(value);
                if (!name.endsWith("bytes") && !name.equals("bytesDone")) {
                    assertThat(shown.getText()).as(name).isEqualTo(String.format(Locale.ROOT, "%,d", value));
                }
            });

            assertThat(browser.findElements(By.cssSelector("#rejects td.key")))
                    .extracting(WebElement::getText).containsExactlyInAnyOrder("d0/again", "d1/again");
            assertThat(browser.findElement(By.id("rejects-file")).getAttribute("href"))
                    .isEqualTo(runFolder.resolve("rejects.jsonl").toAbsolutePath().toUri().toString());
            assertThat(browser.findElements(By.cssSelector("#largest td.key"))).hasSize(20)
                    .first().extracting(WebElement::getText).isEqualTo(json.get("largest").get(0).get("key").asText());
            assertThat(browser.findElements(By.cssSelector("#slowest td.key"))).hasSize(20);

            HeadlessChromium.screenshot(browser, "report-page");
        } finally {
            browser.quit();
        }
    }
}
