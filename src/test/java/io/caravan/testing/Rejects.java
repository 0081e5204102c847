package io.caravan.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/** Reads the rejects file of a job's latest run: key → the whole JSON line. */
public final class Rejects {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Rejects() {
    }

    public static Path latestRun(Path data, String job) throws IOException {
        try (Stream<Path> runs = Files.list(data.resolve("runs/" + job))) {
            return runs.sorted().reduce((a, b) -> b).orElseThrow();
        }
    }

    public static Map<String, JsonNode> ofLatestRun(Path data, String job) throws IOException {
        Map<String, JsonNode> byKey = new LinkedHashMap<>();
        Path file = latestRun(data, job).resolve("rejects.jsonl");
        if (Files.exists(file)) {
            for (String line : Files.readAllLines(file)) {
                JsonNode node = JSON.readTree(line);
                byKey.put(node.get("key").asText(), node);
            }
        }
        return byKey;
    }
}
