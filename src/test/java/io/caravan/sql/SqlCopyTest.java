package io.caravan.sql;

import io.caravan.testing.LoopbackPostgres;
import io.caravan.testing.Rejects;
import io.caravan.testing.PgDump;
import io.caravan.testing.TestHome;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

import javax.sql.DataSource;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** CKAN 2.10's real schema and rows, scaled up, copied between two real PostgreSQL servers. */
class SqlCopyTest {

    static final Path CKAN_DUMP = Path.of("../shared/fixtures/ckan/real-ckan-2.10/ckan_2.10_schema_and_data.sql");
    static final int EXTRA_USERS = 20_000;
    static final int EXTRA_PACKAGES = 30_000;

    static EmbeddedPostgres source;

    @TempDir
    Path dir;

    @BeforeAll
    static void loadCkan() throws Exception {
        source = LoopbackPostgres.builder().start();
        DataSource db = source.getPostgresDatabase();
        PgDump.load(db, CKAN_DUMP);
        // scaled up: generated users (a few sysadmins) and datasets created by some of them
        exec(db, "INSERT INTO public.\"user\" (id, name, created, sysadmin, state, email)"
                + " SELECT md5('u' || g), 'user-' || g, now(), g % 5000 = 0, 'active', 'user' || g || '@example.org'"
                + " FROM generate_series(1, " + EXTRA_USERS + ") g");
        exec(db, "INSERT INTO public.package (id, name, title, state, type, private, creator_user_id, metadata_created,"
                + " metadata_modified) SELECT md5('p' || g), 'dataset-' || g, 'Dataset ' || g, 'active', 'dataset',"
                + " false, md5('u' || (g % 2000 + 1)), now(), now() FROM generate_series(1, " + EXTRA_PACKAGES + ") g");
    }

    @AfterAll
    static void stop() throws Exception {
        source.close();
    }

    @Test
    void should_copy_ckan_run_the_post_copy_script_and_verify_equal_where_the_script_did_not_touch()
            throws Exception {
        try (EmbeddedPostgres target = LoopbackPostgres.builder().start()) {
            Path script = Files.writeString(dir.resolve("after.sql"), """
                    -- demote every sysadmin but one
                    UPDATE public."user" SET sysadmin = false
                     WHERE sysadmin AND id <> (SELECT min(id) FROM public."user" WHERE sysadmin);
                    -- delete users who publish nothing
                    DELETE FROM public."user" u WHERE NOT u.sysadmin
                       AND NOT EXISTS (SELECT 1 FROM public.package p WHERE p.creator_user_id = u.id);
                    """);
            TestHome home = job(target, Map.of("target.after-scripts", script.toString()));

            assertThat(home.caravan("run", "sql")).isZero();

            DataSource copy = target.getPostgresDatabase();
            assertThat(count(copy, "SELECT count(*) FROM public.\"user\" WHERE sysadmin")).isEqualTo(1);
            long kept = count(source.getPostgresDatabase(), "SELECT count(*) FROM public.\"user\" u"
                    + " WHERE u.id = (SELECT min(id) FROM public.\"user\" WHERE sysadmin)"
                    + " OR EXISTS (SELECT 1 FROM public.package p WHERE p.creator_user_id = u.id)");
            assertThat(kept).isGreaterThan(2000);
            assertThat(count(copy, "SELECT count(*) FROM public.\"user\"")).as("the one sysadmin and the publishers")
                    .isEqualTo(kept);
            assertThat(count(copy, "SELECT count(*) FROM public.package")).isEqualTo(
                    count(source.getPostgresDatabase(), "SELECT count(*) FROM public.package"));
            String report = Files.readString(Rejects.latestRun(home.data(), "sql").resolve("report.txt"));
            assertThat(report).contains("after-script after.sql: committed").contains("created table public.package");

            Map<String, String> verify = verify(home);
            assertThat(verify).containsEntry("user", "*");
            verify.remove("user");
            assertThat(verify).as("the 36 other tables of CKAN 2.10").hasSize(36).allSatisfy((table, mark) -> assertThat(mark).as(table).isEqualTo("="));
        }
    }

