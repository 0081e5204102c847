package io.caravan.pipeline;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.core.type.TypeReference;
import io.caravan.item.Item;

import java.util.List;

/**
 * One planned item as it crosses a broker hand-off: what a worker needs to open it at the source, write it and record
 * it, never its body (a worker reads that from the source itself). A broker message carries a batch of them, a JSON
 * array ({@link #batchToJson}).
 *
 * @param job         the job's name
 * @param runId       the run that planned it: the worker records the item's outcome under it
 * @param key         the item's key at the source
 * @param fingerprint what the plan saw; the source checks it again while copying
 * @param size        bytes
 * @param lastModified epoch millis
 * @param targetKey   where it goes
 */
public record WorkMessage(String job, String runId, String key, String fingerprint, long size, long lastModified,
                          String targetKey) {

    private static final ObjectMapper JSON = new ObjectMapper()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    public static WorkMessage of(String job, String runId, Item item, String targetKey) {
        return new WorkMessage(job, runId, item.key(), item.fingerprint(), item.size(), item.lastModified(),
                targetKey);
    }

    public Item item() {
        return Item.of(key, fingerprint, size, lastModified);
    }

    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a work message", e);
        }
    }

    private static final TypeReference<List<WorkMessage>> BATCH = new TypeReference<>() {
    };

    public static String batchToJson(List<WorkMessage> batch) {
        try {
            return JSON.writeValueAsString(batch);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a batch of work messages", e);
        }
    }

    /** A broker message's items: a JSON array of work messages, or one work message on its own. */
    public static List<WorkMessage> batchFromJson(String json) {
        try {
            return json.stripLeading().startsWith("[") ? JSON.readValue(json, BATCH)
                    : List.of(JSON.readValue(json, WorkMessage.class));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a batch of work messages: " + e.getOriginalMessage(), e);
        }
    }

    public static WorkMessage fromJson(String json) {
        try {
            return JSON.readValue(json, WorkMessage.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a work message: " + e.getOriginalMessage(), e);
        }
    }
}
