package io.caravan.ckan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.caravan.item.JobFatalException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Beside a dump, what {@link JsonlTarget} last put in place: the MD5 of the dump, and of the one before (a run
 * killed between writing the stamp and renaming the dump leaves the one before in place). A dump it does not know
 * is another's, and is never added to.
 */
final class JsonlStamp {

    private final Path path;

    JsonlStamp(Path path) {
        this.path = path;
    }

    Path path() {
        return path;
    }

    boolean matches(String md5) {
        JsonNode stamp = read();
        return stamp != null && (md5.equals(stamp.path("md5").asText()) || md5.equals(stamp.path("previous")
                .asText()));
    }

    /** Records {@code md5} as the dump's next content, before the dump is renamed into place. */
    void write(String md5) throws IOException {
        JsonNode old = read();
        ObjectNode next = CkanJson.MAPPER.createObjectNode().put("md5", md5)
                .put("previous", old == null ? "" : old.path("md5").asText(""));
        Path temp = path.resolveSibling(path.getFileName() + ".tmp");
        Files.write(temp, CkanJson.bytes(next));
        Files.move(temp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private JsonNode read() {
        if (!Files.exists(path)) {
            return null;
        }
        try {
            return CkanJson.MAPPER.readTree(path.toFile());
        } catch (IOException e) {
            throw new JobFatalException(path + " cannot be read: " + e.getMessage(), e);
        }
    }
}
