package io.caravan.target;

import io.caravan.item.Item;
import io.caravan.item.ItemRejectedException;
import io.caravan.item.CloseableIterator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * What every target promises, as rclone's fstests hold every backend to one suite: a write is stated and read back
 * as written, with the MD5 verify relies on; a body shorter or longer than listed, or whose checks fail at its end,
 * leaves nothing at its key; a key that would escape the target's root is refused. Each target passes it.
 */
public abstract class TargetContract {

    protected ItemTarget target;

    /** A new, empty target for one test. */
    protected abstract ItemTarget newTarget() throws Exception;

    /** Whether a write is confirmed by the target itself (an ETag, a read-back), not only done. */
    protected abstract boolean verifiesWrites();

    /** Whether the target has a root a key could escape ({@code ../}), as a folder has and a bucket has not. */
    protected abstract boolean hasRoot();

    /** Whether the target lists what it holds (for verify's extra items). */
    protected boolean lists() {
        return true;
    }

    @BeforeEach
    void openTarget() throws Exception {
        target = newTarget();
    }

    @AfterEach
    void closeTarget() {
        target.close();
    }

    @Test
    void a_write_is_stated_and_read_back_with_its_md5() throws IOException {
        byte[] body = bytes(100_000, 1);
        ItemTarget.Written written = write("dir/sub/item one.bin", body, () -> { });
        assertThat(written.checksum()).isEqualTo(md5(body));
        assertThat(written.bytes()).isEqualTo(body.length);
        assertThat(written.verified()).isEqualTo(verifiesWrites());
        assertThat(target.stat("dir/sub/item one.bin")).hasValueSatisfying(e -> assertThat(e.size())
                .isEqualTo(body.length));
        try (InputStream in = target.read("dir/sub/item one.bin")) {
            assertThat(in.readAllBytes()).isEqualTo(body);
        }
        if (lists()) {
            List<String> keys = new ArrayList<>();
            try (CloseableIterator<ItemTarget.Entry> entries = target.list("dir/")) {
                entries.forEachRemaining(e -> keys.add(e.key()));
            }
            assertThat(keys).containsExactly("dir/sub/item one.bin");
        }
    }

    @Test
    void an_empty_body_is_an_empty_item() {
        ItemTarget.Written written = write("empty", new byte[0], () -> { });
        assertThat(written.checksum()).isEqualTo("d41d8cd98f00b204e9800998ecf8427e");
        assertThat(target.stat("empty")).hasValueSatisfying(e -> assertThat(e.size()).isZero());
    }

    @Test
    void a_missing_key_is_not_there() {
        assertThat(target.stat("never/written")).isEmpty();
    }

    @Test
    void a_body_shorter_than_listed_leaves_nothing() {
        byte[] body = bytes(1000, 2);
        assertThatThrownBy(() -> target.write("short", 5000, new ByteArrayInputStream(body), Item.Attributes.NONE,
                () -> { })).isInstanceOf(ItemRejectedException.class).hasMessageContaining("changed while it was copied");
        assertThat(target.stat("short")).isEmpty();
    }

    @Test
    void a_body_longer_than_listed_leaves_nothing() {
        byte[] body = bytes(1000, 3);
        assertThatThrownBy(() -> target.write("long", 10, new ByteArrayInputStream(body), Item.Attributes.NONE,
                () -> { })).isInstanceOf(ItemRejectedException.class).hasMessageContaining("changed while it was copied");
        assertThat(target.stat("long")).isEmpty();
    }

    @Test
    void a_body_whose_checks_fail_at_its_end_leaves_nothing() {
        ItemRejectedException changed = new ItemRejectedException("transfer", "changed at the source meanwhile");
        assertThatThrownBy(() -> write("checked", bytes(20_000, 4), () -> {
            throw changed;
        })).isSameAs(changed);
        assertThat(target.stat("checked")).isEmpty();
    }

    @Test
    void a_write_that_fails_keeps_the_copy_written_before() throws IOException {
        byte[] before = bytes(30_000, 5);
        write("kept", before, () -> { });
        assertThatThrownBy(() -> target.write("kept", 50_000, new ByteArrayInputStream(bytes(20_000, 6)),
                Item.Attributes.NONE, () -> { })).as("cut short").isInstanceOf(ItemRejectedException.class);
        assertThatThrownBy(() -> write("kept", bytes(20_000, 7), () -> {
            throw new ItemRejectedException("transfer", "changed at the source meanwhile");
        })).as("its checks failed").isInstanceOf(ItemRejectedException.class);
        try (InputStream in = target.read("kept")) {
            assertThat(in.readAllBytes()).as("the earlier copy").isEqualTo(before);
        }
    }

    @Test
    void a_key_escaping_the_root_is_refused() {
        assumeTrue(hasRoot(), "a bucket has no root to escape");
        for (String key : List.of("../outside", "a/../../outside", "/absolute")) {
            assertThatThrownBy(() -> write(key, "x".getBytes(StandardCharsets.UTF_8), () -> { })).as(key)
                    .isInstanceOf(ItemRejectedException.class);
        }
    }

    @Test
    void a_key_that_would_land_where_another_does_is_refused() {
        assumeTrue(hasRoot(), "a bucket's keys are names, not paths");
        for (String key : List.of("a//b", "a/./b", "x/../a/b", "a/b/")) {
            assertThatThrownBy(() -> write(key, "x".getBytes(StandardCharsets.UTF_8), () -> { })).as(key)
                    .isInstanceOf(ItemRejectedException.class).hasMessageContaining("would land at 'a/b'");
        }
        assertThat(target.stat("a/b")).isEmpty();
    }

    protected ItemTarget.Written write(String key, byte[] body, Runnable beforeCommit) {
        return target.write(key, body.length, new ByteArrayInputStream(body), Item.Attributes.NONE, beforeCommit);
    }

    protected static byte[] bytes(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    protected static String md5(byte[] body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(body));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
