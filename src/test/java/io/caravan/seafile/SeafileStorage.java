package io.caravan.seafile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.caravan.testing.S3ProxyServer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.zip.DeflaterOutputStream;

/** Seafile storage trees and seafile.conf files for tests: the real upstream objects, or generated ones. */
final class SeafileStorage {

    static final Path MANIFEST = Path.of("../shared/fixtures/seafile/seafobj_test_storage.manifest.json");
    static final String REPO = "3f9e4aa5-d6ba-4066-a1d6-81824f422af1";

    /** One stored object: {@code path} is relative to seafile-data ({@code storage/<type>/<repo>/<cc>/<rest>}). */
    record StoredObject(String path, String type, String repo, String id, byte[] bytes) {
        String s3Key() {
            return repo + "/" + id;
        }
    }

    private SeafileStorage() {
    }

    /** The 102 objects of haiwen/seafobj's test storage (see ../shared/fixtures/SOURCES.md). */
    static List<StoredObject> upstream() throws IOException {
        JsonNode manifest = new ObjectMapper().readTree(MANIFEST.toFile());
        List<StoredObject> objects = new ArrayList<>();
        for (JsonNode e : manifest.get("entries")) {
            objects.add(new StoredObject(e.get("path").asText(), e.get("kind").asText(), e.get("repo_id").asText(),
                    e.get("object_id").asText(), Base64.getDecoder().decode(e.get("content_base64").asText())));
        }
        return objects;
    }

    static void write(Path seafileData, List<StoredObject> objects) throws IOException {
        for (StoredObject o : objects) {
            Path file = seafileData.resolve(o.path());
            Files.createDirectories(file.getParent());
            Files.write(file, o.bytes());
        }
    }

    static String idStartingWith(List<StoredObject> objects, String prefix) {
        return objects.stream().map(StoredObject::id).filter(id -> id.startsWith(prefix)).reduce((a, b) -> {
            throw new IllegalStateException("two ids start with " + prefix);
        }).orElseThrow();
    }

    /**
     * {@code count} valid objects spread over {@code libraries} libraries: blocks (id = SHA-1 of the bytes), fs
     * objects (zlib-compressed JSON, id = SHA-1 of the JSON) and commits, written straight to disk as they are made.
     */
    static long generate(Path seafileData, int libraries, int count, long seed) throws Exception {
        Random random = new Random(seed);
        MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
        long bytes = 0;
        for (int i = 0; i < count; i++) {
            String repo = String.format("%08x-0000-4000-8000-%012d", 0xcafe0000L + i % libraries, i % libraries);
            int kind = random.nextInt(20);
            byte[] content;
            String id;
            String type;
            if (kind < 16) {
                type = "blocks";
                content = new byte[64 + random.nextInt(192)];
                random.nextBytes(content);
                id = HexFormat.of().formatHex(sha1.digest(content));
            } else if (kind < 19) {
                type = "fs";
                byte[] json = ("{\"block_ids\":[\"" + randomId(random) + "\"],\"size\":" + random.nextInt(1 << 20)
                        + ",\"type\":1,\"version\":1}").getBytes(StandardCharsets.UTF_8);
                id = HexFormat.of().formatHex(sha1.digest(json));
                ByteArrayOutputStream deflated = new ByteArrayOutputStream();
                try (DeflaterOutputStream out = new DeflaterOutputStream(deflated)) {
                    out.write(json);
                }
                content = deflated.toByteArray();
            } else {
                type = "commits";
                id = randomId(random);
                content = ("{\"commit_id\": \"" + id + "\", \"root_id\": \"" + randomId(random) + "\", \"repo_id\": \""
                        + repo + "\", \"description\": \"generated\", \"ctime\": " + (1_500_000_000 + i) + "}")
                        .getBytes(StandardCharsets.UTF_8);
            }
            Path file = seafileData.resolve("storage/" + type + "/" + repo + "/" + id.substring(0, 2) + "/"
                    + id.substring(2));
            Files.createDirectories(file.getParent());
            Files.write(file, content);
            bytes += content.length;
        }
        return bytes;
    }

    private static String randomId(Random random) {
        byte[] id = new byte[20];
        random.nextBytes(id);
        return HexFormat.of().formatHex(id);
    }

    /** A seafile.conf with no backend sections: every type in {@code <seafile-data>/storage}. */
    static Path defaultConf(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        return Files.writeString(file, "[fileserver]\nport = 8082\n\n[database]\ntype = sqlite\n");
    }

    /** A seafile.conf with every type in its own bucket ({@code <prefix>-commits}, …) of the S3Proxy server. */
    static Path s3Conf(Path file, S3ProxyServer s3, String prefix) throws IOException {
        StringBuilder conf = new StringBuilder("[fileserver]\nport = 8082\n");
        String host = s3.endpoint().replaceFirst("^http://", "");
        for (String[] type : new String[][]{{"commit_object_backend", "commits"}, {"fs_object_backend", "fs"},
                {"block_backend", "blocks"}}) {
            s3.createBucket(prefix + "-" + type[1]);
            conf.append("\n[").append(type[0]).append("]\nname = s3\nbucket = ").append(prefix).append('-')
                    .append(type[1]).append("\nkey_id = ").append(S3ProxyServer.ACCESS_KEY).append("\nkey = ")
                    .append(S3ProxyServer.SECRET_KEY).append("\nhost = ").append(host)
                    .append("\npath_style_request = true\nuse_https = false\naws_region = us-east-1\n");
        }
        Files.createDirectories(file.getParent());
        return Files.writeString(file, conf);
    }

    /** A seafile.conf with every type on the filesystem backend under {@code dir}. */
    static Path fsConf(Path file, Path dir) throws IOException {
        StringBuilder conf = new StringBuilder();
        for (String section : new String[]{"commit_object_backend", "fs_object_backend", "block_backend"}) {
            conf.append('[').append(section).append("]\nname = fs\ndir = ").append(dir).append("\n\n");
        }
        Files.createDirectories(file.getParent());
        return Files.writeString(file, conf);
    }
}
