package io.caravan.ckan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.caravan.item.ItemRejectedException;
import io.caravan.item.JobFatalException;
import io.caravan.item.RetryableException;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;

/**
 * CKAN's Action API ({@code /api/3/action/<action>}): the {@code {help, success, result}} envelope unwrapped, and
 * its errors sorted into Caravan's three kinds. A Validation Error refuses the item (its field errors are the
 * reason); an Authorization Error stops the job; 5xx, 429 and timeouts are retried by the pipeline's redelivery.
 * The API token goes in the {@code Authorization} header, as CKAN expects, and never into a message.
 */
public final class CkanClient {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI base;
    private final String token;
    private final HttpClient http;
    private final Duration timeout;

    public CkanClient(String baseUrl, String token, Duration timeout) {
        this.base = URI.create(baseUrl.endsWith("/") ? baseUrl : baseUrl + "/");
        this.token = token;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    /** A read action (GET); empty when CKAN answers Not Found. */
    public Optional<JsonNode> get(String action, Map<String, String> params) {
        StringJoiner query = new StringJoiner("&", "?", "");
        query.setEmptyValue("");
        params.forEach((k, v) -> query.add(URLEncoder.encode(k, StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(v, StandardCharsets.UTF_8)));
        return call(action, request(action, query.toString()).GET().build());
    }

    /** A write action (POST, JSON body); empty when CKAN answers Not Found. */
    public Optional<JsonNode> post(String action, JsonNode body) {
        try {
            return call(action, request(action, "").header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body))).build());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Fails the job with a clear message unless the portal answers {@code status_show}. */
    public void check() {
        if (get("status_show", Map.of()).isEmpty()) {
            throw new JobFatalException(describe() + " does not answer status_show");
        }
    }

    public String describe() {
        return "CKAN " + base;
    }

    private HttpRequest.Builder request(String action, String query) {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve("api/3/action/" + action + query))
                .timeout(timeout).header("Accept", "application/json");
        if (token != null && !token.isEmpty()) {
            b.header("Authorization", token);
        }
        return b;
    }

    private Optional<JsonNode> call(String action, HttpRequest request) {
        HttpResponse<byte[]> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new RetryableException(describe() + " " + action + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RetryableException(describe() + " " + action + ": interrupted", e);
        }
        int status = response.statusCode();
        if (status == 429 || status >= 500) {
            throw new RetryableException(describe() + " " + action + " answered HTTP " + status, null);
        }
        JsonNode envelope;
        try {
            envelope = JSON.readTree(response.body());
        } catch (IOException e) {
            throw new RetryableException(describe() + " " + action + " answered HTTP " + status + " with no JSON", e);
        }
        if (envelope != null && envelope.path("success").asBoolean(false)) {
            return Optional.of(envelope.get("result"));
        }
        JsonNode error = envelope == null ? null : envelope.get("error");
        String type = error == null ? "" : error.path("__type").asText("");
        return switch (type) {
            case "Not Found Error" -> Optional.empty();
            case "Validation Error" -> throw new ItemRejectedException("transfer", "CKAN refused " + action + ": "
                    + fieldErrors(error));
            case "Authorization Error" -> throw new JobFatalException(describe() + " refused " + action + ": "
                    + error.path("message").asText() + " (check the API token and its user's rights)");
            default -> throw new JobFatalException(describe() + " " + action + " answered HTTP " + status + ": "
                    + (envelope == null ? "" : envelope.toString()));
        };
    }

    /** "name: That URL is already in use.; owner_org: Organization does not exist" */
    static String fieldErrors(JsonNode error) {
        StringJoiner fields = new StringJoiner("; ");
        for (Iterator<Map.Entry<String, JsonNode>> it = error.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (field.getKey().equals("__type")) {
                continue;
            }
            JsonNode value = field.getValue();
            StringJoiner messages = new StringJoiner(" ");
            if (value.isArray()) {
                value.forEach(m -> messages.add(m.isTextual() ? m.asText() : m.toString()));
            } else {
                messages.add(value.isTextual() ? value.asText() : value.toString());
            }
            fields.add(field.getKey() + ": " + messages);
        }
        return fields.toString();
    }
}
