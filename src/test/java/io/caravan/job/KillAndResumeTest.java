package io.caravan.job;

import io.caravan.ledger.Ledger;
import io.caravan.testing.LoopbackPostgres;
import io.caravan.testing.S3ProxyServer;
import io.caravan.testing.TestHome;
import io.caravan.testing.Trees;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SortedMap;
import java.util.concurrent.TimeUnit;

import static io.caravan.testing.TestHome.merge;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A run killed with SIGKILL at a random moment, then run again: every file arrives intact, and nothing
 * but the items in flight at the kill is copied twice. With the embedded H2 ledger and with PostgreSQL.
 */
class KillAndResumeTest {

    private static final int FILES = 3_000;
    private static final int WORKERS = 8;

    @TempDir
    Path dir;
    S3ProxyServer s3;
    Path tree;
    SortedMap<String, String> expected;

    @BeforeEach
    void setUp() throws Exception {
        s3 = S3ProxyServer.onDisk(Files.createDirectories(dir.resolve("s3")));
        s3.createBucket("resume");
        tree = dir.resolve("tree");
        Trees.generate(tree, FILES, 11);
        expected = Trees.ofFolder(tree);
    }

    @AfterEach
    void tearDown() throws Exception {
        s3.close();
    }

    @Test
    void should_resume_after_sigkill_with_the_embedded_ledger() throws Exception {
        killThenResume(Map.of());
    }

    @Test
    void should_resume_after_sigkill_with_a_postgresql_ledger() throws Exception {
        try (EmbeddedPostgres postgres = LoopbackPostgres.builder().start()) {
            killThenResume(Map.of("caravan.ledger.url", postgres.getJdbcUrl("postgres", "postgres"),
                    "caravan.ledger.user", "postgres"));
        }
    }

    private void killThenResume(Map<String, String> ledger) throws Exception {
        TestHome home = new TestHome(dir.resolve("home"));
        home.job("folder-to-s3", merge(merge(Map.of("source.type", "folder", "source.root", tree.toString(),
                "caravan.workers", Integer.toString(WORKERS)), s3.settings("target", "resume")), ledger));

        long killAfter = 200 + new Random().nextInt(FILES - 600);
        Process first = home.start(dir.resolve("first.log"), List.of(), "run", "folder-to-s3");
        long deadline = System.currentTimeMillis() + 120_000;
        while (s3.writes("resume") < killAfter && first.isAlive() && System.currentTimeMillis() < deadline) {
            Thread.sleep(5);
        }
        assertThat(first.isAlive()).as("the first run is still going when killed (log: %s)",
                Files.readString(dir.resolve("first.log"))).isTrue();
        first.destroyForcibly(); // SIGKILL
        assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
        long writtenBeforeKill = s3.writes("resume");
        assertThat(writtenBeforeKill).isLessThan(FILES);

        Process second = home.start(dir.resolve("second.log"), List.of(), "run", "folder-to-s3");
        assertThat(second.waitFor(180, TimeUnit.SECONDS)).isTrue();
        assertThat(second.exitValue()).as(Files.readString(dir.resolve("second.log"))).isZero();

        try (S3Client client = s3.client()) {
            assertThat(Trees.ofBucket(client, "resume")).isEqualTo(expected);
        }
        assertThat(s3.writes("resume"))
                .as("only items in flight at the kill, or done and not yet recorded, may be copied twice (killed"
                        + " after %d writes)", writtenBeforeKill)
                .isLessThanOrEqualTo(FILES + WORKERS + Ledger.UNRECORDED_AT_MOST);
        assertThat(home.caravan("verify", "folder-to-s3")).as("the ledger agrees with the target").isZero();
    }
}
