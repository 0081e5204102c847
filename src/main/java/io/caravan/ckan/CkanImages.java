package io.caravan.ckan;

import com.fasterxml.jackson.databind.JsonNode;
import io.caravan.item.ItemRejectedException;
import io.caravan.target.CountingDigest;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * An organization's or group's uploaded image, or a user's avatar, carried to the target. CKAN 2.10 keeps such an
 * upload under {@code storage/uploads/group/} or {@code storage/uploads/user/}; {@code image_url} holds only the
 * stored file name, {@code image_display_url} the full URL. The image is downloaded from the source (with the
 * token) and streamed to the target as the multipart field {@code image_upload}, through {@code <kind>_patch}
 * for an organization or group (the rest of the record stays as written) and {@code user_update} for a user (its
 * scalar fields with it); the target's copy is then downloaded and compared, size and MD5, with the bytes sent.
 */
final class CkanImages {

    /** The scalar fields a user_update carries beside the image (it takes no nested values in a form). */
    private static final List<String> USER_FIELDS = List.of("name", "email", "fullname", "about");

    private final CkanClient target;
    private final Function<String, CkanClient.Download> source;
    private final CkanRecords kind;

    /** @param source opens a URL at the source portal, with its token */
    CkanImages(CkanClient target, Function<String, CkanClient.Download> source, CkanRecords kind) {
        this.target = target;
        this.source = source;
        this.kind = kind;
    }

    /** An {@code image_url} that names a file the portal stores (not a link). */
    static boolean isStored(String imageUrl) {
        return imageUrl != null && !imageUrl.isEmpty() && !imageUrl.contains("://");
    }

    /** The source's image, opened; empty when the source has no such file (a name left over, which stays). */
    Optional<CkanClient.Download> open(String sourceUrl) {
        try {
            return Optional.of(source.apply(sourceUrl));
        } catch (CkanClient.FileNotFoundException e) {
            return Optional.empty();
        }
    }

    /**
     * Uploads the source's image, opened from {@code sourceUrl} (stored as {@code storedName}), to the record
     * written as {@code written}; a copy that differs from the bytes sent rejects the record.
     */
    void carry(JsonNode written, CkanClient.Download image, String sourceUrl, String storedName) {
        String name = written.path("name").asText();
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("id", name);
        if (kind == CkanRecords.USERS) {
            USER_FIELDS.forEach(f -> {
                if (written.hasNonNull(f)) {
                    fields.put(f, written.get(f).asText());
                }
            });
        }
        String action = kind == CkanRecords.USERS ? "user_update" : kind.action() + "_patch";
        CountingDigest sent;
        JsonNode updated;
        try (InputStream body = image.body()) {
            sent = new CountingDigest(body);
            updated = target.upload(action, fields, "image_upload", sent, storedName, image.contentType())
                    .orElseThrow(() -> new ItemRejectedException("transfer", kind.noun() + " " + name
                            + " vanished at the target before its image was uploaded"));
        } catch (IOException e) {
            throw new UncheckedIOException("reading the image " + sourceUrl, e);
        }
        String sentMd5 = sent.md5();
        String copy = updated.path("image_display_url").asText("");
        CountingDigest stored;
        try (InputStream body = target.download(copy).body()) {
            stored = new CountingDigest(body);
            stored.transferTo(OutputStream.nullOutputStream());
        } catch (IOException e) {
            throw new UncheckedIOException("reading the image back from " + copy, e);
        }
        if (stored.bytes() != sent.bytes() || !stored.md5().equals(sentMd5)) {
            throw new ItemRejectedException("transfer", "the image " + storedName + " of " + kind.noun() + " "
                    + name + " is " + stored.bytes() + " bytes at the target (MD5 " + stored.md5() + "), "
                    + sent.bytes() + " were sent (MD5 " + sentMd5 + ")");
        }
    }
}
