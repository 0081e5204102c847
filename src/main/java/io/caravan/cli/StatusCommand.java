package io.caravan.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.caravan.job.ConfigException;
import io.caravan.job.JobSettings;
import io.caravan.job.Workspace;
import io.caravan.ledger.Ledger;
import io.caravan.ledger.LedgerDatabase;
import io.caravan.ledger.LedgerScopes;
import io.caravan.ledger.LedgerStatus;
import io.caravan.ledger.RunShares;
import io.caravan.report.Bytes;
import io.caravan.report.RunReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

@Command(name = "status", description = "What the ledger knows: for each job, the scopes it holds (a source and a"
        + " target migrated between), their items per status and last run, the running or last run's items per"
        + " instance when workers shared it (caravan work), and the last run's report. A job served"
        + " by this home's running caravan serve is asked there: its live run's progress, or its last report.")
final class StatusCommand extends JobOptions implements Callable<Integer> {

    @Parameters(index = "0", arity = "0..1", paramLabel = "JOB", description = "One job; all jobs when omitted")
    String job;

    @Override
    public Integer call() throws IOException {
        Workspace workspace = workspace();
        ServeClient serve = new ServeClient(JobSettings.engine(workspace.home(), overrides), null, null);
        for (String name : job != null ? List.of(job) : jobNames(workspace.home())) {
            Optional<JsonNode> served = servedBy(serve, name);
            if (served.isPresent()) {
                printServed(name, served.get(), serve.base());
                continue;
            }
            JobSettings settings = workspace.settings(name, overrides);
            try (LedgerDatabase database = workspace.openLedger(settings)) {
                Ledger ledger = new Ledger(database);
                List<LedgerScopes.Summary> scopes = ledger.scopes().of(name);
                System.out.printf("%s: %d %s%n", name, scopes.size(), scopes.size() == 1 ? "scope" : "scopes");
                scopes.forEach(StatusCommand::print);
                ledger.sharesOfLatestRun(name).filter(r -> !r.instances().isEmpty())
                        .ifPresent(StatusCommand::print);
                ledger.lastReport(name).ifPresent(r -> System.out.print("  last: " + RunReport.fromJson(r).toText()));
            }
        }
        return 0;
    }

    /** The job's MBean attributes from the serving process, when one runs for this home and serves the job. */
    private static Optional<JsonNode> servedBy(ServeClient serve, String name) throws IOException {
        try {
            return Optional.of(serve.readAll(name));
        } catch (ServeClient.NotServing | ConfigException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while asking the serving process", e);
        }
    }

    private static void printServed(String name, JsonNode job, String where) {
        String state = job.path("State").asText();
        System.out.printf("%s: %s in the serving process (%s)%n", name, state, where);
        if (!"IDLE".equals(state)) {
            String eta = job.path("Eta").asText("");
            System.out.printf(Locale.ROOT, "  run %s: %,d listed, %,d planned, %,d done, %,d unchanged, %,d failed,"
                            + " %,d rejected, %s, %.0f items/s%s%n", job.path("RunId").asText(),
                    job.path("Listed").asLong(), job.path("Planned").asLong(), job.path("Done").asLong(),
                    job.path("Skipped").asLong(), job.path("Failed").asLong(), job.path("Rejected").asLong(),
                    Bytes.human(job.path("Bytes").asLong()), job.path("ItemsPerSecond").asDouble(),
                    eta.isEmpty() ? "" : ", ETA " + eta);
        } else if (!job.path("LastReport").asText("").isEmpty()) {
            System.out.print("  last: " + job.path("LastReport").asText());
        }
    }

    static void print(LedgerScopes.Summary scope) {
        System.out.printf("  scope %s%n    source %s%n    target %s%n", scope.id(), scope.source(), scope.target());
        System.out.printf("    %,d done, %,d written unverified, %,d failed, %,d rejected, %,d pending repair;"
                        + " last run %s%n", scope.count(LedgerStatus.DONE), scope.count(LedgerStatus.UNVERIFIED),
                scope.count(LedgerStatus.FAILED), scope.count(LedgerStatus.REJECTED),
                scope.count(LedgerStatus.PENDING), scope.lastRun() == null ? "none" : scope.lastRun());
    }

    /** The running or last run's items per instance that recorded them: how a scaled-out run's workers shared it. */
    static void print(RunShares run) {
        int width = Math.max("instance".length(),
                run.instances().stream().mapToInt(s -> s.instance().length()).max().orElse(0));
        System.out.printf("  run %s (%s), per instance:%n", run.runId(), run.finished() ? "finished" : "running");
        String row = "    %-" + width + "s  %,10d  %,8d  %,8d  %10s%n";
        System.out.printf("    %-" + width + "s  %10s  %8s  %8s  %10s%n", "instance", "done", "failed", "rejected",
                "bytes");
        run.instances().forEach(s -> System.out.printf(Locale.ROOT, row, s.instance(), s.done(), s.failed(),
                s.rejected(), Bytes.human(s.bytes())));
    }

    static List<String> jobNames(Path home) throws IOException {
        Path jobs = home.resolve("config/jobs");
        if (!Files.isDirectory(jobs)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(jobs)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".properties"))
                    .map(n -> n.substring(0, n.length() - ".properties".length())).sorted().toList();
        }
    }
}
