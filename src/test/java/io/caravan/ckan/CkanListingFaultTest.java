package io.caravan.ckan;

import io.caravan.testing.FaultProxy;
import io.caravan.testing.TestHome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A listing that fails half-way through (every attempt at the second page of package_search answers 500) stops the
 * run with exit 2 and says why; it never ends exit 0 as if the first page were all there is. A rerun, once the
 * portal answers again, moves every dataset.
 */
class CkanListingFaultTest {

    private static final int DATASETS = 30;

    @TempDir
    Path dir;

    @Test
    void should_stop_the_run_with_exit_2_when_a_later_page_of_the_listing_fails() throws Exception {
        try (CkanEmulator source = new CkanEmulator(); CkanEmulator target = new CkanEmulator()) {
            for (int i = 0; i < DATASETS; i++) {
                source.putDataset(CkanEmulator.JSON.createObjectNode()
                        .put("id", String.format("00000000-0000-4000-8000-%012d", i))
                        .put("name", "listed-dataset-" + i).put("title", "Dataset " + i));
            }
            try (FaultProxy proxy = FaultProxy.start(source.url(), FaultProxy.Kind.HTTP_500,
                    r -> r.getUrl().contains("package_search") && r.getUrl().contains("fq="), 1, 1, 0)) {
                TestHome home = new TestHome(dir.resolve("home")).route("ckan-datasets");
                home.job("ckan-datasets", Map.of("source.type", "ckan", "source.url", proxy.url(),
                        "source.api-token", CkanEmulator.SYSADMIN_TOKEN, "source.page-size", "10",
                        "target.type", "ckan", "target.url", target.url(),
                        "target.api-token", CkanEmulator.SYSADMIN_TOKEN, "caravan.workers", "4",
                        "caravan.retries", "2", "caravan.retry-delay-ms", "10"));

                TestHome.Ran failed = home.run("run", "ckan-datasets");
                assertThat(failed.exit()).as(failed.output()).isEqualTo(2);
                assertThat(failed.output()).contains("listing failed").contains("package_search answered HTTP 500");
                assertThat(proxy.faulted()).isPositive();

                proxy.heal();
                TestHome.Ran rerun = home.run("run", "ckan-datasets");
                assertThat(rerun.exit()).as(rerun.output()).isZero();
                assertThat(target.datasetCount()).isEqualTo(DATASETS);
            }
        }
    }
}
