package io.caravan.silverstripe.files;

import java.util.Optional;

/** STAND-IN, replaced by the ss-legacy branch. */
public record LegacyFileId(String filename, String variant) {

    public static Optional<LegacyFileId> parse(String fileId) {
        int at = fileId.indexOf("_resampled/");
        if (at < 0) {
            return Optional.of(new LegacyFileId(fileId, ""));
        }
        String dir = fileId.substring(0, at);
        String rest = fileId.substring(at + "_resampled/".length());
        int slash = rest.lastIndexOf('/');
        if (slash >= 0) {
            return Optional.of(new LegacyFileId(dir + rest.substring(slash + 1), rest.substring(0, slash).replace('/', '_')));
        }
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("^((?:[A-Z][A-Za-z]+[A-Za-z0-9_-]*?(?:Wz|W1)[A-Za-z0-9_]*-)+)(.+)$").matcher(rest);
        if (!m.matches()) {
            return Optional.empty();
        }
        String vs = m.group(1);
        return Optional.of(new LegacyFileId(dir + m.group(2), vs.substring(0, vs.length() - 1).replace('-', '_')));
    }

    public static String variantPath(String filename, String variant) {
        if (variant.isEmpty()) {
            return filename;
        }
        int slash = filename.lastIndexOf('/');
        String name = filename.substring(slash + 1);
        int dot = name.indexOf('.');
        String base = dot < 0 ? name : name.substring(0, dot);
        String ext = dot < 0 ? "" : name.substring(dot);
        return filename.substring(0, slash + 1) + base + "__" + variant + ext;
    }

    public static String hashVariantPath(String filename, String hash10, String variant) {
        int slash = filename.lastIndexOf('/');
        return variantPath(filename.substring(0, slash + 1) + hash10 + "/" + filename.substring(slash + 1), variant);
    }
}
