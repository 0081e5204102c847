package io.caravan.ckan;

import com.fasterxml.jackson.databind.JsonNode;
import io.caravan.item.Item;
import io.caravan.item.ItemRejectedException;
import io.caravan.target.CountingDigest;
import io.caravan.target.ItemTarget;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Resource files sent to a CKAN target with {@code resource_patch} (multipart, streamed): a file downloaded from the
 * source portal, or the files of a dataset loaded from a dump, taken from the folder beside it.
 */
final class CkanFileUpload {

    private final CkanClient ckan;

    CkanFileUpload(CkanClient ckan) {
        this.ckan = ckan;
    }

    /** A resource's file, streamed to {@code resource_patch}; CKAN's recorded size must equal the bytes sent. */
    ItemTarget.Written upload(String resourceId, InputStream body, Item.Attributes attributes, Runnable beforeCommit) {
        CountingDigest counted = new CountingDigest(body);
        String name = attributes.metadata().getOrDefault("name", resourceId);
        JsonNode resource = ckan.upload("resource_patch", Map.of("id", resourceId), counted, name,
                attributes.contentType()).orElseThrow(() -> new ItemRejectedException("transfer", "resource "
                + resourceId + " of dataset " + attributes.metadata().get("dataset") + " is not at the target"
                + " (move the datasets first)"));
        String announced = attributes.metadata().getOrDefault("length", "-1");
        if (!announced.equals("-1") && Long.parseLong(announced) != counted.bytes()) {
            throw new ItemRejectedException("transfer", "the download of " + name + " ended after "
                    + counted.bytes() + " of " + announced + " bytes");
        }
        if (resource.hasNonNull("size") && resource.path("size").asLong() != counted.bytes()) {
            throw new ItemRejectedException("transfer", "the target stored " + resource.path("size").asLong()
                    + " bytes of " + name + ", " + counted.bytes() + " were sent");
        }
        String lastModified = attributes.metadata().getOrDefault("last_modified", "");
        if (!lastModified.isEmpty() && !lastModified.equals(resource.path("last_modified").asText())) {
            // an upload stamps the resource with the time of the upload; the source's time is the file's
            ckan.post("resource_patch", CkanJson.MAPPER.createObjectNode().put("id", resourceId)
                    .put("last_modified", lastModified));
        }
        beforeCommit.run();
        return new ItemTarget.Written(counted.md5(), counted.bytes(), "uploaded");
    }

    /**
     * The files of a dataset's uploads, from the folder beside its dump ({@code <resource id>}), each sent to its
     * resource once the dataset is written. An upload whose file is not there is named, and the dataset rejected:
     * the target would answer 404 for it.
     */
    void uploadDumped(JsonNode dataset, Path folder) {
        List<String> missing = new ArrayList<>();
        for (JsonNode r : dataset.path("resources")) {
            if (!"upload".equals(r.path("url_type").asText())) {
                continue;
            }
            String id = r.path("id").asText("");
            String name = CkanJson.fileName(r);
            Path file = id.isEmpty() || id.contains("/") || id.contains("\\") || id.startsWith(".") ? null
                    : folder.resolve(id);
            if (file == null || !Files.isRegularFile(file)) {
                missing.add(id + " (" + name + ")");
                continue;
            }
            try (InputStream in = Files.newInputStream(file)) {
                upload(id, in, new Item.Attributes(r.path("mimetype").asText(null), Map.of("name", name,
                        "dataset", dataset.path("name").asText(), "length", Long.toString(Files.size(file)),
                        "last_modified", r.path("last_modified").asText(""))), () -> { });
            } catch (IOException e) {
                throw new UncheckedIOException("reading " + file, e);
            }
        }
        if (!missing.isEmpty()) {
            throw new ItemRejectedException("transfer", "written, but the file of upload resource "
                    + String.join(", ", missing) + " is not in " + folder + ", so the target answers 404 for it"
                    + " (ckan-dump-resource-files writes the files beside the dump; or run ckan-resource-files"
                    + " against the live portal)");
        }
    }
}
