package io.caravan.plan;

import io.caravan.item.Item;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;

class ItemFilterTest {

    private static final Instant NOW = Instant.parse("2026-11-22T00:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    private static Item file(String key, Duration age) {
        return Item.of(key, "1:1", 1, NOW.minus(age).toEpochMilli());
    }

    @Test
    void should_match_a_slashless_glob_against_the_file_name_at_any_depth() {
        ItemFilter filter = new ItemFilter("", "*.tmp", null, null, CLOCK);
        assertThat(filter.accepts(file("a.tmp", Duration.ZERO))).isFalse();
        assertThat(filter.accepts(file("deep/er/b.tmp", Duration.ZERO))).isFalse();
        assertThat(filter.accepts(file("deep/er/b.txt", Duration.ZERO))).isTrue();
    }

    @Test
    void should_match_a_glob_with_a_slash_against_the_whole_key() {
        ItemFilter filter = new ItemFilter("docs/**", "", null, null, CLOCK);
        assertThat(filter.accepts(file("docs/a/b.pdf", Duration.ZERO))).isTrue();
        assertThat(filter.accepts(file("other/docs/b.pdf", Duration.ZERO))).isFalse();
    }

    @Test
    void should_apply_age_limits() {
        ItemFilter filter = new ItemFilter("", "", Duration.ofHours(1), Duration.ofDays(7), CLOCK);
        assertThat(filter.accepts(file("young", Duration.ofMinutes(5)))).isFalse();
        assertThat(filter.accepts(file("ripe", Duration.ofDays(1)))).isTrue();
        assertThat(filter.accepts(file("old", Duration.ofDays(30)))).isFalse();
    }

    @Test
    void should_let_unusable_items_through_so_they_are_reported() {
        ItemFilter filter = new ItemFilter("*.pdf", "", null, null, CLOCK);
        assertThat(filter.accepts(Item.unusable("loop", "symbolic link loop"))).isTrue();
    }

    @Test
    void should_rename_then_prefix_keys() {
        KeyMapper mapper = new KeyMapper("\\.JPG$", ".jpg", "archive/");
        assertThat(mapper.targetKey("photos/IMG_1.JPG")).isEqualTo("archive/photos/IMG_1.jpg");
        assertThat(mapper.targetKey("notes.txt")).isEqualTo("archive/notes.txt");
    }
}
