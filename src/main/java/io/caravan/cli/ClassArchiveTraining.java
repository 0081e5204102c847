package io.caravan.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Run by {@code mvn package} under {@code -XX:DumpLoadedClassList=target/caravan.classlist}, which
 * {@code -Xshare:dump} then archives into target/caravan.jsa: a short folder→folder job, its verify and status, a
 * camel-file→camel-file job over 2,000 small files and its rerun, and a folder→S3 job against a closed local port,
 * in a home of its own, so that the archive holds the classes a run loads (picocli, Camel, camel-file and the YAML
 * DSL, H2, Flyway, the AWS SDK). bin/caravan maps that archive at start-up instead of loading and verifying those
 * classes from the jars each time: about a second less for every command on 2 cores (bench/README.md).
 */
public final class ClassArchiveTraining {

    private ClassArchiveTraining() {
    }

    public static void main(String[] args) throws IOException {
        Path project = Path.of(args[0]).toAbsolutePath();
        Path home = Files.createTempDirectory("caravan-training");
        try {
            copyTree(project.resolve("routes"), home.resolve("routes"));
            Files.createDirectories(home.resolve("config/jobs"));
            Files.copy(project.resolve("config/application.properties"), home.resolve("config/application.properties"));
            Files.writeString(home.resolve("config/jobs/folder-to-folder.properties"), String.join("\n",
                    "source.type = folder", "source.root = " + project.resolve("samples/files"),
                    "target.type = folder", "target.root = data/copy", ""));
            Files.writeString(home.resolve("config/jobs/folder-to-s3.properties"), String.join("\n",
                    "source.type = folder", "source.root = " + project.resolve("samples/files"),
                    "target.type = s3", "target.bucket = training", "target.s3.endpoint = http://127.0.0.1:9",
                    "target.s3.access-key = training", "target.s3.secret-key = training", "caravan.retries = 0",
                    ""));
            Files.writeString(home.resolve("config/jobs/camel-copy.properties"), String.join("\n",
                    "source.type = camel", "source.uri = file:" + smallFiles(home) + "?recursive=true",
                    "target.type = camel", "target.uri = file:" + home.resolve("data/camel-copy"), ""));
            Files.writeString(home.resolve("routes/camel-copy.camel.yaml"),
                    Files.readString(home.resolve("routes/folder-to-folder.camel.yaml"))
                            .replace("folder-to-folder", "camel-copy"));
            String h = home.toString();
            expect(0, "run folder-to-folder", CaravanCommand.execute("--home", h, "run", "folder-to-folder"));
            expect(0, "verify folder-to-folder", CaravanCommand.execute("--home", h, "verify", "folder-to-folder"));
            expect(0, "run camel-copy", CaravanCommand.execute("--home", h, "run", "camel-copy"));
            expect(0, "run camel-copy again", CaravanCommand.execute("--home", h, "run", "camel-copy"));
            expect(0, "status", CaravanCommand.execute("--home", h, "status"));
            // nothing listens there: the job stops at its bucket check, the S3 client and its request path loaded
            expect(2, "run folder-to-s3", CaravanCommand.execute("--home", h, "run", "folder-to-s3"));
        } finally {
            deleteTree(home);
        }
    }

    /**
     * 2,000 small files in 20 folders: a listing and an unchanged rerun long enough for JDK 25's AOT cache
     * ({@code -Dcaravan.aot.jdk}) to record the profiles of their hot methods, which the samples' dozen files are not.
     */
    private static Path smallFiles(Path home) throws IOException {
        Path root = home.resolve("training-files");
        for (int d = 0; d < 20; d++) {
            Path dir = Files.createDirectories(root.resolve("d" + d));
            for (int f = 0; f < 100; f++) {
                Files.writeString(dir.resolve("f" + f + ".txt"), "training file " + d + "/" + f + "\n");
            }
        }
        return root;
    }

    /** A training run that went otherwise would leave classes out of the archive: the build stops instead. */
    private static void expect(int expected, String command, int exitCode) {
        System.out.println("class archive training: caravan " + command + " exited " + exitCode);
        if (exitCode != expected) {
            throw new IllegalStateException("class archive training: caravan " + command + " exited " + exitCode
                    + ", not " + expected);
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            paths.forEach(p -> {
                try {
                    Files.copy(p, to.resolve(from.relativize(p).toString()));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
