package io.caravan.ckan;

import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Uploaded organization and group images and user avatars, as CKAN 2.10 keeps them (see SOURCES.md, "CKAN storage
 * layout facts"): stored under {@code storage/uploads/<group|user>/} as {@code munge_filename_legacy(str(utcnow())
 * + original name)}; {@code image_url} holds that bare name, {@code image_display_url} is
 * {@code <site_url>/uploads/<group|user>/<name>}, served by a static route. A create or update action takes the
 * file as the multipart field {@code image_upload}.
 */
final class CkanEmulatorImages {

    private static final DateTimeFormatter PYTHON_NOW = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS");

    private final Map<String, byte[]> stored = new ConcurrentHashMap<>();
    private final Supplier<String> siteUrl;

    CkanEmulatorImages(Supplier<String> siteUrl) {
        this.siteUrl = siteUrl;
    }

    /** Stores an upload of {@code type} (group or user); returns the name image_url takes. */
    String store(String type, String originalName, byte[] bytes) {
        String name = munge(PYTHON_NOW.format(LocalDateTime.now(ZoneOffset.UTC)) + originalName);
        stored.put(type + "/" + name, bytes);
        return name;
    }

    Optional<byte[]> file(String type, String name) {
        return Optional.ofNullable(stored.get(type + "/" + name));
    }

    /** image_display_url: a stored name's URL here; a link as it is; nothing stays nothing. */
    String displayUrl(String type, String imageUrl) {
        if (imageUrl == null || imageUrl.isEmpty() || imageUrl.startsWith("http")) {
            return imageUrl;
        }
        return siteUrl.get() + "/uploads/" + type + "/" + imageUrl;
    }

    /** munge_filename_legacy: only [A-Za-z0-9.- ] kept, spaces as dashes, 3 to 100 characters. */
    static String munge(String name) {
        String kept = name.replaceAll("[^A-Za-z0-9.\\- ]", "").replace(' ', '-');
        return kept.length() > 100 ? kept.substring(0, 100) : kept;
    }
}
