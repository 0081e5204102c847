package io.caravan.cli;

import io.caravan.job.JobRunner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.concurrent.Callable;

@Command(name = "run", description = "Run a job once: list, plan, transfer, record. Exit 0 all done, "
        + "3 some items rejected or failed (see the rejects file), 2 bad configuration or job-fatal error.")
final class RunCommand extends JobOptions implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "JOB", description = "routes/<JOB>.camel.yaml with config/jobs/<JOB>.properties")
    String job;

    @Option(names = "--dry-run", description = "Plan only: counts and bytes per decision; nothing is written")
    boolean dryRun;

    @Override
    public Integer call() throws Exception {
        return new JobRunner(workspace(), System.out, System.console() != null).run(job, overrides, dryRun).exitCode();
    }
}
