package io.caravan.report;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** One JSON line per item that could not move: key, reason, stage. Flushed per line, so a kill keeps it. */
public final class RejectsFile implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path path;
    private BufferedWriter writer;

    public RejectsFile(Path path) {
        this.path = path;
    }

    public Path path() {
        return path;
    }

    public synchronized void add(String key, String status, String stage, String reason) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("key", key);
        line.put("status", status);
        line.put("stage", stage);
        line.put("reason", reason);
        line.put("time", Instant.now().toString());
        try {
            if (writer == null) {
                Files.createDirectories(path.getParent());
                writer = Files.newBufferedWriter(path, StandardCharsets.UTF_8);
            }
            writer.write(JSON.writeValueAsString(line));
            writer.newLine();
            writer.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the rejects file " + path, e);
        }
    }

    @Override
    public synchronized void close() {
        if (writer != null) {
            try {
                writer.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
