package io.caravan.silverstripe.files;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A SilverStripe 3 file id (a path under {@code assets/}): the file it is, and the variant when it is a resampled
 * image. SS3.3 nests one folder per manipulation ({@code _resampled/ResizedImageWzYwXQ/CropHeightWzMwXQ/name.jpg});
 * SS3.0 to 3.2 prefix {@code <Method><base64 JSON args>-} to the name ({@code _resampled/ResizedImageWzYwXQ-name.jpg}),
 * where only SS3's image methods count, the longest name first, and the arguments must decode to JSON.
 *
 * @param filename the original file's path, {@code folder/name.jpg}
 * @param variant  the manipulations joined with {@code _} in the order applied; "" for the original
 */
public record LegacyFileId(String filename, String variant) {

    private static final String RESAMPLED = "_resampled";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** SS3's image manipulation methods, longest first: {@code paddedimage} must win over {@code pad}. */
    private static final List<String> METHODS = List.of("fit", "fill", "pad", "scalewidth", "scaleheight",
                    "setratiosize", "setwidth", "setheight", "setsize", "cmsthumbnail", "assetlibrarypreview",
                    "assetlibrarythumbnail", "stripthumbnail", "paddedimage", "formattedimage", "resizedimage",
                    "croppedimage", "cropheight").stream()
            .sorted(Comparator.comparingInt(String::length).reversed()).toList();
    /** SS 3.0–3.1's methods that take no arguments: the CMS's previews. */
    private static final Set<String> ARGLESS = Set.of("cmsthumbnail", "assetlibrarypreview", "assetlibrarythumbnail",
            "stripthumbnail");
    /** SS 3.0–3.1's arguments joined as written: a width or height first, then sizes and a colour. */
    private static final Pattern SS31_ARGS = Pattern.compile("[0-9][0-9a-z]*");

    /**
     * @return empty for what is not an SS3 file id: a leading {@code /}, an empty segment, an SS4 name
     *         ({@code name__Variant.jpg}), or a file in {@code _resampled/} without a valid variant
     */
    public static Optional<LegacyFileId> parse(String fileId) {
        return parse(fileId, false);
    }

    /**
     * The same, taking an original whose name has {@code __} in it: SS3 let a file be called {@code bad__image.gif},
     * and its variants ({@code _resampled/resizeXYZ/bad__image.gif}) are only told from SS4 names by knowing the row.
     */
    public static Optional<LegacyFileId> parseAllowingDoubleUnderscores(String fileId) {
        return parse(fileId, true);
    }

    private static Optional<LegacyFileId> parse(String fileId, boolean doubleUnderscoresAllowed) {
        if (fileId.isEmpty() || fileId.startsWith("/") || fileId.contains("//") || fileId.endsWith("/")) {
            return Optional.empty();
        }
        String[] segments = fileId.split("/");
        String name = segments[segments.length - 1];
        if (name.contains("__") && !doubleUnderscoresAllowed) {
            return Optional.empty();
        }
        int resampled = -1;
        for (int i = 0; i < segments.length - 1 && resampled < 0; i++) {
            if (segments[i].equals(RESAMPLED)) {
                resampled = i;
            }
        }
        if (resampled < 0) {
            return Optional.of(new LegacyFileId(fileId, ""));
        }
        String folder = String.join("/", List.of(segments).subList(0, resampled));
        String prefix = folder.isEmpty() ? "" : folder + "/";
        List<String> folders = List.of(segments).subList(resampled + 1, segments.length - 1);
        if (!folders.isEmpty()) {
            return Optional.of(new LegacyFileId(prefix + name, String.join("_", folders)));
        }
        List<String> variants = new ArrayList<>();
        String rest = name;
        for (String variant = prefixVariant(rest); variant != null; variant = prefixVariant(rest)) {
            variants.add(variant);
            rest = rest.substring(variant.length() + 1);
        }
        return variants.isEmpty() || rest.isEmpty() ? Optional.empty()
                : Optional.of(new LegacyFileId(prefix + rest, String.join("_", variants)));
    }

