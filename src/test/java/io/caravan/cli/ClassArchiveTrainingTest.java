package io.caravan.cli;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * mvn package runs the training under -XX:DumpLoadedClassList; the tests run before package, so this is where a
 * route or setting that breaks the training shows up.
 */
class ClassArchiveTrainingTest {

    @Test
    void the_training_runs_its_jobs_as_expected_and_leaves_no_home_behind() throws IOException {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        List<Path> before = trainingHomes(tmp);
        ClassArchiveTraining.main(new String[] {"."}); // throws if a command exits otherwise than expected
        assertThat(trainingHomes(tmp)).isEqualTo(before);
    }

    private static List<Path> trainingHomes(Path tmp) throws IOException {
        try (Stream<Path> s = Files.list(tmp)) {
            return s.filter(p -> p.getFileName().toString().startsWith("caravan-training")).sorted().toList();
        }
    }
}
