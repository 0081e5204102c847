package io.caravan.source;

import io.caravan.item.CloseableIterator;
import io.caravan.item.Item;
import io.caravan.item.ItemRejectedException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What every source promises: it lists each item once, with its size and a fingerprint, without reading bodies;
 * it opens each body as stored; a listed item that changed before it was copied is caught; one that vanished is
 * rejected by name. Each source passes it.
 */
public abstract class SourceContract {

    private ItemSource source;

    /** Stores an item at the source's backing store (a file, an object). */
    protected abstract void put(String key, byte[] body) throws Exception;

    /** Removes an item from the backing store. */
    protected abstract void remove(String key) throws Exception;

    /** The source over what {@link #put} stored. */
    protected abstract ItemSource newSource() throws Exception;

    /** Whether the source notices, after a copy, that an item changed since it was listed. */
    protected boolean catchesChanges() {
        return true;
    }

    @AfterEach
    void closeSource() {
        if (source != null) {
            source.close();
        }
    }

    private ItemSource source() throws Exception {
        if (source == null) {
            source = newSource();
            source.check();
        }
        return source;
    }

    private Map<String, Item> listed() throws Exception {
        Map<String, Item> items = new TreeMap<>();
        try (CloseableIterator<Item> it = source().list()) {
            while (it.hasNext()) {
                Item item = it.next();
                assertThat(items.put(item.key(), item)).as("listed once: " + item.key()).isNull();
            }
        }
        return items;
    }

    @Test
    void lists_each_item_once_with_its_size_and_a_fingerprint_and_opens_its_body() throws Exception {
        Map<String, byte[]> stored = new TreeMap<>();
        stored.put("a.txt", "alpha".getBytes(StandardCharsets.UTF_8));
        stored.put("dir/sub/b with space.bin", bytes(70_000, 1));
        stored.put("dir/ünïcødé.txt", "nön-ascii".getBytes(StandardCharsets.UTF_8));
        stored.put("empty", new byte[0]);
        for (Map.Entry<String, byte[]> e : stored.entrySet()) {
            put(e.getKey(), e.getValue());
        }
        Map<String, Item> items = listed();
        assertThat(items.keySet()).containsExactlyElementsOf(stored.keySet());
        for (Map.Entry<String, byte[]> e : stored.entrySet()) {
            Item item = items.get(e.getKey());
            assertThat(item.size()).as(e.getKey()).isEqualTo(e.getValue().length);
            assertThat(item.fingerprint()).as(e.getKey()).isNotBlank();
            assertThat(item.record()).as("listing reads no body").isNull();
            try (InputStream in = source().open(item).body()) {
                assertThat(in.readAllBytes()).as(e.getKey()).isEqualTo(e.getValue());
            }
        }
    }

    /** Whether names that start with '.' are listed (camel-ftp skips them, with no option to keep them). */
    protected boolean listsHiddenNames() {
        return true;
    }

    @Test
    void lists_names_that_start_with_a_dot_as_any_other() throws Exception {
        assumeTrue(listsHiddenNames(), "this source skips them (README)");
        List<String> hidden = List.of(".htaccess", ".well-known/security.txt", "a/.git/config", "a/x.txt");
        for (String key : hidden) {
            put(key, key.getBytes(StandardCharsets.UTF_8));
        }
        assertThat(listed().keySet()).containsExactlyInAnyOrderElementsOf(hidden);
    }

    @Test
    void lists_nothing_when_there_is_nothing() throws Exception {
        assertThat(listed()).isEmpty();
    }

    @Test
    void a_changed_item_gets_another_fingerprint_and_is_caught_after_its_copy() throws Exception {
        put("changing.txt", "first".getBytes(StandardCharsets.UTF_8));
        Item before = listed().get("changing.txt");
        Thread.sleep(1100); // a modification time in seconds must move too
        put("changing.txt", "second, longer".getBytes(StandardCharsets.UTF_8));
        if (catchesChanges()) {
            assertThatThrownBy(() -> source().checkUnchanged(before)).isInstanceOf(ItemRejectedException.class);
        }
        assertThat(listed().get("changing.txt").fingerprint()).isNotEqualTo(before.fingerprint());
    }

    @Test
    void a_vanished_item_is_rejected_when_opened() throws Exception {
        put("gone.txt", "here".getBytes(StandardCharsets.UTF_8));
        Item listed = listed().get("gone.txt");
        remove("gone.txt");
        assertThatThrownBy(() -> source().open(listed).body().close()).isInstanceOf(ItemRejectedException.class);
    }

    protected static byte[] bytes(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }
}
