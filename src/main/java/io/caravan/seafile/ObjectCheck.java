package io.caravan.seafile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.caravan.item.ItemRejectedException;
import io.caravan.target.Sha1;

import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.zip.InflaterOutputStream;

/**
 * Checks an object's bytes against its id while they stream to the target, at no extra read: a block's id is the
 * SHA-1 of its bytes, an fs object's id the SHA-1 of its zlib-inflated JSON, and a commit is JSON whose
 * {@code commit_id} is its id. {@link #verify()} runs before the write is committed, so a corrupt object is
 * rejected and nothing of it reaches the target.
 */
final class ObjectCheck extends FilterInputStream {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_COMMIT_BYTES = 1 << 20;

    private final ObjectKey key;
    private final MessageDigest sha1;
    private final OutputStream sink;
    private final ByteArrayOutputStream commit;
    private IOException contentError;

    ObjectCheck(ObjectKey key, InputStream body) {
        super(body);
        this.key = key;
        this.sha1 = Sha1.newDigest();
        OutputStream digest = new DigestOutputStream(OutputStream.nullOutputStream(), sha1);
        this.commit = key.type() == ObjectType.COMMITS ? new ByteArrayOutputStream() : null;
        this.sink = switch (key.type()) {
            case BLOCKS -> digest;
            case FS -> new InflaterOutputStream(digest);
            case COMMITS -> commit;
        };
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            feed(new byte[]{(byte) b}, 0, 1);
        }
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int n = super.read(buffer, offset, length);
        if (n > 0) {
            feed(buffer, offset, n);
        }
        return n;
    }

    private void feed(byte[] buffer, int offset, int length) {
        if (contentError != null) {
            return;
        }
        if (commit != null && commit.size() + length > MAX_COMMIT_BYTES) {
            contentError = new IOException("larger than " + MAX_COMMIT_BYTES + " bytes");
            return;
        }
        try {
            sink.write(buffer, offset, length);
        } catch (IOException e) {
            contentError = e; // reported by verify(): the copy itself is not the place to fail
        }
    }

    /** Throws {@link ItemRejectedException} when the bytes read are not the object their id names. */
    void verify() {
        switch (key.type()) {
            case BLOCKS -> expectId(HexFormat.of().formatHex(sha1.digest()), "SHA-1 of its bytes");
            case FS -> {
                try {
                    sink.close(); // the inflater's last bytes
                } catch (IOException e) {
                    contentError = contentError == null ? e : contentError;
                }
                if (contentError != null) {
                    throw rejected("is not zlib-compressed JSON (" + contentError.getMessage() + ")");
                }
                expectId(HexFormat.of().formatHex(sha1.digest()), "SHA-1 of its inflated JSON");
            }
            case COMMITS -> {
                if (contentError != null) {
                    throw rejected("is " + contentError.getMessage());
                }
                String commitId;
                try {
                    // Seafile repairs invalid UTF-8 in a commit when it loads one: not a reason to reject it
                    JsonNode json = JSON.readTree(new String(commit.toByteArray(), StandardCharsets.UTF_8));
                    commitId = json == null ? null : json.path("commit_id").asText(null);
                } catch (IOException e) {
                    throw rejected("is not valid JSON (" + e.getMessage().lines().findFirst().orElse("") + ")");
                }
                if (!key.id().equals(commitId)) {
                    throw rejected("names itself " + commitId + " in commit_id");
                }
            }
        }
    }

    private void expectId(String actual, String what) {
        if (!actual.equals(key.id())) {
            throw rejected("is corrupt: the " + what + " is " + actual);
        }
    }

    private ItemRejectedException rejected(String problem) {
        return new ItemRejectedException("verify", key.describe() + " " + problem + "; not copied");
    }
}
