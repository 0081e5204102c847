package io.caravan.job;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JobSettingsTest {

    private static JobSettings of(Map<String, String> values, Map<String, String> env) {
        Properties p = new Properties();
        p.putAll(values);
        return new JobSettings("job", p, env::get);
    }

    @Test
    void should_read_sizes_and_durations_as_people_write_them() {
        JobSettings s = of(Map.of("a", "8MiB", "b", "512KiB", "c", "1024", "d", "30s", "e", "PT5M", "f", "7d"), Map.of());
        assertThat(s.bytes("a", 0)).isEqualTo(8L << 20);
        assertThat(s.bytes("b", 0)).isEqualTo(512L << 10);
        assertThat(s.bytes("c", 0)).isEqualTo(1024);
        assertThat(s.duration("d", null)).isEqualTo(Duration.ofSeconds(30));
        assertThat(s.duration("e", null)).isEqualTo(Duration.ofMinutes(5));
        assertThat(s.duration("f", null)).isEqualTo(Duration.ofDays(7));
    }

    @Test
    void should_take_secrets_from_the_environment() {
        JobSettings s = of(Map.of("key", "{{env:SECRET}}", "fallback", "{{env:MISSING:none}}"), Map.of("SECRET", "s3cr3t"));
        assertThat(s.string("key", null)).isEqualTo("s3cr3t");
        assertThat(s.string("fallback", null)).isEqualTo("none");
    }

    @Test
    void should_name_the_setting_and_the_problem() {
        JobSettings s = of(Map.of("workers", "many", "key", "{{env:UNSET}}"), Map.of());
        assertThatThrownBy(() -> s.integer("workers", 1)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("'workers'").hasMessageContaining("'many'");
        assertThatThrownBy(() -> s.string("key", null)).hasMessageContaining("UNSET");
        assertThatThrownBy(() -> s.required("source.type")).hasMessageContaining("source.type");
    }
}