    @Test
    void should_leave_every_row_once_after_a_killed_copy_is_run_again() throws Exception {
        try (EmbeddedPostgres target = LoopbackPostgres.builder().start()) {
            // by key ranges, which resume chunk by chunk (a first copy by pages starts again: SqlPageCopyTest)
            TestHome home = job(target, Map.of("source.tables", "package,user", "source.chunk-rows", "500",
                    "caravan.rate-limit", "8", "caravan.workers", "4", "source.copy-by-pages", "false"));
            DataSource copy = target.getPostgresDatabase();
            killMidCopy(home, copy);

            // run again, same home and ledger: the chunks recorded before the kill are skipped
            assertThat(home.caravan("run", "sql", "--set", "caravan.rate-limit=0")).isZero();
            String resumed = Files.readString(Rejects.latestRun(home.data(), "sql").resolve("report.txt"));
            assertThat(resumed).as("the recorded chunks are not copied again").doesNotContainPattern("(?m)^  unchanged +0 ");
            assertThat(verify(home)).containsEntry("package", "=").containsEntry("user", "=");

            // the final pass: a row changed at the source; only its chunk is copied again
            exec(source.getPostgresDatabase(), "UPDATE public.package SET title = 'Renamed' WHERE name = 'dataset-777'");
            assertThat(home.caravan("run", "sql", "--set", "caravan.rate-limit=0")).isZero();
            String report = Files.readString(Rejects.latestRun(home.data(), "sql").resolve("report.txt"));
            assertThat(report).containsPattern("changed +1 ").containsPattern("done +1 ");
            assertThat(count(copy, "SELECT count(*) FROM public.package WHERE title = 'Renamed'")).isEqualTo(1);
            assertThat(verify(home)).containsEntry("package", "=");

            // a chunk committed at the target but never recorded (a kill between the two) is copied again whole:
            // with an empty ledger every chunk is, over a target that holds every row already
            TestHome again = job(target, Map.of("source.tables", "package,user", "source.chunk-rows", "500"));
            assertThat(again.caravan("run", "sql")).isZero();
            assertThat(verify(again)).containsEntry("package", "=").containsEntry("user", "=");
        }
    }

    @Test
    void should_copy_again_only_the_chunks_where_rows_were_inserted_or_deleted_in_the_middle() throws Exception {
        DataSource db = source.getPostgresDatabase();
        try (EmbeddedPostgres target = LoopbackPostgres.builder().start()) {
            addPackages(db, "doomed", 2);
            TestHome home = job(target, Map.of("source.tables", "package", "source.chunk-rows", "500"));
            assertThat(home.caravan("run", "sql")).isZero();
            long chunks = reported(home, "done");
            assertThat(chunks).as("the table in chunks of 500 rows").isGreaterThan(50);

            // the final pass of a cutover: datasets created and deleted meanwhile, their md5 keys all over the table;
            // analysed, the table says its key is in no order of its pages, so it is listed in one sorted read
            exec(db, "DELETE FROM public.package WHERE name LIKE 'doomed-%'");
            addPackages(db, "late", 3);
            exec(db, "ANALYZE public.package");
            TestHome.Ran rerun = home.run("run", "sql");
            assertThat(rerun.exit()).as(rerun.output()).isZero();
            assertThat(rerun.output()).contains("listing \"public\".\"package\" in one sorted read");

            assertThat(reported(home, "done")).as("one chunk for each row inserted or deleted, not all after it")
                    .isBetween(1L, 5L);
            assertThat(reported(home, "unchanged")).isGreaterThanOrEqualTo(chunks - 5);
            DataSource copy = target.getPostgresDatabase();
            assertThat(count(copy, "SELECT count(*) FROM public.package WHERE name LIKE 'late-%'")).isEqualTo(3);
            assertThat(count(copy, "SELECT count(*) FROM public.package WHERE name LIKE 'doomed-%'")).isZero();
            assertThat(verify(home)).containsEntry("package", "=");

            // smaller chunks asked for: the recorded ones are cut where they hold twice as many rows, then kept
            assertThat(home.caravan("run", "sql", "--set", "source.chunk-rows=100")).isZero();
            assertThat(reported(home, "done")).as("chunks of 500 rows cut into 200, 200 and 100").isGreaterThan(150);
            assertThat(home.caravan("run", "sql", "--set", "source.chunk-rows=100")).isZero();
            assertThat(reported(home, "done")).isZero();
            assertThat(verify(home)).containsEntry("package", "=");
        } finally {
            exec(db, "DELETE FROM public.package WHERE name LIKE 'doomed-%' OR name LIKE 'late-%'");
        }
    }

