package io.caravan.job;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Every source and target type is a plugin: found through ServiceLoader, and the engine names none of them. */
class EdgeTypesTest {

    private static final List<String> PACKS = List.of("ckan", "ckanfiles", "seafile", "silverstripe", "sql", "s3");

    @TempDir
    Path dir;

    @Test
    void should_register_every_shipped_type() {
        assertThat(EdgeTypes.all().keySet()).containsExactlyInAnyOrder("folder", "s3", "camel", "seafile", "sql", "ckan",
                "ckan-jsonl", "ckan-storage", "silverstripe");
    }

    @Test
    void should_name_the_registered_types_when_a_job_names_an_unknown_one() {
        assertThatThrownBy(() -> EdgeTypes.named("source", "gopher")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("source.type 'gopher'")
                .hasMessageContaining("folder, s3, seafile, silverstripe, sql");
    }

    @Test
    void should_say_which_side_a_one_sided_type_cannot_be() {
        assertThatThrownBy(() -> EdgeTypes.named("target", "ckan-storage").target("ckan-storage", null))
                .isInstanceOf(ConfigException.class).hasMessage("target.type 'ckan-storage' is a source only");
    }

    /** A pack taken out whose line stays in a services file costs only its own types. */
    @Test
    void should_skip_a_registered_type_whose_class_is_gone() throws IOException {
        Path services = Files.createDirectories(dir.resolve("META-INF/services"));
        Files.writeString(services.resolve(EdgeType.class.getName()), "io.caravan.gone.GoneEdgeType\n");
        try (URLClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()},
                EdgeTypes.class.getClassLoader())) {
            Map<String, EdgeType> types = EdgeTypes.load(loader);
            assertThat(types).containsKeys("folder", "s3", "ckan").hasSize(EdgeTypes.all().size());
        }
    }

    /** The engine's packages import no pack: each pack is reached only through its registered edge types. */
    @Test
    void should_import_no_pack_from_the_engine() throws IOException {
        for (String engine : List.of("job", "pipeline", "ledger", "plan", "transfer", "report", "verify", "item")) {
            try (Stream<Path> files = Files.walk(Path.of("src/main/java/io/caravan", engine))) {
                for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                    String text = Files.readString(file);
                    for (String pack : PACKS) {
                        assertThat(text).as(file + " imports the " + pack + " pack")
                                .doesNotContain("import io.caravan." + pack + ".");
                    }
                }
            }
        }
    }
}
