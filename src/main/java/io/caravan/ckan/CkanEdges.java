package io.caravan.ckan;

import io.caravan.job.ConfigException;
import io.caravan.job.JobSettings;
import io.caravan.job.Timeouts;
import io.caravan.ledger.Ledger;
import io.caravan.ledger.LedgerScope;
import io.caravan.ledger.LedgerStatus;
import io.caravan.source.ItemSource;
import io.caravan.target.ItemTarget;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.function.Supplier;

/** The ckan pack's sources and targets, built from a job's settings; every CKAN setting and default is read here. */
public final class CkanEdges {

    private CkanEdges() {
    }

    /** {@code source.type = ckan} (a live portal) or {@code ckan-jsonl} (a ckanapi dump). */
    /** @param scope the job's ledger scope, asked for when a record is read */
    public static ItemSource source(Path home, JobSettings s, Ledger ledger, int workers,
                                    Supplier<LedgerScope> scope) {
        CkanRecords kind = records(s, "source");
        if (s.required("source.type").equals("ckan-jsonl")) {
            String file = s.required("source.file");
            return new JsonlSource(home.resolve(file), kind, kind == CkanRecords.DATASETS
                    ? home.resolve(s.string("source.files", file + ".files")) : null);
        }
        modifiedSince(s, ledger, kind, null); // a bad setting fails now, not at the first listing
        CkanClient client = client(s, "source", workers);
        CkanListing listing = new CkanListing(client, s.integer("source.page-size", 1000),
                s.flag("source.include-deleted", false), () -> modifiedSince(s, ledger, kind, scope));
        String fidelity = s.string("source.fidelity", "search");
        if (!fidelity.equals("search") && !fidelity.equals("show")) {
            throw new ConfigException("source.fidelity '" + fidelity + "' is not one of: search, show");
        }
        boolean tokenSet = s.string("source.api-token", null) != null;
        return new CkanSource(client, kind, listing, fidelity.equals("show"), tokenSet,
                key -> ledger.find(scope.get(), key).map(e -> e.status().isWritten()).orElse(false));
    }

    /**
     * {@code target.type = ckan} (a live portal) or {@code ckan-jsonl} (a file ckanapi load takes). A live source
     * lends the target its downloads, for the images and avatars uploaded there; the ledger tells a dump whether
     * this job wrote records before.
     */
    public static ItemTarget target(Path home, JobSettings s, int workers, ItemSource source, Ledger ledger,
                                    Supplier<LedgerScope> scope) {
        if (s.required("target.type").equals("ckan-jsonl")) {
            return new JsonlTarget(home.resolve(s.required("target.file")), s.flag("target.fsync", false),
                    () -> ledger.countByStatus(scope.get()).getOrDefault(LedgerStatus.DONE, 0L) > 0);
        }
        return new CkanTarget(client(s, "target", workers), records(s, "target"), mode(s.string("target.mode",
                "upsert")), s.flag("target.merge-users-by-name", false),
                source instanceof CkanSource live ? live::download : null);
    }

    /**
     * {@code source.modified-since}: a timestamp (UTC), {@code all}, or {@code last-run} (the default): the start of
     * the latest complete run in the job's scope (to the same target), less {@code source.clock-skew} (10 minutes),
     * as the portal's clock is not ours. Records kept back by a reject keep the window open, as a run with rejects is
     * not complete. Only a run asks (see {@link CkanListing#incremental}); {@code scope} is null when the setting is
     * only checked.
     */
    private static Instant modifiedSince(JobSettings s, Ledger ledger, CkanRecords kind,
                                         Supplier<LedgerScope> scope) {
        String since = s.string("source.modified-since", "last-run");
        if (!kind.hasModificationTime() && kind != CkanRecords.RESOURCE_FILES || since.equals("all")) {
            return null;
        }
        if (since.equals("last-run")) {
            Duration skew = s.duration("source.clock-skew", Duration.ofMinutes(10));
            return scope == null ? null
                    : ledger.lastCompleteRunStart(scope.get()).map(start -> start.minus(skew)).orElse(null);
        }
        try {
            return since.endsWith("Z") ? Instant.parse(since) : LocalDateTime.parse(since).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw new ConfigException("source.modified-since '" + since + "' is not a timestamp"
                    + " (2024-05-01T00:00:00), all or last-run");
        }
    }

    /**
     * {@code <side>.url}, {@code <side>.api-token} (a secret: config/secrets.properties or the environment), the
     * job's {@code caravan.timeout.*}; {@code <side>.timeout}, the older name, still sets the read-idle timeout of
     * that side alone.
     */
    private static CkanClient client(JobSettings s, String side, int workers) {
        Timeouts timeouts = Timeouts.of(s);
        Duration readIdle = s.duration(side + ".timeout", timeouts.readIdle());
        if (readIdle.isZero() || readIdle.isNegative()) {
            throw new ConfigException(side + ".timeout must be longer than zero, not " + s.string(side + ".timeout",
                    ""));
        }
        return new CkanClient(s.required(side + ".url"), s.string(side + ".api-token", null),
                new Timeouts(timeouts.connect(), timeouts.request(), readIdle), workers,
                s.integer(side + ".requests-per-second", 0));
    }

    /** {@code <side>.records}, datasets by default; a job moves one kind. */
    private static CkanRecords records(JobSettings s, String side) {
        String other = side.equals("source") ? "target" : "source";
        try {
            return CkanRecords.of(s.string(side + ".records", s.string(other + ".records", "datasets")));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(side + ".records: " + e.getMessage());
        }
    }

    private static CkanTarget.Mode mode(String mode) {
        return switch (mode) {
            case "upsert" -> CkanTarget.Mode.UPSERT;
            case "create-only" -> CkanTarget.Mode.CREATE_ONLY;
            case "update-only" -> CkanTarget.Mode.UPDATE_ONLY;
            default -> throw new ConfigException("target.mode '" + mode + "' is not one of: upsert, create-only,"
                    + " update-only");
        };
    }
}
