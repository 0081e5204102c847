package io.caravan.ops.http;

import io.caravan.job.ConfigException;
import io.caravan.job.JobSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** When the HTTP port needs credentials, and what is enough to serve off loopback. */
class ControlAccessTest {

    @TempDir
    Path home;

    @Test
    void should_require_nothing_on_loopback() {
        for (String host : new String[]{"127.0.0.1", "localhost", "::1"}) {
            assertThat(ControlAccess.requiredFor(home, settings(Map.of()), host)).as(host).isNull();
        }
    }

    @Test
    void should_refuse_a_network_address_with_neither_users_nor_a_token_and_say_what_to_configure() {
        assertThatThrownBy(() -> ControlAccess.requiredFor(home, settings(Map.of()), "0.0.0.0"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("caravan.http.host is 0.0.0.0, not a loopback address")
                .hasMessageContaining("config/jmx.password").hasMessageContaining("caravan.http.token");
    }

    @Test
    void should_serve_a_network_address_with_a_token_alone_or_with_users_alone() throws Exception {
        assertThat(ControlAccess.requiredFor(home, settings(Map.of("caravan.http.token", "t0ken")), "0.0.0.0"))
                .isNotNull();
        Files.createDirectories(home.resolve("config"));
        Files.writeString(home.resolve("config/jmx.password"), "operator secret\n");
        assertThatThrownBy(() -> ControlAccess.requiredFor(home, settings(Map.of()), "0.0.0.0"))
                .as("passwords without roles are not enough").isInstanceOf(ConfigException.class);
        Files.writeString(home.resolve("config/jmx.access"), "operator readwrite\n");
        assertThat(ControlAccess.requiredFor(home, settings(Map.of()), "0.0.0.0")).isNotNull();
    }

    @Test
    void should_guard_loopback_too_when_asked_and_refuse_an_unknown_mode() {
        assertThatThrownBy(() -> ControlAccess.requiredFor(home, settings(Map.of("caravan.http.auth", "always")),
                "127.0.0.1")).isInstanceOf(ConfigException.class).hasMessageContaining("caravan.http.auth is always");
        assertThat(ControlAccess.requiredFor(home, settings(Map.of("caravan.http.auth", "always",
                "caravan.http.token", "t0ken")), "127.0.0.1")).isNotNull();
        assertThatThrownBy(() -> ControlAccess.requiredFor(home, settings(Map.of("caravan.http.auth", "sometimes")),
                "127.0.0.1")).isInstanceOf(ConfigException.class).hasMessageContaining("off-loopback or always");
    }

    private JobSettings settings(Map<String, String> overrides) {
        return JobSettings.engine(home, overrides);
    }
}
