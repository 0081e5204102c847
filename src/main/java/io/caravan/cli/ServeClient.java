package io.caravan.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.caravan.job.ConfigException;
import io.caravan.job.JobSettings;
import io.caravan.ops.http.ControlAccess;

import java.io.IOException;
import java.net.Authenticator;
import java.net.InetAddress;
import java.net.PasswordAuthentication;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Talks to the job MBeans of this home's running {@code caravan serve} over its HTTP port (Jolokia). Off loopback
 * it sends {@code caravan.http.token} as a bearer token when this home has one, else a user's basic credentials.
 */
final class ServeClient {

    /** Serve is not there (nothing listens on its port): the caller does without it. */
    static final class NotServing extends IOException {
        NotServing(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final HttpClient http;
    private final String base;
    private final String token;
    private final String user;
    private final ObjectMapper json = new ObjectMapper();

    /** @param user a user of config/jmx.password (null: none), @param password its password */
    ServeClient(JobSettings engine, String user, char[] password) throws IOException {
        this.base = "http://" + reachable(engine.string("caravan.http.host", "127.0.0.1")) + ":"
                + engine.integer("caravan.http.port", 8087) + "/observe/jolokia";
        this.token = engine.string(ControlAccess.TOKEN, "").trim();
        this.user = user;
        HttpClient.Builder client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5));
        if (token.isEmpty() && user != null) {
            client.authenticator(new BasicCredentials(user, password));
        }
        this.http = client.build();
    }

    String base() {
        return base;
    }

    JsonNode exec(String job, String operation) throws IOException, InterruptedException {
        return call(job, Map.of("type", "exec", "operation", operation));
    }

    JsonNode read(String job, String attribute) throws IOException, InterruptedException {
        return call(job, Map.of("type", "read", "attribute", attribute));
    }

    /** Every attribute of the job's MBean, by name. */
    JsonNode readAll(String job) throws IOException, InterruptedException {
        return call(job, Map.of("type", "read"));
    }

    private JsonNode call(String job, Map<String, String> request) throws IOException, InterruptedException {
        Map<String, String> body = new HashMap<>(request);
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
            throw new NotServing("no serving process answers at " + base + ": " + e.getMessage(), e);
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
