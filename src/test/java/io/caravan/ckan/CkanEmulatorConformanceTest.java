package io.caravan.ckan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Holds the emulator to the recording of a real CKAN 2.10: all 90 recorded calls are replayed in order against
 * it, and each answer must match the recorded one — status, content type, the whole error object, for a success
 * the fields a migration relies on (and the order of every recorded list), for a download its headers, size and
 * bytes. Ids, the user token and the site url of the real CKAN are mapped to the emulator's as they appear.
 */
class CkanEmulatorConformanceTest {

    private static final Path TRANSCRIPT = Path.of("../shared/fixtures/ckan/real-ckan-2.10/transcript.jsonl");
    private static final String RECORDED_SITE = "http://127.0.0.1:55000";
    private static final String RECORDED_USER_TOKEN = "<user-token>";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern UUID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    /** Result fields compared value for value (ids and urls mapped); timestamps are not compared. */
    private static final Set<String> FIELDS = Set.of("name", "title", "private", "state", "type", "count",
            "url_type", "size", "mimetype", "capacity", "url", "format", "position", "package_id", "owner_org",
            "is_organization", "sysadmin", "fullname", "display_name", "num_resources", "num_tags", "package_count",
            "license_id", "license_title", "isopen", "table_name", "table_id", "group_id", "key", "value",
            "ckan_version", "extensions", "site_url", "sort", "email", "email_hash", "notes", "description");
    /** Nested dicts and lists compared element by element, in the recorded order. */
    private static final Set<String> NESTED = Set.of("resources", "users", "results", "tags", "groups",
            "organization", "extras");
    /** Compared whole. */
    private static final Set<String> WHOLE = Set.of("facets", "search_facets");
    /** Keys whose presence is the behaviour (user_show as sysadmin or anonymous, recorded at steps 4-6, 54). */
    private static final Set<String> PRESENCE = Set.of("email", "apikey", "license_url");

    private final HttpClient http = HttpClient.newHttpClient(); // never follows redirects: step 45 is a 302
    private final Map<String, String> ids = new LinkedHashMap<>();
    /** emulator resource id → sha256 of the bytes sent, and whether they are the recorded bytes. */
    private final Map<String, String> sentSha = new HashMap<>();
    private final Set<String> exactBytes = new java.util.HashSet<>();
    private List<JsonNode> steps;

    @Test
    void should_answer_every_recorded_call_like_the_real_ckan_2_10() throws Exception {
        steps = new ArrayList<>();
        for (String line : Files.readAllLines(TRANSCRIPT)) {
            steps.add(JSON.readTree(line));
        }
        List<Integer> replayed = new ArrayList<>();
        try (CkanEmulator emulator = new CkanEmulator()) {
            ids.put(RECORDED_SITE, emulator.url());
            // the recording's sysadmin, ckan_admin, existed before the first call
            ids.put("bfbd5cc3-56ec-4b1f-b58a-f056c2e6fadd", emulator.user("ckan_admin").orElseThrow().get("id").asText());
            for (JsonNode step : steps) {
                replay(emulator, step);
                replayed.add(step.get("step").asInt());
            }
        }
        assertThat(replayed).as("every recorded call, in order").isEqualTo(
                java.util.stream.IntStream.rangeClosed(1, 90).boxed().toList());
    }

