package io.caravan.pipeline;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.caravan.item.Item;

/**
 * One planned item as it crosses a broker hand-off: what a worker needs to open it at the source, write it and record
 * it, never its body (a worker reads that from the source itself).
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

    public static WorkMessage fromJson(String json) {
        try {
            return JSON.readValue(json, WorkMessage.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a work message: " + e.getOriginalMessage(), e);
        }
    }
}
