package io.caravan.silverstripe.files;

import java.util.regex.Pattern;

/** SilverStripe 4's rules for file names, as its file migration applies them. */
public final class FileNames {

    private static final Pattern UNDERSCORES = Pattern.compile("_{2,}");
    private static final Pattern VERSION = Pattern.compile("-v\\d+$");

    private FileNames() {
    }

    /**
     * Runs of {@code _} become one, since SilverStripe 4 reads {@code __} as the start of a variant; nothing else
     * changes ({@code multi-dash--file---4.pdf} stays as it is).
     */
    public static String clean(String name) {
        return UNDERSCORES.matcher(name).replaceAll("_");
    }

    /**
     * The name's {@code version}th alternative, as SilverStripe 4 names one on a clash: {@code bad_name-v2.doc},
     * the number replacing one the name already ends with, before the last extension.
     */
    public static String versioned(String name, int version) {
        int dot = name.lastIndexOf('.');
        String base = dot <= 0 ? name : name.substring(0, dot);
        String extension = dot <= 0 ? "" : name.substring(dot);
        return VERSION.matcher(base).replaceFirst("") + "-v" + version + extension;
    }

    /** After the last dot of the name (not of a folder), "" when there is none. */
    public static String extension(String name) {
        int slash = name.lastIndexOf('/');
        int dot = name.lastIndexOf('.');
        return dot <= slash + 1 ? "" : name.substring(dot + 1);
    }

    /** SilverStripe 4's hash path of a file: {@code folder/<first 10 hex of its SHA-1>/name}. */
    public static String hashPath(String filename, String sha1) {
        int slash = filename.lastIndexOf('/');
        return filename.substring(0, slash + 1) + sha1.substring(0, 10) + "/" + filename.substring(slash + 1);
    }
}
