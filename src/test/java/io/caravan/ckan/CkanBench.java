package io.caravan.ckan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * bench/ckan.sh's driver (not a test): two emulated portals with added latency, a built Caravan run against them as
 * an operator would (bin/caravan, a child process), and one table: records/s and requests, beside what ckanapi's
 * design needs for the same work (one package_show per dataset, 4 processes: requests × latency / 4).
 * Arguments: caravan command, work folder, datasets, resources per dataset, latency ms, workers.
 */
public final class CkanBench {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int CKANAPI_PROCESSES = 4;

    public static void main(String[] args) throws Exception {
        Path caravan = Path.of(args[0]);
        Path work = Path.of(args[1]);
        int datasets = Integer.parseInt(args[2]);
        int resources = Integer.parseInt(args[3]);
        Duration latency = Duration.ofMillis(Long.parseLong(args[4]));
        int workers = Integer.parseInt(args[5]);
        Path home = work.resolve("home");
        Path dump = work.resolve("datasets.jsonl");
        Files.createDirectories(home.resolve("config/jobs"));
        Files.deleteIfExists(dump);

        try (CkanEmulator source = new CkanEmulator(); CkanEmulator target = new CkanEmulator()) {
            seed(source, target, datasets, resources);
            source.latency(latency);
            target.latency(latency);
            String common = "caravan.workers = " + workers + "\ncaravan.progress-interval = 60s\n";
            write(home, "ckan-dump-datasets", common + "source.type = ckan\nsource.url = " + source.url()
                    + "\nsource.api-token = " + CkanEmulator.SYSADMIN_TOKEN + "\nsource.records = datasets\n"
                    + "target.type = ckan-jsonl\ntarget.file = " + dump + "\n");
            write(home, "ckan-load-datasets", common + "source.type = ckan-jsonl\nsource.file = " + dump
                    + "\nsource.records = datasets\ntarget.type = ckan\ntarget.url = " + target.url()
                    + "\ntarget.api-token = " + CkanEmulator.SYSADMIN_TOKEN + "\n");

            List<String> rows = new ArrayList<>();
            source.resetCalls();
            rows.add(row("dump  (portal → JSONL)", run(caravan, home, "ckan-dump-datasets"), datasets,
                    source.totalCalls(), datasets, latency));
            target.resetCalls();
            if (args.length > 6 && args[6].equals("dump")) {
                rows.forEach(System.out::println);
                return;
            }
            rows.add(row("load  (JSONL → portal)", run(caravan, home, "ckan-load-datasets"), datasets,
                    target.totalCalls(), datasets, latency));
            if (target.datasetCount() != datasets) {
                throw new IllegalStateException("the target has " + target.datasetCount() + " datasets, not "
                        + datasets);
            }
            System.out.printf(Locale.ROOT, "%d datasets × %d resources, %d ms added per request, %d workers;"
                    + " ckanapi's design: %d processes, one package_show per dataset (its load also needs a"
                    + " package_create each: twice the figure)%n", datasets, resources, latency.toMillis(), workers,
                    CKANAPI_PROCESSES);
            System.out.printf(Locale.ROOT, "%-24s %9s %9s %10s %9s | %10s %9s %10s | %7s%n", "scenario", "wall s",
                    "run s", "records/s", "requests", "ckanapi rq", "ckanapi s", "records/s", "× ckanapi");
            rows.forEach(System.out::println);
        }
    }

    private static void seed(CkanEmulator source, CkanEmulator target, int datasets, int resources) {
        ObjectNode org = JSON.createObjectNode().put("id", "bench-org-id").put("name", "bench-publisher")
                .put("title", "Bench publisher");
        source.putOrganization(org);
        target.putOrganization(org);
        for (int i = 0; i < datasets; i++) {
            ObjectNode d = JSON.createObjectNode().put("id", String.format(Locale.ROOT, "bench-%08d", i))
                    .put("name", "bench-dataset-" + i).put("title", "Bench dataset " + i)
                    .put("notes", "A dataset of the benchmark, with " + resources + " resources.")
                    .put("license_id", "cc-by").put("owner_org", "bench-org-id").put("state", "active")
                    .put("private", false).put("metadata_modified", "2024-01-01T00:00:00");
            d.set("organization", org);
            ArrayNode list = d.putArray("resources");
            for (int r = 0; r < resources; r++) {
                list.addObject().put("id", String.format(Locale.ROOT, "bench-%08d-r%d", i, r))
                        .put("name", "Part " + r).put("format", "CSV")
                        .put("url", "https://data.example.org/bench/" + i + "/part-" + r + ".csv");
            }
            d.putArray("tags").addObject().put("name", "bench");
            source.putDataset(d);
        }
    }

    private static void write(Path home, String job, String settings) throws IOException {
        Files.writeString(home.resolve("config/jobs/" + job + ".properties"), settings);
    }

    /** Runs the job in a child process; wall seconds and the report's own seconds (start-up excluded). */
    private static double[] run(Path caravan, Path home, String job) throws Exception {
        long start = System.nanoTime();
        Process p = new ProcessBuilder(caravan.toString(), "--home", home.toString(), "run", job)
                .redirectErrorStream(true).redirectOutput(home.resolve(job + ".log").toFile()).start();
        int exit = p.waitFor();
        double wall = (System.nanoTime() - start) / 1e9;
        if (exit != 0) {
            throw new IllegalStateException(job + " exited " + exit + ": see " + home.resolve(job + ".log"));
        }
        Path runs = home.resolve("data/runs/" + job);
        Path latest;
        try (Stream<Path> all = Files.list(runs)) {
            latest = all.sorted().reduce((a, b) -> b).orElseThrow();
        }
        JsonNode report = JSON.readTree(latest.resolve("report.json").toFile());
        return new double[] {wall, report.get("seconds").asDouble()};
    }

    private static String row(String scenario, double[] seconds, int records, long requests, long ckanapiRequests,
                              Duration latency) {
        double ckanapiSeconds = ckanapiRequests * latency.toMillis() / 1000.0 / CKANAPI_PROCESSES;
        double rate = records / seconds[1];
        double ckanapiRate = records / ckanapiSeconds;
        return String.format(Locale.ROOT, "%-24s %9.2f %9.2f %10.0f %9d | %10d %9.2f %10.0f | %6.1f×", scenario,
                seconds[0], seconds[1], rate, requests, ckanapiRequests, ckanapiSeconds, ckanapiRate,
                rate / ckanapiRate);
    }
}