    /**
     * @param scattered the rows written in random order and the table analysed: its key's order is not its pages',
     *                  so each rerun lists it in one sorted read, whose chunks must be those of the ranges' reads
     */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void should_empty_a_chunk_whose_rows_are_gone_cut_a_grown_end_and_merge_the_emptied_chunk_once(boolean scattered)
            throws Exception {
        withOwnTable("ranged", "id int PRIMARY KEY, note text", "SELECT g, 'row ' || g FROM generate_series(1, 3000) g"
                + (scattered ? " ORDER BY random()" : ""), 500, (db, copy, home) -> {
            assertThat(reported(home, "done")).isEqualTo(6);

            // a chunk's rows all deleted, and 600 rows added past the end
            exec(db, "DELETE FROM public.ranged WHERE id BETWEEN 1001 AND 1500;"
                    + " INSERT INTO public.ranged SELECT g, 'new ' || g FROM generate_series(3001, 3600) g");
            if (scattered) {
                exec(db, "ANALYZE public.ranged");
            }
            TestHome.Ran rerun = home.run("run", "sql");
            assertThat(rerun.exit()).as(rerun.output()).isZero();
            assertThat(rerun.output().contains("listing \"public\".\"ranged\" in one sorted read"))
                    .as(rerun.output()).isEqualTo(scattered);
            assertThat(reported(home, "listed")).as("the emptied chunk listed, the end cut in 500, 500 and 100")
                    .isEqualTo(8);
            assertThat(reported(home, "done")).as("the emptied chunk and the three at the end").isEqualTo(4);
            assertThat(count(copy, "SELECT count(*) FROM public.ranged WHERE id BETWEEN 1001 AND 1500")).isZero();
            assertThat(count(copy, "SELECT count(*) FROM public.ranged")).isEqualTo(3100);
            assertThat(verify(home)).containsEntry("ranged", "=");

            // the emptied chunk is merged into the one before it, copied once so, then left alone
            assertThat(home.caravan("run", "sql")).isZero();
            assertThat(reported(home, "listed")).isEqualTo(7);
            assertThat(reported(home, "done")).isEqualTo(1);
            assertThat(home.caravan("run", "sql")).isZero();
            assertThat(reported(home, "done")).isZero();
            assertThat(verify(home)).containsEntry("ranged", "=");
        });
    }

    @Test
    void should_keep_each_recorded_chunk_within_twice_a_smaller_chunk_size_the_one_at_the_end_too() throws Exception {
        // chunks of 400 (a sample of 500 keys a chunk reads them all: exact cuts), then 300 asked for: a chunk cut
        // from a sample may hold more rows than asked, and the one at the table's end was copied again so
        withOwnTable("kept", "id int PRIMARY KEY, note text", "SELECT g, 'row ' || g FROM generate_series(1, 2000) g",
                400, (db, copy, home) -> {
            assertThat(reported(home, "done")).isEqualTo(5);
            assertThat(home.caravan("run", "sql", "--set", "source.chunk-rows=300")).isZero();
            assertThat(reported(home, "listed")).isEqualTo(5);
            assertThat(reported(home, "done")).isZero();

            // the end grown past twice the chunk size is cut: at the rows it held, then every 300
            exec(db, "INSERT INTO public.kept SELECT g, 'new ' || g FROM generate_series(2001, 2300) g");
            assertThat(home.caravan("run", "sql", "--set", "source.chunk-rows=300")).isZero();
            assertThat(reported(home, "listed")).as("the end's 700 rows cut in 400 and 300").isEqualTo(6);
            assertThat(reported(home, "done")).isEqualTo(2);
            assertThat(verify(home)).containsEntry("kept", "=");
        });
    }

    @Test
    void should_copy_a_changed_chunk_again_in_the_key_columns_own_collation_and_lose_no_row() throws Exception {
        // ICU's order puts 'a' before 'B', the database's C.UTF-8 puts 'B' before 'a': the two interleave the keys
        withOwnTable("collated", "code text COLLATE \"und-x-icu\" PRIMARY KEY, note text",
                "SELECT CASE WHEN g % 2 = 0 THEN upper(chr(97 + g % 26)) ELSE chr(97 + g % 26) END || g, 'row ' || g"
                        + " FROM generate_series(1, 2000) g", 300, (db, copy, home) -> {
            exec(db, "UPDATE public.collated SET note = 'changed' WHERE code = (SELECT code FROM public.collated"
                    + " ORDER BY code OFFSET 1000 LIMIT 1)");
            assertThat(home.caravan("run", "sql")).isZero();
            assertThat(reported(home, "done")).isEqualTo(1);
            assertThat(count(copy, "SELECT count(*) FROM public.collated")).as("the chunk's range emptied in the"
                    + " source's order, not the target database's").isEqualTo(2000);
            assertThat(verify(home)).containsEntry("collated", "=");
        });
    }

