package io.caravan.job;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A job's route file: {@code routes/<job>.camel.yaml} (YAML DSL) or {@code routes/<job>.java} (Java DSL, one
 * {@code RouteBuilder} class, compiled when it loads). A job has one or the other: with both, which one wires the
 * job would be a guess, so the job is refused, naming both files.
 */
public final class RouteFiles {

    public static final String YAML = ".camel.yaml";
    public static final String JAVA = ".java";

    private RouteFiles() {
    }

    /** Whether the file name is a job's route file, of either kind. */
    public static boolean isRouteFile(Path file) {
        String name = file.getFileName().toString();
        return name.endsWith(YAML) && name.length() > YAML.length()
                || name.endsWith(JAVA) && name.length() > JAVA.length();
    }

    public static boolean isJava(Path file) {
        return file.getFileName().toString().endsWith(JAVA);
    }

    /** The job a route file wires: its name without the suffix. */
    public static String jobOf(Path file) {
        String name = file.getFileName().toString();
        return name.substring(0, name.length() - (isJava(file) ? JAVA : YAML).length());
    }

    /**
     * The job's route file in {@code routes}: the one that exists, or the YAML one when neither does (for the
     * message that it is missing).
     *
     * @throws ConfigException when both exist
     */
    public static Path of(Path routes, String job) {
        Path yaml = routes.resolve(job + YAML);
        Path java = routes.resolve(job + JAVA);
        boolean hasYaml = Files.isRegularFile(yaml);
        boolean hasJava = Files.isRegularFile(java);
        if (hasYaml && hasJava) {
            throw new ConfigException("job '" + job + "' has two route files, " + yaml + " and " + java
                    + ": keep one of them");
        }
        return hasJava ? java : yaml;
    }
}
