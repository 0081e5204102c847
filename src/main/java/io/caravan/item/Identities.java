package io.caravan.item;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The canonical strings that name a source or a target (its identity), for the ledger's scopes: the same place always
 * gives the same string, however the settings spelled it, and no credential is ever part of one.
 */
public final class Identities {

    private Identities() {
    }

    /** {@code folder:} and the real path (symbolic links resolved); a folder not made yet, as it will be. */
    public static String folder(Path folder) {
        return "folder:" + realPath(folder);
    }

    /** {@code file:} and the real path of a file, made yet or not. */
    public static String file(Path file) {
        return "file:" + realPath(file);
    }

    /**
     * A bucket: the endpoint (AWS when empty), the bucket and the prefix; {@code s3:http://127.0.0.1:9000/b/docs/}.
     */
    public static String s3(String endpoint, String bucket, String prefix) {
        String server = endpoint == null || endpoint.isEmpty() ? "aws" : url(endpoint);
        return "s3:" + server + "/" + bucket + "/" + (prefix == null ? "" : prefix);
    }

    /**
     * A web address without what does not name the place: user information, query and fragment, trailing slashes,
     * the scheme's default port; scheme and host in lower case.
     */
    public static String url(String address) {
        try {
            URI uri = new URI(address.trim());
            if (uri.getScheme() == null || uri.getHost() == null) {
                return stripSlashes(address.trim());
            }
            String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
            int port = uri.getPort();
            boolean defaultPort = port == -1 || port == 80 && scheme.equals("http")
                    || port == 443 && scheme.equals("https");
            String path = uri.getRawPath() == null ? "" : stripSlashes(uri.getRawPath());
            return scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + (defaultPort ? "" : ":" + port) + path;
        } catch (URISyntaxException e) {
            return stripSlashes(address.trim());
        }
    }

    /**
     * A database: its JDBC URL without credentials or connection options (user information, what follows {@code ?}
     * or {@code ;}), and the schema; {@code jdbc:postgresql://db:5432/ckan schema public}.
     */
    public static String jdbc(String jdbcUrl, String schema) {
        String url = jdbcUrl.trim();
        int options = indexOfAny(url, '?', ';');
        if (options >= 0) {
            url = url.substring(0, options);
        }
        url = url.replaceFirst("//[^/@]*@", "//");
        return url + (schema == null || schema.isEmpty() ? "" : " schema " + schema);
    }

    private static int indexOfAny(String s, char a, char b) {
        int i = s.indexOf(a);
        int j = s.indexOf(b);
        return i < 0 ? j : j < 0 ? i : Math.min(i, j);
    }

    private static String stripSlashes(String s) {
        int end = s.length();
        while (end > 0 && s.charAt(end - 1) == '/') {
            end--;
        }
        return s.substring(0, end);
    }

    /** The real path of the nearest part that exists, and the rest as written. */
    private static Path realPath(Path path) {
        Path absolute = path.toAbsolutePath().normalize();
        Path existing = absolute;
        while (existing != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            return absolute;
        }
        try {
            return existing.toRealPath().resolve(existing.relativize(absolute));
        } catch (IOException e) {
            return absolute;
        }
    }
}
