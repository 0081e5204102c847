package io.caravan.cli;

import io.caravan.job.ConfigException;
import io.caravan.job.Job;
import io.caravan.job.JobSettings;
import io.caravan.job.Workspace;
import io.caravan.ledger.LedgerDatabase;
import io.caravan.report.RunReport;
import io.caravan.verify.Difference;
import io.caravan.verify.SelfVerifying;
import io.caravan.verify.Verifier;
import io.caravan.verify.VerifyResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

@Command(name = "verify", description = "Compare source, ledger and target: missing (-), differing (*), "
        + "pending (?), extra (+) and rejected at the source (!) items. Exit 0 when everything matches or was "
        + "rejected at the source, 3 otherwise.")
final class VerifyCommand extends JobOptions implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "JOB")
    String job;

    @Option(names = "--checksum", description = "Read target objects whose MD5 the target does not report "
            + "(files, multipart uploads) and compare it with the ledger")
    boolean checksum;

    @Option(names = "--download", description = "Read every target object and its source back and compare their "
            + "MD5s, trusting nothing the target reports (as rclone check --download)")
    boolean download;

    @Option(names = "--repair", description = "Mark every missing (-) or differing (*) item as pending in the "
            + "ledger: the next run copies exactly those")
    boolean repair;

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
            boolean selfVerifying = opened.target().unwrap() instanceof SelfVerifying;
            if (selfVerifying && (repair || download)) {
                throw new ConfigException("verify " + (repair ? "--repair" : "--download") + ": the target of job "
                        + settings.job() + " (" + opened.target().describe() + ") checks itself, table by table;"
                        + " run verify without it, and `caravan forget` a scope to copy it again whole");
            }
            AtomicLong marked = new AtomicLong();
            Consumer<Difference> print = System.out::println;
            Consumer<Difference> onDifference = repair ? print.andThen(d -> markPending(opened, d, marked)) : print;
            VerifyResult result = selfVerifying
                    ? ((SelfVerifying) opened.target().unwrap()).verify(System.out::println)
                    : new Verifier(opened, checksum, download).verify(onDifference);
            System.out.println(settings.job() + ": " + result.summary());
            if (repair) {
                opened.ledger().flush();
                System.out.println(settings.job() + ": " + marked.get() + " marked pending in the ledger; `caravan"
                        + " run " + settings.job() + "` copies " + (marked.get() == 1 ? "it" : "them") + " again");
            }
            return result.passes();
        }
    }

    private static void markPending(Job job, Difference difference, AtomicLong marked) {
        if (difference.kind() != Difference.Kind.MISSING && difference.kind() != Difference.Kind.DIFFER) {
            return;
        }
        job.ledger().find(job.scope(), difference.key()).filter(e -> e.status().isWritten()).ifPresent(e -> {
            job.ledger().markPending(job.scope(), e, "verify --repair: " + difference.kind().name().toLowerCase()
                    + " at the target (" + difference.detail() + ")");
            marked.incrementAndGet();
        });
    }
}
