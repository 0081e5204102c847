package io.caravan.silverstripe;

import io.caravan.testing.TestHome;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code caravan verify silverstripe} on the SS 3.1 site of issue 18 after its run, on a real MariaDB and
 * PostgreSQL: a row the source itself stops (its file is missing) is told apart from one not migrated yet.
 */
class VerifyRejectedAtSourceTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(SiteServers.Kind.class)
    void should_tell_a_row_rejected_at_the_source_from_one_not_yet_migrated(SiteServers.Kind kind) throws Exception {
        Ss31Site s = Ss31Site.seed(SiteFixture.create(kind, dir));
        TestHome home = s.site.home(dir.resolve("home"), Map.of());
        home.caravan("run", "silverstripe");
        String missing = "File/" + s.id("missing");

        Verified complete = verify(home);
        assertThat(complete.output()).contains("! " + missing + " (rejected: " + s.file("missing").get("rejected")
                .asText()).doesNotContain("? " + missing);
        assertThat(complete.exit()).as(complete.output()).isZero();

        s.site.insertFile(40, "File", "late.pdf", "assets/Uploads/late.pdf", null, null, 1, null);
        s.site.write("Uploads/late.pdf", "uploaded after the run");
        Verified pending = verify(home);
        assertThat(pending.output()).contains("? File/40 (pending: ").contains("! " + missing);
        assertThat(pending.exit()).as(pending.output()).isEqualTo(3);
    }

    record Verified(int exit, String output) {
    }

    static Verified verify(TestHome home) {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            int exit = home.caravan("verify", "silverstripe");
            return new Verified(exit, captured.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(original);
        }
    }
}
