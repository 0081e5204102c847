package io.caravan.ops;

import io.caravan.testing.LoopbackPorts;
import io.caravan.testing.HeadlessChromium;
import io.caravan.testing.ServeProcess;
import io.caravan.testing.TestHome;
import io.caravan.testing.Trees;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * bin/hawtio, as the README gives it, on a real {@code caravan serve}: Hawtio 2.17.7 in a child process, opened in a
 * headless Chromium at the address the script prints. Hawtio's JMX tree shows the job's MBean under io.caravan and
 * the job's two Camel routes; {@code run} invoked from the MBean's Operations tab starts the job, whose {@code Done}
 * then rises (read by JMX and in Hawtio's Attributes tab). Screenshots in target/hawtio-*.png. Needs Debian's
 * chromium and chromium-driver (.ci/run installs them); skipped, saying so, only when those are absent.
 */
class HawtioOnServeTest {

    private static final String JOB = "slow";
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @TempDir
    Path dir;

    @Test
    void should_show_the_jobs_and_routes_of_serve_in_hawtio_and_run_a_job_from_it() throws Exception {
        HeadlessChromium.assumeInstalled("Hawtio");
        Path source = dir.resolve("source");
        Trees.generate(source, 300, 7);
        Path target = dir.resolve("target");
        TestHome home = new TestHome(dir.resolve("home"));
        // 300 items at 30 a second: a run of about 10 s, long enough to watch Done rise
        home.job(JOB, Map.of("source.type", "folder", "source.root", source.toString(),
                "target.type", "folder", "target.root", target.toString(), "caravan.rate-limit", "30"));
        home.route(JOB);
        try (ServeProcess serve = ServeProcess.start(home, dir.resolve("serve.log"), Map.of());
             Hawtio hawtio = Hawtio.start(dir.resolve("hawtio.log"),
                     "http://127.0.0.1:" + serve.httpPort() + "/observe/jolokia")) {
            assertThat(serve.job(JOB).getDone()).isZero();
            ChromeDriver browser = HeadlessChromium.start(1400, 1000);
            try {
                // the address bin/hawtio prints: Hawtio stores the connection and reloads itself on it
                browser.get(hawtio.address());
                await(browser, Duration.ofSeconds(60), () -> browser.getCurrentUrl().contains("con=caravan-serve")
                        && !browser.findElements(By.id("root-io.caravan")).isEmpty(), hawtio);

                // the job's MBean, reached through the tree as a person would: io.caravan › Job › slow
                expand(browser, "root-io.caravan", hawtio);
                expand(browser, "root-io.caravan-Job", hawtio);
                WebElement jobNode = shown(browser, "root-io.caravan-Job-" + JOB, hawtio);
                assertThat(jobNode.getText()).isEqualTo(JOB);

                // the job's Camel routes: org.apache.camel › caravan › routes › slow.plan, slow.transfer
                for (String route : List.of(JOB + ".plan", JOB + ".transfer")) {
                    reveal(browser, "root-org.apache.camel-caravan-routes-" + route, hawtio);
                    assertThat(shown(browser, "root-org.apache.camel-caravan-routes-" + route, hawtio).getText())
                            .isEqualTo(route);
                }
                HeadlessChromium.screenshot((ChromeDriver) browser, "hawtio-tree");

                // run, from the job MBean's Operations tab
                shown(browser, "root-io.caravan-Job-" + JOB, hawtio).click();
                await(browser, Duration.ofSeconds(30), () -> browser.getPageSource()
                        .contains("io.caravan:type=Job,name=\"" + JOB + "\""), hawtio);
                tab(browser, "Operations", hawtio).click();
                WebElement run = await(browser, Duration.ofSeconds(30), () -> operation(browser, "run()"), hawtio);
                run.findElement(By.cssSelector(".list-view-pf-expand span")).click();
                WebElement execute = await(browser, Duration.ofSeconds(30), () -> operation(browser, "run()")
                        .flatMap(r -> r.findElements(By.xpath(".//button[normalize-space()='Execute']")).stream()
                                .filter(WebElement::isDisplayed).findFirst()), hawtio);
                execute.click();
                serve.await(Duration.ofSeconds(30), () -> done(serve) > 0);
                // the operation's result, shown under it, is the id of the run it started
                String runId = serve.job(JOB).getRunId();
                assertThat(runId).isNotBlank();
                await(browser, Duration.ofSeconds(30), () -> operation(browser, "run()").get().getText()
                        .contains(runId), hawtio);
                HeadlessChromium.screenshot((ChromeDriver) browser, "hawtio-run");
                long seen = done(serve);

                // Done rises in Hawtio's Attributes tab too
                tab(browser, "Attributes", hawtio).click();
                long shownDone = await(browser, Duration.ofSeconds(60), () -> attribute(browser, "Done")
                        .map(Long::parseLong).filter(d -> d > seen), hawtio);
                assertThat(shownDone).isGreaterThan(seen).isLessThanOrEqualTo(300);
                HeadlessChromium.screenshot((ChromeDriver) browser, "hawtio-attributes");
            } finally {
                browser.quit();
            }
            // serve's Jolokia policy is unchanged: through Hawtio's proxy, a Camel route's operations stay refused
            String proxy = hawtio.address().replaceFirst("/hawtio/.*", "")
                    + "/hawtio/proxy/http/127.0.0.1/" + serve.httpPort() + "/observe/jolokia";
            String stopRoute = "{\"type\":\"exec\",\"mbean\":\"org.apache.camel:context=caravan,type=routes,"
                    + "name=\\\"" + JOB + ".transfer\\\"\",\"operation\":\"stop()\"}";
            HttpResponse<String> refused = HTTP.send(HttpRequest.newBuilder(URI.create(proxy))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(stopRoute)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(refused.body()).as(stopRoute).contains("\"status\":403").doesNotContain("\"status\":200");
            assertThat(serve.connection().getAttribute(new javax.management.ObjectName(
                    "org.apache.camel:context=caravan,type=routes,name=\"" + JOB + ".transfer\""), "State"))
                    .isEqualTo("Started");
            serve.await(Duration.ofSeconds(120), () -> state(serve).equals("IDLE"));
            assertThat(serve.job(JOB).getDone()).isEqualTo(300);
            assertThat(Trees.ofFolder(target)).isEqualTo(Trees.ofFolder(source));
        }
    }

    private static long done(ServeProcess serve) {
        try {
            return serve.job(JOB).getDone();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static String state(ServeProcess serve) {
        try {
            return serve.job(JOB).getState();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** The row of the Operations tab whose heading is {@code signature}. */
    private static Optional<WebElement> operation(WebDriver browser, String signature) {
        return browser.findElements(By.xpath("//div[contains(concat(' ', normalize-space(@class), ' '), "
                        + "' list-group-item ')][.//div[contains(@class, 'list-group-item-heading')"
                        + " and normalize-space()='" + signature + "']]")).stream()
                .filter(WebElement::isDisplayed).findFirst();
    }

    /** The value shown for an attribute in the Attributes tab's table. */
    private static Optional<String> attribute(WebDriver browser, String name) {
        return browser.findElements(By.xpath("//table//tr[td[normalize-space()='" + name + "']]/td[2]")).stream()
                .filter(WebElement::isDisplayed).map(e -> e.getText().trim().replace(",", ""))
                .filter(t -> t.matches("\\d+")).findFirst();
    }

    private static WebElement tab(WebDriver browser, String name, Hawtio hawtio) throws Exception {
        return await(browser, Duration.ofSeconds(30), () -> browser.findElements(
                        By.xpath("//ul[contains(@class, 'nav-tabs')]//a[normalize-space()='" + name + "']")).stream()
                .filter(WebElement::isDisplayed).findFirst(), hawtio);
    }

    private static WebElement shown(WebDriver browser, String nodeId, Hawtio hawtio) throws Exception {
        return await(browser, Duration.ofSeconds(30), () -> browser.findElements(By.id(nodeId)).stream()
                .filter(WebElement::isDisplayed).findFirst(), hawtio);
    }

    /** Clicks a tree node's expand arrow unless it is already expanded. */
    private static void expand(WebDriver browser, String nodeId, Hawtio hawtio) throws Exception {
        WebElement node = shown(browser, nodeId, hawtio);
        List<WebElement> arrow = node.findElements(By.cssSelector(".expand-icon.fa-angle-right"));
        if (!arrow.isEmpty()) {
            arrow.get(0).click();
        }
    }

    /** Expands the node's ancestors, outermost first (data-nodeid 0.8.0.0.0.1 has ancestors 0.8, 0.8.0, ...). */
    private static void reveal(WebDriver browser, String nodeId, Hawtio hawtio) throws Exception {
        String path = await(browser, Duration.ofSeconds(30), () -> browser.findElements(By.id(nodeId)).stream()
                .findFirst().map(e -> e.getAttribute("data-nodeid")), hawtio);
        String[] parts = path.split("\\.");
        for (int i = 2; i < parts.length; i++) {
            String ancestor = String.join(".", List.of(parts).subList(0, i));
            WebElement node = await(browser, Duration.ofSeconds(30), () -> browser.findElements(
                    By.cssSelector("li[data-nodeid='" + ancestor + "']")).stream()
                    .filter(WebElement::isDisplayed).findFirst(), hawtio);
            expand(browser, node.getAttribute("id"), hawtio);
        }
    }

    private static <T> T await(WebDriver browser, Duration timeout, Supplier<Optional<T>> found, Hawtio hawtio)
            throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                Optional<T> value = found.get();
                if (value.isPresent()) {
                    return value.get();
                }
            } catch (org.openqa.selenium.StaleElementReferenceException e) {
                // the tree re-renders on each expansion; look again
            }
            if (System.nanoTime() > deadline) {
                HeadlessChromium.screenshot((ChromeDriver) browser, "hawtio-failure");
                Files.writeString(Path.of("target/hawtio-failure.html"), browser.getPageSource());
                throw new AssertionError("not found in Hawtio at " + browser.getCurrentUrl()
                        + " (target/hawtio-failure.png, .html); Hawtio log:\n" + hawtio.log());
            }
            Thread.sleep(200);
        }
    }

    private static void await(WebDriver browser, Duration timeout, java.util.function.BooleanSupplier condition,
                              Hawtio hawtio) throws Exception {
        await(browser, timeout, () -> condition.getAsBoolean() ? Optional.of(true) : Optional.empty(), hawtio);
    }

    /** bin/hawtio in a child process, on a free loopback port. */
    private record Hawtio(Process process, Path logFile, String address, String[] lastAnswer)
            implements AutoCloseable {

        static Hawtio start(Path log, String jolokia) throws Exception {
            int port = LoopbackPorts.free();
            ProcessBuilder builder = new ProcessBuilder("bin/hawtio", "--port", Integer.toString(port), "--serve",
                    jolokia).redirectErrorStream(true).redirectOutput(log.toFile());
            // its own unpacked web app, apart from a Hawtio started by hand from this tree
            builder.environment().put("HAWTIO_JAVA_OPTS", "-Duser.home=" + log.resolveSibling("hawtio-home"));
            Process process = builder.start();
            Hawtio hawtio = new Hawtio(process, log, null, new String[]{"none"});
            String prefix = "hawtio: open ";
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3); // the first start fetches the jar
            while (true) {
                Optional<String> address = hawtio.log().lines().filter(l -> l.contains(prefix))
                        .map(l -> l.substring(l.indexOf(prefix) + prefix.length())).findFirst();
                if (address.isPresent() && hawtio.answers("http://127.0.0.1:" + port + "/hawtio/")) {
                    assertThat(address.get()).startsWith("http://127.0.0.1:" + port + "/hawtio/");
                    return new Hawtio(process, log, address.get(), hawtio.lastAnswer);
                }
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    process.destroyForcibly();
                    throw new AssertionError("bin/hawtio did not start (last answer: " + hawtio.lastAnswer[0]
                            + "):\n" + hawtio.log());
                }
                Thread.sleep(250);
            }
        }

        private boolean answers(String url) {
            try {
                int status = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode();
                lastAnswer[0] = "HTTP " + status;
                return status == 200;
            } catch (IOException e) {
                lastAnswer[0] = e.toString();
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }

        String log() {
            try {
                return Files.readString(logFile);
            } catch (IOException e) {
                return "";
            }
        }

        @Override
        public void close() throws Exception {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }
}
