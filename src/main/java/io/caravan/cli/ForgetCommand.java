package io.caravan.cli;

import io.caravan.job.ConfigException;
import io.caravan.job.JobSettings;
import io.caravan.job.Workspace;
import io.caravan.ledger.Ledger;
import io.caravan.ledger.LedgerDatabase;
import io.caravan.ledger.LedgerScopes;
import io.caravan.report.RunReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "forget", description = "Delete what the ledger remembers of one scope of a job (its rows and runs),"
        + " so its next run to that target copies everything again. Prints what it would delete unless --yes is"
        + " given. Touches neither the source nor the target. Exit 0 when done or shown, 2 when no single scope"
        + " matches.")
final class ForgetCommand extends JobOptions implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "JOB")
    String job;

    @Option(names = "--scope", paramLabel = "ID", description = "The scope's id as `caravan status` shows it, or its"
            + " beginning")
    String scope;

    @Option(names = "--target", paramLabel = "TEXT", description = "A scope whose target identity contains TEXT")
    String target;

    @Option(names = "--source", paramLabel = "TEXT", description = "A scope whose source identity contains TEXT")
    String source;

    @Option(names = "--yes", description = "Delete; without it, only say what would be deleted")
    boolean yes;

    @Override
    public Integer call() {
        if (scope == null && target == null && source == null) {
            throw new ConfigException("forget: name the scope with --scope, --target or --source"
                    + " (`caravan status " + job + "` lists them)");
        }
        Workspace workspace = workspace();
        JobSettings settings = workspace.settings(job, overrides);
        try (LedgerDatabase database = workspace.openLedger(settings)) {
            LedgerScopes scopes = new Ledger(database).scopes();
            List<LedgerScopes.Summary> matching = scopes.of(job).stream().filter(this::matches).toList();
            if (matching.size() != 1) {
                System.err.println("caravan: " + (matching.isEmpty() ? "no scope" : matching.size() + " scopes")
                        + " of job " + job + " match; `caravan status " + job + "` lists them all");
                matching.forEach(StatusCommand::print);
                return RunReport.EXIT_CONFIG_OR_FATAL;
            }
            LedgerScopes.Summary chosen = matching.get(0);
            if (!yes) {
                System.out.println("would forget (run again with --yes to do it):");
                StatusCommand.print(chosen);
                return RunReport.EXIT_OK;
            }
            long rows = scopes.forget(job, chosen.id());
            System.out.printf("forgot scope %s of job %s: %,d ledger rows and its runs%n", chosen.id(), job, rows);
            return RunReport.EXIT_OK;
        }
    }

    private boolean matches(LedgerScopes.Summary s) {
        return (scope == null || s.id().startsWith(scope))
                && (target == null || s.target().contains(target))
                && (source == null || s.source().contains(source));
    }
}
