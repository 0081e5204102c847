package io.caravan.ckanfiles;

import io.caravan.item.JobFatalException;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code private-files.txt} of a run that rewrote owners: each file of a private dataset whose resource is now a
 * plain URL at the target ({@code <key> <url>}), written as found; the file is made only when there is one.
 */
final class PrivateFiles implements AutoCloseable {

    private final Path path;
    private BufferedWriter out;
    private long count;

    PrivateFiles(Path path) {
        this.path = path;
    }

    void add(String key, String url) {
        try {
            if (out == null) {
                out = Files.newBufferedWriter(path, StandardCharsets.UTF_8);
            }
            out.write(key + " " + url);
            out.newLine();
            count++;
        } catch (IOException e) {
            throw new JobFatalException("cannot write " + path + ": " + e.getMessage(), e);
        }
    }

    long count() {
        return count;
    }

    Path path() {
        return path;
    }

    @Override
    public void close() {
        if (out != null) {
            try {
                out.close();
            } catch (IOException e) {
                throw new JobFatalException("cannot write " + path + ": " + e.getMessage(), e);
            }
        }
    }
}
