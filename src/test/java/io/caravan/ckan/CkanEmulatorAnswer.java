package io.caravan.ckan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Map;

import static io.caravan.ckan.CkanEmulator.JSON;

/** An emulated CKAN answer other than success: its HTTP status and the error object (or a bare or HTML body). */
final class CkanEmulatorAnswer extends RuntimeException {

    enum Kind { ERROR, BARE, HTML }

    final int status;
    final JsonNode body;
    final Kind kind;

    private CkanEmulatorAnswer(int status, JsonNode body, Kind kind) {
        super(null, null, false, false);
        this.status = status;
        this.body = body;
        this.kind = kind;
    }

    static CkanEmulatorAnswer notFound() {
        return notFound("Not found");
    }

    static CkanEmulatorAnswer notFound(String message) {
        return error(404, "Not Found Error", message);
    }

    /** 403; {@code user} is "" for anonymous (CKAN 2.10 writes "User  not authorized", two spaces). */
    static CkanEmulatorAnswer denied(String user, String what) {
        return error(403, "Authorization Error", "Access denied: User " + user + " not authorized to " + what);
    }

    /** 403 for an action that needs a logged-in user, which CKAN raises with its own words after "Access denied: ". */
    static CkanEmulatorAnswer loginRequired(String message) {
        return error(403, "Authorization Error", "Access denied: " + message);
    }

    static CkanEmulatorAnswer invalid(String field, String message) {
        return invalid(Map.of(field, message));
    }

    /** 409 with field errors, then {@code __type} last, as recorded. */
    static CkanEmulatorAnswer invalid(Map<String, String> fields) {
        ObjectNode e = JSON.createObjectNode();
        fields.forEach((field, message) -> e.set(field, JSON.createArrayNode().add(message)));
        return new CkanEmulatorAnswer(409, e.put("__type", "Validation Error"), Kind.ERROR);
    }

    /** 409 Validation Error with a message instead of field errors (organization_delete, recorded at step 79). */
    static CkanEmulatorAnswer invalidMessage(String message) {
        return new CkanEmulatorAnswer(409, JSON.createObjectNode().put("message", message)
                .put("__type", "Validation Error"), Kind.ERROR);
    }

    static CkanEmulatorAnswer unknownAction(String action) {
        return new CkanEmulatorAnswer(400, JSON.getNodeFactory()
                .textNode("Bad request - Action name not known: " + action), Kind.BARE);
    }

    /** A page as CKAN's web routes (downloads) or a proxy in front of it answer. */
    static CkanEmulatorAnswer page(int status, String title) {
        return new CkanEmulatorAnswer(status, JSON.getNodeFactory().textNode(title), Kind.HTML);
    }

    /** An injected failure: 500 as CKAN's JSON error, 503 and 429 as a proxy's HTML page. */
    static CkanEmulatorAnswer injected(int status) {
        return status == 500 ? error(500, "Internal Server Error", "Internal server error (injected)")
                : page(status, status == 429 ? "Too Many Requests" : "Service Unavailable");
    }

    private static CkanEmulatorAnswer error(int status, String type, String message) {
        return new CkanEmulatorAnswer(status, JSON.createObjectNode().put("__type", type).put("message", message),
                Kind.ERROR);
    }
}
