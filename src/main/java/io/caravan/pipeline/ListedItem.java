package io.caravan.pipeline;

import io.caravan.item.Item;
import io.caravan.ledger.LedgerEntry;

/**
 * An item as the listing hands it to the splitter, with its ledger row already looked up (null when the ledger has
 * none): the listing thread asks the ledger for a few hundred keys at once, so planning costs no query per item.
 */
record ListedItem(Item item, LedgerEntry recorded) {
}
