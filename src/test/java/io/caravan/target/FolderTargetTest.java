package io.caravan.target;

import io.caravan.item.Item;
import io.caravan.item.ItemRejectedException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FolderTargetTest {

    @TempDir
    Path dir;

    @Test
    void should_reject_keys_that_resolve_outside_the_root() {
        FolderTarget target = new FolderTarget(dir.resolve("root"), false, true);
        for (String key : new String[]{"../x", "a/../../x", "/etc/passwd", "..", "a/..", ""}) {
            assertThatThrownBy(() -> write(target, key, "x")).as(key).isInstanceOf(ItemRejectedException.class);
        }
        assertThat(Files.exists(dir.resolve("x"))).isFalse();
    }

    @Test
    void should_refuse_dot_segments_that_stay_inside_the_root_naming_where_they_would_land() {
        FolderTarget target = new FolderTarget(dir.resolve("root"), false, true);
        assertThatThrownBy(() -> write(target, "a/../b/./c.txt", "inside")).isInstanceOf(ItemRejectedException.class)
                .hasMessageContaining("'a/../b/./c.txt' is not a plain relative path: it would land at 'b/c.txt'");
        assertThat(Files.exists(dir.resolve("root/b/c.txt"))).isFalse();
    }

    @Test
    void should_leave_nothing_when_the_body_is_shorter_than_listed() throws Exception {
        FolderTarget target = new FolderTarget(dir.resolve("root"), true, true);
        byte[] body = "short".getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> target.write("f.txt", 99, new ByteArrayInputStream(body), Item.Attributes.NONE,
                () -> { })).isInstanceOf(ItemRejectedException.class).hasMessageContaining("changed while it was copied");
        try (Stream<Path> files = Files.walk(dir.resolve("root"))) {
            assertThat(files.filter(Files::isRegularFile)).isEmpty();
        }
    }

    @Test
    void should_report_the_md5_of_what_it_wrote() {
        FolderTarget target = new FolderTarget(dir.resolve("root"), false, true);
        assertThat(write(target, "hello.txt", "hello").checksum()).isEqualTo("5d41402abc4b2a76b9719d911017c592");
    }

    private static ItemTarget.Written write(FolderTarget target, String key, String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return target.write(key, bytes.length, new ByteArrayInputStream(bytes), Item.Attributes.NONE, () -> { });
    }
}
