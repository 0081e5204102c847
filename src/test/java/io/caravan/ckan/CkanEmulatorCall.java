package io.caravan.ckan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Map;
import java.util.Optional;

/** One action call: its parameters (query, JSON body or multipart fields), an uploaded file, and who calls. */
record CkanEmulatorCall(String action, Map<String, String> query, ObjectNode body,
                        Optional<CkanEmulatorMultipart.FilePart> upload, Optional<ObjectNode> viewer) {

    /** A parameter from the body, else the query string; null when absent or JSON null. */
    String param(String key) {
        JsonNode v = body.get(key);
        if (v != null && !v.isNull()) {
            return v.isValueNode() ? v.asText() : v.toString();
        }
        return query.get(key);
    }

    String param(String key, String otherwise) {
        String v = param(key);
        return v == null ? otherwise : v;
    }

    boolean flag(String key) {
        return "true".equalsIgnoreCase(param(key));
    }

    int number(String key, int otherwise) {
        String v = param(key);
        return v == null || v.isBlank() ? otherwise : Integer.parseInt(v.trim());
    }

    boolean sysadmin() {
        return viewer.map(v -> v.path("sysadmin").asBoolean(false)).orElse(false);
    }

    /** The name CKAN puts in authorization messages: "" for anonymous. */
    String userName() {
        return viewer.map(v -> v.path("name").asText()).orElse("");
    }

    Optional<String> userId() {
        return viewer.map(v -> v.path("id").asText());
    }
}
