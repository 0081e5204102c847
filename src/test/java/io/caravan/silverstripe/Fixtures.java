package io.caravan.silverstripe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.schema.CoreSchema;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** The SilverStripe fixtures in ../shared/fixtures/silverstripe, read where they are. */
final class Fixtures {

    static final Path DIR = Path.of("../shared/fixtures/silverstripe");

    private Fixtures() {
    }

    static JsonNode json(String name) throws IOException {
        return new ObjectMapper().readTree(DIR.resolve(name).toFile());
    }

    /** A fixture YAML: class → fixture key → fields, in file order; {@code NULL} and an empty value are null. */
    @SuppressWarnings("unchecked")
    static Map<String, Map<String, Map<String, Object>>> yaml(String name) throws IOException {
        try (Reader r = Files.newBufferedReader(DIR.resolve(name), StandardCharsets.UTF_8)) {
            Object loaded = new Load(LoadSettings.builder().setSchema(new CoreSchema()).build()).loadFromReader(r);
            Map<String, Map<String, Map<String, Object>>> out = new LinkedHashMap<>();
            ((Map<String, Object>) loaded).forEach((cls, rows) -> {
                Map<String, Map<String, Object>> byKey = new LinkedHashMap<>();
                ((Map<String, Object>) rows).forEach((key, fields) -> byKey.put(key,
                        fields == null ? new LinkedHashMap<>() : (Map<String, Object>) fields));
                out.put(cls, byKey);
            });
            return out;
        }
    }

    /** The fixture key a {@code =>Class.key} reference names, or null. */
    static String reference(Map<String, Object> fields) {
        Object ref = fields.getOrDefault("Parent", fields.get("ParentID"));
        if (ref == null) {
            return null;
        }
        String s = ref.toString();
        return s.substring(s.lastIndexOf('.') + 1);
    }
}
