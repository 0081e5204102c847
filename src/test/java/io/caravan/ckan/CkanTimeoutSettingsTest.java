package io.caravan.ckan;

import com.fasterxml.jackson.databind.JsonNode;
import io.caravan.testing.FaultProxy;
import io.caravan.testing.Rejects;
import io.caravan.testing.TestHome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code target.timeout}, the older name, still sets the CKAN target's read-idle timeout, over the job's
 * {@code caravan.timeout.read-idle}: a target that holds every answer back fails each dataset after it, named.
 */
class CkanTimeoutSettingsTest {

    @TempDir
    Path dir;

    @Test
    void should_take_target_timeout_as_the_targets_read_idle_timeout() throws Exception {
        try (CkanEmulator source = new CkanEmulator(); CkanEmulator target = new CkanEmulator()) {
            for (int i = 0; i < 3; i++) {
                source.putDataset(CkanEmulator.JSON.createObjectNode()
                        .put("id", String.format("00000000-0000-4000-8000-%012d", i))
                        .put("name", "held-back-" + i).put("title", "Dataset " + i));
            }
            try (FaultProxy stalling = FaultProxy.start(target.url(), FaultProxy.Kind.STALL,
                    r -> r.getUrl().endsWith("package_create"), 1, 1, 3_000)) {
                TestHome home = new TestHome(dir.resolve("home")).route("ckan-datasets");
                home.job("ckan-datasets", Map.of("source.type", "ckan", "source.url", source.url(),
                        "source.api-token", CkanEmulator.SYSADMIN_TOKEN,
                        "target.type", "ckan", "target.url", stalling.url(),
                        "target.api-token", CkanEmulator.SYSADMIN_TOKEN, "caravan.workers", "4",
                        "caravan.retries", "0", "caravan.timeout.read-idle", "30s", "target.timeout", "PT0.3S"));

                TestHome.Ran ran = home.run("run", "ckan-datasets");

                assertThat(ran.exit()).as(ran.output()).isEqualTo(3);
                Map<String, JsonNode> rejects = Rejects.ofLatestRun(home.data(), "ckan-datasets");
                assertThat(rejects).hasSize(3);
                rejects.values().forEach(r -> assertThat(r.get("reason").asText())
                        .contains("package_create of held-back-").contains("nothing received for 300 ms"));
            }
        }
    }
}
