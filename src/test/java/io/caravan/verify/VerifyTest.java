package io.caravan.verify;

import io.caravan.testing.S3ProxyServer;
import io.caravan.testing.TestHome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static io.caravan.testing.TestHome.merge;
import static org.assertj.core.api.Assertions.assertThat;

/** verify names every item that is missing, differs, is pending or is extra, as rclone check does. */
class VerifyTest {

    @TempDir
    Path dir;

    @Test
    void should_name_missing_differing_pending_and_extra_items() throws Exception {
        try (S3ProxyServer s3 = S3ProxyServer.onDisk(Files.createDirectories(dir.resolve("s3")));
             S3Client client = s3.client()) {
            s3.createBucket("checked");
            Path source = Files.createDirectories(dir.resolve("source/photos"));
            for (String name : new String[]{"kept", "deleted", "tampered", "edited"}) {
                Files.writeString(source.resolve(name + ".txt"), "original " + name);
            }
            TestHome home = new TestHome(dir.resolve("home"));
            home.job("folder-to-s3", merge(Map.of("source.type", "folder", "source.root", dir.resolve("source").toString(),
                    "target.prefix", "backup/"), s3.settings("target", "checked")));
            assertThat(home.caravan("run", "folder-to-s3")).isZero();
            assertThat(verify(home)).contains("4 match, 0 missing, 0 differ, 0 pending, 0 extra");

            client.deleteObject(r -> r.bucket("checked").key("backup/photos/deleted.txt"));
            client.putObject(r -> r.bucket("checked").key("backup/photos/tampered.txt"),
                    RequestBody.fromString("Original tampered")); // same size, other bytes
            client.putObject(r -> r.bucket("checked").key("backup/stray.txt"), RequestBody.fromString("stray"));
            client.putObject(r -> r.bucket("checked").key("elsewhere/not-ours.txt"), RequestBody.fromString("other"));
            Files.writeString(source.resolve("edited.txt"), "edited since");

            String out = verify(home);
            assertThat(out).contains("- photos/deleted.txt (missing")
                    .contains("* photos/tampered.txt (differ: MD5")
                    .contains("? photos/edited.txt (pending: changed at the source")
                    .contains("+ backup/stray.txt (extra")
                    .contains("1 match, 1 missing, 1 differ, 1 pending, 1 extra")
                    .as("objects outside the target prefix are not this job's").doesNotContain("not-ours");
        }
    }

    private static String verify(TestHome home) {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            int exit = home.caravan("verify", "folder-to-s3");
            String out = captured.toString(StandardCharsets.UTF_8);
            assertThat(exit).as(out).isEqualTo(out.contains(" 0 missing, 0 differ, 0 pending, 0 extra") ? 0 : 3);
            return out;
        } finally {
            System.setOut(original);
        }
    }
}
