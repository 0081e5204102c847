package io.caravan.ckan;

import io.caravan.item.RetryableException;
import io.caravan.job.Timeouts;
import io.caravan.testing.FaultProxy;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The CKAN client's timeouts: a server that holds its answer back costs one attempt, failed as retryable and named
 * with the action, the record and the setting that ran out, whether the read-idle or the whole-request timeout.
 */
class CkanClientTimeoutsTest {

    private static final long STALL_MILLIS = 3_000;

    @Test
    void should_fail_a_stalled_read_as_retryable_after_the_read_idle_timeout_naming_action_and_dataset()
            throws Exception {
        try (CkanEmulator ckan = new CkanEmulator();
             FaultProxy stalling = FaultProxy.start(ckan.url(), FaultProxy.Kind.STALL,
                     r -> r.getUrl().contains("package_show"), 1, 1, STALL_MILLIS);
             CkanClient client = new CkanClient(stalling.url(), CkanEmulator.SYSADMIN_TOKEN,
                     new Timeouts(Duration.ofSeconds(5), Duration.ofSeconds(30), Duration.ofMillis(400)), 2, 0)) {
            long start = System.nanoTime();
            assertThatThrownBy(() -> client.get("package_show", Map.of("id", "a-dataset")))
                    .isInstanceOf(RetryableException.class)
                    .hasMessageContaining("package_show of a-dataset")
                    .hasMessageContaining("nothing received for 400 ms (caravan.timeout.read-idle)");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(STALL_MILLIS - 500));
        }
    }

    @Test
    void should_cancel_an_attempt_that_outlasts_the_request_timeout_and_fail_it_as_retryable() throws Exception {
        try (CkanEmulator ckan = new CkanEmulator();
             FaultProxy stalling = FaultProxy.start(ckan.url(), FaultProxy.Kind.STALL,
                     r -> r.getUrl().endsWith("package_create"), 1, 1, STALL_MILLIS);
             CkanClient client = new CkanClient(stalling.url(), CkanEmulator.SYSADMIN_TOKEN,
                     new Timeouts(Duration.ofSeconds(5), Duration.ofMillis(500), Duration.ofSeconds(30)), 2, 0)) {
            long start = System.nanoTime();
            assertThatThrownBy(() -> client.post("package_create", CkanEmulator.JSON.createObjectNode()
                    .put("name", "a-stalled-dataset")))
                    .isInstanceOf(RetryableException.class)
                    .hasMessageContaining("package_create of a-stalled-dataset")
                    .hasMessageContaining("no whole answer within 500 ms (caravan.timeout.request)");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(STALL_MILLIS - 500));

            // the next request, on a fresh connection, is not held up by the cancelled one
            assertThat(client.get("status_show", Map.of())).isPresent();
        }
    }

    @Test
    void should_carry_what_a_slow_down_answer_asked_to_wait_into_the_retryable_failure() throws Exception {
        try (CkanEmulator ckan = new CkanEmulator();
             FaultProxy slowing = FaultProxy.start(ckan.url(), FaultProxy.Kind.SLOW_DOWN_503,
                     r -> r.getUrl().contains("package_show"), 1, 1, 0);
             CkanClient client = new CkanClient(slowing.url(), CkanEmulator.SYSADMIN_TOKEN, Timeouts.DEFAULTS, 2, 0)) {
            assertThatThrownBy(() -> client.get("package_show", Map.of("id", "a-dataset")))
                    .isInstanceOfSatisfying(RetryableException.class,
                            e -> assertThat(e.retryAfter()).contains(Duration.ofSeconds(1)))
                    .hasMessageContaining("package_show of a-dataset answered HTTP 503");
        }
    }
}
