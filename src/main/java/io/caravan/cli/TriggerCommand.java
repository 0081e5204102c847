package io.caravan.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.caravan.job.ConfigException;
import io.caravan.job.JobSettings;
import io.caravan.ops.http.ControlAccess;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.net.Authenticator;
import java.net.InetAddress;
import java.net.PasswordAuthentication;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * Triggers a job of a running {@code caravan serve} through its HTTP port (Jolokia). Off loopback it sends
 * {@code caravan.http.token} as a bearer token when this home has one, else {@code --user}'s basic credentials.
 */
@Command(name = "trigger", description = "Run a job in the serving process (caravan serve) of this home, "
        + "through its HTTP port; with --wait, wait for the end of the run and exit with its code.")
final class TriggerCommand extends JobOptions implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "JOB")
    String job;

    @Option(names = "--dry-run", description = "Plan only")
    boolean dryRun;

    @Option(names = "--wait", description = "Wait for the run to end; print its report; exit with its code")
    boolean await;

    @Option(names = "--user", paramLabel = "NAME", description = "A readwrite user of config/jmx.password, when serve "
            + "is off loopback and this home has no caravan.http.token; the password from CARAVAN_HTTP_PASSWORD, "
            + "else asked for")
    String user;

    private HttpClient http;
    private String base;
    private String token;
    private ObjectMapper json;

    @Override
    public Integer call() throws Exception {
        JobSettings engine = JobSettings.engine(workspace().home(), overrides);
        base = "http://" + reachable(engine.string("caravan.http.host", "127.0.0.1")) + ":"
                + engine.integer("caravan.http.port", 8087) + "/observe/jolokia";
        token = engine.string(ControlAccess.TOKEN, "").trim();
        HttpClient.Builder client = HttpClient.newBuilder();
        if (token.isEmpty() && user != null) {
            client.authenticator(new BasicCredentials(user, password()));
        }
        http = client.build();
        // made here, not when picocli makes every command at start-up: starting Jackson is this command's business
        json = new ObjectMapper();
        System.out.println("started run " + jolokia(Map.of("type", "exec", "operation", dryRun ? "dryRun" : "run")).asText());
        if (!await) {
            return 0;
        }
        while (!"IDLE".equals(jolokia(Map.of("type", "read", "attribute", "State")).asText())) {
            Thread.sleep(500);
        }
        System.out.print(jolokia(Map.of("type", "read", "attribute", "LastReport")).asText());
        return jolokia(Map.of("type", "read", "attribute", "LastExitCode")).asInt();
    }

    private JsonNode jolokia(Map<String, String> request) throws IOException, InterruptedException {
        Map<String, String> body = new java.util.HashMap<>(request);
        body.put("mbean", "io.caravan:type=Job,name=\"" + job + "\"");
        HttpResponse<String> response;
        try {
            HttpRequest.Builder post = HttpRequest.newBuilder(URI.create(base))
                    .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body)));
            if (!token.isEmpty()) {
                post.header("Authorization", "Bearer " + token);
            }
            response = http.send(post.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new ConfigException("no serving process answers at " + base + ": " + e.getMessage());
        }
        if (response.statusCode() == 401 || response.statusCode() == 403) {
            throw new ConfigException("the serving process at " + base + " refused " + whoAsked() + " (HTTP "
                    + response.statusCode() + "): off loopback it needs " + ControlAccess.TOKEN
                    + " in this home, or --user with a readwrite user");
        }
        JsonNode answer = json.readTree(response.body());
        if (answer.path("status").asInt() != 200) {
            throw new ConfigException("job " + job + ": " + answer.path("error").asText(response.body()));
        }
        return answer.path("value");
    }

    private String whoAsked() {
        return !token.isEmpty() ? ControlAccess.TOKEN : user != null ? "user " + user : "a request without credentials";
    }

    /** A serve bound to every address (0.0.0.0, ::) is reached on loopback. */
    private static String reachable(String host) throws IOException {
        return InetAddress.getByName(host).isAnyLocalAddress() ? "127.0.0.1" : host;
    }

    private char[] password() {
        String fromEnvironment = System.getenv("CARAVAN_HTTP_PASSWORD");
        if (fromEnvironment != null) {
            return fromEnvironment.toCharArray();
        }
        if (System.console() == null) {
            throw new ConfigException("--user " + user + ": give the password in CARAVAN_HTTP_PASSWORD");
        }
        return System.console().readPassword("password of %s: ", user);
    }

    /** The JDK's client answers the server's basic challenge with these. */
    private static final class BasicCredentials extends Authenticator {
        private final PasswordAuthentication credentials;

        BasicCredentials(String user, char[] password) {
            this.credentials = new PasswordAuthentication(user, password);
        }

        @Override
        protected PasswordAuthentication getPasswordAuthentication() {
            return credentials;
        }
    }
}
