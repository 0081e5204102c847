package io.caravan.job;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.caravan.ckan.CkanEdges;
import io.caravan.ckan.CkanTarget;
import io.caravan.ckan.JsonlTarget;
import io.caravan.ckanfiles.CkanStorageEdges;
import io.caravan.convert.Conversion;
import io.caravan.convert.JqConversion;
import io.caravan.convert.ProcessorConversion;
import io.caravan.ledger.Ledger;
import io.caravan.plan.ItemFilter;
import io.caravan.plan.KeyMapper;
import io.caravan.s3.S3Clients;
import io.caravan.s3.S3Settings;
import io.caravan.seafile.Backend;
import io.caravan.seafile.ObjectType;
import io.caravan.seafile.SeafileConf;
import io.caravan.seafile.SeafileSource;
import io.caravan.seafile.SeafileTarget;
import io.caravan.source.FolderSource;
import io.caravan.source.ItemSource;
import io.caravan.source.S3Source;
import io.caravan.silverstripe.SilverStripeEdges;
import io.caravan.sql.JdbcTarget;
import io.caravan.sql.RowTransform;
import io.caravan.sql.SqlSource;
import io.caravan.sql.SqlTarget;
import io.caravan.target.FolderTarget;
import io.caravan.target.ItemTarget;
import io.caravan.target.KeepVerifiedTarget;
import io.caravan.target.S3Target;
import io.caravan.transfer.BandwidthLimiter;
import io.caravan.transfer.BufferBudget;
import org.apache.camel.Processor;
import software.amazon.awssdk.services.s3.S3Client;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** Builds a job's edges and limits from its settings. Every setting and its default is read here. */
public final class JobFactory {

    private JobFactory() {
    }

    public static Job create(Path home, JobSettings s, Ledger ledger) {
        int workers = s.integer("caravan.workers", 16);
        if (workers < 1) {
            throw new ConfigException("caravan.workers must be at least 1");
        }
        ItemSource source = source(home, s, ledger, workers);
        ItemTarget built = target(home, s, workers, source, ledger);
        ItemTarget target = s.flag("target.keep-verified", false) ? new KeepVerifiedTarget(built) : built;
        return new Job(s, source, target, ledger,
                new ItemFilter(s.string("filter.include", ""), s.string("filter.exclude", ""),
                        s.duration("filter.min-age", null), s.duration("filter.max-age", null), Clock.systemUTC()),
                new KeyMapper(s.string("mapping.rename-from", ""),
                        s.string("mapping.rename-to", ""), s.string("target.prefix", "")),
                BandwidthLimiter.of(s.bytes("caravan.bandwidth-limit", 0)), conversion(home, s, built),
                workers, s.integer("caravan.queue-size", 1000));
    }

    /**
     * {@code convert.jq} (a jq program's file) or {@code convert.processor} (a Camel Processor's class): how a record
     * becomes what the target takes. Records only: files and rows are copied as they are.
     */
    private static Conversion conversion(Path home, JobSettings s, ItemTarget target) {
        String jq = s.string("convert.jq", "");
        String processor = s.string("convert.processor", "");
        if (jq.isEmpty() && processor.isEmpty()) {
            return Conversion.NONE;
        }
        if (!(target instanceof CkanTarget) && !(target instanceof JsonlTarget)) {
            throw new ConfigException("convert.* converts records: target.type must be ckan or ckan-jsonl");
        }
        if (!jq.isEmpty()) {
            Path program = home.resolve(jq);
            try {
                return new JqConversion(program.getFileName().toString(), Files.readString(program));
            } catch (IOException e) {
                throw new ConfigException("convert.jq: cannot read " + program + ": " + e.getMessage());
            }
        }
        try {
            return new ProcessorConversion((Processor) Class.forName(processor).getConstructor().newInstance());
        } catch (ReflectiveOperationException | ClassCastException e) {
            throw new ConfigException("convert.processor: cannot make a Camel Processor of " + processor + ": " + e);
        }
    }

    private static ItemSource source(Path home, JobSettings s, Ledger ledger, int workers) {
        String type = s.required("source.type");
        return switch (type) {
            case "folder" -> new FolderSource(home.resolve(s.required("source.root")));
            // the S3 source lists under its prefix and yields keys relative to it
            case "s3" -> new S3Source(S3Clients.create(s3(s, "source", workers)), s.required("source.bucket"),
                    s.string("source.prefix", ""));
            case "seafile" -> new SeafileSource(seafile(home, s, "source", workers));
            case "sql" -> new SqlSource(database(s, "source", workers), s.string("source.schema", "public"),
                    s.list("source.tables"), transforms(s), rowTransforms(s),
                    s.integer("source.chunk-rows", 10_000));
            case "ckan", "ckan-jsonl" -> CkanEdges.source(home, s, ledger, workers);
            case "ckan-storage" -> CkanStorageEdges.source(home, home.resolve(s.string("caravan.data-dir", "data")),
                    s, ledger, database(s, "source", workers));
            case "silverstripe" -> SilverStripeEdges.source(home, s, workers);
            default -> throw new ConfigException("source.type '" + type
                    + "' is not one of: folder, s3, seafile, sql, ckan, ckan-jsonl, ckan-storage, silverstripe");
        };
    }

