package io.caravan.ckan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.caravan.testing.TestHome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** caravan verify of CKAN jobs: records on the fields written, files by their bytes, memberships by capacity. */
class CkanVerifyTest {

    private static final List<String> VERIFIED = List.of("ckan-organizations", "ckan-groups", "ckan-memberships",
            "ckan-datasets", "ckan-resource-files");

    @TempDir
    Path dir;

    @Test
    void should_find_no_difference_after_a_complete_migration_and_each_one_planted_at_the_target() throws Exception {
        try (CkanEmulator source = new CkanEmulator(); CkanEmulator target = new CkanEmulator()) {
            CkanPortalMigrationTest.Seed seed = CkanPortalMigrationTest.seedPortal(source);
            TestHome home = portalJobs(source, target);
            List<String> run = new ArrayList<>(List.of("run"));
            run.addAll(CkanPortalMigrationTest.IN_ORDER);
            assertThat(home.caravan(run.toArray(String[]::new))).isZero();

            for (String job : VERIFIED) {
                Verified verified = verify(home, job);
                assertThat(verified.exit).as(verified.out).isZero();
                assertThat(verified.out).as(job).containsPattern("\\b[1-9]\\d* match, 0 missing, 0 differ,"
                        + " 0 pending, 0 extra");
            }

            // one real difference of each kind, made at the target behind the migration's back
            String dataset = seed.datasets().get(0);
            ObjectNode retitled = target.dataset(dataset).orElseThrow().deepCopy();
            retitled.put("title", "Edited at the target");
            target.putDataset(retitled);
            JsonNode unesco = source.dataset("unesco-data-for-zimbabwe").orElseThrow();
            String file = unesco.get("resources").get(2).get("id").asText();
            byte[] sent = target.upload(file).orElseThrow();
            byte[] tampered = sent.clone();
            tampered[0] ^= 1;
            target.putUpload(file, tampered);
            Map.Entry<String, String> member = source.members("cabinet-office").entrySet().stream()
                    .filter(m -> !m.getValue().equals("member")).findFirst().orElseThrow();
            target.putMember("cabinet-office", member.getKey(), "member");

            Verified datasets = verify(home, "ckan-datasets");
            assertThat(datasets.exit).isEqualTo(3);
            assertThat(datasets.out).contains("* " + source.dataset(dataset).orElseThrow().get("id").asText()
                            + " (differ: title: ")
                    .contains("\"Edited at the target\" at the target").contains("0 missing, 1 differ");
            Verified files = verify(home, "ckan-resource-files");
            assertThat(files.exit).isEqualTo(3);
            assertThat(files.out).contains("* " + file + " (differ: MD5 ").contains("0 missing, 1 differ");
            Verified memberships = verify(home, "ckan-memberships");
            assertThat(memberships.exit).isEqualTo(3);
            assertThat(memberships.out).contains("* organization/cabinet-office/" + member.getKey()
                    + " (differ: capacity " + member.getValue() + " at the source, member at the target)")
                    .contains("0 missing, 1 differ");
        }
    }

    private TestHome portalJobs(CkanEmulator source, CkanEmulator target) {
        TestHome home = new TestHome(dir.resolve("home"));
        Map<String, String> portals = CkanPortalMigrationTest.portals(source, target, CkanEmulator.SYSADMIN_TOKEN);
        Map.of("ckan-users", "users", "ckan-organizations", "organizations", "ckan-groups", "groups",
                "ckan-memberships", "memberships", "ckan-datasets", "datasets",
                "ckan-resource-files", "resource-files").forEach((job, kind) ->
                home.job(job, TestHome.merge(portals, Map.of("source.records", kind))));
        return home;
    }

    private record Verified(int exit, String out) {
    }

    private static Verified verify(TestHome home, String job) {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            int exit = home.caravan("verify", job);
            return new Verified(exit, captured.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(original);
        }
    }
}
