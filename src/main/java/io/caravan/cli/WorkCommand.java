package io.caravan.cli;

import io.caravan.job.JobWorker;
import io.caravan.job.Workspace;
import io.caravan.ops.WorkerObservation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.util.concurrent.Callable;

@Command(name = "work", description = "Work for a job whose items are handed over through a broker queue"
        + " (caravan.handoff): consume the queue, transfer and record each item into the shared PostgreSQL ledger,"
        + " until stopped. Exit 0 when stopped, 2 on bad configuration or a job-fatal error.")
final class WorkCommand extends JobOptions implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "JOB", description = "routes/<JOB>.camel.yaml with config/jobs/<JOB>.properties")
    String job;

    @Override
    public Integer call() throws Exception {
        Workspace workspace = workspace();
        return new JobWorker(workspace, System.out, new WorkerObservation(workspace.home())).work(job, overrides);
    }
}
