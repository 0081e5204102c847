package io.caravan.silverstripe;

import io.caravan.testing.TestHome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A generated SilverStripe 3 site (2,000 files in 10 folders, one protected; images with legacy thumbnails; names
 * that clean to the same name) migrated twice on PostgreSQL: once straight through, once by a child JVM killed with
 * SIGKILL at a random point of move-files and then run again. Both sites end the same, row for row and byte for byte.
 */
class KillAndResumeSiteTest {

    private static final int FILES = 2000;

    @TempDir
    Path dir;

    @Test
    void should_end_in_the_same_state_as_an_uninterrupted_run_after_a_kill() throws Exception {
        SiteFixture straight = SiteFixture.create(SiteServers.Kind.POSTGRES, dir.resolve("straight"));
        SiteFixture killed = SiteFixture.create(SiteServers.Kind.POSTGRES, dir.resolve("killed"));
        generate(straight);
        generate(killed);
        TestHome straightHome = straight.home(dir.resolve("straight-home"), Map.of());
        TestHome killedHome = killed.home(dir.resolve("killed-home"), Map.of());

        assertThat(straightHome.caravan("run", "silverstripe")).isZero();

        int threshold = FILES / 5 + new Random().nextInt(FILES / 2);
        Process child = killedHome.start(dir.resolve("child.log"), List.of(), "run", "silverstripe");
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (child.isAlive() && migrated(killed) < threshold && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(child.isAlive()).as("killed midway, after " + threshold + " rows (log: "
                + Files.readString(dir.resolve("child.log")) + ")").isTrue();
        child.destroyForcibly().waitFor();
        assertThat(migrated(killed)).as("the kill came before the end").isLessThan(FILES);

        assertThat(killedHome.caravan("run", "silverstripe")).isZero();

        assertThat(differences(killed.rows("File"), straight.rows("File"))).as("File rows").isEmpty();
        assertThat(differences(killed.rows("File_Live"), straight.rows("File_Live"))).as("File_Live rows").isEmpty();
        assertThat(differences(killed.tree(), straight.tree())).as("every file, by path and SHA-1").isEmpty();
        assertThat(killed.folders("_resampled")).isEmpty();
    }

    /** What differs between two maps, key by key: {@code key: this ≠ that}. */
    static <K, V> List<String> differences(Map<K, V> actual, Map<K, V> expected) {
        Set<K> keys = new TreeSet<>(actual.keySet());
        keys.addAll(expected.keySet());
        return keys.stream().filter(k -> !Objects.equals(actual.get(k), expected.get(k)))
                .map(k -> k + ": " + actual.get(k) + " ≠ " + expected.get(k)).limit(20).toList();
    }

    private static long migrated(SiteFixture site) throws Exception {
        try (Connection c = site.db.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM \"File\" WHERE \"FileFilename\" IS NOT NULL")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** The same site every time: folders F0..F9 (F7 restricted to logged-in users), files spread over them. */
    static void generate(SiteFixture site) throws Exception {
        site.inOneTransaction(() -> generateRows(site));
    }

    private static void generateRows(SiteFixture site) throws Exception {
        for (int f = 0; f < 10; f++) {
            site.insertFile(f + 1, "Folder", "F" + f, "assets/F" + f + "/", null, null, 0,
                    f == 7 ? "LoggedInUsers" : null);
        }
        byte[] jpeg = SiteFixture.jpeg(96, 72, 3);
        for (int i = 0; i < FILES; i++) {
            int folder = (i % 5 == 2 ? i - 1 : i) % 10;
            String name = switch (i % 5) {
                case 0 -> "photo-" + i + ".jpg";
                case 1 -> "clash__" + i / 10 + ".txt"; // clashes with the next case's name once cleaned
                case 2 -> "clash___" + (i - 1) / 10 + ".txt";
                default -> "doc-" + i + ".pdf";
            };
            String path = "F" + folder + "/" + name;
            site.insertFile(100 + i, name.endsWith(".jpg") ? "Image" : "File", name, "assets/" + path, null, null,
                    folder + 1, null);
            if (name.endsWith(".jpg")) {
                site.write(path, jpeg);
                site.write("F" + folder + "/_resampled/ResizedImageWzYwLDYwXQ-" + name, "thumb " + i);
            } else {
                site.write(path, "content " + i);
            }
        }
    }
}
