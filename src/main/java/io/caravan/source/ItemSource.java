package io.caravan.source;

import io.caravan.item.CloseableIterator;
import io.caravan.item.Item;
import io.caravan.job.JobRun;

import java.io.InputStream;

/** Where items come from. Listing streams in bounded memory and never reads content. */
public interface ItemSource extends AutoCloseable {

    /** Fails with a clear message when the source cannot be read at all (missing folder, bad credentials). */
    void check();

    CloseableIterator<Item> list();

    /**
     * Opens the item's body. Throws {@link io.caravan.item.ItemRejectedException} when the item vanished
     * or cannot be read, {@link io.caravan.item.RetryableException} on a transient failure.
     */
    Content open(Item item);

    /** Called after the body was read whole: rejects an item that changed while it was copied. */
    default void checkUnchanged(Item item) {
    }

    String describe();

    /**
     * The canonical name of what this source reads (see {@link io.caravan.item.Identities}): with the target's, it
     * scopes the job's ledger rows, so the same place must always give the same string, with no credential in it.
     */
    String identity();

    /** The group the plan counts an item in (Seafile: its object type), or null when the source has none. */
    default String groupOf(Item item) {
        return null;
    }

    /** Runs before the listing of every run, dry runs too: an audit of what the source holds, say. */
    default void beforeRun(JobRun run) {
    }

    /** Runs after the last item of a run that wrote (not a dry run); {@code complete} when every item is done. */
    default void afterRun(JobRun run, boolean complete) {
    }

    @Override
    default void close() {
    }

    /**
     * @param verify runs once the body was read whole, before the write is committed: a source that knows what the
     *               content must be (a content-addressed object) rejects a corrupt one here
     */
    record Content(InputStream body, Item.Attributes attributes, Runnable verify) {
        public Content(InputStream body, Item.Attributes attributes) {
            this(body, attributes, () -> { });
        }
    }
}
