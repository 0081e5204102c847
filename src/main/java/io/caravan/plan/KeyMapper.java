package io.caravan.plan;

import io.caravan.item.ItemRejectedException;

import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import io.caravan.job.ConfigException;

/**
 * Source key to target key: apply an optional regular-expression rename, then prepend the target prefix.
 * (An S3 source already lists keys relative to its own prefix, so source prefix → target prefix is the default.) {@code rename-from=\.JPG$}, {@code rename-to=.jpg} lower-cases an extension.
 */
public final class KeyMapper {

    private final Pattern renameFrom;
    private final String renameTo;
    private final String addPrefix;

    public KeyMapper(String renameFrom, String renameTo, String addPrefix) {
        try {
            this.renameFrom = renameFrom == null || renameFrom.isEmpty() ? null : Pattern.compile(renameFrom);
        } catch (PatternSyntaxException e) {
            throw new ConfigException("mapping.rename-from is not a valid regular expression: " + e.getMessage());
        }
        this.renameTo = renameTo == null ? "" : renameTo;
        this.addPrefix = addPrefix == null ? "" : addPrefix;
    }

    /** Whether a rename is set: only then can two source keys map to one target key. */
    public boolean renames() {
        return renameFrom != null;
    }

    /** What every target key starts with. */
    public String targetPrefix() {
        return addPrefix;
    }

    /** The key's target key, or null where {@link #targetKey} rejects it (an empty result). */
    public String targetKeyOrNull(String key) {
        try {
            return targetKey(key);
        } catch (ItemRejectedException e) {
            return null;
        }
    }

    public String targetKey(String key) {
        String k = key;
        if (renameFrom != null) {
            k = renameFrom.matcher(k).replaceAll(renameTo);
        }
        if (k.isEmpty()) {
            throw new ItemRejectedException("plan", "maps to an empty target key");
        }
        return addPrefix + k;
    }
}
