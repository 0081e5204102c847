package io.caravan.silverstripe;

import com.fasterxml.jackson.databind.JsonNode;
import io.caravan.report.RunReport;
import io.caravan.testing.TestHome;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code caravan run silverstripe --dry-run} predicts what {@code move-files} will do, on the SS 3.1 site of issue
 * 18, on a real MariaDB and PostgreSQL: missing files and invalid extensions are known when the rows are listed, so
 * they are counted as rejections, with their bytes, and the files to move with theirs.
 */
class DryRunTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(SiteServers.Kind.class)
    void should_count_missing_files_and_invalid_extensions_as_rejections_with_their_bytes(SiteServers.Kind kind)
            throws Exception {
        Ss31Site s = Ss31Site.seed(SiteFixture.create(kind, dir));
        TestHome home = s.site.home(dir.resolve("home"), Map.of());
        long rejectedBytes = 0;
        for (JsonNode f : s.rejectedFiles()) {
            rejectedBytes += f.path("absent").asBoolean() ? 0 : s.content(f.get("key").asText()).length;
        }
        long migratedBytes = 0;
        for (JsonNode f : s.migratedFiles()) {
            migratedBytes += s.content(f.get("key").asText()).length;
        }
        Map<String, String> tree = s.site.tree();
        RecordingListener.clear();

        home.caravan("run", "silverstripe", "--dry-run");

        RunReport dry = RecordingListener.REPORTS.get("move-files");
        assertThat(dry.plan().get("rejected").items()).isEqualTo(s.rejectedFiles().size());
        assertThat(dry.plan().get("rejected").bytes()).isEqualTo(rejectedBytes);
        assertThat(dry.plan().get("new").items()).isEqualTo(s.migratedFiles().size());
        assertThat(dry.plan().get("new").bytes()).isEqualTo(migratedBytes);
        assertThat(s.site.tree()).as("the dry run wrote nothing").isEqualTo(tree);

        RecordingListener.clear();
        home.caravan("run", "silverstripe");

        RunReport run = RecordingListener.REPORTS.get("move-files");
        assertThat(run.rejected()).as("the run rejects what the dry run said").isEqualTo(dry.plan().get("rejected")
                .items());
        assertThat(run.bytesDone()).as("and moves the bytes it said").isEqualTo(dry.plan().get("new").bytes());
    }
}
