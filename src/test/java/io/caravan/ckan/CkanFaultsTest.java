package io.caravan.ckan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.http.Request;
import io.caravan.ledger.LedgerDatabase;
import io.caravan.testing.FaultProxy;
import io.caravan.testing.FaultTable;
import io.caravan.testing.Rejects;
import io.caravan.testing.TestHome;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A CKAN → CKAN dataset job through a proxy that faults about one dataset's request in 20, a tenth of those on every
 * attempt: the run ends with every dataset done or failed and named, nothing at the target differs from the
 * source, every dataset the ledger calls done is at the target and equal; once the fault has gone, a rerun moves
 * the rest. The target's writes (package_create, and package_update when a create reached the portal before its
 * answer was lost) are faulted; a short body needs an answer with one, so that fault hits the source's
 * package_show ({@code source.fidelity = show}).
 */
class CkanFaultsTest {

    private static final int DATASETS = 2_000;
    private static final String JOB = "ckan-datasets";
    private static final String ORG = "fault-test-org";

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(value = FaultProxy.Kind.class, mode = EnumSource.Mode.EXCLUDE, names = "FLIPPED_BYTE")
    void should_end_each_dataset_done_and_equal_or_failed_and_named_and_a_rerun_should_move_the_rest(
            FaultProxy.Kind kind) throws Exception {
        boolean atSource = kind == FaultProxy.Kind.TRUNCATED_BODY;
        try (CkanEmulator source = new CkanEmulator(); CkanEmulator target = new CkanEmulator()) {
            target.putOrganization("target-org-id", ORG);
            for (int i = 0; i < DATASETS; i++) {
                source.putDataset(dataset(i));
            }
            try (FaultProxy proxy = atSource
                    ? FaultProxy.start(source.url(), kind, CkanFaultsTest::isShow, 20, 10, 2_500)
                    : FaultProxy.start(target.url(), kind, CkanFaultsTest::isWrite, CkanFaultsTest::writeOf, 20, 10,
                    2_500)) {
                TestHome home = new TestHome(dir.resolve("home")).route(JOB);
                Map<String, String> settings = new HashMap<>(Map.of(
                        "source.type", "ckan", "source.url", atSource ? proxy.url() : source.url(),
                        "source.api-token", CkanEmulator.SYSADMIN_TOKEN,
                        "target.type", "ckan", "target.url", atSource ? target.url() : proxy.url(),
                        "target.api-token", CkanEmulator.SYSADMIN_TOKEN,
                        "caravan.workers", "16", "caravan.retries", "3", "caravan.retry-delay-ms", "50",
                        "caravan.timeout.read-idle", "1s"));
                // a page of 1,000 took over the read-idle second under load (the listing is not faulted)
                settings.put("source.page-size", "100");
                if (atSource) {
                    settings.put("source.fidelity", "show");
                }
                home.job(JOB, settings);
                String edge = atSource ? "CKAN -> CKAN (source package_show)"
                        : "CKAN -> CKAN (target package_create/update)";

                TestHome.Ran first = home.run("run", JOB);

                Set<String> persistent = idsOf(proxy.persistentlyFaulted());
                Set<String> faulted = idsOf(proxy.faultedRequests());
                assertThat(faulted).as("about 5%% of %d datasets faulted", DATASETS).hasSizeBetween(50, 200);
                Map<String, String> status = ledger(home);
                Map<String, JsonNode> rejects = Rejects.ofLatestRun(home.data(), JOB);
                Set<String> failed = keysWith(status, "failed");
                long lost = DATASETS - keysWith(status, "done").size() - failed.size()
                        + keysWith(status, "done").stream().filter(id -> target.dataset(id).isEmpty()).count();
                long corrupt = differing(source, target);
                long retried = faulted.stream().filter(id -> "done".equals(status.get(id))).count();
                FaultTable.record(edge, kind, DATASETS, proxy.faulted(), retried, failed.size(), lost, corrupt);

                assertThat(first.exit()).as(first.output()).isEqualTo(persistent.isEmpty() ? 0 : 3);
                assertThat(lost).as("datasets neither done nor failed, or done and absent at the target").isZero();
                assertThat(corrupt).as("datasets at the target that differ from the source").isZero();
                assertThat(failed).as("failed: exactly the persistently faulted datasets").isEqualTo(persistent);
                assertThat(rejects.keySet()).as("every failed dataset named in the rejects file")
                        .isEqualTo(persistent);
                for (String id : persistent) {
                    JsonNode line = rejects.get(id);
                    assertThat(line.get("status").asText()).isEqualTo("failed");
                    assertThat(line.get("reason").asText()).as(line.toString())
                            .contains(atSource ? "package_show of " + id : "dataset " + name(id));
                }
                assertThat(retried).as("faulted once, retried and done").isEqualTo(faulted.size() - persistent.size());
                assertEveryDoneDatasetEqual(source, target, status);

                proxy.heal();
                TestHome.Ran rerun = home.run("run", JOB);
                assertThat(rerun.exit()).as(rerun.output()).isZero();
                Map<String, String> after = ledger(home);
                assertThat(keysWith(after, "done")).hasSize(DATASETS);
                assertEveryDoneDatasetEqual(source, target, after);
                assertThat(target.datasetCount()).isEqualTo(DATASETS);
            }
        }
    }

