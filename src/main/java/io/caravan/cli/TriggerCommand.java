package io.caravan.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.caravan.job.ConfigException;
import io.caravan.job.JobSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.Callable;

/** Triggers a job of a running {@code caravan serve} through its loopback HTTP port (Jolokia). */
@Command(name = "trigger", description = "Run a job in the serving process (caravan serve) of this home, "
        + "through its HTTP port; with --wait, wait for the end of the run and exit with its code.")
final class TriggerCommand extends JobOptions implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "JOB")
    String job;

    @Option(names = "--dry-run", description = "Plan only")
    boolean dryRun;

    @Option(names = "--wait", description = "Wait for the run to end; print its report; exit with its code")
    boolean await;

    private HttpClient http;
    private String base;
    private ObjectMapper json;

    @Override
    public Integer call() throws Exception {
        JobSettings engine = JobSettings.engine(workspace().home(), overrides);
        base = "http://" + engine.string("caravan.http.host", "127.0.0.1") + ":"
                + engine.integer("caravan.http.port", 8087) + "/observe/jolokia";
        http = HttpClient.newHttpClient();
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
            response = http.send(HttpRequest.newBuilder(URI.create(base))
                    .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body))).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new ConfigException("no serving process answers at " + base + ": " + e.getMessage());
        }
        JsonNode answer = json.readTree(response.body());
        if (answer.path("status").asInt() != 200) {
            throw new ConfigException("job " + job + ": " + answer.path("error").asText(response.body()));
        }
        return answer.path("value");
    }
}
