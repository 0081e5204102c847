package io.caravan.ckan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.net.URLConnection;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import static io.caravan.ckan.CkanEmulator.JSON;

/**
 * Resources inside datasets and the files of uploaded ones (in memory, by resource id): resource_create/show/
 * update/patch/delete and the download route. As in CKAN, a purge or a resource dropped by package_update leaves
 * the file; only clear_upload removes it.
 */
final class CkanEmulatorResources {

    record Download(int status, Map<String, String> headers, byte[] body) { }

    private static final Map<String, String> MIMETYPES = Map.of("csv", "text/csv", "json", "application/json",
            "png", "image/png", "pdf", "application/pdf", "zip", "application/zip", "xml", "application/xml",
            "txt", "text/plain", "xls", "application/vnd.ms-excel",
            "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");

    private final Map<String, byte[]> files = new ConcurrentHashMap<>();
    /** resource id → package id, for the resources of stored datasets. */
    private final Map<String, String> owners = new ConcurrentHashMap<>();
    /** Resources removed from their dataset (not purged): resource_show says "Resource was not found." */
    private final Set<String> removed = ConcurrentHashMap.newKeySet();
    private final CkanEmulatorDatasets datasets;
    private final Supplier<String> siteUrl;

    CkanEmulatorResources(CkanEmulatorDatasets datasets, Supplier<String> siteUrl) {
        this.datasets = datasets;
        this.siteUrl = siteUrl;
    }

    // ---- files

    void removeFile(String resourceId) {
        files.remove(resourceId);
    }

    void putFile(String resourceId, byte[] bytes) {
        files.put(resourceId, bytes.clone());
    }

    Optional<byte[]> file(String resourceId) {
        return Optional.ofNullable(files.get(resourceId)).map(byte[]::clone);
    }

    // ---- bookkeeping of the dataset store

    void index(ObjectNode d) {
        d.path("resources").forEach(r -> {
            owners.put(r.get("id").asText(), d.get("id").asText());
            removed.remove(r.get("id").asText());
        });
    }

    void forget(ObjectNode old, ObjectNode next) {
        old.path("resources").forEach(r -> {
            String id = r.get("id").asText();
            if (CkanEmulatorSearch.stream(next.path("resources")).noneMatch(n -> n.get("id").asText().equals(id))) {
                owners.remove(id);
                removed.add(id);
            }
        });
    }

    void purge(ObjectNode d) {
        d.path("resources").forEach(r -> owners.remove(r.get("id").asText()));
    }

    // ---- dicts

    /** The resources to store for a dataset written through package_create/update or seeded. */
    ArrayNode normalize(ObjectNode d, Optional<ObjectNode> current, String now) {
        ArrayNode list = JSON.createArrayNode();
        d.path("resources").forEach(given -> {
            ObjectNode r = given.deepCopy();
            r.remove("upload");
            r.remove("clear_upload");
            String id = r.path("id").asText("");
            r.put("id", id.isEmpty() ? UUID.randomUUID().toString() : id);
            Optional<JsonNode> before = current.flatMap(c -> CkanEmulatorSearch.stream(c.path("resources"))
                    .filter(o -> o.get("id").asText().equals(r.get("id").asText())).findFirst());
            defaults(r, d.get("id").asText(), before.map(b -> b.path("created").asText(now)).orElse(now), now);
            r.put("position", list.size());
            list.add(bare(r));
        });
        return list;
    }

    /**
     * CKAN's defaults for a resource. A given package_id is kept: CKAN would set its own, but a migration that
     * renames nothing compares the resources it sent with what it reads back (CkanMigrationTest).
     */
    private static void defaults(ObjectNode r, String packageId, String created, String now) {
        for (String key : List.of("cache_last_updated", "cache_url", "description", "last_modified", "mimetype",
                "mimetype_inner", "name", "resource_type", "size", "url_type")) {
            if (!r.has(key)) {
                r.putNull(key);
            }
        }
        if (!r.hasNonNull("created")) {
            // a resource given with its "created" (copied from another CKAN) keeps its timestamps as given
            r.put("created", created);
            putIfAbsent(r, "metadata_modified", now);
        }
        putIfAbsent(r, "format", "");
        putIfAbsent(r, "hash", "");
        putIfAbsent(r, "package_id", packageId);
        putIfAbsent(r, "state", "active");
        putIfAbsent(r, "url", "");
    }

