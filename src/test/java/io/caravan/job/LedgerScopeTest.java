package io.caravan.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.caravan.testing.S3ProxyServer;
import io.caravan.testing.TestHome;
import io.caravan.testing.Trees;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.stream.Stream;

import static io.caravan.testing.TestHome.merge;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The ledger remembers what went where: its rows belong to the job's source and target (a scope), so a job pointed at
 * another target copies everything there, and one pointed back finds its rows again.
 */
class LedgerScopeTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    S3ProxyServer s3;
    TestHome home;
    Path tree;
    SortedMap<String, String> expected;

    @BeforeEach
    void setUp() throws Exception {
        s3 = S3ProxyServer.onDisk(Files.createDirectories(dir.resolve("s3")));
        s3.createBucket("staging");
        s3.createBucket("production");
        tree = dir.resolve("tree");
        Trees.generate(tree, 200, 16);
        expected = Trees.ofFolder(tree);
        home = new TestHome(dir.resolve("home"));
        home.job("folder-to-s3", merge(Map.of("source.type", "folder", "source.root", tree.toString()),
                s3.settings("target", "staging")));
    }

    @AfterEach
    void tearDown() throws Exception {
        s3.close();
    }

    @Test
    void should_copy_everything_to_another_bucket_and_nothing_when_pointed_back() throws Exception {
        assertThat(home.caravan("run", "folder-to-s3")).isZero();
        assertThat(s3.writes("staging")).isEqualTo(200);

        assertThat(home.caravan("run", "folder-to-s3", "--set", "target.bucket=production")).isZero();
        assertThat(s3.writes("production")).isEqualTo(200);
        assertThat(planned(latestReport(), "new")).isEqualTo(200);
        try (S3Client client = s3.client()) {
            assertThat(Trees.ofBucket(client, "production")).isEqualTo(expected);
            assertThat(Trees.ofBucket(client, "staging")).isEqualTo(expected);
        }
        assertThat(home.run("verify", "folder-to-s3").out()).contains("200 match, 0 missing, 0 differ");
        assertThat(home.run("verify", "folder-to-s3", "--set", "target.bucket=production").out())
                .contains("200 match, 0 missing, 0 differ");

        s3.resetCounts();
        assertThat(home.caravan("run", "folder-to-s3")).isZero();
        assertThat(s3.writes("staging")).as("back to the first bucket: its rows are found again").isZero();
        assertThat(planned(latestReport(), "unchanged")).isEqualTo(200);

        // neither other credentials (refused by the server, so a copy would fail) nor other limits are a new scope
        assertThat(home.caravan("run", "folder-to-s3", "--set", "target.bucket=production",
                "--set", "target.s3.access-key=someone-else", "--set", "target.s3.secret-key=refused",
                "--set", "caravan.workers=3", "--set", "caravan.rate-limit=50")).isZero();
        assertThat(s3.writes("production")).isZero();
        assertThat(planned(latestReport(), "unchanged")).isEqualTo(200);
    }

    @Test
    void should_list_the_scopes_in_status_and_forget_one_only_with_yes() throws Exception {
        assertThat(home.caravan("run", "folder-to-s3")).isZero();
        assertThat(home.caravan("run", "folder-to-s3", "--set", "target.bucket=production")).isZero();

        String status = home.run("status", "folder-to-s3").out();
        assertThat(status).contains("folder-to-s3: 2 scopes")
                .contains("source folder:" + tree.toRealPath())
                .contains("target s3:" + s3.endpoint() + "/staging/")
                .contains("target s3:" + s3.endpoint() + "/production/");
        assertThat(status.split("200 done, 0 written unverified, 0 failed, 0 rejected, 0 pending repair; last run 20", -1)).hasSize(3);

        String shown = home.run("forget", "folder-to-s3", "--target", "/production/").out();
        assertThat(shown).contains("would forget").contains("/production/").doesNotContain("/staging/");
        s3.resetCounts();
        assertThat(home.caravan("run", "folder-to-s3", "--set", "target.bucket=production")).isZero();
        assertThat(s3.writes("production")).as("without --yes nothing was forgotten").isZero();

        assertThat(home.caravan("forget", "folder-to-s3", "--target", "/no-such-bucket/")).isEqualTo(2);
        assertThat(home.caravan("forget", "folder-to-s3", "--target", "s3:")).as("two scopes match").isEqualTo(2);

        assertThat(home.run("forget", "folder-to-s3", "--target", "/production/", "--yes").out())
                .contains("forgot scope").contains("200 ledger rows");
        assertThat(home.run("status", "folder-to-s3").out()).contains("folder-to-s3: 1 scope")
                .doesNotContain("/production/");
        assertThat(home.caravan("run", "folder-to-s3", "--set", "target.bucket=production")).isZero();
        assertThat(s3.writes("production")).as("a forgotten scope starts afresh").isEqualTo(200);
        s3.resetCounts();
        assertThat(home.caravan("run", "folder-to-s3")).isZero();
        assertThat(s3.writes("staging")).as("the other scope was left alone").isZero();
    }

    /**
     * A ledger written before scopes existed (the previous release's schema and rows, made here by Flyway at version
     * 1 and that release's columns) is migrated when opened, and its rows count as the target the job names then.
     */
    @Test
    void should_give_the_rows_of_a_ledger_from_before_scopes_the_scope_of_the_current_settings() throws Exception {
        assertThat(home.caravan("run", "folder-to-s3")).isZero();
        List<Object[]> rows = itemRows();
        assertThat(rows).hasSize(200);
        Path ledgerFile = home.data().resolve("ledger.mv.db");
        Files.delete(ledgerFile);
        String url = "jdbc:h2:file:" + home.data().resolve("ledger");
        Flyway.configure().dataSource(url, null, null).locations("classpath:db/ledger").target("1")
                .table("caravan_schema_history").load().migrate();
        try (Connection c = DriverManager.getConnection(url);
             PreparedStatement ps = c.prepareStatement("INSERT INTO caravan_item (job, item_key, fingerprint, status,"
                     + " target_key, checksum, bytes, attempts, last_error, updated_at)"
                     + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (Object[] row : rows) {
                for (int i = 0; i < row.length; i++) {
                    ps.setObject(i + 1, row[i]);
                }
                ps.addBatch();
            }
            ps.executeBatch();
        }

        s3.resetCounts();
        assertThat(home.caravan("run", "folder-to-s3")).isZero();
        assertThat(s3.writes("staging")).isZero();
        assertThat(planned(latestReport(), "unchanged")).isEqualTo(200);
        assertThat(home.run("status", "folder-to-s3").out()).contains("folder-to-s3: 1 scope")
                .contains("target s3:" + s3.endpoint() + "/staging/").contains("200 done");

        assertThat(home.caravan("run", "folder-to-s3", "--set", "target.bucket=production")).isZero();
        assertThat(s3.writes("production")).as("the old rows went to the first scope only").isEqualTo(200);
    }

    /** The ledger's rows as the previous release kept them: every column but the scope. */
    private List<Object[]> itemRows() throws Exception {
        List<Object[]> rows = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + home.data().resolve("ledger"));
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT job, item_key, fingerprint, status, target_key, checksum, bytes,"
                     + " attempts, last_error, updated_at FROM caravan_item")) {
            while (rs.next()) {
                Object[] row = new Object[10];
                for (int i = 0; i < row.length; i++) {
                    row[i] = rs.getObject(i + 1);
                }
                rows.add(row);
            }
        }
        return rows;
    }

    private JsonNode latestReport() throws Exception {
        try (Stream<Path> runs = Files.list(home.data().resolve("runs/folder-to-s3"))) {
            Path run = runs.filter(p -> !p.getFileName().toString().endsWith("-dry")).sorted()
                    .reduce((a, b) -> b).orElseThrow();
            return JSON.readTree(run.resolve("report.json").toFile());
        }
    }

    private static long planned(JsonNode report, String decision) {
        return report.path("plan").path(decision).path("items").asLong(-1);
    }
}