    /** What the recording does not show but a migration relies on: knobs, harvest sources, id and range rules. */
    @Test
    void should_keep_the_rules_the_recording_does_not_show() throws Exception {
        try (CkanEmulator ckan = new CkanEmulator()) {
            ckan.putOrganization("org-1", "org-one");
            ckan.putDataset(JSON.readTree("{\"id\": \"d-1\", \"name\": \"old\", \"owner_org\": \"org-one\","
                    + " \"metadata_modified\": \"2023-12-31T23:59:59.999999\", \"resources\": [{\"id\": \"r-1\","
                    + " \"url\": \"a.csv\", \"url_type\": \"upload\", \"mimetype\": \"text/csv\"}]}"));
            ckan.putUpload("r-1", "x,y\n".getBytes(StandardCharsets.UTF_8));
            String url = ckan.dataset("old").orElseThrow().at("/resources/0/url").asText();
            assertThat(url).isEqualTo(ckan.url() + "/dataset/d-1/resource/r-1/download/a.csv");
            assertThat(get(url, null).body()).isEqualTo("x,y\n".getBytes(StandardCharsets.UTF_8));

            JsonNode created = post(ckan, "package_create", "{\"id\": \"d-2\", \"name\": \"new\", \"owner_org\": \"org-1\"}");
            assertThat(created.at("/result/id").asText()).as("a given id is kept").isEqualTo("d-2");
            assertThat(post(ckan, "package_create", "{\"id\": \"d-2\", \"name\": \"other\"}").get("error"))
                    .isEqualTo(JSON.readTree("{\"id\": [\"Dataset id already exists\"], \"__type\": \"Validation Error\"}"));
            assertThat(search(ckan, "fq=metadata_modified:%5B2024-01-01T00:00:00Z%20TO%20*%5D").get("results"))
                    .extracting(d -> d.get("name").asText()).containsExactly("new");
            assertThat(post(ckan, "user_create", "{\"name\": \"u1\", \"email\": \"u@x.org\", \"password\": \"short\"}")
                    .at("/error/password/0").asText()).isEqualTo("Your password must be 8 characters or longer");

            ckan.fail("package_show", 503, 1);
            assertThat(get(ckan.url() + "/api/3/action/package_show?id=new", null).statusCode()).isEqualTo(503);
            assertThat(get(ckan.url() + "/api/3/action/package_show?id=new", null).statusCode()).isEqualTo(200);
            ckan.failDataset("new", 500);
            assertThat(post(ckan, "package_patch", "{\"id\": \"new\", \"title\": \"t\"}").at("/error/__type").asText())
                    .isEqualTo("Internal Server Error");
            assertThat(ckan.calls("package_show")).isEqualTo(2);
            assertThat(ckan.calls("download")).isEqualTo(1);

            assertThat(post(ckan, "harvest_source_list", "{}").asText()).as("off by default")
                    .isEqualTo("Bad request - Action name not known: harvest_source_list");
            ckan.harvest(true);
            post(ckan, "harvest_source_create", "{\"name\": \"src\", \"url\": \"http://example.org/csw\","
                    + " \"source_type\": \"csw\", \"frequency\": \"WEEKLY\", \"owner_org\": \"org-one\"}");
            assertThat(ckan.harvestSource("src").orElseThrow().get("source_type").asText()).isEqualTo("csw");
            assertThat(search(ckan, "q=*:*").get("count").asInt()).as("not a dataset").isEqualTo(2);
            assertThat(search(ckan, "fq=%2Bdataset_type:harvest").get("count").asInt()).isEqualTo(1);
            assertThat(ckan.datasetCount()).isEqualTo(2);

            post(ckan, "package_delete", "{\"id\": \"old\"}");
            assertThat(search(ckan, "include_deleted=true").get("count").asInt()).isEqualTo(2);
        }
    }