    private static void putIfAbsent(ObjectNode r, String key, String value) {
        if (!r.hasNonNull(key)) {
            r.put(key, value);
        }
    }

    /** An upload is stored by its bare file name, as CKAN keeps it in resource.url. */
    private ObjectNode bare(ObjectNode r) {
        if (isUpload(r)) {
            r.put("url", lastSegment(r.path("url").asText("")));
        }
        return r;
    }

    private static boolean isUpload(JsonNode r) {
        return "upload".equals(r.path("url_type").asText());
    }

    /**
     * The resources as package_show gives them: an upload gets this emulator's download url, built from the bare
     * file name, whether its file is here or not (CKAN's resource_dictize does the same; the download of a
     * missing file answers 404).
     */
    ArrayNode dictize(ObjectNode d) {
        ArrayNode list = JSON.createArrayNode();
        d.path("resources").forEach(r -> list.add(dictizeOne(d.get("id").asText(), (ObjectNode) r)));
        return list;
    }

    private ObjectNode dictizeOne(String packageId, ObjectNode r) {
        ObjectNode shown = r.deepCopy();
        if (isUpload(r)) {
            shown.put("url", siteUrl.get() + "/dataset/" + packageId + "/resource/" + r.get("id").asText()
                    + "/download/" + lastSegment(r.path("url").asText("")));
        }
        return shown;
    }

    private static String lastSegment(String url) {
        return url.substring(url.lastIndexOf('/') + 1);
    }

    // ---- actions

    JsonNode show(CkanEmulatorCall call) {
        String id = call.param("id", "");
        String packageId = owners.get(id);
        if (packageId == null) {
            // recorded: "Resource was not found." for one dropped by package_update (62), "Not found" after a purge (77)
            throw removed.contains(id) ? CkanEmulatorAnswer.notFound("Not found: Resource was not found.")
                    : CkanEmulatorAnswer.notFound();
        }
        ObjectNode d = datasets.readable(packageId, call);
        return dictizeOne(packageId, resource(d, id));
    }

    JsonNode create(CkanEmulatorCall call) {
        ObjectNode d = datasets.find(call.param("package_id")).orElseThrow(CkanEmulatorAnswer::notFound);
        datasets.authorizeEdit(call, d, "edit");
        synchronized (datasets) {
            d = datasets.find(d.get("id").asText()).orElseThrow(CkanEmulatorAnswer::notFound);
            String now = CkanEmulator.now();
            ObjectNode r = call.body().deepCopy();
            r.remove("package_id");
            r.put("id", r.path("id").asText("").isEmpty() ? UUID.randomUUID().toString() : r.get("id").asText());
            receive(call, r, now);
            defaults(r, d.get("id").asText(), now, now);
            ObjectNode next = d.deepCopy();
            ArrayNode list = next.withArray("resources");
            r.put("position", list.size());
            list.add(bare(r));
            return save(next, r);
        }
    }

    JsonNode update(CkanEmulatorCall call, boolean patch) {
        String id = call.param("id", "");
        ObjectNode d = datasets.find(owners.get(id)).orElseThrow(CkanEmulatorAnswer::notFound);
        datasets.authorizeEdit(call, d, "edit");
        synchronized (datasets) {
            d = datasets.find(d.get("id").asText()).orElseThrow(CkanEmulatorAnswer::notFound);
            ObjectNode current = resource(d, id);
            String now = CkanEmulator.now();
            ObjectNode r = patch ? current.deepCopy() : JSON.createObjectNode();
            call.body().fields().forEachRemaining(f -> r.set(f.getKey(), f.getValue()));
            r.remove("package_id");
            r.put("id", id);
            if (!patch && !r.has("url_type") && call.upload().isEmpty() && !call.flag("clear_upload")) {
                r.set("url_type", current.get("url_type")); // an update that names no file keeps the upload
            }
            receive(call, r, now);
            r.put("metadata_modified", now).put("position", current.get("position").asInt());
            defaults(r, d.get("id").asText(), current.path("created").asText(now), now);
            ObjectNode next = d.deepCopy();
            ArrayNode list = next.withArray("resources");
            list.set(current.get("position").asInt(), bare(r));
            return save(next, r);
        }
    }

