package io.caravan.cli;

import io.caravan.job.Job;
import io.caravan.job.JobSettings;
import io.caravan.job.Workspace;
import io.caravan.ledger.LedgerDatabase;
import io.caravan.report.RunReport;
import io.caravan.verify.SelfVerifying;
import io.caravan.verify.Verifier;
import io.caravan.verify.VerifyResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.concurrent.Callable;

@Command(name = "verify", description = "Compare source, ledger and target: missing (-), differing (*), "
        + "pending (?), extra (+) and rejected at the source (!) items. Exit 0 when everything matches or was "
        + "rejected at the source, 3 otherwise.")
final class VerifyCommand extends JobOptions implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "JOB")
    String job;

    @Option(names = "--checksum", description = "Read target objects whose MD5 the target does not report "
            + "(files, multipart uploads) and compare it with the ledger")
    boolean checksum;

    @Override
    public Integer call() {
        Workspace workspace = workspace();
        JobSettings settings = workspace.settings(job, overrides);
        boolean passes = true;
        try (LedgerDatabase database = workspace.openLedger(settings)) {
            for (JobSettings part : settings.parts()) {
                passes &= verify(workspace, part, database);
            }
        }
        return passes ? RunReport.EXIT_OK : RunReport.EXIT_ITEMS_NOT_DONE;
    }

    private boolean verify(Workspace workspace, JobSettings settings, LedgerDatabase database) {
        try (Job opened = workspace.openJob(settings, database)) {
            opened.source().check();
            VerifyResult result = opened.target().unwrap() instanceof SelfVerifying self
                    ? self.verify(System.out::println)
                    : new Verifier(opened, checksum).verify(System.out::println);
            System.out.println(settings.job() + ": " + result.summary());
            return result.passes();
        }
    }
}
