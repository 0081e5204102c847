package io.caravan.pipeline;

import io.caravan.item.CloseableIterator;
import io.caravan.item.JobFatalException;
import io.caravan.item.RetryableException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ReadAheadTest {

    @Test
    void should_fail_every_time_it_is_asked_after_a_listing_failed_with_nothing_retryable_in_the_causes() {
        CloseableIterator<String> failing = new CloseableIterator<>() {
            @Override
            public boolean hasNext() {
                return true;
            }

            @Override
            public String next() {
                throw new RetryableException("page 2 timed out", null);
            }

            @Override
            public void close() {
            }
        };
        try (ReadAhead<String> ahead = new ReadAhead<>(failing, 10, "read-ahead-test")) {
            for (int asked = 0; asked < 3; asked++) { // a redelivery asks again: the listing has not ended
                assertThatThrownBy(ahead::hasNext).isInstanceOf(JobFatalException.class)
                        .hasMessageContaining("listing failed").hasMessageContaining("page 2 timed out")
                        .hasNoCause()
                        .satisfies(e -> assertThat(e.getSuppressed()).hasExactlyElementsOfTypes(
                                RetryableException.class));
            }
        }
    }
}