    private static ItemTarget target(Path home, JobSettings s, int workers, ItemSource source, Ledger ledger) {
        String type = s.required("target.type");
        return switch (type) {
            case "folder" -> folderTarget(home.resolve(s.required("target.root")), s);
            // the key mapper adds the target prefix, so the S3 target writes keys as given
            case "s3" -> {
                S3Settings settings = s3(s, "target", workers);
                yield s3Target(() -> S3Clients.create(settings), s.required("target.bucket"), s);
            }
            case "seafile" -> {
                BufferBudget budget = budget(s); // one budget for the three stores
                yield new SeafileTarget(seafile(home, s, "target", workers), backend ->
                        backend instanceof Backend.Bucket b ? s3Target(() -> S3Clients.create(b.s3()), b.bucket(), s, budget)
                                : folderTarget(((Backend.Folder) backend).folder(), s));
            }
            case "sql" -> {
                if (!(source instanceof SqlSource tables)) {
                    throw new ConfigException("target.type 'sql' copies tables from source.type 'sql'");
                }
                String url = s.required("target.jdbc-url");
                if (JdbcTarget.handles(url)) {
                    yield new JdbcTarget(database(s, "target", workers), url, tables,
                            s.string("target.schema", "PUBLIC"), s.flag("target.create-tables", true),
                            paths(home, s, "target.before-scripts"),
                            paths(home, s, "target.after-scripts"));
                }
                yield new SqlTarget(database(s, "target", workers), tables,
                        s.string("target.schema", s.string("source.schema", "public")),
                        s.flag("target.create-tables", true), paths(home, s, "target.before-scripts"),
                        paths(home, s, "target.after-scripts"));
            }
            case "ckan", "ckan-jsonl" -> CkanEdges.target(home, s, workers, source, ledger);
            case "silverstripe" -> SilverStripeEdges.target(source);
            default -> throw new ConfigException("target.type '" + type
                    + "' is not one of: folder, s3, seafile, sql, ckan, ckan-jsonl, silverstripe");
        };
    }

    private static FolderTarget folderTarget(Path root, JobSettings s) {
        return new FolderTarget(root, s.flag("target.fsync", true), s.flag("target.read-back", true));
    }

    private static S3Target s3Target(Supplier<S3Client> connect, String bucket, JobSettings s) {
        return s3Target(connect, bucket, s, budget(s));
    }

    private static S3Target s3Target(Supplier<S3Client> connect, String bucket, JobSettings s, BufferBudget budget) {
        return new S3Target(connect, bucket, s.bytes("caravan.multipart-threshold", 16L << 20),
                (int) Math.max(5L << 20, s.bytes("caravan.part-size", 8L << 20)),
                s.integer("caravan.part-concurrency", 4), budget);
    }

    private static BufferBudget budget(JobSettings s) {
        return BufferBudget.of(s.bytes("caravan.buffer-memory", BufferBudget.defaultBytes()));
    }

    /** {@code <side>.jdbc-url}, {@code <side>.user}, {@code <side>.password}: one pool, a connection per worker. */
    private static HikariDataSource database(JobSettings s, String side, int workers) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(s.required(side + ".jdbc-url"));
        config.setUsername(s.string(side + ".user", null));
        config.setPassword(s.string(side + ".password", null));
        config.setMaximumPoolSize(workers + 2);
        config.setPoolName("caravan-" + side);
        config.setInitializationFailTimeout(-1); // check() says what is wrong, with the job's words
        return new HikariDataSource(config);
    }

    /** {@code transform.<table>.<column> = <SQL expression>}, evaluated in the source's SELECT. */
    private static Map<String, Map<String, String>> transforms(JobSettings s) {
        Map<String, Map<String, String>> byTable = new HashMap<>();
        for (String key : s.keys()) {
            if (key.startsWith("transform.")) {
                String[] parts = key.split("\\.", 3);
                if (parts.length != 3) {
                    throw new ConfigException(key + ": a transform is transform.<table>.<column> = <SQL expression>");
                }
                byTable.computeIfAbsent(parts[1], t -> new HashMap<>()).put(parts[2], s.required(key));
            }
        }
        return byTable;
    }

    /** {@code row-transform.<table> = <class name>}: a {@link RowTransform} for each row of the table. */
    private static Map<String, RowTransform> rowTransforms(JobSettings s) {
        Map<String, RowTransform> byTable = new HashMap<>();
        for (String key : s.keys()) {
            if (key.startsWith("row-transform.")) {
                String className = s.required(key);
                try {
                    byTable.put(key.substring("row-transform.".length()), (RowTransform) Class.forName(className)
                            .getConstructor().newInstance());
                } catch (ReflectiveOperationException | ClassCastException e) {
                    throw new ConfigException(key + ": cannot make a RowTransform of " + className + ": " + e);
                }
            }
        }
        return byTable;
    }

    private static List<Path> paths(Path home, JobSettings s, String key) {
        return s.list(key).stream().map(home::resolve).toList();
    }

    /** {@code <side>.conf}: a seafile.conf; {@code <side>.seafile-data}: the seafile-data folder it goes with. */
    private static Map<ObjectType, Backend> seafile(Path home, JobSettings s, String side, int workers) {
        String data = s.string(side + ".seafile-data", "");
        return SeafileConf.read(home.resolve(s.required(side + ".conf")), data.isEmpty() ? null : home.resolve(data),
                workers * 2);
    }

    private static S3Settings s3(JobSettings s, String side, int workers) {
        String p = side + ".s3.";
        String endpoint = s.string(p + "endpoint", "");
        return new S3Settings(endpoint, s.string(p + "region", "us-east-1"), s.string(p + "access-key", null),
                s.string(p + "secret-key", null), s.flag(p + "path-style", !endpoint.isEmpty()), workers * 2,
                s.flag(p + "sign-payload", false));
    }
}
