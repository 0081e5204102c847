package io.caravan.convert;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.caravan.item.ItemRejectedException;
import io.caravan.source.ItemSource;
import org.apache.camel.Exchange;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;

/** A record's content run through a {@link Conversion}: read whole (records are small), converted, written back. */
public final class ConvertedContent {

    private static final ObjectMapper JSON = new ObjectMapper();

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
                new ByteArrayInputStream(JSON.writeValueAsBytes(converted)), content.attributes(), content.verify());
    }
}
