package io.caravan.seafile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.caravan.seafile.SeafileStorage.StoredObject;
import io.caravan.testing.Rejects;
import io.caravan.testing.S3ProxyServer;
import io.caravan.testing.TestHome;
import io.caravan.testing.Trees;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.InflaterInputStream;

import static org.assertj.core.api.Assertions.assertThat;

/** Seafile's own test storage, migrated between the filesystem and S3 layouts on a real S3Proxy. */
class SeafileMigrationTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void should_move_every_object_to_s3_at_seafiles_keys_and_back_to_a_filesystem_layout() throws Exception {
        List<StoredObject> objects = SeafileStorage.upstream();
        assertThat(objects).hasSize(102);
        Path seafileData = dir.resolve("seafile-data");
        SeafileStorage.write(seafileData, objects);
        try (S3ProxyServer s3 = S3ProxyServer.inMemory(); S3Client client = s3.client()) {
            TestHome home = new TestHome(dir.resolve("home"));
            Path newConf = SeafileStorage.s3Conf(dir.resolve("new/seafile.conf"), s3, "obj");
            home.job("seafile", Map.of("source.type", "seafile",
                    "source.conf", SeafileStorage.defaultConf(dir.resolve("conf/seafile.conf")).toString(),
                    "source.seafile-data", seafileData.toString(),
                    "target.type", "seafile", "target.conf", newConf.toString()));

            assertThat(home.caravan("run", "seafile", "--dry-run")).isZero();
            JsonNode plan = JSON.readTree(Rejects.latestRun(home.data(), "seafile").resolve("report.json").toFile())
                    .get("planByGroup");
            assertThat(plan.at("/blocks/new/items").asLong()).isEqualTo(10);
            assertThat(plan.at("/fs/new/items").asLong()).isEqualTo(57);
            assertThat(plan.at("/commits/new/items").asLong()).isEqualTo(35);
            assertThat(plan.at("/blocks/new/bytes").asLong()).isEqualTo(objects.stream()
                    .filter(o -> o.type().equals("blocks")).mapToLong(o -> o.bytes().length).sum());
            assertThat(client.listObjectsV2(r -> r.bucket("obj-blocks")).keyCount()).as("a dry run").isZero();
            Document page = Jsoup.parse(
                    Rejects.latestRun(home.data(), "seafile").resolve("report.html").toFile());
            assertThat(page.select("#groups td.key").eachText()).as("report.html's plan per object type")
                    .containsExactly("blocks", "commits", "fs");
            assertThat(page.select("#groups td[data-figure=planByGroup.fs.new.items]").attr("data-value"))
                    .isEqualTo("57");

            assertThat(home.caravan("run", "seafile")).isZero();

            for (StoredObject o : objects) {
                assertThat(read(client, "obj-" + o.type(), o.s3Key())).as(o.path()).isEqualTo(o.bytes());
            }
            assertThat(client.listObjectsV2(r -> r.bucket("obj-commits")).keyCount()).isEqualTo(35);
            assertThat(client.listObjectsV2(r -> r.bucket("obj-fs")).keyCount()).isEqualTo(57);
            assertThat(client.listObjectsV2(r -> r.bucket("obj-blocks")).keyCount()).isEqualTo(10);
            assertUpstreamFactsHold(objects, (type, id) -> read(client, "obj-" + type, SeafileStorage.REPO + "/" + id));
            assertThat(home.caravan("verify", "seafile")).as("verify finds source, ledger and target equal").isZero();

            s3.resetCounts();
            assertThat(home.caravan("run", "seafile")).isZero();
            assertThat(s3.writes("obj-blocks") + s3.writes("obj-fs") + s3.writes("obj-commits"))
                    .as("a second pass writes nothing").isZero();

            // and back: S3 → a filesystem backend whose dir holds storage/<type>/<repo>/<cc>/<rest>
            Path back = dir.resolve("back");
            home.route("seafile-back").job("seafile-back", Map.of("source.type", "seafile",
                    "source.conf", newConf.toString(), "target.type", "seafile",
                    "target.conf", SeafileStorage.fsConf(dir.resolve("back-conf/seafile.conf"), back).toString()));
            assertThat(home.caravan("run", "seafile-back")).isZero();
            assertThat(Trees.ofFolder(back)).isEqualTo(Trees.ofFolder(seafileData));

            // and S3 → S3, into other buckets
            home.route("seafile-s3").job("seafile-s3", Map.of("source.type", "seafile",
                    "source.conf", newConf.toString(), "target.type", "seafile",
                    "target.conf", SeafileStorage.s3Conf(dir.resolve("copy/seafile.conf"), s3, "copy").toString()));
            assertThat(home.caravan("run", "seafile-s3")).isZero();
            for (StoredObject o : objects) {
                assertThat(read(client, "copy-" + o.type(), o.s3Key())).as(o.path()).isEqualTo(o.bytes());
            }
        }
    }

    @Test
    void should_reject_a_corrupt_block_with_its_id_and_library_and_move_everything_else() throws Exception {
        List<StoredObject> objects = SeafileStorage.upstream();
        Path seafileData = dir.resolve("seafile-data");
        SeafileStorage.write(seafileData, objects);
        StoredObject block = objects.stream().filter(o -> o.type().equals("blocks")).findFirst().orElseThrow();
        byte[] corrupt = block.bytes().clone();
        corrupt[corrupt.length / 2] ^= 0x01;
        Files.write(seafileData.resolve(block.path()), corrupt);
        StoredObject fs = objects.stream().filter(o -> o.type().equals("fs")).findFirst().orElseThrow();
        byte[] corruptFs = fs.bytes().clone();
        corruptFs[corruptFs.length - 1] ^= 0x01;
        Files.write(seafileData.resolve(fs.path()), corruptFs);
        Path target = dir.resolve("target");
        TestHome home = new TestHome(dir.resolve("home"));
        home.job("seafile", Map.of("source.type", "seafile",
                "source.conf", SeafileStorage.defaultConf(dir.resolve("conf/seafile.conf")).toString(),
                "source.seafile-data", seafileData.toString(), "target.type", "seafile",
                "target.conf", SeafileStorage.fsConf(dir.resolve("new/seafile.conf"), target).toString()));

        assertThat(home.caravan("run", "seafile")).isEqualTo(3);

        Map<String, JsonNode> rejects = Rejects.ofLatestRun(home.data(), "seafile");
        assertThat(rejects).containsOnlyKeys("blocks/" + block.repo() + "/" + block.id(),
                "fs/" + fs.repo() + "/" + fs.id());
        assertThat(rejects.get("blocks/" + block.repo() + "/" + block.id()).get("reason").asText())
                .contains("block " + block.id() + " of library " + block.repo()).contains("corrupt");
        assertThat(rejects.get("fs/" + fs.repo() + "/" + fs.id()).get("reason").asText())
                .contains("fs object " + fs.id());
        assertThat(target.resolve(block.path())).doesNotExist();
        assertThat(target.resolve(fs.path())).doesNotExist();
        for (StoredObject o : objects) {
            if (o != block && o != fs) {
                assertThat(Files.readAllBytes(target.resolve(o.path()))).as(o.path()).isEqualTo(o.bytes());
            }
        }
    }

    @Test
    void should_copy_only_the_new_objects_in_the_final_pass() throws Exception {
        Path seafileData = dir.resolve("seafile-data");
        // 5,000 objects: the final pass's behaviour, not its speed (bench/seafile.sh times 200,000 and a million);
        // at 200,000 this test alone took a fifth of the suite's time, at 20,000 still 54 s of it
        int initial = 5_000;
        SeafileStorage.generate(seafileData, 50, initial, 1);
        // on disk: an in-memory S3Proxy holds every object in this JVM's heap
        try (S3ProxyServer s3 = S3ProxyServer.onDisk(Files.createDirectories(dir.resolve("s3")))) {
            TestHome home = new TestHome(dir.resolve("home"));
            home.job("seafile", Map.of("source.type", "seafile",
                    "source.conf", SeafileStorage.defaultConf(dir.resolve("conf/seafile.conf")).toString(),
                    "source.seafile-data", seafileData.toString(), "target.type", "seafile",
                    "target.conf", SeafileStorage.s3Conf(dir.resolve("new/seafile.conf"), s3, "big").toString(),
                    "caravan.workers", "32", "target.read-back", "false"));
            assertThat(home.caravan("run", "seafile")).as("initial pass").isZero();
            assertThat(writes(s3)).isEqualTo(initial);

            SeafileStorage.generate(seafileData, 50, initial / 100, 2); // 1% new objects while Seafile ran
            s3.resetCounts();
            assertThat(home.caravan("run", "seafile")).as("final pass").isZero();
            assertThat(writes(s3)).as("the final pass writes the new objects only").isEqualTo(initial / 100);
            assertThat(s3.listings("big-blocks") + s3.listings("big-fs") + s3.listings("big-commits"))
                    .as("and never lists the target").isZero();
        }
    }

    private static long writes(S3ProxyServer s3) {
        return s3.writes("big-blocks") + s3.writes("big-fs") + s3.writes("big-commits");
    }

    interface ObjectReader {
        byte[] read(String type, String id) throws IOException;
    }

    /** What haiwen/seafobj's tests assert about this storage (SOURCES.md), checked on the migrated copy. */
    private static void assertUpstreamFactsHold(List<StoredObject> objects, ObjectReader store) throws IOException {
        JsonNode head = JSON.readTree(store.read("commits", "a24bf4385e5df18922337390e757c4b7789d853d"));
        assertThat(head.get("description").asText()).isEqualTo("Renamed directory \"create_renamed_folder\"");
        assertThat(head.get("parent_id").asText()).isEqualTo("ffc32568c059e9532cb426f19f8138c624c5cdd4");
        assertThat(head.get("repo_name").asText()).isEqualTo("obj_test");
        assertThat(head.get("ctime").asLong()).isEqualTo(1517211913L);

        JsonNode modified = JSON.readTree(store.read("commits", SeafileStorage.idStartingWith(objects, "4405b723")));
        assertThat(modified.get("description").asText()).isEqualTo("Modified \"added_folder.md\"");
        assertThat(modified.get("parent_id").asText()).startsWith("9e4705d1");
        assertThat(modified.get("ctime").asLong()).isEqualTo(1517211712L);

        JsonNode dir = fsObject(store, SeafileStorage.idStartingWith(objects, "b27235c5"));
        assertThat(names(dir)).contains("create_moved_folder", "create_moved_file.md");
        assertThat(idOf(dir, "create_moved_folder")).startsWith("05a6f045");
        assertThat(idOf(dir, "create_moved_file.md")).startsWith("045dfc08");
        assertThat(names(fsObject(store, SeafileStorage.idStartingWith(objects, "3ef00cc2"))))
                .contains("added_folder.md");

        JsonNode file = fsObject(store, SeafileStorage.idStartingWith(objects, "9771cd21"));
        assertThat(file.get("block_ids").get(0).asText()).startsWith("2949afb5");
        JsonNode single = fsObject(store, SeafileStorage.idStartingWith(objects, "67619f6d"));
        assertThat(single.get("block_ids")).hasSize(1);
        assertThat(single.get("block_ids").get(0).asText()).startsWith("125f1e9d");

        StringBuilder blocks = new StringBuilder();
        for (StoredObject o : objects) {
            if (o.type().equals("blocks")) {
                blocks.append(new String(store.read("blocks", o.id()), StandardCharsets.UTF_8));
            }
        }
        assertThat(blocks.toString()).contains("this is new file.", "this is modified file", "this is renamed file.",
                "this is moved file.");
    }

    private static JsonNode fsObject(ObjectReader store, String id) throws IOException {
        try (InputStream in = new InflaterInputStream(new java.io.ByteArrayInputStream(store.read("fs", id)))) {
            return JSON.readTree(in);
        }
    }

    private static List<String> names(JsonNode dir) {
        List<String> names = new ArrayList<>();
        dir.get("dirents").forEach(d -> names.add(d.get("name").asText()));
        return names;
    }

    private static String idOf(JsonNode dir, String name) {
        for (JsonNode d : dir.get("dirents")) {
            if (d.get("name").asText().equals(name)) {
                return d.get("id").asText();
            }
        }
        throw new AssertionError("no dirent " + name);
    }

    private static byte[] read(S3Client client, String bucket, String key) throws IOException {
        try (InputStream in = client.getObject(r -> r.bucket(bucket).key(key))) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            in.transferTo(out);
            return out.toByteArray();
        }
    }
}
