package io.caravan.ops;

import io.caravan.testing.LoopbackPorts;
import io.caravan.testing.ServeProcess;
import io.caravan.testing.TestHome;
import io.caravan.testing.Trees;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code caravan serve} guarding its HTTP port: off loopback it refuses to start with nothing to guard it (refused
 * before it listens); guarded, metrics and Jolokia need a user of config/jmx.password or the bearer token, and
 * Jolokia's exec and write need readwrite. Tests listen on 127.0.0.1 only, so the guarded serve is the one
 * {@code caravan.http.auth = always} makes on loopback: the same guard as off loopback.
 */
class ServeOffLoopbackTest {

    private static final String TOKEN = "token-7f3a-never-logged";
    private static final String MONITOR = "monitor";
    private static final String MONITOR_PASSWORD = "monitor-password-9c2e";
    private static final String JOB_MBEAN = "io.caravan:type=Job,name=%22guarded%22";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    /** 192.0.2.1 (TEST-NET-1, never assigned): were the refusal to break, serve could not listen there either. */
    @Test
    void should_refuse_to_serve_off_loopback_without_users_or_a_token() throws Exception {
        TestHome home = new TestHome(dir.resolve("bare-home"));
        Files.writeString(home.path().resolve("config/application.properties"), "\ncaravan.http.host = 192.0.2.1\n"
                + "caravan.http.port = " + LoopbackPorts.free() + "\n", StandardOpenOption.APPEND);
        Path log = dir.resolve("bare.log");
        Process serve = home.start(log, List.of(), "serve");
        try {
            assertThat(serve.waitFor(60, TimeUnit.SECONDS)).as("refused at once").isTrue();
            assertThat(serve.exitValue()).isEqualTo(2);
            assertThat(Files.readString(log)).contains("caravan.http.host is 192.0.2.1, not a loopback address")
                    .contains("config/jmx.password", "config/jmx.access", "caravan.http.token");
        } finally {
            serve.destroyForcibly();
        }
    }

