package io.caravan.silverstripe;

import io.caravan.testing.TestHome;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code fix-secureassets} on SecureAssetsMigrationHelperTest's folders and the .htaccess texts its cases write, and
 * {@code fix-folder-permissions} on FixFolderPermissionsHelperTest's, on a real MariaDB and PostgreSQL.
 */
class FolderFixesTest {

    /** The secureassets module's .htaccess: four lines, no newline at the end. */
    static final String MODULE_HTACCESS = String.join("\n", "RewriteEngine On", "RewriteBase /",
            "RewriteCond %{REQUEST_URI} ^(.*)$", "RewriteRule .* framework/main.php?url=%1 [QSA]");

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(SiteServers.Kind.class)
    void should_remove_only_the_modules_htaccess_from_restricted_folders(SiteServers.Kind kind) throws Exception {
        SiteFixture site = SiteFixture.create(kind, dir);
        ThumbnailMigrationTest.seedMigrated(site, Fixtures.yaml("SecureAssetsMigrationHelperTest.yml"));
        site.write("protected/.htaccess", MODULE_HTACCESS);
        site.write("parent-with-protected-sub/protected-sub/.htaccess", MODULE_HTACCESS);
        site.write("protected/protected-inherited/.htaccess", MODULE_HTACCESS);
        site.write("unprotected/.htaccess", "");
        site.write("protected-with-modified-htaccess/.htaccess", "modified");
        TestHome home = site.home(dir.resolve("home"), Map.of());
        RecordingListener.clear();

        assertThat(home.caravan("run", "silverstripe", "--only", "fix-secureassets")).isZero();

        assertThat(site.assets.resolve("protected/.htaccess")).doesNotExist();
        assertThat(site.assets.resolve("parent-with-protected-sub/protected-sub/.htaccess")).doesNotExist();
        assertThat(site.assets.resolve("protected/protected-inherited/.htaccess")).as("Inherit: not the module's")
                .exists();
        assertThat(site.assets.resolve("unprotected/.htaccess")).exists();
        assertThat(site.read("protected-with-modified-htaccess/.htaccess")).isEqualTo("modified");
        assertThat(RecordingListener.REPORTS.get("fix-secureassets").outcomes()).containsOnlyKeys(
                "removed protected/.htaccess", "removed parent-with-protected-sub/protected-sub/.htaccess",
                "kept: protected-with-modified-htaccess/.htaccess is not the secureassets module's");
        assertThat(site.rows("File").values()).filteredOn(r -> "protected".equals(r.get("Name")))
                .extracting(r -> r.get("CanViewType")).as("the restriction stays").containsExactly("LoggedInUsers");
    }

    @ParameterizedTest
    @EnumSource(SiteServers.Kind.class)
    void should_keep_an_htaccess_with_any_line_added(SiteServers.Kind kind) throws Exception {
        SiteFixture site = SiteFixture.create(kind, dir);
        ThumbnailMigrationTest.seedMigrated(site, Fixtures.yaml("SecureAssetsMigrationHelperTest.yml"));
        String[] lines = MODULE_HTACCESS.split("\n");
        Map<String, String> texts = Map.of(
                "first", "Other stuff\n" + MODULE_HTACCESS,
                "middle", String.join("\n", lines[0], lines[1], "Other stuff", lines[2], lines[3]),
                "last", MODULE_HTACCESS + "\n\nOther stuff",
                "newline", MODULE_HTACCESS + "\n");
        TestHome home = site.home(dir.resolve("home"), Map.of());
        for (var text : texts.entrySet()) {
            site.write("protected/.htaccess", text.getValue());
            assertThat(home.caravan("run", "silverstripe", "--only", "fix-secureassets",
                    "--set", "caravan.data-dir=data-" + text.getKey())).isZero();
            assertThat(site.read("protected/.htaccess")).as(text.getKey()).isEqualTo(text.getValue());
        }
    }

    @ParameterizedTest
    @EnumSource(SiteServers.Kind.class)
    void should_set_inherit_where_a_folder_has_no_view_type(SiteServers.Kind kind) throws Exception {
        SiteFixture site = SiteFixture.create(kind, dir);
        Map<String, Long> ids = ThumbnailMigrationTest.seedMigrated(site,
                Fixtures.yaml("FixFolderPermissionsHelperTest.yml"));
        site.execute("INSERT INTO " + site.db.q("File_Live") + " SELECT * FROM " + site.db.q("File"));
        TestHome home = site.home(dir.resolve("home"), Map.of());
        RecordingListener.clear();

        assertThat(home.caravan("run", "silverstripe", "--only", "fix-folder-permissions")).isZero();

        assertThat(RecordingListener.outcome("fix-folder-permissions", "set to Inherit")).as("2 updates")
                .isEqualTo(2);
        for (String table : new String[] {"File", "File_Live"}) {
            Map<Long, Map<String, String>> rows = site.rows(table);
            assertThat(rows.get(ids.get("parent")).get("CanViewType")).isEqualTo("Inherit");
            assertThat(rows.get(ids.get("subfolder")).get("CanViewType")).isEqualTo("Anyone");
            assertThat(rows.get(ids.get("anotherfolder")).get("CanViewType")).isEqualTo("Inherit");
        }
    }
}
