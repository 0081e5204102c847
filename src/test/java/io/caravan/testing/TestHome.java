package io.caravan.testing;

import io.caravan.cli.CaravanCommand;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A Caravan home folder for one test: the project's own routes and engine defaults, plus job settings the
 * test writes. Runs Caravan in this JVM or as a child JVM.
 */
public final class TestHome {

    private final Path home;

    public TestHome(Path home) {
        this.home = home;
        try {
            for (String folder : List.of("routes", "routes/kamelets")) {
                Path copy = Files.createDirectories(home.resolve(folder));
                try (Stream<Path> files = Files.list(Path.of(folder))) {
                    for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).toList()) {
                        Files.copy(f, copy.resolve(f.getFileName()));
                    }
                }
            }
            Files.createDirectories(home.resolve("config/jobs"));
            Files.copy(Path.of("config/application.properties"), home.resolve("config/application.properties"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Path path() {
        return home;
    }

    public Path data() {
        return home.resolve("data");
    }

    /** Writes config/jobs/<job>.properties; the job's route file must be one of the project's. */
    public TestHome job(String job, Map<String, String> settings) {
        StringBuilder b = new StringBuilder();
        settings.forEach((k, v) -> b.append(k).append(" = ").append(v.replace("\\", "\\\\")).append('\n'));
        try {
            Files.writeString(home.resolve("config/jobs/" + job + ".properties"), b, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    /** Writes routes/<job>.camel.yaml: the pipeline's two Kamelets, for a job the project does not ship. */
    public TestHome route(String job) {
        try {
            Files.writeString(home.resolve("routes/" + job + ".camel.yaml"), templatedRoute(job), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    public static String templatedRoute(String job) {
        return planRoute(job) + """
                - templatedRoute:
                    routeTemplateRef: caravan-transfer
                    routeId: JOB.transfer
                    parameters:
                      - name: job
                        value: JOB
                """.replace("JOB", job);
    }

    /** The job's list → plan half, from the caravan-plan Kamelet; a test may write the other half by hand. */
    public static String planRoute(String job) {
        return """
                - templatedRoute:
                    routeTemplateRef: caravan-plan
                    routeId: JOB.plan
                    parameters:
                      - name: job
                        value: JOB
                """.replace("JOB", job);
    }

    /** Runs a command in this JVM and returns its exit code. */
    public int caravan(String... args) {
        List<String> all = new ArrayList<>(List.of("--home", home.toString()));
        all.addAll(List.of(args));
        return CaravanCommand.execute(all.toArray(String[]::new));
    }

    /** What a command run in this JVM printed, and its exit code. */
    public record Ran(int exit, String out, String err) {

        /** Both, standard output first. */
        public String output() {
            return out + err;
        }
    }

    /** Runs a command in this JVM and keeps what it prints (standard output and error, apart). */
    public Ran run(String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream capturedOut = new ByteArrayOutputStream();
        ByteArrayOutputStream capturedErr = new ByteArrayOutputStream();
        System.setOut(new PrintStream(capturedOut, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(capturedErr, true, StandardCharsets.UTF_8));
        try {
            int exit = caravan(args);
            return new Ran(exit, capturedOut.toString(StandardCharsets.UTF_8),
                    capturedErr.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    /** Starts a command in a child JVM, its output (stdout and stderr) going to {@code log}. */
    public Process start(Path log, List<String> jvmPrefix, String... args) throws IOException {
        return start(log, jvmPrefix, List.of(), args);
    }

    /** As {@link #start(Path, List, String...)}, with JVM options ({@code -Xmx256m} replaces the default 512m). */
    public Process start(Path log, List<String> jvmPrefix, List<String> jvmOptions, String... args)
            throws IOException {
        return start(log, jvmPrefix, jvmOptions, Map.of(), args);
    }

    /** As {@link #start(Path, List, String...)}, with environment variables for the child. */
    public Process start(Path log, Map<String, String> environment, String... args) throws IOException {
        return start(log, List.of(), List.of(), environment, args);
    }

    private Process start(Path log, List<String> jvmPrefix, List<String> jvmOptions, Map<String, String> environment,
                          String... args) throws IOException {
        List<String> command = new ArrayList<>(jvmPrefix);
        command.addAll(command(jvmOptions, args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("LC_ALL", "C.UTF-8");
        pb.environment().putAll(environment);
        return pb.start();
    }

    /** The command line of a child JVM running Caravan in this home. */
    public List<String> command(List<String> jvmOptions, String... args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx512m");
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")));
        command.add(CaravanCommand.class.getName());
        command.add("--home");
        command.add(home.toString());
        command.addAll(List.of(args));
        return command;
    }

    /** A child process's log as written so far: empty before it exists; the error's text if it cannot be read. */
    public static String logOf(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            return e.toString();
        }
    }

    public static Map<String, String> merge(Map<String, String> a, Map<String, String> b) {
        Map<String, String> m = new LinkedHashMap<>(a);
        m.putAll(b);
        return m;
    }
}
