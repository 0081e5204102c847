package io.caravan.camel;

import io.caravan.item.CloseableIterator;
import org.apache.camel.CamelContext;

/**
 * Where a record source's records come from: a query's rows ({@link SqlRecords}) or a paged JSON API's records
 * ({@link HttpRecords}). Each record is a JSON object as a map, column or field name to value, in the source's order.
 */
interface Records extends AutoCloseable {

    /** Fails with the setting named when the endpoint cannot be read at all. */
    void check();

    /** The records, streamed through {@code camel} (started by the caller, stopped after the listing closes). */
    CloseableIterator<Object> read(CamelContext camel);

    /** Fails naming source.key when records have no key of their own, so {@code source.key} must say it. */
    void requireDefaultKey();

    /** The key of a record when {@code source.key} is not set. */
    String defaultKey(Object record);

    /** Binds what the endpoint URI refers to (a DataSource) in a listing's Camel context. */
    default void bind(CamelContext camel) {
    }

    String describe();

    String identity();

    @Override
    default void close() {
    }
}
