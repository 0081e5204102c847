package io.caravan.ckan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.caravan.testing.TestHome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A rehearsal on a staging portal, then the move to production from the same home: the ledger's rows belong to the
 * target portal they were written to, so production receives every record, and staging, pointed at again, none.
 */
class CkanLedgerScopeTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path API = Path.of("../shared/fixtures/ckan/api");
    private static final List<String> WRITES = List.of("organization_create", "organization_update",
            "package_create", "package_update", "resource_patch");

    @TempDir
    Path dir;

    @Test
    void should_move_everything_to_a_second_portal_and_nothing_again_to_the_first() throws Exception {
        try (CkanEmulator source = new CkanEmulator(); CkanEmulator staging = new CkanEmulator();
             CkanEmulator production = new CkanEmulator()) {
            List<String> datasets = new ArrayList<>();
            for (JsonNode d : JSON.readTree(API.resolve("ckan_functional_tests_datagovuk/package_search.json")
                    .toFile()).at("/result/results")) {
                source.putDataset(d);
                datasets.add(d.get("name").asText());
            }
            assertThat(datasets).hasSizeGreaterThan(1);
            TestHome home = new TestHome(dir.resolve("home"));
            for (String kind : List.of("organizations", "datasets")) {
                home.job("ckan-" + kind, Map.of("source.type", "ckan", "source.url", source.url(),
                        "source.api-token", CkanEmulator.SYSADMIN_TOKEN, "source.records", kind,
                        "target.type", "ckan", "target.url", staging.url(),
                        "target.api-token", CkanEmulator.SYSADMIN_TOKEN, "caravan.retry-delay-ms", "20"));
            }

            assertThat(home.caravan("run", "ckan-organizations", "ckan-datasets")).isZero();
            datasets.forEach(name -> assertThat(staging.dataset(name)).as(name).isPresent());

            assertThat(home.caravan("run", "ckan-organizations", "ckan-datasets",
                    "--set", "target.url=" + production.url() + "/")).isZero();
            for (String name : datasets) {
                assertThat(production.dataset(name)).as("%s at production", name).isPresent();
                assertThat(production.dataset(name).orElseThrow().get("title"))
                        .isEqualTo(source.dataset(name).orElseThrow().get("title"));
            }
            assertThat(production.calls("package_create")).isEqualTo(datasets.size());
            for (String job : List.of("ckan-organizations", "ckan-datasets")) {
                assertThat(home.caravan("verify", job)).as("verify %s against staging", job).isZero();
                assertThat(home.caravan("verify", job, "--set", "target.url=" + production.url()))
                        .as("verify %s against production", job).isZero();
            }
            ObjectNode original = production.dataset(datasets.get(0)).orElseThrow().deepCopy();
            production.putDataset(original.deepCopy().put("title", "Changed at production only"));
            assertThat(home.caravan("verify", "ckan-datasets", "--set", "target.url=" + production.url()))
                    .as("a dataset changed at production only").isEqualTo(3);
            assertThat(home.caravan("verify", "ckan-datasets")).as("staging is another scope").isZero();
            production.putDataset(original);

            staging.resetCalls();
            production.resetCalls();
            assertThat(home.caravan("run", "ckan-organizations", "ckan-datasets")).isZero();
            assertThat(home.caravan("run", "ckan-organizations", "ckan-datasets",
                    "--set", "target.url=" + production.url())).as("the same portal, however its URL ends").isZero();
            for (String write : WRITES) {
                assertThat(staging.calls(write)).as("staging " + write).isZero();
                assertThat(production.calls(write)).as("production " + write).isZero();
            }
        }
    }
}
