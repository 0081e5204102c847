package io.caravan.camel;

import io.caravan.item.Item;
import io.caravan.source.ItemSource;

/** How a Camel source opens the bodies its listing named: one kind per family of components. */
interface Bodies extends AutoCloseable {

    /** Fails with a clear message when the endpoint cannot be reached at all (no folder, bad credentials). */
    void check();

    ItemSource.Content open(Item item);

    /** Rejects an item whose size or modification time moved since it was listed, when that is cheap to ask. */
    void checkUnchanged(Item item);

    @Override
    void close();
}
