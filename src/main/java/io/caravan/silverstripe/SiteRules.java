package io.caravan.silverstripe;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What SilverStripe 4 allows and how it classes files, as the site configures it.
 *
 * @param allowedExtensions  File.allowed_extensions, lower case; a file with another extension, or none, is invalid
 * @param deleteInvalidFiles FileMigrationHelper.delete_invalid_files: delete an invalid file's row (the file stays
 *                           on disk); otherwise the row is rejected and kept
 * @param keepArchivedAssets File.keep_archived_assets: a file moved to its SS4 place also stays at its SS3 path
 */
public record SiteRules(Set<String> allowedExtensions, Set<String> imageExtensions, boolean deleteInvalidFiles,
                        boolean keepArchivedAssets) {

    /** SilverStripe 4's default File.allowed_extensions, without "" (which only folders use). */
    public static final String DEFAULT_ALLOWED = "ace,arc,arj,asf,au,avi,bmp,bz2,cab,cda,csv,dmg,doc,docx,dotx,flv,gif,"
            + "gpx,gz,hqx,ico,jpeg,jpg,kml,m4a,m4v,mid,midi,mkv,mov,mp3,mp4,mpa,mpeg,mpg,ogg,ogv,pages,pcx,pdf,png,pps,"
            + "ppt,pptx,potx,ra,ram,rm,rtf,sit,sitx,tar,tgz,tif,tiff,txt,wav,webm,webp,wma,wmv,xls,xlsx,xltx,zip,zipx";
    /** The extensions SilverStripe 4 makes an Image of (File.class_for_file_extension). */
    public static final String DEFAULT_IMAGES = "jpg,jpeg,png,gif,bmp,ico,webp";

    public static Set<String> extensions(List<String> extensions) {
        return extensions.stream().map(e -> e.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
    }

    public boolean allows(String extension) {
        return allowedExtensions.contains(extension.toLowerCase(Locale.ROOT));
    }

    public boolean isImage(String extension) {
        return imageExtensions.contains(extension.toLowerCase(Locale.ROOT));
    }

    /**
     * The class a file of this extension takes: Image and File swap to follow it, in the row's own spelling
     * (namespaced or not); any other class (a site's own subclass) is kept.
     */
    public String classFor(String className, String extension) {
        boolean namespaced = className != null && className.startsWith("SilverStripe\\Assets\\");
        String shortName = namespaced ? className.substring("SilverStripe\\Assets\\".length()) : className;
        if (!"File".equals(shortName) && !"Image".equals(shortName)) {
            return className;
        }
        String wanted = isImage(extension) ? "Image" : "File";
        return namespaced ? "SilverStripe\\Assets\\" + wanted : wanted;
    }
}
