package io.caravan.cli;

import io.caravan.ckanfiles.CkanStorageSource;
import io.caravan.job.Job;
import io.caravan.job.JobSettings;
import io.caravan.job.Workspace;
import io.caravan.ledger.LedgerDatabase;
import io.caravan.report.RunReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.util.concurrent.Callable;

@Command(name = "rollback", description = "Set back what a job's rewrite changed (the ckanfiles pack: the owners"
        + " of moved files), from its mapping file. Exit 0 when done, 2 when there is nothing to roll back.")
final class RollbackCommand extends JobOptions implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "JOB")
    String job;

    @Override
    public Integer call() {
        Workspace workspace = workspace();
        JobSettings settings = workspace.settings(job, overrides);
        try (LedgerDatabase database = workspace.openLedger(settings);
             Job opened = workspace.openJob(settings, database)) {
            if (!(opened.source() instanceof CkanStorageSource storage)) {
                System.err.println("job " + job + " rewrites nothing: rollback is for source.type = ckan-storage");
                return RunReport.EXIT_CONFIG_OR_FATAL;
            }
            int restored = storage.rollback(opened.scope());
            System.out.println(job + ": " + restored + " owners set back to their stored files");
            return RunReport.EXIT_OK;
        }
    }
}
