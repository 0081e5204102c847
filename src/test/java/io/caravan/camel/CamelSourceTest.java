package io.caravan.camel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.caravan.testing.TestHome;
import io.caravan.testing.Trees;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Camel consumer endpoints as a job's source: camel-file read, never changed, and listed without reading bodies. */
class CamelSourceTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void should_copy_camel_file_to_camel_file_and_then_only_what_changed() throws Exception {
        Path tree = dir.resolve("tree");
        Trees.generate(tree, 150, 8);
        Files.writeString(tree.resolve("top level.txt"), "at the top");
        Path copy = dir.resolve("copy");
        TestHome home = new TestHome(dir.resolve("home"));
        home.route("camel-files").job("camel-files", Map.of("source.type", "camel",
                "source.uri", "file:" + tree + "?recursive=true", "target.type", "camel", "target.uri", "file:" + copy,
                "caravan.queue-size", "10"));

        assertThat(home.caravan("run", "camel-files")).isZero();
        SortedMap<String, String> expected = Trees.ofFolder(tree);
        assertThat(Trees.ofFolder(copy)).isEqualTo(expected);
        assertThat(Trees.ofFolder(tree)).as("the source is left as it was").isEqualTo(expected);

        try (Stream<Path> files = Files.walk(copy)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                Files.setLastModifiedTime(f, FileTime.fromMillis(0)); // marks every copy made by the first run
            }
        }
        Files.writeString(tree.resolve("top level.txt"), " and below", StandardOpenOption.APPEND);
        Files.writeString(tree.resolve("new.txt"), "new since");
        assertThat(home.caravan("run", "camel-files")).isZero();

        JsonNode plan = latestReport(home, "camel-files").get("plan");
        assertThat(plan.at("/new/items").asLong()).isEqualTo(1);
        assertThat(plan.at("/changed/items").asLong()).isEqualTo(1);
        assertThat(plan.at("/unchanged/items").asLong()).isEqualTo(expected.size() - 1);
        assertThat(Trees.ofFolder(copy)).isEqualTo(Trees.ofFolder(tree));
        try (Stream<Path> files = Files.walk(copy)) {
            long rewritten = files.filter(Files::isRegularFile).filter(f -> {
                try {
                    return Files.getLastModifiedTime(f).toMillis() != 0;
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }).count();
            assertThat(rewritten).as("only the new and the changed file were written").isEqualTo(2);
        }
    }

    /**
     * The poll that lists a folder runs once: a plan still busy half a second after the listing ended (here, a rate
     * limit) must not see the consumer walk the folder again, nor end with errors of a second walk cut short.
     */
    /** The shipped camel-files job, its route and settings as shipped, writing into a folder of the test's own. */
    @Test
    void should_copy_the_samples_with_the_shipped_camel_files_job() throws Exception {
        TestHome home = new TestHome(dir.resolve("shipped"));
        Files.copy(Path.of("config/jobs/camel-files.properties"),
                home.path().resolve("config/jobs/camel-files.properties"));
        Path copy = dir.resolve("camel-copy");
        SortedMap<String, String> samples = Trees.ofFolder(Path.of("samples/files"));

        assertThat(home.caravan("run", "camel-files", "--set", "target.uri=file:" + copy)).isZero();
        assertThat(Trees.ofFolder(copy)).isEqualTo(samples).isNotEmpty();
        assertThat(Trees.ofFolder(Path.of("samples/files"))).as("the samples are left as they were")
                .isEqualTo(samples);
    }

    @Test
    void should_walk_the_source_once_while_a_slow_plan_drains_the_listing() throws Exception {
        Path tree = dir.resolve("tree");
        Trees.generate(tree, 4_000, 11);
        Path copy = dir.resolve("copy");
        TestHome home = new TestHome(dir.resolve("home"));
        home.route("camel-slow").job("camel-slow", Map.of("source.type", "camel",
                "source.uri", "file:" + tree + "?recursive=true", "target.type", "folder",
                "target.root", copy.toString(), "caravan.rate-limit", "1000"));

        Path log = dir.resolve("run.log");
        Process run = home.start(log, List.of(), "run", "camel-slow");
        assertThat(run.waitFor(120, TimeUnit.SECONDS)).isTrue();

        String output = Files.readString(log);
        assertThat(run.exitValue()).as(output).isZero();
        assertThat(output).doesNotContain("ERROR").doesNotContain("the listing was closed");
        assertThat(Trees.ofFolder(copy)).isEqualTo(Trees.ofFolder(tree));
    }

    @Test
    void should_refuse_a_source_uri_that_would_delete_or_move_what_it_reads() throws Exception {
        Path tree = dir.resolve("kept");
        Trees.generate(tree, 20, 9);
        SortedMap<String, String> before = Trees.ofFolder(tree);
        TestHome home = new TestHome(dir.resolve("home"));
        for (String option : new String[] {"delete=true", "move=.done", "preMove=inprogress"}) {
            home.route("camel-destructive").job("camel-destructive", Map.of("source.type", "camel",
                    "source.uri", "file:" + tree + "?recursive=true&" + option, "target.type", "folder",
                    "target.root", dir.resolve("never").toString()));
            TestHome.Ran run = home.run("run", "camel-destructive");
            assertThat(run.exit()).as(option).isEqualTo(2);
            assertThat(run.err()).contains("source.uri: option " + option).contains("would change the source");
        }
        assertThat(Trees.ofFolder(tree)).isEqualTo(before);
        assertThat(dir.resolve("never")).doesNotExist();
    }

    private static JsonNode latestReport(TestHome home, String job) throws Exception {
        try (Stream<Path> runs = Files.list(home.data().resolve("runs/" + job))) {
            Path run = runs.sorted().reduce((a, b) -> b).orElseThrow();
            return JSON.readTree(run.resolve("report.json").toFile());
        }
    }
}
