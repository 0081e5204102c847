package io.caravan.camel;

import io.caravan.item.Item;
import io.caravan.source.FolderSource;
import io.caravan.source.ItemSource;

/** The bodies of a {@code file:} endpoint, opened as the built-in folder source opens its files. */
final class FolderBodies implements Bodies {

    private final FolderSource folder;

    FolderBodies(FolderSource folder) {
        this.folder = folder;
    }

    @Override
    public void check() {
        folder.check();
    }

    @Override
    public ItemSource.Content open(Item item) {
        return folder.open(item);
    }

    @Override
    public void checkUnchanged(Item item) {
        folder.checkUnchanged(item);
    }

    @Override
    public void close() {
        folder.close();
    }
}
