package io.caravan.silverstripe.files;

/** STAND-IN, replaced by the ss-legacy branch. */
public final class FileNames {
    private FileNames() {
    }

    public static String clean(String name) {
        return name.replaceAll("_{2,}", "_");
    }

    public static String versioned(String name, int version) {
        int dot = name.lastIndexOf('.');
        String base = dot < 0 ? name : name.substring(0, dot);
        String ext = dot < 0 ? "" : name.substring(dot);
        return base.replaceAll("-v\\d+$", "") + "-v" + version + ext;
    }

    public static String extension(String name) {
        int slash = name.lastIndexOf('/');
        int dot = name.lastIndexOf('.');
        return dot <= slash ? "" : name.substring(dot + 1);
    }
}
