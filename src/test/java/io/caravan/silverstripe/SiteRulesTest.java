package io.caravan.silverstripe;

import io.caravan.report.RunReport;
import io.caravan.target.Sha1;
import io.caravan.testing.Rejects;
import io.caravan.testing.TestHome;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the upstream fixtures do not cover, on a real MariaDB and PostgreSQL: protected files go to hash paths in the
 * protected store (their thumbnails with them), a dry run changes nothing, verify reads every file back,
 * normalise-access follows a lifted restriction, and the delete_invalid_files and keep_archived_assets settings.
 */
class SiteRulesTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(SiteServers.Kind.class)
    void should_put_protected_files_in_the_protected_store_and_follow_a_lifted_restriction(SiteServers.Kind kind)
            throws Exception {
        SiteFixture site = SiteFixture.create(kind, dir);
        site.insertFile(1, "Folder", "Private", "assets/Private/", null, null, 0, "LoggedInUsers");
        site.insertFile(2, "Folder", "Sub", "assets/Private/Sub/", null, null, 1, "Inherit");
        site.insertFile(3, "Folder", "Public", "assets/Public/", null, null, 0, null);
        byte[] jpeg = SiteFixture.jpeg(500, 400, 4);
        site.insertFile(10, "Image", "secret.jpg", "assets/Private/secret.jpg", null, null, 1, null);
        site.write("Private/secret.jpg", jpeg);
        site.write("Private/_resampled/ResizedImageWzYwLDYwXQ-secret.jpg", "thumbnail of secret");
        site.insertFile(11, "File", "nested.txt", "assets/Private/Sub/nested.txt", null, null, 2, null);
        site.write("Private/Sub/nested.txt", "nested");
        site.insertFile(12, "File", "open.txt", "assets/Public/open.txt", null, null, 3, null);
        site.write("Public/open.txt", "open");
        site.insertFile(13, "File", "tool.exe", "assets/Public/tool.exe", null, null, 3, null);
        site.write("Public/tool.exe", "MZ");
        TestHome home = site.home(dir.resolve("home"), Map.of("site.delete-invalid-files", "false"));
        Map<String, String> before = site.tree();
        Map<Long, Map<String, String>> rowsBefore = site.rows("File");

        RecordingListener.clear();
        assertThat(home.caravan("run", "silverstripe", "--dry-run")).as("tool.exe will be rejected").isEqualTo(3);
        assertThat(RecordingListener.REPORTS.get("move-files").plan().get("new").items()).isEqualTo(3);
        assertThat(RecordingListener.REPORTS.get("move-files").plan().get("rejected").items()).isEqualTo(1);
        assertThat(site.tree()).as("a dry run moves nothing").isEqualTo(before);
        assertThat(site.rows("File")).as("nor changes a row").isEqualTo(rowsBefore);

        assertThat(home.caravan("run", "silverstripe")).as("tool.exe is rejected").isEqualTo(3);

        String h10 = Sha1.hex(jpeg).substring(0, 10);
        assertThat(site.rows("File").get(10L).get("FileHash")).as("the content's SHA-1").isEqualTo(Sha1.hex(jpeg));
        assertThat(site.rows("File").get(10L).get("FileFilename")).isEqualTo("Private/secret.jpg");
        assertThat(Files.readAllBytes(site.assets.resolve(".protected/Private/" + h10 + "/secret.jpg")))
                .isEqualTo(jpeg);
        assertThat(site.read(".protected/Private/" + h10 + "/secret__ResizedImageWzYwLDYwXQ.jpg"))
                .isEqualTo("thumbnail of secret");
        assertThat(site.assets.resolve(".protected/Private/" + h10 + "/secret__FitMaxWzM1MiwyNjRd.jpg")).exists();
        assertThat(site.assets.resolve("Private/secret.jpg")).as("not left public").doesNotExist();
        String nestedHash = site.rows("File").get(11L).get("FileHash");
        assertThat(site.read(".protected/Private/Sub/" + nestedHash.substring(0, 10) + "/nested.txt"))
                .as("inherited restriction").isEqualTo("nested");
        assertThat(site.read("Public/open.txt")).isEqualTo("open");
        assertThat(site.rows("File").get(13L).get("FileFilename")).as("kept, not deleted").isNull();
        assertThat(Rejects.ofLatestRun(home.data(), "silverstripe-move-files").get("File/13").get("reason").asText())
                .contains("tool.exe").contains("site.delete-invalid-files = false");

        site.execute("DELETE FROM " + site.db.q("File") + " WHERE " + site.db.q("ID") + " = 13");
        assertThat(home.caravan("verify", "silverstripe")).as("every file where its row says, SHA-1 equal").isZero();
        Path secret = site.assets.resolve(".protected/Private/" + h10 + "/secret.jpg");
        byte[] flipped = jpeg.clone();
        flipped[flipped.length / 2] ^= 1;
        Files.write(secret, flipped);
        assertThat(home.caravan("verify", "silverstripe")).as("a flipped bit is found").isEqualTo(3);
        Files.write(secret, jpeg);

        site.execute("UPDATE " + site.db.q("File") + " SET " + site.db.q("CanViewType") + " = 'Anyone' WHERE "
                + site.db.q("ID") + " = 1");
        RecordingListener.clear();
        assertThat(home.caravan("run", "silverstripe", "--only", "normalise-access")).isZero();
        assertThat(RecordingListener.outcome("normalise-access", "moved to the public store")).isEqualTo(2);
        assertThat(Files.readAllBytes(site.assets.resolve("Private/secret.jpg"))).isEqualTo(jpeg);
        assertThat(site.read("Private/secret__ResizedImageWzYwLDYwXQ.jpg")).isEqualTo("thumbnail of secret");
        assertThat(site.read("Private/Sub/nested.txt")).isEqualTo("nested");
        assertThat(site.tree().keySet()).as("nothing left in the protected store")
                .noneMatch(p -> p.startsWith(".protected"));
        assertThat(home.caravan("verify", "silverstripe")).isZero();
    }

    @ParameterizedTest
    @EnumSource(SiteServers.Kind.class)
    void should_keep_the_ss3_path_of_a_moved_file_with_keep_archived_assets(SiteServers.Kind kind) throws Exception {
        SiteFixture site = SiteFixture.create(kind, dir);
        site.insertFile(10, "File", "old__name.txt", "assets/old__name.txt", null, null, 0, null);
        site.write("old__name.txt", "kept twice");
        TestHome home = site.home(dir.resolve("home"), Map.of("site.keep-archived-assets", "true"));

        assertThat(home.caravan("run", "silverstripe")).isZero();

        assertThat(site.rows("File").get(10L).get("FileFilename")).isEqualTo("old_name.txt");
        assertThat(site.read("old_name.txt")).isEqualTo("kept twice");
        assertThat(site.read("old__name.txt")).as("the archived SS3 path").isEqualTo("kept twice");
        assertThat(RecordingListener.REPORTS.get("move-files").exitCode()).isEqualTo(RunReport.EXIT_OK);
    }
}