    @Test
    void should_refuse_a_key_collation_whose_library_versions_differ_and_name_the_setting_that_allows_it()
            throws Exception {
        DataSource db = source.getPostgresDatabase();
        exec(db, "CREATE COLLATION public.keys (provider = icu, locale = 'und')");
        exec(db, "CREATE TABLE public.versioned (code text COLLATE public.keys PRIMARY KEY, note text)");
        exec(db, "INSERT INTO public.versioned SELECT 'k' || g, 'row ' || g FROM generate_series(1, 100) g");
        try (EmbeddedPostgres target = LoopbackPostgres.builder().start()) {
            DataSource copy = target.getPostgresDatabase();
            // the same collation from another library, as on a server with another glibc or ICU
            exec(copy, "CREATE COLLATION public.keys (provider = builtin, locale = 'C.UTF-8')");
            TestHome home = job(target, Map.of("source.tables", "versioned"));
            TestHome.Ran refused = home.run("run", "sql");
            assertThat(refused.exit()).as(refused.output()).isEqualTo(2);
            assertThat(refused.output()).contains("the primary keys of versioned sort by collation public.keys")
                    .contains("target.check-collation-versions = false");
            assertThat(count(copy, "SELECT count(*) FROM pg_tables WHERE tablename = 'versioned'")).isZero();

            TestHome.Ran allowed = home.run("run", "sql", "--set", "target.check-collation-versions=false");
            assertThat(allowed.exit()).as(allowed.output()).isZero();
            assertThat(verify(home)).containsEntry("versioned", "=");
        } finally {
            exec(db, "DROP TABLE public.versioned; DROP COLLATION public.keys");
        }
    }

    @Test
    void should_cut_a_table_anew_when_its_primary_key_or_its_type_changed_since_the_chunks_were_recorded() throws Exception {
        withOwnTable("rekeyed", "a int, b int, note text, PRIMARY KEY (a)",
                "SELECT g, g % 7, 'row ' || g FROM generate_series(1, 2000) g", 300, (db, copy, home) -> {
            exec(db, "ALTER TABLE public.rekeyed DROP CONSTRAINT rekeyed_pkey, ADD PRIMARY KEY (a, b);"
                    + " INSERT INTO public.rekeyed VALUES (2001, 1, 'new')");
            assertThat(home.caravan("run", "sql")).as("chunks recorded under (a) do not bound a listing by (a, b)")
                    .isZero();
            assertThat(count(copy, "SELECT count(*) FROM public.rekeyed")).isEqualTo(2001);
            assertThat(verify(home)).containsEntry("rekeyed", "=");

            // the key's type changed: as text, '1200' sorts before '300', and the recorded ranges would overlap
            exec(db, "ALTER TABLE public.rekeyed ALTER COLUMN a TYPE text");
            exec(copy, "ALTER TABLE public.rekeyed ALTER COLUMN a TYPE text");
            assertThat(home.caravan("run", "sql")).isZero();
            assertThat(reported(home, "listed")).as("2,001 rows cut anew in chunks of 300, none listed twice")
                    .isEqualTo(7);
            assertThat(count(copy, "SELECT count(*) FROM public.rekeyed")).as("each row once").isEqualTo(2001);
            assertThat(verify(home)).containsEntry("rekeyed", "=");
        });
    }

