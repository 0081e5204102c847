package io.caravan.verify;

import io.caravan.item.Item;
import io.caravan.ledger.LedgerEntry;
import io.caravan.source.ItemSource;

import java.util.function.Supplier;

/**
 * A target that compares one migrated item with what it holds, in its own terms, where a size and an MD5 from a
 * listing say nothing (a CKAN record: the fields the transfer wrote; a CKAN file: its bytes, read back). The
 * verifier calls it for an item the ledger records as done with the source's current fingerprint.
 */
public interface ItemComparing {

    /**
     * @param migrated the ledger's row for the item (its checksum and bytes are those written)
     * @param written  the item's content as the transfer writes it (converted), opened on demand; null when the
     *                 conversion drops the record
     */
    Difference compare(Item item, String targetKey, LedgerEntry migrated, Supplier<ItemSource.Content> written);
}
