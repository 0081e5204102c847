package io.caravan.ops;

import io.caravan.job.Job;
import io.caravan.job.JobRun;
import io.caravan.job.JobSettings;
import io.caravan.job.JobWorker;
import io.caravan.ops.http.ControlAccess;
import io.caravan.pipeline.HandOff;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.main.Main;

import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;

/**
 * What a {@code caravan work} instance shows operators: its share as the MBean {@code io.caravan:type=Worker,name=<job>}
 * and, with {@code caravan.work.http.port} set, as {@code caravan_job_items{job,outcome,instance}} on
 * {@code /observe/metrics} (with health and Jolokia, guarded off loopback as serve's port is).
 */
public final class WorkerObservation implements JobWorker.Observation {

    /** The worker's HTTP port; 0 (the default) for none, as several workers may share a machine. */
    public static final String HTTP_PORT = "caravan.work.http.port";

    private final Path home;

    public WorkerObservation(Path home) {
        this.home = home;
    }

    public static ObjectName objectName(String job) throws JMException {
        return new ObjectName("io.caravan:type=Worker,name=" + ObjectName.quote(job));
    }

    @Override
    public JobWorker.Observed start(Job job, JobRun run, Main camel) throws JMException {
        JobSettings settings = job.settings();
        String instance = HandOff.instance(settings);
        WorkerShare share = new WorkerShare(run, instance);
        int port = settings.integer(HTTP_PORT, 0);
        if (port > 0) {
            String host = ObserveHttp.host(settings);
            ObserveHttp.expose(camel, host, port, ControlAccess.requiredFor(home, settings, host));
        }
        MBeanServer mbeans = ManagementFactory.getPlatformMBeanServer();
        ObjectName name = objectName(job.name());
        if (mbeans.isRegistered(name)) {
            mbeans.unregisterMBean(name);
        }
        mbeans.registerMBean(share, name);
        return new JobWorker.Observed() {
            @Override
            public void camelStarted(CamelContext context) {
                MeterRegistry meters = context.getRegistry().findSingleByType(MeterRegistry.class);
                if (meters != null) {
                    JobMetrics.register(meters, job.name(), instance, share::stats, share::isWorking);
                }
            }

            @Override
            public void close() throws JMException {
                share.stopping();
                mbeans.unregisterMBean(name);
            }
        };
    }
}
