package io.caravan.job;

import io.caravan.testing.TestHome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Settings of a broker hand-off that cannot work are refused before anything moves, with exit code 2. */
class HandOffSettingsTest {

    @TempDir
    Path dir;

    private TestHome home(Map<String, String> more) throws Exception {
        Path source = Files.createDirectories(dir.resolve("source"));
        Files.writeString(source.resolve("a.txt"), "a");
        return new TestHome(dir.resolve("home")).job("folder-to-folder", TestHome.merge(Map.of("source.type", "folder",
                "source.root", source.toString(), "target.type", "folder",
                "target.root", dir.resolve("target").toString()), more));
    }

    @Test
    void should_refuse_a_broker_hand_off_with_the_embedded_h2_ledger() throws Exception {
        TestHome home = home(Map.of("caravan.handoff", "jms:queue:caravan.{job}"));

        TestHome.Ran ran = home.run("run", "folder-to-folder");

        assertThat(ran.exit()).isEqualTo(2);
        assertThat(ran.err()).contains("caravan.handoff", "PostgreSQL", "H2");
        assertThat(dir.resolve("target")).doesNotExist();
        assertThat(home.run("work", "folder-to-folder").exit()).isEqualTo(2);
    }

    @Test
    void should_refuse_a_worker_for_a_job_handed_over_in_process() throws Exception {
        TestHome.Ran ran = home(Map.of()).run("work", "folder-to-folder");

        assertThat(ran.exit()).isEqualTo(2);
        assertThat(ran.err()).contains("a worker needs a broker queue");
    }
}
