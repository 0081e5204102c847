package io.caravan.job;

import io.caravan.item.JobFatalException;
import io.caravan.ledger.LedgerDatabase;
import io.caravan.pipeline.CaravanCamel;
import io.caravan.report.RunReport;
import org.apache.camel.main.Main;

import java.io.PrintStream;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;

/** {@code caravan run}: boots Camel with one job's route file, runs the job once, reports, stops. */
public final class JobRunner {

    private final Workspace workspace;
    private final PrintStream out;
    private final boolean terminal;

    public JobRunner(Workspace workspace, PrintStream out, boolean terminal) {
        this.workspace = workspace;
        this.out = out;
        this.terminal = terminal;
    }

    public RunReport run(String jobName, Map<String, String> overrides, boolean dryRun) throws Exception {
        JobSettings settings = workspace.settings(jobName, overrides);
        if (!Files.isRegularFile(workspace.routeFile(jobName))) {
            throw new ConfigException("no route file for job '" + jobName + "': " + workspace.routeFile(jobName));
        }
        try (LedgerDatabase database = workspace.openLedger(settings);
             Job job = workspace.openJob(settings, database)) {
            job.source().check();
            job.target().check();
            JobExecution execution = new JobExecution(job, workspace.dataDir(settings));
            JobRun run = execution.prepare(dryRun);
            Main camel = CaravanCamel.create(settings, List.of(job),
                    workspace.kameletPattern() + ",file:" + workspace.routeFile(jobName));
            camel.start();
            RunReport report;
            try {
                report = execution.execute(run, camel.getCamelTemplate(), System.err, terminal);
            } finally {
                camel.stop();
            }
            out.print(report.toText());
            return report;
        } catch (JobFatalException e) {
            throw new ConfigException(e.getMessage());
        }
    }
}
