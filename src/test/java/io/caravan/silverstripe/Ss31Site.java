package io.caravan.silverstripe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The SilverStripe 3.1 site of issue 18 ({@code src/test/resources/silverstripe/ss31-site.json}) seeded into a
 * {@link SiteFixture}: its folders and File rows, their files, its legacy thumbnails, and a page (draft and Live)
 * whose content is every link of the fixture, one paragraph each.
 */
final class Ss31Site {

    static final String PAGE_COLUMNS = "SiteTree.Content, SiteTree_Live.Content";

    final SiteFixture site;
    final JsonNode fixture;
    private final Map<String, JsonNode> filesByKey = new HashMap<>();
    private final Map<String, byte[]> contents = new HashMap<>();

    private Ss31Site(SiteFixture site, JsonNode fixture) {
        this.site = site;
        this.fixture = fixture;
    }

    static Ss31Site seed(SiteFixture site) throws Exception {
        Ss31Site s = new Ss31Site(site, load());
        s.seedRows();
        s.seedPage();
        return s;
    }

    static JsonNode load() throws IOException {
        try (InputStream in = Ss31Site.class.getResourceAsStream("/silverstripe/ss31-site.json")) {
            return new ObjectMapper().readTree(in);
        }
    }

    private void seedRows() throws Exception {
        Map<Long, String> folderPaths = new HashMap<>(Map.of(0L, ""));
        for (JsonNode f : fixture.get("folders")) {
            String path = prefix(folderPaths.get(f.get("parent").asLong())) + f.get("name").asText();
            folderPaths.put(f.get("id").asLong(), path);
            site.insertFile(f.get("id").asLong(), "Folder", f.get("name").asText(), "assets/" + path + "/", null, null,
                    f.get("parent").asLong(), null);
        }
        for (JsonNode f : fixture.get("files")) {
            String path = prefix(folderPaths.get(f.get("parent").asLong())) + f.get("name").asText();
            filesByKey.put(f.get("key").asText(), f);
            site.insertFile(f.get("id").asLong(), f.get("class").asText(), f.get("name").asText(), "assets/" + path,
                    null, null, f.get("parent").asLong(), null);
            byte[] content = f.has("jpeg") ? SiteFixture.jpeg(f.get("jpeg").get(0).asInt(),
                    f.get("jpeg").get(1).asInt(), f.get("jpeg").get(2).asInt())
                    : f.has("text") ? f.get("text").asText().getBytes(StandardCharsets.UTF_8) : null;
            if (content != null) {
                contents.put(f.get("key").asText(), content);
            }
            if (!f.path("absent").asBoolean()) {
                site.write(path, content);
            }
        }
        for (JsonNode t : fixture.get("thumbnails")) {
            site.write(t.get("path").asText(), "thumbnail " + t.get("path").asText());
        }
    }

    private void seedPage() throws Exception {
        String text = site.db.kind() == SiteServers.Kind.MARIADB ? "MEDIUMTEXT" : "TEXT";
        for (String table : List.of("SiteTree", "SiteTree_Live")) {
            site.execute("CREATE TABLE " + site.db.q(table) + " (" + site.db.q("ID") + " INT PRIMARY KEY, "
                    + site.db.q("Content") + " " + text + ")");
            site.insert(table, "ID, Content", fixture.get("page").get("id").asInt(), pageContent());
        }
    }

    String pageContent() {
        StringBuilder html = new StringBuilder();
        for (JsonNode link : fixture.get("links")) {
            html.append("<p>").append(link.get("html").asText()).append("</p>\n");
        }
        return html.toString();
    }

    JsonNode file(String key) {
        return filesByKey.get(key);
    }

    long id(String key) {
        return file(key).get("id").asLong();
    }

    /** The bytes seeded for a file, whether or not they were written to disk; null for an absent text-less one. */
    byte[] content(String key) {
        return contents.get(key);
    }

    /** The fixture's files that the run must reject, and those it must migrate. */
    List<JsonNode> rejectedFiles() {
        List<JsonNode> rejected = new ArrayList<>();
        fixture.get("files").forEach(f -> {
            if (f.has("rejected")) {
                rejected.add(f);
            }
        });
        return rejected;
    }

    List<JsonNode> migratedFiles() {
        List<JsonNode> migrated = new ArrayList<>();
        fixture.get("files").forEach(f -> {
            if (!f.has("rejected")) {
                migrated.add(f);
            }
        });
        return migrated;
    }

    private static String prefix(String folder) {
        return folder.isEmpty() ? "" : folder + "/";
    }
}