    @Test
    void should_cut_a_first_copy_from_a_sample_and_record_what_it_copied_so_that_the_next_run_finds_it_unchanged()
            throws Exception {
        DataSource db = source.getPostgresDatabase();
        exec(db, "CREATE TABLE public.sampled (id bigint PRIMARY KEY, note text)");
        exec(db, "CREATE TABLE public.sampled_text (id bigint PRIMARY KEY, note text)");
        try (EmbeddedPostgres target = LoopbackPostgres.builder().start()) {
            for (String table : List.of("sampled", "sampled_text")) {
                exec(db, "INSERT INTO public." + table + " SELECT g, 'row ' || g FROM generate_series(1, 20000) g");
            }
            // chunks of 2,000 rows: a quarter of each table's pages sampled; the transform sends rows as text
            TestHome home = job(target, Map.of("source.tables", "sampled,sampled_text", "source.chunk-rows", "2000",
                    "transform.sampled_text.note", "upper(t.note)"));
            assertThat(home.caravan("run", "sql")).isZero();
            long chunks = reported(home, "listed");
            assertThat(chunks).as("about 10 chunks a table").isBetween(10L, 40L);
            assertThat(reported(home, "done")).isEqualTo(chunks);
            DataSource copy = target.getPostgresDatabase();
            assertThat(verify(home)).containsEntry("sampled", "=");
            assertThat(count(copy, "SELECT count(*) FROM public.sampled_text WHERE note LIKE 'ROW %'")).isEqualTo(20000);

            // recorded with the digests of the rows copied: the listing of the same ranges finds them unchanged
            assertThat(home.caravan("run", "sql")).isZero();
            assertThat(reported(home, "done")).isZero();
            assertThat(reported(home, "unchanged")).isEqualTo(chunks);

            exec(db, "UPDATE public.sampled SET note = 'changed' WHERE id = 12345;"
                    + " UPDATE public.sampled_text SET note = 'changed' WHERE id = 777");
            assertThat(home.caravan("run", "sql")).isZero();
            assertThat(reported(home, "done")).as("the two chunks with a changed row").isEqualTo(2);
            assertThat(count(copy, "SELECT count(*) FROM public.sampled_text WHERE note = 'CHANGED'")).isEqualTo(1);
            assertThat(verify(home)).containsEntry("sampled", "=");
        } finally {
            exec(db, "DROP TABLE public.sampled, public.sampled_text");
        }
    }

    private interface OwnTableTest {
        void run(DataSource source, DataSource target, TestHome home) throws Exception;
    }

    /**
     * A table of the test's own at the source (public.NAME, with COLUMNS and the rows of SELECT ROWS), copied once
     * in chunks of {@code chunkRows} into a fresh target before the test goes on; dropped afterwards.
     */
    private void withOwnTable(String name, String columns, String rows, int chunkRows, OwnTableTest test)
            throws Exception {
        DataSource db = source.getPostgresDatabase();
        exec(db, "CREATE TABLE public." + name + " (" + columns + ")");
        try (EmbeddedPostgres target = LoopbackPostgres.builder().start()) {
            exec(db, "INSERT INTO public." + name + " " + rows);
            TestHome home = job(target, Map.of("source.tables", name, "source.chunk-rows", String.valueOf(chunkRows)));
            assertThat(home.caravan("run", "sql")).isZero();
            test.run(db, target.getPostgresDatabase(), home);
        } finally {
            exec(db, "DROP TABLE public." + name);
        }
    }

    private static void addPackages(DataSource db, String prefix, int count) throws Exception {
        exec(db, "INSERT INTO public.package (id, name, title, state, type, private, metadata_created,"
                + " metadata_modified) SELECT md5('" + prefix + "' || g), '" + prefix + "-' || g, 'Dataset', 'active',"
                + " 'dataset', false, now(), now() FROM generate_series(1, " + count + ") g");
    }

