package io.caravan.ops;

import io.caravan.job.Job;
import io.caravan.job.JobRun;
import io.caravan.job.JobSettings;
import io.caravan.job.JobWorker;
import io.caravan.job.Workspace;
import io.caravan.ledger.LedgerDatabase;
import io.caravan.pipeline.CaravanCamel;
import io.caravan.testing.LoopbackPorts;
import io.caravan.testing.TestHome;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.management.MBeanServer;
import javax.management.ObjectName;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A {@code caravan work} instance shows its own share of a job's items: in its MBean, and with
 * {@code caravan.work.http.port} set, in its Prometheus metrics under its instance name (Camel as the worker starts
 * it, on 127.0.0.1).
 */
class WorkerObservationTest {

    private static final String JOB = "folder-to-folder";

    @TempDir
    Path dir;

    @Test
    void should_show_the_instance_and_its_share_in_the_worker_mbean_and_metrics_until_it_stops() throws Exception {
        TestHome home = new TestHome(dir.resolve("home"));
        home.job(JOB, Map.of("source.type", "folder", "source.root", dir.toString(),
                "target.type", "folder", "target.root", dir.resolve("target").toString()));
        Workspace workspace = new Workspace(home.path());
        int port = LoopbackPorts.free();
        JobSettings settings = workspace.settings(JOB, Map.of("caravan.instance", "worker-3",
                WorkerObservation.HTTP_PORT, Integer.toString(port)));
        MBeanServer mbeans = ManagementFactory.getPlatformMBeanServer();
        ObjectName name = WorkerObservation.objectName(JOB);
        try (LedgerDatabase database = workspace.openLedger(settings);
             Job job = workspace.openJob(settings, database)) {
            JobRun run = new JobRun("run-1", job.scope(), false, dir.resolve("run"));
            Main camel = CaravanCamel.forRun(settings, List.of(job), workspace.kameletPattern(),
                    workspace.routeFile(JOB));
            JobWorker.Observed observed = new WorkerObservation(home.path()).start(job, run, camel);
            try {
                camel.start();
                observed.camelStarted(camel.getCamelContext());
                run.stats().onDone(2_048, "copied");
                run.stats().onFailed(0);

                assertThat(mbeans.getAttribute(name, "Instance")).isEqualTo("worker-3");
                assertThat(mbeans.getAttribute(name, "State")).isEqualTo("WORKING");
                assertThat(mbeans.getAttribute(name, "Done")).isEqualTo(1L);
                assertThat(mbeans.getAttribute(name, "Failed")).isEqualTo(1L);
                assertThat(mbeans.getAttribute(name, "Bytes")).isEqualTo(2_048L);
                String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/observe/metrics")).build(),
                        HttpResponse.BodyHandlers.ofString()).body();
                assertThat(metrics)
                        .contains("caravan_job_items{instance=\"worker-3\",job=\"" + JOB + "\",outcome=\"done\"} 1.0")
                        .contains("caravan_job_items{instance=\"worker-3\",job=\"" + JOB + "\",outcome=\"failed\"} 1.0")
                        .contains("caravan_job_bytes{instance=\"worker-3\",job=\"" + JOB + "\"} 2048.0");
            } finally {
                camel.stop();
                observed.close();
            }
            assertThat(mbeans.isRegistered(name)).as("gone once the worker stops").isFalse();
        }
    }

}
