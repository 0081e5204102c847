package io.caravan.target;

import io.caravan.item.CloseableIterator;

import java.io.InputStream;
import java.util.Optional;

/**
 * A target whose items cannot be stated, listed or read back one by one (a database, a dump file, a site changed
 * in place): the ledger alone says what was written, and a verify works in the target's own terms, if at all.
 */
public interface OpaqueTarget extends ItemTarget {

    @Override
    default Optional<Entry> stat(String targetKey) {
        return Optional.empty();
    }

    @Override
    default CloseableIterator<Entry> list(String prefix) {
        return CloseableIterator.empty();
    }

    @Override
    default InputStream read(String targetKey) {
        throw new UnsupportedOperationException(describe() + " cannot be read back item by item");
    }
}
