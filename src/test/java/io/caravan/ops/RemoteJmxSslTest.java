package io.caravan.ops;

import io.caravan.testing.ServeProcess;
import io.caravan.testing.TestHome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.management.remote.JMXConnectorFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Remote JMX over SSL ({@code caravan.jmx.remote.ssl=true}) listens on {@code caravan.jmx.remote.host} only, as
 * without SSL (the JDK's SSL socket factory listened on every interface), and takes a client that trusts the
 * server's certificate and gives a password.
 */
class RemoteJmxSslTest {

    private static final String STORE_PASSWORD = "store-password-61c0";

    @TempDir
    Path dir;

    @Test
    void should_listen_on_loopback_only_over_ssl_and_take_a_client_that_trusts_the_certificate() throws Exception {
        Path keystore = dir.resolve("jmx.p12");
        assertThat(java("keytool", List.of("-genkeypair", "-alias", "jmx", "-keyalg", "RSA", "-keysize", "2048",
                "-storetype", "PKCS12", "-keystore", keystore.toString(), "-storepass", STORE_PASSWORD,
                "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1", "-validity", "2"), dir.resolve("keytool.log")))
                .as("keytool").isZero();
        TestHome home = new TestHome(dir.resolve("home"));
        try (ServeProcess serve = ServeProcess.start(home, dir.resolve("serve.log"),
                Map.of("caravan.jmx.remote.ssl", "true"),
                List.of("-Djavax.net.ssl.keyStore=" + keystore, "-Djavax.net.ssl.keyStorePassword=" + STORE_PASSWORD))) {
            List<String> listening = listeningAddresses(serve.jmxPort());
            assertThat(listening).as("sockets listening on the JMX port").isNotEmpty()
                    .allSatisfy(address -> assertThat(address).as("a loopback address").matches(
                            "0100007F|0000000000000000FFFF00000100007F|00000000000000000000000001000000"));

            Path probeLog = dir.resolve("probe.log");
            int probe = java("java", List.of("-Djavax.net.ssl.trustStore=" + keystore,
                    "-Djavax.net.ssl.trustStorePassword=" + STORE_PASSWORD, "-cp",
                    System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")),
                    "io.caravan.testing.JmxSslProbe", String.valueOf(serve.jmxPort()), ServeProcess.USER,
                    ServeProcess.PASSWORD), probeLog);
            assertThat(probe).as(Files.readString(probeLog)).isZero();
            assertThat(Files.readString(probeLog)).containsPattern("mbeans \\d+");

            assertThatThrownBy(() -> JMXConnectorFactory.connect(serve.url(), Map.of("jmx.remote.credentials",
                    new String[]{ServeProcess.USER, ServeProcess.PASSWORD}))).as("a client without SSL")
                    .isInstanceOf(IOException.class);
        }
    }

    /** The local addresses (hex, as the kernel writes them) of the sockets listening on the port. */
    private static List<String> listeningAddresses(int port) throws IOException {
        String hexPort = String.format(Locale.ROOT, ":%04X", port);
        List<String> addresses = new ArrayList<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            Path path = Path.of(table);
            if (!Files.exists(path)) {
                continue;
            }
            for (String line : Files.readAllLines(path)) {
                String[] fields = line.trim().split("\\s+");
                if (fields.length > 3 && fields[1].endsWith(hexPort) && fields[3].equals("0A")) { // 0A: LISTEN
                    addresses.add(fields[1].substring(0, fields[1].length() - hexPort.length()));
                }
            }
        }
        return addresses;
    }

    private static int java(String tool, List<String> args, Path log) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", tool).toString());
        command.addAll(args);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(tool + " did not finish within 60 s: " + Files.readString(log));
        }
        return process.exitValue();
    }
}