    /**
     * Whether a file id is SS 3.0–3.1's own thumbnail name: {@code _resampled/<Method><args>-…-name.jpg}, the
     * arguments joined as written, a size first ({@code SetWidth100-photo.jpg},
     * {@code PaddedImage6060FFFFFF-SetWidth100-photo.jpg}), or none for the CMS's own ({@code CMSThumbnail-photo.jpg}).
     * SilverStripe 4's LegacyFileIDHelper cannot parse it (its arguments are not base64 JSON), so its
     * LegacyThumbnailMigrationHelper leaves it where it is; SilverStripe 4 makes the thumbnail again when asked for it.
     */
    public static boolean isSs31Thumbnail(String fileId) {
        String[] segments = fileId.split("/");
        if (segments.length < 2 || !segments[segments.length - 2].equals(RESAMPLED)) {
            return false;
        }
        String rest = segments[segments.length - 1];
        int prefixes = 0;
        for (String prefix = plainPrefix(rest); prefix != null; prefix = plainPrefix(rest)) {
            rest = rest.substring(prefix.length() + 1);
            prefixes++;
        }
        return prefixes > 0 && !rest.isEmpty();
    }

    /** The {@code <Method><args as written>} a name starts with, before a {@code -}; null when it starts with none. */
    private static String plainPrefix(String name) {
        int dash = name.indexOf('-');
        if (dash < 0) {
            return null;
        }
        String candidate = name.substring(0, dash);
        String lower = candidate.toLowerCase(Locale.ROOT);
        for (String method : METHODS) {
            String args = lower.substring(Math.min(method.length(), lower.length()));
            if (lower.startsWith(method) && (args.isEmpty() ? ARGLESS.contains(method) : SS31_ARGS.matcher(args)
                    .matches())) {
                return candidate;
            }
        }
        return null;
    }

    /** Whether a file id is {@code ofFilename} itself or one of its variants. */
    public static boolean isVariantOf(String fileId, String ofFilename) {
        return parse(fileId).map(id -> id.filename().equals(ofFilename)).orElse(false);
    }

    /** Where this variant lives in SilverStripe 4's natural layout: {@code folder/name__Variant.jpg}. */
    public String ss4VariantPath() {
        return variantPath(filename, variant);
    }

    /**
     * {@code folder/base__variant.ext} for any file, the variant going before the first dot of the name as
     * SilverStripe 4 names it ({@code archive__Var.tar.gz}); the file itself for variant "".
     */
    public static String variantPath(String filename, String variant) {
        if (variant.isEmpty()) {
            return filename;
        }
        int slash = filename.lastIndexOf('/');
        String name = filename.substring(slash + 1);
        int dot = name.indexOf('.');
        String base = dot < 0 ? name : name.substring(0, dot);
        String extension = dot < 0 ? "" : name.substring(dot);
        return filename.substring(0, slash + 1) + base + "__" + variant + extension;
    }

    /**
     * The same in the hash layout of the protected store: {@code folder/<hash10>/base__variant.ext}.
     *
     * @param hash the file's SHA-1, or its first 10 hex digits
     */
    public static String hashVariantPath(String filename, String hash, String variant) {
        return variantPath(FileNames.hashPath(filename, hash), variant);
    }

    /** The {@code <Method><args>} an SS3.0 name starts with, before a {@code -}; null when it starts with none. */
    private static String prefixVariant(String name) {
        int dash = name.indexOf('-');
        if (dash < 0) {
            return null;
        }
        String candidate = name.substring(0, dash);
        String lower = candidate.toLowerCase(Locale.ROOT);
        for (String method : METHODS) {
            if (lower.startsWith(method) && isJsonArguments(candidate.substring(method.length()))) {
                return candidate;
            }
        }
        return null;
    }

    private static boolean isJsonArguments(String base64) {
        if (base64.isEmpty()) {
            return false;
        }
        try {
            String padded = base64 + "=".repeat((4 - base64.length() % 4) % 4);
            JsonNode args = JSON.readTree(Base64.getUrlDecoder().decode(padded.replace('+', '-').replace('/', '_')));
            return args != null && args.isArray();
        } catch (IllegalArgumentException | IOException e) {
            return false;
        }
    }
}
