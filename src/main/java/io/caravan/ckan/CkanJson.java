package io.caravan.ckan;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import io.caravan.convert.ConvertedContent;
import io.caravan.item.Item;
import io.caravan.item.ItemRejectedException;
import io.caravan.source.ItemSource;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/** CKAN records as the bytes that travel through the pipeline: compact JSON, keys sorted as ckanapi writes them. */
final class CkanJson {

    static final ObjectMapper MAPPER = new ObjectMapper().configure(JsonNodeFeature.WRITE_PROPERTIES_SORTED, true);

    private CkanJson() {
    }

    static byte[] bytes(JsonNode record) {
        try {
            return MAPPER.writeValueAsBytes(record);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The record in {@code bytes}; an item that is not a JSON object is refused. */
    static JsonNode parse(byte[] bytes) {
        try {
            JsonNode record = MAPPER.readTree(bytes);
            if (record == null || !record.isObject()) {
                throw new ItemRejectedException("transfer", "not a JSON object");
            }
            return record;
        } catch (JsonProcessingException e) {
            throw new ItemRejectedException("transfer", "not JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A record already in canonical JSON ({@link #bytes}), as the sources list it. */
    static ItemSource.Content content(byte[] record) {
        return content(record, Map.of());
    }

    static ItemSource.Content content(byte[] record, Map<String, String> metadata) {
        return new ItemSource.Content(new ByteArrayInputStream(record),
                new Item.Attributes(ConvertedContent.CANONICAL_JSON, metadata));
    }

    /** A record's identity in a dump: its id, else its name (what ckanapi load matches by). */
    static String recordKey(JsonNode record) {
        return record.path("id").asText(record.path("name").asText(""));
    }

    /** The elements of a JSON array (none for anything else). */
    static Stream<JsonNode> stream(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false);
    }

    /** The file name of an uploaded resource: the last segment of its URL, as CKAN stores it. */
    static String fileName(JsonNode resource) {
        String url = resource.path("url").asText("");
        String name = url.substring(url.lastIndexOf('/') + 1);
        int query = name.indexOf('?');
        return query < 0 ? name : name.substring(0, query);
    }
}
