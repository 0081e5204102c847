package io.caravan.cli;

import io.caravan.job.JobRunner;
import io.caravan.report.RunReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "run", description = "Run a job once: list, plan, transfer, record. Exit 0 all done, "
        + "3 some items rejected or failed (see the rejects file), 2 bad configuration or job-fatal error.")
final class RunCommand extends JobOptions implements Callable<Integer> {

    @Parameters(arity = "1..*", paramLabel = "JOB", description = "routes/<JOB>.camel.yaml (or routes/<JOB>.java)"
            + " with config/jobs/<JOB>.properties; several jobs run one after another (users, then organizations...),"
            + " and a job-fatal error stops the ones after it")
    List<String> jobs;

    @Option(names = "--dry-run", description = "Plan only: counts and bytes per decision; nothing is written")
    boolean dryRun;

    @Option(names = "--only", split = ",", paramLabel = "SUBTASK", description = "For a job made of subtasks"
            + " (silverstripe): run only these, in the job's order")
    List<String> only = List.of();

    @Override
    public Integer call() throws Exception {
        JobRunner runner = new JobRunner(workspace(), System.out, System.console() != null);
        int exit = RunReport.EXIT_OK;
        for (String job : jobs) {
            for (RunReport report : runner.run(job, overrides, dryRun, only)) {
                int code = report.exitCode();
                if (code == RunReport.EXIT_CONFIG_OR_FATAL) {
                    return code;
                }
                exit = Math.max(exit, code);
            }
        }
        return exit;
    }
}