    /** A small dataset, as package_show gives it: an organization, a tag, an extra, a linked resource. */
    private static ObjectNode dataset(int i) {
        ObjectNode d = CkanEmulator.JSON.createObjectNode().put("id", id(i)).put("name", name(id(i)))
                .put("title", "Fault test dataset " + i).put("notes", "Dataset " + i + " of " + DATASETS)
                .put("license_id", "cc-by").put("private", false).put("state", "active").put("type", "dataset");
        d.putObject("organization").put("id", "source-org-id").put("name", ORG).put("title", ORG);
        d.put("owner_org", "source-org-id");
        d.putArray("tags").addObject().put("name", "tag-" + (i % 7));
        d.putArray("extras").addObject().put("key", "sequence").put("value", Integer.toString(i));
        d.putArray("resources").addObject().put("id", String.format("00000000-0000-4000-9000-%012d", i))
                .put("name", "Resource " + i).put("url", "https://example.org/data/" + i + ".csv")
                .put("format", "CSV");
        return d;
    }

    private static String id(int i) {
        return String.format("00000000-0000-4000-8000-%012d", i);
    }

    private static String name(String id) {
        return "fault-dataset-" + Integer.parseInt(id.substring(id.lastIndexOf('-') + 1));
    }

    private static boolean isShow(Request r) {
        return r.getMethod().getName().equals("GET") && r.getUrl().startsWith("/api/3/action/package_show?");
    }

    private static boolean isWrite(Request r) {
        return r.getMethod().getName().equals("POST") && (r.getUrl().equals("/api/3/action/package_create")
                || r.getUrl().equals("/api/3/action/package_update"));
    }

    /** "package_create fault-dataset-17": the URL is the same for every dataset; the body names it. */
    private static String writeOf(Request r) {
        try {
            return r.getUrl().substring(r.getUrl().lastIndexOf('/') + 1) + " "
                    + CkanEmulator.JSON.readTree(r.getBodyAsString()).path("name").asText();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The dataset ids of the faulted requests, whichever side they were on. */
    private static Set<String> idsOf(Set<String> requests) {
        return requests.stream().map(r -> r.contains("?id=") ? r.substring(r.indexOf("?id=") + 4)
                        : id(Integer.parseInt(r.substring(r.lastIndexOf('-') + 1))))
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /** Datasets at the target whose written fields differ from the source's (absent ones are not counted). */
    private static long differing(CkanEmulator source, CkanEmulator target) {
        return IntStream.range(0, DATASETS).mapToObj(CkanFaultsTest::id)
                .filter(id -> target.dataset(id).isPresent() && !differences(source, target, id).isEmpty())
                .count();
    }

    private static List<String> differences(CkanEmulator source, CkanEmulator target, String id) {
        ObjectNode written = CkanTarget.prepared(CkanRecords.DATASETS, source.dataset(id).orElseThrow());
        return CkanRecordDiff.of(CkanRecords.DATASETS, written, target.dataset(id).orElseThrow());
    }

    /** Ledger = target: a dataset the ledger calls done is at the target, equal to the source's. */
    private static void assertEveryDoneDatasetEqual(CkanEmulator source, CkanEmulator target,
                                                    Map<String, String> status) {
        for (String id : keysWith(status, "done")) {
            assertThat(target.dataset(id)).as("done dataset %s at the target", id).isPresent();
            assertThat(differences(source, target, id)).as("done dataset %s as at the source", id).isEmpty();
        }
    }

    private static Set<String> keysWith(Map<String, String> status, String wanted) {
        return status.entrySet().stream().filter(e -> e.getValue().equals(wanted)).map(Map.Entry::getKey)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /** Item key → status, as the job's ledger holds them. */
    private static Map<String, String> ledger(TestHome home) throws Exception {
        Map<String, String> status = new HashMap<>();
        try (Connection c = DriverManager.getConnection(LedgerDatabase.embeddedUrl(home.data()));
             PreparedStatement s = c.prepareStatement("SELECT item_key, status FROM caravan_item WHERE job = ?")) {
            s.setString(1, JOB);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    status.put(rs.getString(1), rs.getString(2));
                }
            }
        }
        return status;
    }
}
