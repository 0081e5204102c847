package io.caravan.ckan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.caravan.target.Md5;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The kinds of CKAN record a job moves, in the order a migration runs them: users, organizations and groups first
 * (datasets name them), memberships once users and organizations are there, then datasets, their uploaded files
 * and harvest sources. Each kind knows its actions, the keys CKAN computes (left out when writing) and what
 * reveals a change.
 */
public enum CkanRecords {
    USERS("users", "user", "user", List.of("apikey", "created", "display_name", "email_hash", "image_display_url",
            "last_active", "number_created_packages", "number_of_edits", "datasets", "activity", "password_hash")),
    ORGANIZATIONS("organizations", "organization", "organization", List.of("package_count", "num_followers",
            "display_name", "image_display_url", "created", "revision_id", "users", "groups", "packages", "tags")),
    GROUPS("groups", "group", "group", ORGANIZATIONS.computed),
    /** A user's capacity in an organization or group; listed from their {@code users}, keyed kind/group/user. */
    MEMBERSHIPS("memberships", "membership", null, List.of()),
    DATASETS("datasets", "dataset", "package", List.of("organization", "num_resources", "num_tags", "isopen",
            "relationships_as_subject", "relationships_as_object", "revision_id", "tracking_summary",
            "metadata_created", "metadata_modified", "creator_user_id")),
    /** A {@code url_type=upload} resource's file, keyed by resource id; the dataset must be at the target. */
    RESOURCE_FILES("resource-files", "resource file", "resource", List.of()),
    /** ckanext-harvest's sources: datasets of type {@code harvest}. */
    HARVEST_SOURCES("harvest-sources", "harvest source", "harvest_source", DATASETS.computed);

    private final String setting;
    private final String noun;
    private final String action;
    private final List<String> computed;

    CkanRecords(String setting, String noun, String action, List<String> computed) {
        this.setting = setting;
        this.noun = noun;
        this.action = action;
        this.computed = computed;
    }

    /** The prefix of the _show, _create and _update actions ({@code package}, {@code organization}...). */
    public String action() {
        return action;
    }

    public List<String> computed() {
        return computed;
    }

    public String noun() {
        return noun;
    }

    public String setting() {
        return setting;
    }

    /** Datasets and harvest sources carry their modification time; other records are fingerprinted by content. */
    public boolean hasModificationTime() {
        return this == DATASETS || this == HARVEST_SOURCES;
    }

    /** The item key of a record of this kind. */
    public String keyOf(JsonNode record) {
        return switch (this) {
            case MEMBERSHIPS -> record.path("kind").asText() + "/" + record.path("group").asText() + "/"
                    + record.path("user").asText();
            default -> record.path("id").asText(record.path("name").asText(""));
        };
    }

    /** What reveals a change since the last run: for records without a modification time, what is written. */
    public String fingerprintOf(JsonNode record) {
        return switch (this) {
            case DATASETS, HARVEST_SOURCES -> record.path("metadata_modified").asText("");
            case MEMBERSHIPS -> record.path("capacity").asText("");
            case RESOURCE_FILES -> record.path("last_modified").asText("") + ";" + record.path("size").asText("")
                    + ";" + record.path("url").asText("");
            default -> Md5.hex(Md5.newDigest().digest(CkanJson.bytes(written(record))));
        };
    }

    /**
     * The record less the keys CKAN computes ({@code package_count}, the {@code users} of an organization with
     * their {@code number_created_packages}, a user's {@code last_active}...): what the target is written with, so
     * that a dataset created elsewhere or a user's login reveals no change.
     */
    private JsonNode written(JsonNode record) {
        if (!(record instanceof ObjectNode object)) {
            return record;
        }
        ObjectNode copy = object.deepCopy();
        computed.forEach(copy::remove);
        return copy;
    }

    public static CkanRecords of(String setting) {
        String wanted = setting.toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(r -> r.setting.equals(wanted)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("'" + setting + "' is not one of: "
                        + Arrays.stream(values()).map(r -> r.setting).collect(Collectors.joining(", "))));
    }
}
