package io.caravan.ckan;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The fields of a written record that the target does not hold as written, field by field and down into lists
 * and objects: what verify reports as a difference. The target may hold more (the keys it computes); only what
 * was written is compared. Lists of objects are matched by {@code key} (extras), {@code id} (resources) or
 * {@code name} (groups, tags), else by position. A few values are the target's own by nature, and compared as
 * what they stand for: {@code owner_org} written as the organization's name, an upload's URL as its file name,
 * ids of tags and extras, a resource's {@code metadata_modified}, the licence's title and URL (CKAN's own for
 * the licence id), an uploaded image's {@code image_url} as the end of the target's stored name. Null, missing and
 * empty are one.
 */
final class CkanRecordDiff {

    /** Paths ({@code [].} between a list and its elements' keys) whose values the target makes itself. */
    private static final Set<String> TARGETS_OWN = Set.of("tags[].id", "extras[].id", "extras[].group_id",
            "extras[].revision_id", "resources[].metadata_modified", "license_title", "license_url");

    private final List<String> differences = new ArrayList<>();

    private CkanRecordDiff() {
    }

    /** "title: 'A' written, 'B' at the target", one per differing field, in the record's order. */
    static List<String> of(CkanRecords kind, JsonNode written, JsonNode stored) {
        CkanRecordDiff diff = new CkanRecordDiff();
        for (Iterator<Map.Entry<String, JsonNode>> it = written.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            String name = field.getKey();
            if (name.equals("owner_org")) {
                diff.ownerOrg(field.getValue(), stored);
            } else if (name.equals("image_url") && CkanImages.isStored(field.getValue().asText(""))) {
                diff.storedImage(field.getValue(), stored.get(name));
            } else if (!(kind == CkanRecords.USERS && (name.equals("id") || name.equals("password")))) {
                diff.compare(name, name, field.getValue(), stored.get(name));
            }
        }
        return diff.differences;
    }

    /** Written as the organization's name (ids do not travel), held as its id. */
    private void ownerOrg(JsonNode written, JsonNode stored) {
        String org = written.asText("");
        if (!org.equals(stored.path("owner_org").asText("")) && !org.equals(stored.path("organization")
                .path("name").asText(""))) {
            differ("owner_org", written, stored.path("organization").path("name"));
        }
    }

    /**
     * An uploaded image is stored at the target under a name of its own: the upload's time, then the name it was
     * sent with (the source's stored name).
     */
    private void storedImage(JsonNode written, JsonNode stored) {
        if (stored == null || !stored.asText("").endsWith(written.asText())) {
            differ("image_url", written, stored);
        }
    }

    private void compare(String path, String rule, JsonNode written, JsonNode stored) {
        if (TARGETS_OWN.contains(rule)) {
            return;
        }
        if (blank(written) && blank(stored)) {
            return;
        }
        if (written.isObject()) {
            if (stored == null || !stored.isObject()) {
                differ(path, written, stored);
                return;
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = written.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                if (rule.equals("resources[]") && field.getKey().equals("url") && isUpload(written)) {
                    compareFileName(path + ".url", field.getValue(), stored.get("url"));
                } else {
                    compare(path + "." + field.getKey(), rule + "." + field.getKey(), field.getValue(),
                            stored.get(field.getKey()));
                }
            }
        } else if (written.isArray()) {
            compareLists(path, rule, written, stored);
        } else if (stored == null || !(written.equals(stored) || stored.isValueNode()
                && written.asText().equals(stored.asText()))) {
            differ(path, written, stored);
        }
    }

    private void compareLists(String path, String rule, JsonNode written, JsonNode stored) {
        if (stored == null || !stored.isArray() || stored.size() != written.size()) {
            differ(path, written, stored);
            return;
        }
        String matchBy = matchKey(rule, written);
        Map<String, JsonNode> storedBy = new HashMap<>();
        if (matchBy != null) {
            stored.forEach(e -> storedBy.put(e.path(matchBy).asText(), e));
        }
        for (int i = 0; i < written.size(); i++) {
            JsonNode w = written.get(i);
            String label = matchBy == null ? Integer.toString(i) : w.path(matchBy).asText();
            compare(path + "[" + label + "]", rule + "[]", w, matchBy == null ? stored.get(i)
                    : storedBy.get(w.path(matchBy).asText()));
        }
    }

    /** How elements of a list of objects are matched; null for by position. */
    private static String matchKey(String rule, JsonNode list) {
        JsonNode first = list.path(0);
        if (!first.isObject()) {
            return null;
        }
        if (rule.equals("tags")) {
            return "name"; // a tag's id is the portal's own
        }
        for (String key : List.of("key", "id", "name")) {
            if (first.hasNonNull(key)) {
                return key;
            }
        }
        return null;
    }

    /** An upload's URL is written as its file name; the target builds its own download URL around it. */
    private void compareFileName(String path, JsonNode written, JsonNode stored) {
        String name = written.asText("");
        String url = stored == null ? "" : stored.asText("");
        if (!(url.equals(name) || url.endsWith("/" + name))) {
            differ(path, written, stored);
        }
    }

    private static boolean isUpload(JsonNode resource) {
        return "upload".equals(resource.path("url_type").asText());
    }

    private static boolean blank(JsonNode value) {
        return value == null || value.isNull() || value.isMissingNode()
                || value.isTextual() && value.asText().isEmpty();
    }

    private void differ(String path, JsonNode written, JsonNode stored) {
        differences.add(path + ": " + shown(written) + " written, " + (stored == null || stored.isMissingNode()
                ? "nothing" : shown(stored)) + " at the target");
    }

    private static String shown(JsonNode value) {
        String text = value.toString();
        return text.length() > 80 ? text.substring(0, 77) + "..." : text;
    }
}