    JsonNode delete(CkanEmulatorCall call) {
        String id = call.param("id", "");
        ObjectNode d = datasets.find(owners.get(id)).orElseThrow(CkanEmulatorAnswer::notFound);
        datasets.authorizeEdit(call, d, "edit");
        synchronized (datasets) {
            ObjectNode next = datasets.find(d.get("id").asText()).orElseThrow(CkanEmulatorAnswer::notFound).deepCopy();
            ArrayNode kept = JSON.createArrayNode();
            next.path("resources").forEach(r -> {
                if (!r.get("id").asText().equals(id)) {
                    kept.add(((ObjectNode) r.deepCopy()).put("position", kept.size()));
                }
            });
            next.set("resources", kept);
            next.put("metadata_modified", CkanEmulator.now());
            datasets.store(next);
            return JSON.nullNode();
        }
    }

    /** A new file (multipart part "upload") or clear_upload, as CKAN's ResourceUpload applies them. */
    private void receive(CkanEmulatorCall call, ObjectNode r, String now) {
        r.remove("upload");
        if (call.upload().isPresent()) {
            CkanEmulatorMultipart.FilePart file = call.upload().get();
            files.put(r.get("id").asText(), file.bytes());
            r.put("url", lastSegment(file.filename())).put("url_type", "upload").put("size", file.bytes().length)
                    .put("last_modified", now);
            String mimetype = mimetype(file.filename());
            if (mimetype == null) {
                r.putNull("mimetype");
            } else {
                r.put("mimetype", mimetype);
            }
        } else if (call.flag("clear_upload")) {
            // recorded at step 67: the file goes, size and mimetype stay, url_type becomes ""
            files.remove(r.get("id").asText());
            r.put("url_type", "");
        }
        r.remove("clear_upload");
    }

    static String mimetype(String filename) {
        String ext = filename.substring(filename.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
        return MIMETYPES.getOrDefault(ext, URLConnection.guessContentTypeFromName(filename));
    }

    private JsonNode save(ObjectNode next, ObjectNode r) {
        next.put("metadata_modified", CkanEmulator.now());
        datasets.store(next);
        return dictizeOne(next.get("id").asText(), r);
    }

    private static ObjectNode resource(ObjectNode d, String id) {
        return (ObjectNode) CkanEmulatorSearch.stream(d.path("resources"))
                .filter(r -> r.get("id").asText().equals(id)).findFirst()
                .orElseThrow(() -> CkanEmulatorAnswer.notFound("Not found: Resource was not found."));
    }

    // ---- the download route

    /** GET /dataset/{package}/resource/{resource}/download[/{filename}], answered as CKAN's web route does. */
    Download download(String packageIdOrName, String resourceId, Optional<String> filename, CkanEmulatorCall call) {
        ObjectNode d = datasets.find(packageIdOrName).orElseThrow(() -> CkanEmulatorAnswer.page(404, "Dataset not found"));
        if (!datasets.canRead(d, call)) {
            throw CkanEmulatorAnswer.page(403, "Unauthorized to read dataset");
        }
        ObjectNode r = CkanEmulatorSearch.stream(d.path("resources")).filter(x -> x.get("id").asText().equals(resourceId))
                .map(x -> (ObjectNode) x).findFirst()
                .orElseThrow(() -> CkanEmulatorAnswer.page(404, "Resource not found"));
        if (!isUpload(r)) {
            return new Download(302, Map.of("Location", r.path("url").asText()), new byte[0]);
        }
        byte[] bytes = files.get(resourceId);
        if (bytes == null) {
            throw CkanEmulatorAnswer.page(404, "Resource data not found");
        }
        String name = filename.orElse(lastSegment(r.path("url").asText("")));
        String lastModified = r.path("last_modified").asText("");
        return new Download(200, Map.of("Content-Type", r.path("mimetype").asText("application/octet-stream"),
                "Content-Disposition", "inline; filename=" + name,
                "Last-Modified", httpDate(lastModified)), bytes);
    }

    private static String httpDate(String timestamp) {
        LocalDateTime t = timestamp.isEmpty() ? LocalDateTime.now(ZoneOffset.UTC) : CkanEmulatorSearch.instant(timestamp);
        return DateTimeFormatter.RFC_1123_DATE_TIME.format(t.atOffset(ZoneOffset.UTC));
    }
}
