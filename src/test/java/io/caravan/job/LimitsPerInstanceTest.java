package io.caravan.job;

import io.caravan.ledger.LedgerDatabase;
import io.caravan.testing.TestHome;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToLongFunction;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code caravan.rate-limit} and {@code caravan.bandwidth-limit} hold per instance: two instances of one job, opened
 * as {@code caravan work} opens its job (here in one JVM, on one ledger), each get the whole limit, so together they
 * move about twice it. A limit shared between instances would hold them to once it; none would let them run free.
 */
class LimitsPerInstanceTest {

    private static final long WINDOW_MS = 1_500;

    @TempDir
    Path dir;
    private LedgerDatabase database;

    @AfterEach
    void closeLedger() {
        if (database != null) {
            database.close();
        }
    }

    @Test
    void two_instances_at_rate_limit_r_start_about_twice_r_items_per_second_together() throws Exception {
        long rate = 20;
        List<Job> instances = openTwoInstances(Map.of("caravan.rate-limit", Long.toString(rate)));
        try {
            long started = together(instances, job -> {
                job.rateLimiter().acquire();
                return 1;
            });
            // a full bucket to start with, then the refill: what one instance may start in the window
            long oneInstance = rate + rate * WINDOW_MS / 1000;
            assertThat(started).as("items started by two instances in %d ms", WINDOW_MS)
                    .isGreaterThan(oneInstance * 3 / 2).isLessThanOrEqualTo(2 * oneInstance + 4);
        } finally {
            instances.forEach(Job::close);
        }
    }

    @Test
    void two_instances_at_bandwidth_limit_b_read_about_twice_b_bytes_per_second_together() throws Exception {
        long bandwidth = 64 * 1024;
        List<Job> instances = openTwoInstances(Map.of("caravan.bandwidth-limit", "64KiB"));
        try {
            byte[] buffer = new byte[8 * 1024];
            long read = together(instances, job -> {
                try (InputStream in = job.bandwidth().wrap(zeros())) {
                    return in.read(buffer);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            long oneInstance = bandwidth + bandwidth * WINDOW_MS / 1000;
            assertThat(read).as("bytes read by two instances in %d ms", WINDOW_MS)
                    .isGreaterThan(oneInstance * 3 / 2).isLessThanOrEqualTo(2 * oneInstance + 2 * buffer.length);
        } finally {
            instances.forEach(Job::close);
        }
    }

    @Test
    void a_worker_says_its_limits_cover_this_instance_only() {
        assertThat(new InstanceLimits(50, 0, "worker-2").describe()).hasValue("rate-limit 50 items/s applies to this"
                + " instance (worker-2) only; every other instance has its own, so N workers move up to N times as"
                + " much");
        assertThat(new InstanceLimits(50, 10L << 20, "worker-2").describe()).get().asString()
                .startsWith("rate-limit 50 items/s and bandwidth-limit 10.0 MiB/s apply to this instance (worker-2)");
        assertThat(new InstanceLimits(0, 0, "worker-2").describe()).isEmpty();
    }

    private List<Job> openTwoInstances(Map<String, String> limits) {
        TestHome home = new TestHome(dir.resolve("home"));
        home.job("folder-to-folder", Map.of("source.type", "folder", "source.root", dir.toString(),
                "target.type", "folder", "target.root", dir.resolve("target").toString()));
        Workspace workspace = new Workspace(home.path());
        List<Job> jobs = new ArrayList<>();
        for (String instance : List.of("worker-1", "worker-2")) {
            Map<String, String> overrides = new HashMap<>(limits);
            overrides.put("caravan.instance", instance);
            JobSettings settings = workspace.settings("folder-to-folder", overrides);
            if (database == null) {
                database = workspace.openLedger(settings);
            }
            jobs.add(workspace.openJob(settings, database));
        }
        return jobs;
    }

    /** Two threads per instance do {@code step} until the window closes; returns the sum of what the steps moved. */
    private static long together(List<Job> instances, ToLongFunction<Job> step) throws InterruptedException {
        AtomicLong moved = new AtomicLong();
        long end = System.nanoTime() + WINDOW_MS * 1_000_000;
        List<Thread> threads = new ArrayList<>();
        for (Job job : instances) {
            for (int i = 0; i < 2; i++) {
                Thread thread = new Thread(() -> {
                    while (System.nanoTime() < end) {
                        long n = step.applyAsLong(job);
                        if (System.nanoTime() <= end) {
                            moved.addAndGet(n);
                        }
                    }
                });
                thread.start();
                threads.add(thread);
            }
        }
        for (Thread t : threads) {
            t.join();
        }
        return moved.get();
    }

    private static InputStream zeros() {
        return new InputStream() {
            @Override
            public int read() {
                return 0;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                return len;
            }
        };
    }
}