    private HttpResponse<byte[]> get(String url, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url));
        if (token != null) {
            b.header("Authorization", token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private JsonNode search(CkanEmulator ckan, String query) throws Exception {
        return JSON.readTree(get(ckan.url() + "/api/3/action/package_search?" + query, CkanEmulator.SYSADMIN_TOKEN)
                .body()).get("result");
    }

    private JsonNode post(CkanEmulator ckan, String action, String json) throws Exception {
        return JSON.readTree(http.send(HttpRequest.newBuilder(URI.create(ckan.url() + "/api/3/action/" + action))
                .header("Authorization", CkanEmulator.SYSADMIN_TOKEN).POST(HttpRequest.BodyPublishers.ofString(json))
                .build(), HttpResponse.BodyHandlers.ofByteArray()).body());
    }

    private void replay(CkanEmulator emulator, JsonNode step) throws Exception {
        JsonNode request = step.get("request");
        JsonNode recorded = step.get("response");
        String what = "step " + step.get("step").asInt() + " " + step.get("purpose").asText();
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(emulator.url()
                + map(request.get("path").asText()) + query(request.path("query"))));
        switch (request.get("auth").asText()) {
            case "sysadmin-token" -> b.header("Authorization", CkanEmulator.SYSADMIN_TOKEN);
            case "user-token" -> b.header("Authorization", ids.get(RECORDED_USER_TOKEN));
            case "invalid-token" -> b.header("Authorization", "not-a-ckan-token");
            default -> { }
        }
        if (request.has("json")) {
            b.header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(map(request.get("json").toString())));
        } else if (request.has("multipart")) {
            multipart(b, request.get("multipart"));
        }
        HttpResponse<byte[]> answer = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(answer.statusCode()).as(what + ": status").isEqualTo(recorded.get("status").asInt());
        String type = answer.headers().firstValue("Content-Type").orElse("");
        String recordedType = recorded.get("content_type").asText();
        if (recordedType.startsWith("application/json")) {
            assertThat(type).as(what + ": content type").startsWith("application/json");
            json(what, recorded.get("body"), JSON.readTree(answer.body()), request);
        } else if (recordedType.startsWith("text/html")) {
            assertThat(type).as(what + ": content type").startsWith("text/html");
            page(what, recorded, answer);
        } else {
            assertThat(type).as(what + ": content type").isEqualTo(recordedType);
            file(what, recorded, answer);
        }
    }

    // ---- JSON answers

    private void json(String what, JsonNode expected, JsonNode got, JsonNode request) {
        if (!expected.isObject()) {
            assertThat(got).as(what + ": bare body of an unknown action").isEqualTo(expected);
            return;
        }
        assertThat(got.get("help").asText()).as(what + ": help").isEqualTo(map(expected.get("help").asText()));
        assertThat(got.get("success")).as(what + ": success").isEqualTo(expected.get("success"));
        if (expected.has("error")) {
            assertThat(got.get("error")).as(what + ": error").isEqualTo(mapped(expected.get("error")));
            return;
        }
        JsonNode result = expected.get("result");
        learnIds(what, result, got.get("result"));
        if (result.has("token")) { // api_token_create, step 7
            ids.put(RECORDED_USER_TOKEN, got.get("result").get("token").asText());
            assertThat(got.get("result").get("token").asText()).as(what).isNotBlank();
            return;
        }
        if (request.has("multipart")) {
            sentSha.put(got.get("result").get("id").asText(), lastSentSha);
            if (lastSentExact) {
                exactBytes.add(got.get("result").get("id").asText());
            }
        }
        compare(what + ": result", result, got.get("result"));
    }

    private void compare(String where, JsonNode expected, JsonNode got) {
        assertThat(got).as(where).isNotNull();
        if (expected.isArray()) {
            assertThat(got.isArray()).as(where + " is a list").isTrue();
            assertThat(names(got)).as(where + ": names in order").isEqualTo(mappedNames(expected));
            for (int i = 0; i < expected.size(); i++) {
                compare(where + "[" + i + "]", expected.get(i), got.get(i));
            }
        } else if (expected.isObject()) {
            for (Iterator<String> it = expected.fieldNames(); it.hasNext(); ) {
                String key = it.next();
                if (FIELDS.contains(key) || WHOLE.contains(key)) {
                    assertSame(where + "." + key, mapped(expected.get(key)), got.get(key));
                } else if (NESTED.contains(key) && !expected.get(key).isNull()) {
                    compare(where + "." + key, expected.get(key), got.get(key));
                }
            }
            for (String key : PRESENCE) {
                assertThat(got.has(key)).as(where + ": has " + key).isEqualTo(expected.has(key));
            }
        } else {
            assertSame(where, mapped(expected), got);
        }
    }

    private static void assertSame(String where, JsonNode expected, JsonNode got) {
        if (expected.isNumber() && got != null && got.isNumber()) {
            assertThat(got.asLong()).as(where).isEqualTo(expected.asLong());
        } else {
            assertThat(got).as(where).isEqualTo(expected);
        }
    }

    /** The list's names (or its plain values, or member_list's ids) in order. */
    private static List<String> names(JsonNode list) {
        List<String> names = new ArrayList<>();
        list.forEach(e -> names.add(e.isObject() ? e.path("name").asText(e.path("key").asText())
                : e.isArray() ? e.get(0).asText() : e.asText()));
        return names;
    }

    private List<String> mappedNames(JsonNode list) {
        return names(list).stream().map(this::map).toList();
    }

    /** Maps every id the real CKAN generated to the emulator's, walking both answers side by side. */
    private void learnIds(String what, JsonNode recorded, JsonNode ours) {
        if (recorded == null || ours == null) {
            return;
        }
        if (recorded.isTextual() && ours.isTextual() && UUID.matcher(recorded.asText()).matches()) {
            String known = ids.putIfAbsent(recorded.asText(), ours.asText());
            assertThat(known == null ? ours.asText() : known).as(what + ": id " + recorded.asText()
                    + " answered consistently").isEqualTo(ours.asText());
        } else if (recorded.isObject()) {
            recorded.fieldNames().forEachRemaining(k -> learnIds(what, recorded.get(k), ours.get(k)));
        } else if (recorded.isArray() && ours.isArray() && recorded.size() == ours.size()) {
            for (int i = 0; i < recorded.size(); i++) {
                learnIds(what, recorded.get(i), ours.get(i));
            }
        }
    }

    // ---- pages and files

    private static void page(String what, JsonNode recorded, HttpResponse<byte[]> answer) {
        String body = new String(answer.body(), StandardCharsets.UTF_8);
        if (recorded.get("status").asInt() == 302) {
            assertThat(answer.headers().firstValue("Location")).as(what + ": Location")
                    .hasValue(recorded.at("/headers/Location").asText());
            return;
        }
        assertThat(body).as(what + ": an HTML page").startsWith("<!DOCTYPE html>");
    }

    private void file(String what, JsonNode recorded, HttpResponse<byte[]> answer) throws Exception {
        JsonNode headers = recorded.get("headers");
        assertThat(answer.headers().firstValue("Content-Disposition")).as(what + ": Content-Disposition")
                .hasValue(headers.get("Content-Disposition").asText());
        assertThat(answer.headers().firstValue("Content-Length")).as(what + ": Content-Length")
                .hasValue(headers.get("Content-Length").asText());
        assertThat(answer.body().length).as(what + ": size").isEqualTo(recorded.get("size_bytes").asInt());
        String resource = answer.uri().getPath().split("/")[4];
        if (exactBytes.contains(resource)) {
            assertThat(sha256(answer.body())).as(what + ": sha256 of the recorded bytes")
                    .isEqualTo(recorded.get("sha256").asText());
        } else {
            // the recording has only the size of this file (a PNG): the emulator must serve what it was sent
            assertThat(sha256(answer.body())).as(what + ": sha256 of the bytes sent").isEqualTo(sentSha.get(resource));
        }
    }

    // ---- requests

    private String lastSentSha;
    private boolean lastSentExact;

    private void multipart(HttpRequest.Builder b, JsonNode multipart) throws Exception {
        String boundary = "caravan-conformance-boundary";
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (Iterator<Map.Entry<String, JsonNode>> it = multipart.get("fields").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + f.getKey() + "\"\r\n\r\n"
                    + map(f.getValue().asText()) + "\r\n").getBytes(StandardCharsets.UTF_8));
        }
        JsonNode file = multipart.at("/files/upload");
        byte[] bytes = bytesOf(file);
        lastSentSha = sha256(bytes);
        lastSentExact = lastSentSha.equals(file.get("sha256").asText());
        body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"upload\"; filename=\""
                + file.get("filename").asText() + "\"\r\nContent-Type: " + file.get("content_type").asText()
                + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.write(bytes);
        body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        b.header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()));
    }

    /**
     * The uploaded file: the recorded download body with the same sha256 when there is one (the CSVs of steps 40,
     * 43 and 65), else deterministic bytes of the recorded size.
     */
    private byte[] bytesOf(JsonNode file) throws Exception {
        String sha = file.get("sha256").asText();
        for (JsonNode step : steps) {
            JsonNode response = step.get("response");
            if (sha.equals(response.path("sha256").asText()) && response.get("body").isTextual()) {
                byte[] bytes = response.get("body").asText().getBytes(StandardCharsets.UTF_8);
                if (sha256(bytes).equals(sha)) {
                    return bytes;
                }
            }
        }
        byte[] bytes = new byte[file.get("size").asInt()];
        byte[] seed = file.get("filename").asText().getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) (seed[i % seed.length] + i);
        }
        return bytes;
    }

    private String query(JsonNode query) {
        StringJoiner q = new StringJoiner("&", "?", "");
        q.setEmptyValue("");
        for (Iterator<Map.Entry<String, JsonNode>> it = query.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            q.add(URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                    + URLEncoder.encode(map(e.getValue().asText()), StandardCharsets.UTF_8));
        }
        return q.toString();
    }

    private JsonNode mapped(JsonNode recorded) {
        try {
            return JSON.readTree(map(JSON.writeValueAsString(recorded)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private String map(String text) {
        String mapped = text;
        for (Map.Entry<String, String> id : ids.entrySet()) {
            mapped = mapped.replace(id.getKey(), id.getValue());
        }
        return mapped;
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
