package io.caravan.cli;

import io.caravan.job.JobSettings;
import io.caravan.job.Workspace;
import io.caravan.ledger.Ledger;
import io.caravan.ledger.LedgerDatabase;
import io.caravan.ledger.LedgerScopes;
import io.caravan.ledger.LedgerStatus;
import io.caravan.report.RunReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

@Command(name = "status", description = "What the ledger knows: for each job, the scopes it holds (a source and a"
        + " target migrated between), their items per status and last run, and the last run's report.")
final class StatusCommand extends JobOptions implements Callable<Integer> {

    @Parameters(index = "0", arity = "0..1", paramLabel = "JOB", description = "One job; all jobs when omitted")
    String job;

    @Override
    public Integer call() throws IOException {
        Workspace workspace = workspace();
        for (String name : job != null ? List.of(job) : jobNames(workspace.home())) {
            JobSettings settings = workspace.settings(name, overrides);
            try (LedgerDatabase database = workspace.openLedger(settings)) {
                Ledger ledger = new Ledger(database);
                List<LedgerScopes.Summary> scopes = ledger.scopes().of(name);
                System.out.printf("%s: %d %s%n", name, scopes.size(), scopes.size() == 1 ? "scope" : "scopes");
                scopes.forEach(StatusCommand::print);
                ledger.lastReport(name).ifPresent(r -> System.out.print("  last: " + RunReport.fromJson(r).toText()));
            }
        }
        return 0;
    }

    static void print(LedgerScopes.Summary scope) {
        System.out.printf("  scope %s%n    source %s%n    target %s%n", scope.id(), scope.source(), scope.target());
        System.out.printf("    %,d done, %,d written unverified, %,d failed, %,d rejected, %,d pending repair;"
                        + " last run %s%n", scope.count(LedgerStatus.DONE), scope.count(LedgerStatus.UNVERIFIED),
                scope.count(LedgerStatus.FAILED), scope.count(LedgerStatus.REJECTED),
                scope.count(LedgerStatus.PENDING), scope.lastRun() == null ? "none" : scope.lastRun());
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
