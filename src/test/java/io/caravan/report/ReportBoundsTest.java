package io.caravan.report;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** What the report keeps during a run stays bounded however long the run and however many its items. */
class ReportBoundsTest {

    @Test
    void should_keep_at_most_capacity_samples_evenly_spaced_and_the_last() {
        ThroughputSamples samples = new ThroughputSamples(8);
        // three days at one sample a second
        for (int t = 1; t <= 3 * 24 * 3600; t++) {
            samples.add(t, t * 10L, t * 1000L);
        }
        samples.finish(259_200.5, 2_592_010, 259_200_600);

        List<ThroughputSamples.Point> points = samples.points();
        assertThat(points).hasSizeLessThanOrEqualTo(8).hasSizeGreaterThanOrEqualTo(4);
        for (int i = 1; i < points.size() - 1; i++) {
            assertThat(points.get(i).seconds() - points.get(i - 1).seconds())
                    .isEqualTo(points.get(1).seconds() - points.get(0).seconds());
            assertThat(points.get(i).itemsPerSecond()).isEqualTo(10.0);
        }
        assertThat(points.get(points.size() - 1).items()).isEqualTo(2_592_010);
    }

    @Test
    void should_keep_every_sample_of_a_short_run() {
        ThroughputSamples samples = new ThroughputSamples();
        for (int t = 1; t <= 5; t++) {
            samples.add(t, t, t);
        }
        samples.finish(5.2, 6, 6);
        assertThat(samples.points()).extracting(ThroughputSamples.Point::seconds)
                .containsExactly(1.0, 2.0, 3.0, 4.0, 5.0, 5.2);
    }

    @Test
    void should_keep_the_largest_and_the_slowest_only() {
        TopItems top = new TopItems(3);
        for (int i = 0; i < 100_000; i++) {
            top.add("k" + i, i, (i * 7919L) % 100_003);
        }
        top.add("unknown-time", 1_000_000, -1);

        assertThat(top.largest()).extracting(TopItems.Entry::key).containsExactly("unknown-time", "k99999", "k99998");
        assertThat(top.slowest()).extracting(TopItems.Entry::millis).containsExactly(100_002L, 100_001L, 100_000L);
    }
}
