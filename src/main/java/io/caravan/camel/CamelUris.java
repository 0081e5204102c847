package io.caravan.camel;

import io.caravan.job.ConfigException;
import org.apache.camel.Exchange;
import org.apache.camel.util.URISupport;

import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** What Caravan knows of a Camel endpoint URI: its scheme, its safe spelling, and the header its key goes in. */
final class CamelUris {

    /** The S3 object key header of camel-aws2-s3 (AWS2S3Constants.KEY). */
    static final String S3_KEY = "CamelAwsS3Key";

    /** The header that names an item at the target, for the components Caravan knows. */
    private static final Map<String, String> KEY_HEADERS = Map.of("file", Exchange.FILE_NAME, "ftp",
            Exchange.FILE_NAME, "ftps", Exchange.FILE_NAME, "sftp", Exchange.FILE_NAME, "aws2-s3", S3_KEY);

    /** What a file-like producer's temporary files start with. */
    static final String TEMP_PREFIX = ".caravan-part-";
    private static final Set<String> FILE_LIKE = Set.of("file", "ftp", "ftps", "sftp");

    private CamelUris() {
    }

    static String scheme(String uri) {
        int colon = uri.indexOf(':');
        if (colon <= 0) {
            throw new ConfigException("'" + safe(uri) + "' is not a Camel endpoint URI (scheme:path?options)");
        }
        return uri.substring(0, colon).toLowerCase(Locale.ROOT);
    }

    /** The URI with every secret option masked, as it may be logged, reported or shown. */
    static String safe(String uri) {
        return URISupport.sanitizeUri(uri);
    }

    /**
     * {@code camel:} and the URI with its options in order and its secrets masked: the same endpoint gives the same
     * identity however its options are ordered, and whatever its credentials.
     */
    static String identity(String uri) {
        try {
            return "camel:" + URISupport.sanitizeUri(URISupport.normalizeUri(uri));
        } catch (URISyntaxException e) {
            throw new ConfigException("'" + safe(uri) + "' is not a valid Camel endpoint URI: " + e.getMessage());
        }
    }

    /**
     * A file-like producer ({@code file}, {@code ftp}, {@code ftps}, {@code sftp}) writes each item under a
     * temporary name and renames it into place when the body ended well, unless the URI says how itself
     * ({@code tempPrefix}, {@code tempFileName}): an item cut short never sits at its key.
     */
    static boolean isFileLike(String scheme) {
        return FILE_LIKE.contains(scheme);
    }

    static String withAtomicWrites(String uri, String scheme) {
        if (!isFileLike(scheme)) {
            return uri;
        }
        // Camel deletes a file already at the key before it writes the temporary one by default: a write that then
        // fails (cut short, changed at the source, a kill) would leave no copy where a good one was
        String atomic = uri.contains("eagerDeleteTargetFile=") ? uri : withOptions(uri, "eagerDeleteTargetFile=false");
        return namesTemporaryFiles(uri, scheme) ? withOptions(atomic, "tempPrefix=" + TEMP_PREFIX) : atomic;
    }

    /** Whether Caravan names a file-like producer's temporary files: the URI does not say how itself. */
    static boolean namesTemporaryFiles(String uri, String scheme) {
        return isFileLike(scheme) && !uri.contains("tempPrefix=") && !uri.contains("tempFileName=");
    }

    /** The URI with these options ({@code name=value}) added, each replacing the URI's own of that name. */
    static String withOptions(String uri, String... options) {
        String result = uri;
        for (String option : options) {
            String name = option.substring(0, option.indexOf('=') + 1);
            result = result.replaceAll("([?&])" + java.util.regex.Pattern.quote(name) + "[^&]*&?", "$1")
                    .replaceAll("[?&]$", "");
            result += (result.contains("?") ? "&" : "?") + option;
        }
        return result;
    }

    /** The header an item's target key goes in: the component's own, or {@code configured} for any other. */
    static String keyHeader(String scheme, String configured, String setting) {
        String known = KEY_HEADERS.get(scheme);
        if (configured != null && !configured.isEmpty()) {
            return configured;
        }
        if (known == null) {
            throw new ConfigException(setting + " is needed for a '" + scheme + ":' endpoint: the header that"
                    + " names each item there (Caravan knows file, ftp, ftps, sftp and aws2-s3 by themselves)");
        }
        return known;
    }
}
