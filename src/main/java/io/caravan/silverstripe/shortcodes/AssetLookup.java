package io.caravan.silverstripe.shortcodes;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What a look-up by FileFilename found: the row whose FileFilename is exactly the one asked for, else the only row
 * whose FileFilename matches it without regard to case; several such rows and none are both "not found", told apart
 * so that a report can say which.
 *
 * @param found      the row, or null
 * @param candidates the rows that match without regard to case, in id order
 */
public record AssetLookup(AssetRef found, List<AssetRef> candidates) {

    public static AssetLookup none() {
        return new AssetLookup(null, List.of());
    }

    public static AssetLookup of(AssetRef ref) {
        return new AssetLookup(ref, List.of(ref));
    }

    /** Picks from the rows that match {@code filename} without regard to case: the exact one, else the only one. */
    public static AssetLookup choose(String filename, List<AssetRef> rows) {
        String folded = filename.toLowerCase(Locale.ROOT);
        List<AssetRef> candidates = rows.stream()
                .filter(r -> r.filename() != null && r.filename().toLowerCase(Locale.ROOT).equals(folded)).toList();
        AssetRef exact = candidates.stream().filter(r -> r.filename().equals(filename)).findFirst()
                .orElse(candidates.size() == 1 ? candidates.get(0) : null);
        return new AssetLookup(exact, candidates);
    }

    public Optional<AssetRef> ref() {
        return Optional.ofNullable(found);
    }

    public boolean isAmbiguous() {
        return found == null && candidates.size() > 1;
    }
}
