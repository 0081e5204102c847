package io.caravan.convert;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.Exchange;

/**
 * Turns a record as the source gives it into the record the target takes (a CKAN dataset from one portal's schema
 * into another's). Runs in the transfer stage, on a copy of the item's exchange, so Camel's languages and
 * processors apply.
 */
public interface Conversion {

    Conversion NONE = (record, exchange) -> record;

    /**
     * @return the converted record, or null when the record is dropped (an inactive harvest source, say)
     * @throws io.caravan.item.ItemRejectedException when the record cannot be converted
     */
    JsonNode apply(JsonNode record, Exchange exchange);
}
