package io.caravan.ckan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import static io.caravan.ckan.CkanEmulator.JSON;

/** Reading an action call from an exchange, and writing envelopes, error bodies, pages and downloads. */
final class CkanEmulatorHttp {

    static final String JSON_TYPE = "application/json;charset=utf-8";
    static final String HTML_TYPE = "text/html; charset=utf-8";

    private CkanEmulatorHttp() {
    }

    static CkanEmulatorCall call(HttpExchange exchange, String action, Optional<ObjectNode> viewer) throws IOException {
        Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
        byte[] bytes = exchange.getRequestBody().readAllBytes();
        String type = exchange.getRequestHeaders().getFirst("Content-Type");
        ObjectNode body = JSON.createObjectNode();
        Optional<CkanEmulatorMultipart.FilePart> upload = Optional.empty();
        if (CkanEmulatorMultipart.is(type)) {
            CkanEmulatorMultipart multipart = CkanEmulatorMultipart.parse(type, bytes);
            multipart.fields.forEach(body::put);
            // a resource's file is "upload"; an organization's, group's or user's image is "image_upload"
            upload = Optional.ofNullable(multipart.files.getOrDefault("upload", multipart.files.get("image_upload")));
        } else if (bytes.length > 0) {
            JsonNode parsed = parse(bytes);
            if (!parsed.isObject()) {
                throw CkanEmulatorAnswer.invalidMessage("Bad request - JSON Error: Request data JSON decoded to "
                        + parsed.getNodeType() + " but a dictionary was expected");
            }
            body = (ObjectNode) parsed;
        }
        return new CkanEmulatorCall(action, query, body, upload, viewer);
    }

    private static JsonNode parse(byte[] bytes) {
        try {
            return JSON.readTree(bytes);
        } catch (IOException e) {
            throw CkanEmulatorAnswer.invalidMessage("Bad request - JSON Error: Could not extract request body data");
        }
    }

    static Map<String, String> query(String raw) {
        Map<String, String> q = new HashMap<>();
        if (raw != null && !raw.isEmpty()) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                q.put(URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8),
                        eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return q;
    }

    static void sendResult(HttpExchange exchange, String help, JsonNode result) throws IOException {
        ObjectNode envelope = JSON.createObjectNode().put("help", help).put("success", true);
        envelope.set("result", result);
        send(exchange, 200, JSON_TYPE, JSON.writeValueAsBytes(envelope));
    }

    static void send(HttpExchange exchange, CkanEmulatorAnswer answer, String help) throws IOException {
        switch (answer.kind) {
            case BARE -> send(exchange, answer.status, JSON_TYPE, JSON.writeValueAsBytes(answer.body));
            case HTML -> send(exchange, answer.status, HTML_TYPE, page(answer.status, answer.body.asText()));
            default -> {
                ObjectNode envelope = JSON.createObjectNode().put("help", help);
                envelope.set("error", answer.body);
                envelope.put("success", false);
                send(exchange, answer.status, JSON_TYPE, JSON.writeValueAsBytes(envelope));
            }
        }
    }

    static void send(HttpExchange exchange, CkanEmulatorResources.Download download) throws IOException {
        download.headers().forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
        if (download.status() == 302) {
            String location = download.headers().get("Location");
            send(exchange, 302, HTML_TYPE, ("<!doctype html>\n<html lang=en>\n<title>Redirecting...</title>\n"
                    + "<h1>Redirecting...</h1>\n<p>You should be redirected automatically to the target URL: <a href=\""
                    + location + "\">" + location + "</a>. If not, click the link.\n").getBytes(StandardCharsets.UTF_8));
            return;
        }
        send(exchange, download.status(), download.headers().get("Content-Type"), download.body());
    }

    /** CKAN's error pages are whole HTML documents (17 KB for the 403 at step 42); this one is short. */
    private static byte[] page(int status, String title) {
        return ("<!DOCTYPE html>\n<html lang=\"en\">\n  <head>\n    <meta charset=\"utf-8\" />\n    <title>" + title
                + " - CKAN</title>\n  </head>\n  <body>\n    <h1>" + status + " " + title + "</h1>\n  </body>\n</html>\n")
                .getBytes(StandardCharsets.UTF_8);
    }

    private static void send(HttpExchange exchange, int status, String type, byte[] bytes) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            exchange.getResponseBody().write(bytes);
        }
    }
}
