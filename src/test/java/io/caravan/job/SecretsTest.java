package io.caravan.job;

import io.caravan.testing.Rejects;
import io.caravan.testing.S3ProxyServer;
import io.caravan.testing.TestHome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static io.caravan.testing.TestHome.merge;
import static org.assertj.core.api.Assertions.assertThat;

/** Credentials given in config never reach the log, the report or the rejects file, even on failure. */
class SecretsTest {

    @TempDir
    Path dir;

    @Test
    void should_keep_the_secret_key_out_of_every_output() throws Exception {
        try (S3ProxyServer s3 = S3ProxyServer.onDisk(Files.createDirectories(dir.resolve("s3")))) {
            s3.createBucket("secrets");
            Path source = Files.createDirectories(dir.resolve("source"));
            Files.writeString(source.resolve("fine.txt"), "fine");
            Files.createSymbolicLink(source.resolve("dangling"), source.resolve("nowhere"));
            TestHome home = new TestHome(dir.resolve("home"));
            home.job("folder-to-s3", merge(Map.of("source.type", "folder", "source.root", source.toString()),
                    s3.settings("target", "secrets")));

            String good = run(home, "good.log");
            assertThat(good).contains("exit code 3");
            assertThat(Rejects.ofLatestRun(home.data(), "folder-to-s3")).containsKey("dangling");

            home.job("folder-to-s3", merge(merge(Map.of("source.type", "folder", "source.root", source.toString()),
                    s3.settings("target", "secrets")), Map.of("target.s3.secret-key", "wrong-" + S3ProxyServer.SECRET_KEY)));
            Files.writeString(source.resolve("new.txt"), "new"); // a file to copy: the target is asked, and refuses
            String refused = run(home, "refused.log");
            assertThat(refused).contains("403");

            for (String output : List.of(good, refused, everythingUnder(home.data()))) {
                assertThat(output).doesNotContain(S3ProxyServer.SECRET_KEY);
            }
        }
    }

    private String run(TestHome home, String log) throws Exception {
        Process p = home.start(dir.resolve(log), List.of(), "run", "folder-to-s3");
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return Files.readString(dir.resolve(log));
    }

    /** Reports and rejects files (the binary ledger is not a user-facing output and is left out). */
    private static String everythingUnder(Path data) throws Exception {
        StringBuilder all = new StringBuilder();
        try (Stream<Path> files = Files.walk(data)) {
            for (Path f : files.filter(Files::isRegularFile).filter(f -> !f.toString().endsWith(".db")).toList()) {
                all.append(Files.readString(f));
            }
        }
        assertThat(all).as("a report and a rejects file were read").contains("\"runId\"").contains("\"reason\"");
        return all.toString();
    }
}
