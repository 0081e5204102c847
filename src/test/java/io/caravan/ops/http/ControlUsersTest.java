package io.caravan.ops.http;

import io.caravan.testing.LoopbackRmiSockets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.management.MBeanServerFactory;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXConnectorServer;
import javax.management.remote.JMXConnectorServerFactory;
import javax.management.remote.JMXServiceURL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The HTTP users are remote JMX's: the JDK's password and access files, clear or hashed by the JDK. */
class ControlUsersTest {

    @TempDir
    Path dir;

    @Test
    void should_give_a_user_its_role_from_the_access_file_for_the_right_password_only() throws Exception {
        ControlUsers users = users("""
                # comment
                operator  op-secret
                monitor mon-secret
                stranger str-secret
                """, """
                operator readwrite
                monitor readonly
                """);

        assertThat(users.roleOf("operator", "op-secret")).contains("readwrite");
        assertThat(users.roleOf("monitor", "mon-secret")).contains("readonly");
        assertThat(users.roleOf("monitor", "op-secret")).isEmpty();
        assertThat(users.roleOf("operator", "op-secret ")).isEmpty();
        assertThat(users.roleOf("stranger", "str-secret")).as("no role, no access, as in JMX").isEmpty();
        assertThat(users.roleOf("nobody", "")).isEmpty();
    }

    @Test
    void should_check_passwords_the_jdk_has_hashed_in_the_password_file() throws Exception {
        ControlUsers users = users("operator op-secret\n", "operator readwrite\n");
        Path passwords = dir.resolve("jmx.password");
        // the JDK's connector, asked to hash, rewrites the file at the first login
        Map<String, Object> environment = new HashMap<>(LoopbackRmiSockets.environment());
        environment.put("jmx.remote.x.password.file", passwords.toString());
        environment.put("jmx.remote.x.password.toHashes", "true");
        JMXConnectorServer server = JMXConnectorServerFactory.newJMXConnectorServer(
                new JMXServiceURL("service:jmx:rmi://127.0.0.1"), environment, MBeanServerFactory.newMBeanServer());
        server.start();
        try (JMXConnector client = JMXConnectorFactory.connect(server.getAddress(),
                Map.of(JMXConnector.CREDENTIALS, new String[]{"operator", "op-secret"}))) {
            client.getMBeanServerConnection().getMBeanCount();
        } finally {
            server.stop();
        }
        assertThat(Files.readString(passwords)).doesNotContain("op-secret");

        assertThat(users.roleOf("operator", "op-secret")).contains("readwrite");
        assertThat(users.roleOf("operator", "op-secreT")).isEmpty();
    }

    private ControlUsers users(String passwords, String access) throws Exception {
        return new ControlUsers(Files.writeString(dir.resolve("jmx.password"), passwords),
                Files.writeString(dir.resolve("jmx.access"), access));
    }
}
