package io.caravan.ckan;

import java.util.List;
import java.util.Locale;

/**
 * The kinds of CKAN record a job moves, with their actions and the keys CKAN computes (left out when writing).
 * Organizations go before datasets, since a dataset names its organization.
 */
public enum CkanRecords {
    ORGANIZATIONS("organization", List.of("package_count", "num_followers", "display_name", "image_display_url",
            "created", "revision_id", "users", "groups", "packages", "tags")),
    DATASETS("package", List.of("organization", "num_resources", "num_tags", "isopen", "relationships_as_subject",
            "relationships_as_object", "revision_id", "tracking_summary", "metadata_created", "metadata_modified",
            "creator_user_id"));

    private final String action;
    private final List<String> computed;

    CkanRecords(String action, List<String> computed) {
        this.action = action;
        this.computed = computed;
    }

    /** {@code package} or {@code organization}: the prefix of the _show, _create and _update actions. */
    public String action() {
        return action;
    }

    public List<String> computed() {
        return computed;
    }

    public String noun() {
        return this == DATASETS ? "dataset" : "organization";
    }

    public static CkanRecords of(String setting) {
        return switch (setting.toLowerCase(Locale.ROOT)) {
            case "datasets" -> DATASETS;
            case "organizations" -> ORGANIZATIONS;
            default -> throw new IllegalArgumentException("'" + setting + "' is not one of: datasets, organizations");
        };
    }
}
