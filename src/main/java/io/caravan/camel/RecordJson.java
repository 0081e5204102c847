package io.caravan.camel;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A record as JSON: its body, in the source's order, and its digest, of canonical JSON (object keys sorted at every
 * level), so the same record gives the same fingerprint whatever order its source listed the fields in.
 */
final class RecordJson {

    /** Decimals read as written ({@code 1.10} stays {@code 1.10}), dates written as ISO text. */
    static final ObjectMapper JSON = new ObjectMapper().disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    private static final ObjectMapper CANONICAL = JSON.copy()
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    private RecordJson() {
    }

    static byte[] body(Object record) throws JsonProcessingException {
        return JSON.writeValueAsBytes(record);
    }

    static String digest(Object record) throws JsonProcessingException {
        // a JSON tree keeps its fields' order when written: as plain maps, the mapper sorts them
        Object plain = CANONICAL.convertValue(record, Object.class);
        try {
            return "md5:" + HexFormat.of().formatHex(MessageDigest.getInstance("MD5")
                    .digest(CANONICAL.writeValueAsBytes(plain)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
