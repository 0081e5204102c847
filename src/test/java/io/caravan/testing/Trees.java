package io.caravan.testing;

import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Random;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;

/** Builds test trees and reads folders and buckets back as key → SHA-256 of the bytes. */
public final class Trees {

    private static final String[] NAMES = {"données", "Ålesund", "日本語", "emoji-🚀", "space name", "plain"};

    private Trees() {
    }

    /**
     * {@code count} files in nested folders: unicode and spaced names, every tenth one empty, the rest
     * 1 byte to 16 KiB of seeded random bytes.
     */
    public static void generate(Path root, int count, long seed) throws IOException {
        Random random = new Random(seed);
        for (int i = 0; i < count; i++) {
            Path dir = root.resolve("level-" + (i % 7)).resolve(NAMES[i % NAMES.length] + "-" + (i % 13));
            if (i % 3 == 0) {
                dir = dir.resolve("deeper").resolve("deepest-" + (i % 5));
            }
            Files.createDirectories(dir);
            byte[] body = new byte[i % 10 == 0 ? 0 : 1 + random.nextInt(16 * 1024)];
            random.nextBytes(body);
            Files.write(dir.resolve(NAMES[(i / 7) % NAMES.length] + "-" + i + ".bin"), body);
        }
    }

    /** One file of {@code size} seeded random bytes, written in chunks. */
    public static void bigFile(Path file, long size, long seed) throws IOException {
        Files.createDirectories(file.getParent());
        Random random = new Random(seed);
        byte[] chunk = new byte[1 << 20];
        try (OutputStream out = Files.newOutputStream(file)) {
            for (long left = size; left > 0; left -= chunk.length) {
                random.nextBytes(chunk);
                out.write(chunk, 0, (int) Math.min(chunk.length, left));
            }
        }
    }

    public static SortedMap<String, String> ofFolder(Path root) throws IOException {
        SortedMap<String, String> digests = new TreeMap<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                try (InputStream in = Files.newInputStream(f)) {
                    digests.put(root.relativize(f).toString(), sha256(in));
                }
            }
        }
        return digests;
    }

    /** Reads every object back from the server. */
    public static SortedMap<String, String> ofBucket(S3Client client, String bucket) {
        SortedMap<String, String> digests = new TreeMap<>();
        for (S3Object o : client.listObjectsV2Paginator(r -> r.bucket(bucket)).contents()) {
            try (ResponseInputStream<GetObjectResponse> in = client.getObject(r -> r.bucket(bucket).key(o.key()))) {
                digests.put(o.key(), sha256(in));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return digests;
    }

    public static String sha256(InputStream in) throws IOException {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            try (DigestInputStream d = new DigestInputStream(in, digest)) {
                d.transferTo(OutputStream.nullOutputStream());
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Sets every file in the folder to the epoch, so {@link #rewrittenSinceMarked} counts the files written since. */
    public static void markWritten(Path folder) throws IOException {
        try (java.util.stream.Stream<Path> files = Files.list(folder)) {
            for (Path f : files.toList()) {
                Files.setLastModifiedTime(f, java.nio.file.attribute.FileTime.fromMillis(0));
            }
        }
    }

    /** Files of the folder written since {@link #markWritten}. */
    public static long rewrittenSinceMarked(Path folder) throws IOException {
        long count = 0;
        try (java.util.stream.Stream<Path> files = Files.list(folder)) {
            for (Path f : files.toList()) {
                count += Files.getLastModifiedTime(f).toMillis() != 0 ? 1 : 0;
            }
        }
        return count;
    }
}
