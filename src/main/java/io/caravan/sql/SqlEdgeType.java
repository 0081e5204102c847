package io.caravan.sql;

import io.caravan.job.ConfigException;
import io.caravan.job.Databases;
import io.caravan.job.EdgeContext;
import io.caravan.job.EdgeType;
import io.caravan.job.JobSettings;
import io.caravan.source.ItemSource;
import io.caravan.target.ItemTarget;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code sql}: tables of a PostgreSQL schema ({@code source.jdbc-url}, {@code source.schema}, {@code source.tables},
 * {@code source.chunk-rows}, {@code transform.<table>.<column>}, {@code row-transform.<table>}) into a database
 * ({@code target.jdbc-url}, {@code target.schema}, {@code target.create-tables}, {@code target.before-scripts},
 * {@code target.after-scripts}): PostgreSQL through COPY, or another database through JDBC.
 */
public final class SqlEdgeType implements EdgeType {

    @Override
    public List<String> names() {
        return List.of("sql");
    }

    @Override
    public ItemSource source(String type, EdgeContext context) {
        JobSettings s = context.settings();
        // one more connection than the listing and the workers take: a first copy by pages holds its snapshot
        return new SqlSource(Databases.pool(s, "source", context.workers() + 1), s.string("source.schema", "public"),
                s.list("source.tables"), transforms(s), rowTransforms(s), s.integer("source.chunk-rows", 10_000),
                () -> RecordedCuts.read(context.ledger(), context.scope()));
    }

    @Override
    public ItemTarget target(String type, EdgeContext context) {
        if (!(context.source() instanceof SqlSource tables)) {
            throw new ConfigException("target.type 'sql' copies tables from source.type 'sql'");
        }
        JobSettings s = context.settings();
        String url = s.required("target.jdbc-url");
        List<Path> before = paths(context.home(), s, "target.before-scripts");
        List<Path> after = paths(context.home(), s, "target.after-scripts");
        if (JdbcTarget.handles(url)) {
            return new JdbcTarget(Databases.pool(s, "target", context.workers()), url, tables,
                    s.string("target.schema", "PUBLIC"), s.flag("target.create-tables", true), before, after);
        }
        SqlTarget target = new SqlTarget(Databases.pool(s, "target", context.workers()), tables,
                s.string("target.schema", s.string("source.schema", "public")), s.flag("target.create-tables", true),
                before, after);
        target.checkCollationVersions(s.flag("target.check-collation-versions", true));
        tables.carryBinary(target::takesBinary);
        tables.sampleFirstCopies(true); // the target takes each chunk's row versions and records their digest
        if (s.flag("source.copy-by-pages", true)) {
            tables.copyFirstCopiesByPages(target::takesPages, chunks -> {
                chunks.forEach(chunk -> context.ledger().recordDone(context.scope(), chunk.itemKey(),
                        chunk.fingerprint(), chunk.itemKey(), null, 0));
                context.ledger().flush();
            });
        }
        return target;
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
}
