package io.caravan.sql;

import io.caravan.item.ItemRejectedException;
import io.caravan.testing.LoopbackPostgres;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.util.Map;

import static io.caravan.sql.SqlCopyTest.count;
import static io.caravan.sql.SqlCopyTest.exec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The record of a first copy by pages at a real PostgreSQL target: which run's ranges may load the table. */
class PageLoadsTest {

    /**
     * A worker can still hold a range of a run that a later run took the table over from (a planner killed, or one
     * that stopped waiting): once the later run has loaded the table, that range must neither empty it nor load.
     */
    @Test
    void should_refuse_a_generation_that_a_later_one_took_the_table_over_from() throws Exception {
        try (EmbeddedPostgres target = LoopbackPostgres.builder().start()) {
            DataSource db = target.getPostgresDatabase();
            exec(db, "CREATE TABLE public.paged (id text PRIMARY KEY, n int)");
            Table table = Catalog.read(db, "public", "paged", Map.of());
            exec(db, "DROP TABLE public.paged");
            KeyAfterLoad keyAfterLoad = new KeyAfterLoad("public");
            keyAfterLoad.createKeyless(db, table);
            PageLoads first = new PageLoads("public", keyAfterLoad);
            first.takeOver(db, table, "g1");
            exec(db, "INSERT INTO public.paged VALUES ('of g1', 1)");

            new PageLoads("public", keyAfterLoad).takeOver(db, table, "g2");
            assertThat(count(db, "SELECT count(*) FROM public.paged")).as("g2 emptied what g1 left").isZero();
            exec(db, "INSERT INTO public.paged VALUES ('of g2', 2)");

            assertThatThrownBy(() -> new PageLoads("public", keyAfterLoad).takeOver(db, table, "g1"))
                    .isInstanceOf(ItemRejectedException.class).hasMessageContaining("g1");
            assertThat(count(db, "SELECT count(*) FROM public.paged WHERE id = 'of g2'")).as("g2's rows kept")
                    .isEqualTo(1);

            // g2 finished (recorded as loaded whole): neither g2 nor g1 loads again
            keyAfterLoad.recordLoadedWhole(db, table);
            assertThatThrownBy(() -> new PageLoads("public", keyAfterLoad).takeOver(db, table, "g2"))
                    .isInstanceOf(ItemRejectedException.class);
            assertThat(count(db, "SELECT count(*) FROM public.paged")).isEqualTo(1);
        }
    }
}