    @Test
    void should_ask_for_credentials_off_loopback_and_keep_jolokia_writes_from_a_readonly_user() throws Exception {
        Path source = dir.resolve("source");
        Trees.generate(source, 12, 3);
        Path target = dir.resolve("target");
        TestHome home = new TestHome(dir.resolve("home"));
        home.job("guarded", Map.of("source.type", "folder", "source.root", source.toString(),
                "target.type", "folder", "target.root", target.toString()));
        home.route("guarded");
        Files.writeString(home.path().resolve("config/secrets.properties"), "caravan.http.token = " + TOKEN + "\n");
        try (ServeProcess serve = ServeProcess.start(home, dir.resolve("serve.log"),
                Map.of("caravan.http.auth", "always"))) {
            Files.writeString(home.path().resolve("config/jmx.password"), MONITOR + " " + MONITOR_PASSWORD + "\n",
                    StandardOpenOption.APPEND);
            Files.writeString(home.path().resolve("config/jmx.access"), MONITOR + " readonly\n",
                    StandardOpenOption.APPEND);
            String operator = basic(ServeProcess.USER, ServeProcess.PASSWORD);
            String read = "/observe/jolokia/read/" + JOB_MBEAN + "/State";

            assertThat(get(serve, "/observe/metrics", null).statusCode()).isEqualTo(401);
            assertThat(get(serve, read, null).statusCode()).isEqualTo(401);
            assertThat(post(serve, exec("run"), null).statusCode()).isEqualTo(401);
            assertThat(get(serve, read, basic(ServeProcess.USER, "wrong-pass-31")).statusCode()).isEqualTo(401);
            assertThat(get(serve, read, "Bearer not-the-token").statusCode()).isEqualTo(401);
            assertThat(get(serve, "/observe/health/live", null).statusCode()).as("probes stay open").isEqualTo(200);

            assertThat(get(serve, "/observe/metrics", operator).statusCode()).isEqualTo(200);
            assertThat(get(serve, read, operator).body()).contains("\"value\":\"IDLE\"");
            assertThat(get(serve, "/observe/metrics", "Bearer " + TOKEN).statusCode()).isEqualTo(200);
            assertThat(get(serve, read, "Bearer " + TOKEN).body()).contains("\"value\":\"IDLE\"");

            String monitor = basic(MONITOR, MONITOR_PASSWORD);
            assertThat(get(serve, read, monitor).body()).contains("\"value\":\"IDLE\"");
            assertThat(post(serve, "{\"type\":\"read\",\"mbean\":\"" + JOB_MBEAN.replace("%22", "\\\"")
                    + "\",\"attribute\":\"State\"}", monitor).body()).contains("\"value\":\"IDLE\"");
            assertThat(post(serve, exec("run"), monitor).statusCode()).isEqualTo(403);
            assertThat(post(serve, "[{\"type\":\"read\",\"mbean\":\"java.lang:type=Memory\"}," + exec("dryRun") + "]",
                    monitor).statusCode()).as("one exec in a bulk request").isEqualTo(403);
            assertThat(post(serve, "{\"type\":\"write\",\"mbean\":\"java.lang:type=Memory\",\"attribute\":\"Verbose\","
                    + "\"value\":true}", monitor).statusCode()).isEqualTo(403);
            assertThat(get(serve, "/observe/jolokia/exec/" + JOB_MBEAN + "/run", monitor).statusCode()).isEqualTo(403);
            assertThat(get(serve, "/observe/jolokia/?p=/exec/" + JOB_MBEAN + "/run", monitor).statusCode())
                    .isEqualTo(403);
            assertThat(get(serve, "/observe/jolokia/write/java.lang:type=Memory/Verbose/true", monitor).statusCode())
                    .isEqualTo(403);
            Thread.sleep(500);
            assertThat(serve.job("guarded").getDone()).as("the job did not run").isZero();
            assertThat(target).doesNotExist();

            // no token in this home: a readwrite user, the password from the environment; a readonly one is refused
            Path asOperator = dir.resolve("trigger-operator.log");
            assertThat(trigger(home, asOperator, ServeProcess.USER, ServeProcess.PASSWORD)).as(Files.readString(asOperator))
                    .isZero();
            assertThat(Files.readString(asOperator)).contains("started run", "Dry run");
            Path asMonitor = dir.resolve("trigger-monitor.log");
            assertThat(trigger(home, asMonitor, MONITOR, MONITOR_PASSWORD)).isEqualTo(2);
            assertThat(Files.readString(asMonitor)).contains("refused user monitor (HTTP 403)")
                    .doesNotContain(MONITOR_PASSWORD);

            TestHome.Ran trigger = home.run("trigger", "guarded", "--wait");
            assertThat(trigger.exit()).as(trigger.output()).isZero();
            assertThat(Trees.ofFolder(target)).isEqualTo(Trees.ofFolder(source));

            assertThat(serve.log() + trigger.output())
                    .doesNotContain(TOKEN, ServeProcess.PASSWORD, MONITOR_PASSWORD, "wrong-pass-31", operator, monitor);
        }
    }

    /** {@code caravan trigger guarded --dry-run --wait --user <user>} in a child JVM, this home's token unset. */
    private static int trigger(TestHome home, Path log, String user, String password) throws Exception {
        Process trigger = home.start(log, Map.of("CARAVAN_HTTP_PASSWORD", password), "trigger", "guarded",
                "--dry-run", "--wait", "--user", user, "--set", "caravan.http.token=");
        assertThat(trigger.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return trigger.exitValue();
    }

    private static String exec(String operation) {
        return "{\"type\":\"exec\",\"mbean\":\"" + JOB_MBEAN.replace("%22", "\\\"") + "\",\"operation\":\""
                + operation + "\"}";
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private static HttpResponse<String> get(ServeProcess serve, String path, String authorization) throws Exception {
        return send(serve, path, HttpRequest.newBuilder().GET(), authorization);
    }

    private static HttpResponse<String> post(ServeProcess serve, String body, String authorization) throws Exception {
        return send(serve, "/observe/jolokia", HttpRequest.newBuilder().POST(HttpRequest.BodyPublishers.ofString(body)),
                authorization);
    }

    private static HttpResponse<String> send(ServeProcess serve, String path, HttpRequest.Builder request,
                                             String authorization) throws Exception {
        request.uri(URI.create("http://127.0.0.1:" + serve.httpPort() + path));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

}
