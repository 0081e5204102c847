package io.caravan.convert;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import io.caravan.item.Item;
import io.caravan.item.ItemRejectedException;
import io.caravan.source.ItemSource;
import org.apache.camel.Exchange;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A record's content run through a {@link Conversion}: read whole (records are small), converted, and written back
 * as canonical JSON (compact, keys sorted), which a JSONL target writes as it is.
 */
public final class ConvertedContent {

    /** The content type of a record in canonical JSON: one line, compact, keys sorted, as ckanapi writes them. */
    public static final String CANONICAL_JSON = "application/json; profile=canonical";

    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(JsonNodeFeature.WRITE_PROPERTIES_SORTED, true);

    private ConvertedContent() {
    }

    /** @return the converted content, or null when the conversion drops the record */
    public static ItemSource.Content of(Conversion conversion, ItemSource.Content content, Exchange exchange)
            throws IOException {
        JsonNode record;
        try (InputStream body = content.body()) {
            record = JSON.readTree(body);
        } catch (IOException e) {
            throw new ItemRejectedException("convert", "not JSON: " + e.getMessage(), e);
        }
        JsonNode converted = conversion.apply(record, exchange);
        return converted == null ? null : new ItemSource.Content(
                new ByteArrayInputStream(JSON.writeValueAsBytes(converted)),
                new Item.Attributes(CANONICAL_JSON, content.attributes().metadata()), content.verify());
    }
}
