package io.caravan.camel;

import io.caravan.job.ConfigException;
import org.apache.camel.util.URISupport;

import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Caravan reads a source and never changes it: the consumer options that delete, move or mark what they read are
 * refused, and the ones a component needs to stay read-only are set.
 */
final class ReadOnlyUris {

    /** Options whose presence changes what is read (a move target, a statement run after each row). */
    private static final List<String> CHANGING = List.of("move", "preMove", "moveFailed", "moveExisting",
            "moveExistingFileStrategy", "onConsume", "onConsumeBatchComplete", "onConsumeFailed",
            "destinationBucket", "moveTo", "copyTo");
    /** Options that change what is read unless they are false. */
    private static final List<String> CHANGING_WHEN_TRUE = List.of("delete", "deleteAfterRead", "moveAfterRead");

    private ReadOnlyUris() {
    }

    /** Fails with the option named when the URI would change what it reads. */
    static void refuseChanges(String uri, String setting) {
        for (Map.Entry<String, Object> option : options(uri, setting).entrySet()) {
            String name = option.getKey();
            String value = String.valueOf(option.getValue()).toLowerCase(Locale.ROOT);
            if (CHANGING.contains(name) || CHANGING_WHEN_TRUE.contains(name) && !value.equals("false")) {
                throw new ConfigException(setting + ": option " + name + "=" + option.getValue() + " would change"
                        + " the source as it is read; Caravan only reads a source (remove the option)");
            }
        }
    }

    /** The URI with what keeps the component read-only: {@code noop=true} for file-like ones. */
    static String readOnly(String uri, String scheme) {
        return switch (scheme) {
            case "file", "ftp", "ftps", "sftp" -> CamelUris.withOptions(uri, "noop=true");
            case "aws2-s3" -> CamelUris.withOptions(uri, "deleteAfterRead=false");
            default -> uri;
        };
    }

    private static Map<String, Object> options(String uri, String setting) {
        int query = uri.indexOf('?');
        if (query < 0) {
            return Map.of();
        }
        try {
            return URISupport.parseQuery(uri.substring(query + 1), false, true);
        } catch (URISyntaxException e) {
            throw new ConfigException(setting + ": the options of " + CamelUris.safe(uri) + " cannot be read: "
                    + e.getMessage());
        }
    }
}