    /** A count of the job's last run's report, such as {@code done} or {@code unchanged}. */
    static long reported(TestHome home, String what) throws Exception {
        String report = Files.readString(Rejects.latestRun(home.data(), "sql").resolve("report.txt"));
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?m)^ +" + what + " +([\\d,]+) ").matcher(report);
        assertThat(m.find()).as(what + " in the report:\n" + report).isTrue();
        return Long.parseLong(m.group(1).replace(",", ""));
    }

    @Test
    void should_add_the_key_after_a_first_load_killed_then_cut_anew_and_leave_every_row_once() throws Exception {
        try (EmbeddedPostgres target = LoopbackPostgres.builder().start()) {
            // by key ranges, which resume chunk by chunk (a first copy by pages starts again: SqlPageCopyTest)
            TestHome home = job(target, Map.of("source.tables", "package,user", "source.chunk-rows", "500",
                    "caravan.rate-limit", "8", "caravan.workers", "4", "source.copy-by-pages", "false"));
            DataSource copy = target.getPostgresDatabase();
            killMidCopy(home, copy);
            assertThat(primaryKeys(copy)).as("a table Caravan created is loaded without its key").isZero();
            exec(copy, "DROP TABLE public.\"user\""); // by hand, its key still pending: created again

            // the ledger lost and the chunks cut at other keys: every chunk meets rows loaded before the kill
            TestHome again = job(target, Map.of("source.tables", "package,user", "source.chunk-rows", "700"));
            assertThat(again.caravan("run", "sql")).isZero();

            assertThat(verify(again)).containsEntry("package", "=").containsEntry("user", "=");
            assertThat(primaryKeys(copy)).as("both keys added after the last chunk").isEqualTo(2);
            assertThat(count(copy, "SELECT count(*) FROM pg_tables WHERE tablename LIKE 'caravan%'"))
                    .as("the load's own bookkeeping dropped").isZero();
            String report = Files.readString(Rejects.latestRun(again.data(), "sql").resolve("report.txt"));
            assertThat(report).contains("added the primary key of \"public\".\"package\" after the load");
        }
    }

    @Test
    void should_send_rows_as_text_to_a_table_whose_types_differ_and_keep_each_value() throws Exception {
        DataSource db = source.getPostgresDatabase();
        exec(db, "CREATE SCHEMA typed");
        exec(db, "CREATE TABLE typed.settings (id int PRIMARY KEY, doc jsonb, seen timestamptz)");
        exec(db, "CREATE TABLE typed.created (id int PRIMARY KEY, doc jsonb, seen timestamptz)");
        for (String table : List.of("settings", "created")) {
            exec(db, "INSERT INTO typed." + table + " SELECT g, jsonb_build_object('n', g, 'tab', E'a\\tb'),"
                    + " timestamptz '2024-02-29 12:00+02' + g * interval '1 minute' FROM generate_series(1, 3000) g");
        }
        try (EmbeddedPostgres target = LoopbackPostgres.builder().start()) {
            DataSource copy = target.getPostgresDatabase();
            exec(copy, "CREATE SCHEMA typed");
            // jsonb's binary form is not text's: sent as binary, each value would arrive with a version byte
            // and a column of its own, which the rows written get by its default
            exec(copy, "CREATE TABLE typed.settings (id int PRIMARY KEY, doc text, seen timestamptz,"
                    + " origin text NOT NULL DEFAULT 'copied')");
            TestHome home = job(target, Map.of("source.schema", "typed", "source.chunk-rows", "1000"));

            assertThat(home.caravan("run", "sql")).isZero();

            exec(db, "UPDATE typed.settings SET doc = '{\"n\": 0}' WHERE id = 1500");
            assertThat(home.caravan("run", "sql")).isZero();
            for (String table : List.of("settings", "created")) {
                String values = "SELECT md5(string_agg(id || ' ' || doc::text || ' ' || seen::text, ',' ORDER BY id))"
                        + " FROM typed." + table;
                assertThat(text(copy, values)).as(table).isEqualTo(text(db, values));
            }
            assertThat(count(copy, "SELECT count(*) FROM typed.settings WHERE origin = 'copied'")).isEqualTo(3000);
        } finally {
            exec(db, "DROP SCHEMA typed CASCADE");
        }
    }

    @Test
    void should_report_a_row_the_target_refuses_with_its_key_and_commit_the_rest() throws Exception {
        try (EmbeddedPostgres target = LoopbackPostgres.builder().start()) {
            DataSource copy = target.getPostgresDatabase();
            exec(copy, "CREATE TABLE public.\"user\" (id text PRIMARY KEY, name text NOT NULL, apikey text,"
                    + " created timestamp, about text, password text, fullname text, email text CHECK (email <> "
                    + "'user77@example.org'), reset_key text, sysadmin boolean, activity_streams_email_notifications"
                    + " boolean, state text, plugin_extras text, image_url text, last_active timestamp)");
            TestHome home = job(target, Map.of("source.tables", "user", "source.chunk-rows", "1000"));

            assertThat(home.caravan("run", "sql")).isEqualTo(3);

            Map<String, com.fasterxml.jackson.databind.JsonNode> rejects = Rejects.ofLatestRun(home.data(), "sql");
            assertThat(rejects).hasSize(1);
            String refusedId = md5("u77");
            assertThat(rejects.values().iterator().next().get("reason").asText())
                    .contains("1 row(s) refused").contains("(id)=(" + refusedId + ")").contains("check constraint");
            long sourceUsers = count(source.getPostgresDatabase(), "SELECT count(*) FROM public.\"user\"");
            assertThat(count(copy, "SELECT count(*) FROM public.\"user\"")).as("the rest committed")
                    .isEqualTo(sourceUsers - 1);
            assertThat(count(copy, "SELECT count(*) FROM public.\"user\" WHERE id = '" + refusedId + "'")).isZero();
        }
    }

    @Test
    void should_transform_rows_with_an_sql_expression_and_a_java_row_transform() throws Exception {
        try (EmbeddedPostgres target = LoopbackPostgres.builder().start()) {
            TestHome home = job(target, Map.of("source.tables", "tag,user", "transform.user.email", "upper(t.email)",
                    "row-transform.tag", ShoutingTags.class.getName()));

            assertThat(home.caravan("run", "sql")).isZero();

            DataSource copy = target.getPostgresDatabase();
            assertThat(count(copy, "SELECT count(*) FROM public.tag")).as("one tag left out").isEqualTo(7);
            assertThat(count(copy, "SELECT count(*) FROM public.tag WHERE name = 'VÉLO' || chr(9) || '!'")).isEqualTo(1);
            assertThat(count(copy, "SELECT count(*) FROM public.tag WHERE lower(name) LIKE 'bruit%'")).isZero();
            assertThat(count(copy, "SELECT count(*) FROM public.\"user\" WHERE email = 'AMELIE.DUPONT@EXAMPLE.ORG'"))
                    .isEqualTo(1);
            assertThat(count(copy, "SELECT count(*) FROM public.\"user\" WHERE email <> upper(email)")).isZero();
        }
    }

    private TestHome job(EmbeddedPostgres target, Map<String, String> extra) {
        Map<String, String> settings = new HashMap<>(Map.of("source.type", "sql",
                "source.jdbc-url", source.getJdbcUrl("postgres", "postgres"), "source.user", "postgres",
                "target.type", "sql", "target.jdbc-url", target.getJdbcUrl("postgres", "postgres"),
                "target.user", "postgres"));
        settings.putAll(extra);
        TestHome home = new TestHome(dir.resolve("home-" + System.nanoTime()));
        return home.job("sql", settings);
    }

    /** table → verify's mark ("=" equal, "*" differs, "-" missing). */
    static Map<String, String> verify(TestHome home) {
        PrintStream stdout = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            home.caravan("verify", "sql");
        } finally {
            System.setOut(stdout);
        }
        Map<String, String> marks = new HashMap<>();
        for (String line : out.toString(StandardCharsets.UTF_8).split("\n")) {
            String[] parts = line.split(" ", 3);
            if (parts.length >= 2 && parts[0].matches("[=*?+-]")) {
                marks.put(parts[1], parts[0]);
            }
        }
        return marks;
    }

    /** Starts the job in a child JVM and kills it (SIGKILL) once 5,000 packages are in, with some left to copy. */
    private void killMidCopy(TestHome home, DataSource copy) throws Exception {
        Process child = home.start(dir.resolve("killed-" + System.nanoTime() + ".log"), List.of(), "run", "sql");
        long deadline = System.currentTimeMillis() + 60_000;
        // one test of both conditions: the table may appear between two separate looks
        while (!(tableExists(copy) && count(copy, "SELECT count(*) FROM public.package") >= 5_000)) {
            assertThat(System.currentTimeMillis()).as("the copy makes progress").isLessThan(deadline);
            Thread.sleep(50);
        }
        Thread.sleep(250); // the ledger commits at most every 50 ms: some chunks are recorded before the kill
        child.destroyForcibly().waitFor();
        assertThat(count(copy, "SELECT count(*) FROM public.package")).as("killed midway")
                .isBetween(5_000L, EXTRA_PACKAGES - 1L);
    }

    private static long primaryKeys(DataSource db) throws Exception {
        return count(db, "SELECT count(*) FROM pg_constraint WHERE contype = 'p'"
                + " AND conrelid IN ('public.package'::regclass, 'public.\"user\"'::regclass)");
    }

    private static boolean tableExists(DataSource db) throws Exception {
        return count(db, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tablename = 'package'") == 1;
    }

    static long count(DataSource db, String sql) throws Exception {
        try (Connection c = db.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static String text(DataSource db, String sql) throws Exception {
        try (Connection c = db.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    static void exec(DataSource db, String sql) throws Exception {
        try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static String md5(String text) throws Exception {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("MD5")
                .digest(text.getBytes(StandardCharsets.UTF_8)));
    }
}
