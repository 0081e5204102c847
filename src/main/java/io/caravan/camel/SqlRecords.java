package io.caravan.camel;

import com.zaxxer.hikari.HikariDataSource;
import io.caravan.item.CloseableIterator;
import io.caravan.item.Identities;
import io.caravan.item.JobFatalException;
import io.caravan.job.ConfigException;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A query's rows through camel-sql ({@code sql:SELECT …?dataSource=#name}) or camel-jdbc ({@code jdbc:name}, the
 * query in {@code source.query}), each row a record. The DataSource is the job's pool ({@code source.jdbc-url},
 * {@code source.user}, {@code source.password}), bound under the name the URI refers to. The rows stream: the
 * producer's {@code outputType=StreamList} and a streaming split hand them over one by one, with a fetch size, in a
 * read-only transaction. Without {@code source.key}, a row's key is its primary key, known when the query reads one
 * table that has one.
 */
final class SqlRecords implements Records {

    static final String DEFAULT_DATA_SOURCE = "caravanSource";
    private static final Pattern DATA_SOURCE = Pattern.compile("[?&]dataSource=#?([^&]+)");
    /** A query of one table: {@code SELECT … FROM [schema.]table [WHERE …] [ORDER BY …]}, nothing joined. */
    private static final Pattern ONE_TABLE = Pattern.compile(
            "\\s*select\\s.+?\\sfrom\\s+(?:([a-z_][\\w$]*)\\.)?([a-z_][\\w$]*)\\s*(?:(?:where|order\\s+by|limit)\\s.*)?",
            Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
    private static final Pattern SELECT = Pattern.compile("\\s*select\\s.*", Pattern.CASE_INSENSITIVE | Pattern.DOTALL);

    private final String uri;
    private final String scheme;
    private final String query;
    private final String dataSourceName;
    private final HikariDataSource db;
    private final int queueSize;
    private volatile List<String> primaryKey;

    /**
     * @param query the statement: the URI's path for sql:, {@code source.query} for jdbc:
     * @param pool  opened once the URI and the query passed their checks, so a refused job opens no pool
     */
    SqlRecords(String uri, String query, Supplier<HikariDataSource> pool, int queueSize) {
        this.scheme = CamelUris.scheme(uri);
        ReadOnlyUris.refuseChanges(uri, "source.uri");
        this.query = query;
        refuseChanges(query, scheme.equals("sql") ? "source.uri" : "source.query");
        if (scheme.equals("sql")) {
            Matcher named = DATA_SOURCE.matcher(uri);
            boolean found = named.find();
            this.dataSourceName = found ? named.group(1) : DEFAULT_DATA_SOURCE;
            this.uri = found ? uri : CamelUris.withOptions(uri, "dataSource=#" + DEFAULT_DATA_SOURCE);
        } else {
            String path = uri.substring(uri.indexOf(':') + 1);
            int options = path.indexOf('?');
            this.dataSourceName = (options < 0 ? path : path.substring(0, options)).replaceFirst("^#", "");
            this.uri = uri;
        }
        this.queueSize = queueSize;
        this.db = pool.get();
    }

    /** The SQL of a {@code sql:} URI: its path, up to the options. */
    static String queryOf(String uri) {
        String path = uri.substring(uri.indexOf(':') + 1);
        int options = path.indexOf('?');
        return options < 0 ? path : path.substring(0, options);
    }

    /** One SELECT, nothing after it: a statement that writes, or a second statement, is refused. */
    private static void refuseChanges(String query, String setting) {
        if (query == null || query.isBlank()) {
            throw new ConfigException(setting + " holds no query: a jdbc: source reads the SELECT in source.query");
        }
        String statement = query.strip().replaceFirst(";$", "");
        if (!SELECT.matcher(statement).matches() || statement.contains(";")) {
            throw new ConfigException(setting + ": the statement '" + abbreviate(statement) + "' is not one SELECT;"
                    + " Caravan only reads a source (a record source runs a single SELECT)");
        }
    }

    private static String abbreviate(String text) {
        return text.length() <= 60 ? text : text.substring(0, 57) + "...";
    }

    @Override
    public void check() {
        try (Connection c = db.getConnection()) {
            if (!c.isValid(5)) {
                throw new SQLException("the connection does not answer");
            }
        } catch (SQLException e) {
            throw new JobFatalException("source.jdbc-url: cannot connect to " + Identities.jdbc(db.getJdbcUrl(), "")
                    + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void bind(CamelContext camel) {
        camel.getRegistry().bind(dataSourceName, db);
    }

    @Override
    public CloseableIterator<Object> read(CamelContext camel) {
        RecordHandOff rows = new RecordHandOff(queueSize, "source.uri " + CamelUris.safe(uri));
        String producer = CamelUris.withOptions(uri, "outputType=StreamList");
        String start = "direct:caravan-records";
        try {
            camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    onException(Exception.class).handled(true)
                            .process(e -> rows.fail(e.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class)));
                    from(start).routeId("caravan-records").to(producer)
                            // a listing closed early stops the split at the next row, not at the result set's end
                            .split(body()).streaming().stopOnException()
                            .process(e -> rows.hand(e.getMessage().getBody())).end()
                            .process(e -> rows.end());
                }
            });
        } catch (Exception e) {
            throw new JobFatalException("source.uri " + CamelUris.safe(uri) + " cannot be read: " + e.getMessage(), e);
        }
        camel.createProducerTemplate().asyncSendBody(start, scheme.equals("jdbc") ? query : null);
        return rows;
    }

    @Override
    public void requireDefaultKey() {
        primaryKey();
    }

    @Override
    public String defaultKey(Object record) {
        List<String> columns = primaryKey();
        Map<?, ?> row = (Map<?, ?>) record;
        List<String> values = new ArrayList<>(columns.size());
        for (String column : columns) {
            Object value = row.get(column);
            if (value == null) {
                throw new IllegalArgumentException("the row has no value in " + column + ", its primary key column"
                        + " (select it, or set source.key)");
            }
            values.add(String.valueOf(value));
        }
        return String.join(",", values);
    }

    /**
     * The primary key columns of the one table the query reads, as the database names them; fails naming
     * source.key when the query reads no single table with a primary key.
     */
    List<String> primaryKey() {
        List<String> known = primaryKey;
        if (known == null) {
            Matcher table = ONE_TABLE.matcher(query.strip().replaceFirst(";$", ""));
            if (!table.matches() || table.group(0).toLowerCase(Locale.ROOT).contains(" join ")) {
                throw needsKey("it does not read a single table");
            }
            known = primaryKeyOf(table.group(1), table.group(2));
            if (known.isEmpty()) {
                throw needsKey("table " + table.group(2) + " has no primary key");
            }
            primaryKey = known;
        }
        return known;
    }

    private List<String> primaryKeyOf(String schema, String table) {
        try (Connection c = db.getConnection()) {
            DatabaseMetaData meta = c.getMetaData();
            // unquoted names: the database's own case (PostgreSQL lower, H2 and Oracle upper)
            String t = meta.storesUpperCaseIdentifiers() ? table.toUpperCase(Locale.ROOT)
                    : meta.storesLowerCaseIdentifiers() ? table.toLowerCase(Locale.ROOT) : table;
            String s = schema == null ? null : meta.storesUpperCaseIdentifiers() ? schema.toUpperCase(Locale.ROOT)
                    : meta.storesLowerCaseIdentifiers() ? schema.toLowerCase(Locale.ROOT) : schema;
            TreeMap<Short, String> columns = new TreeMap<>();
            try (ResultSet keys = meta.getPrimaryKeys(c.getCatalog(), s, t)) {
                while (keys.next()) {
                    columns.put(keys.getShort("KEY_SEQ"), keys.getString("COLUMN_NAME"));
                }
            }
            return List.copyOf(columns.values());
        } catch (SQLException e) {
            throw new JobFatalException("source.jdbc-url: cannot read the primary key of " + table + ": "
                    + e.getMessage(), e);
        }
    }

    private ConfigException needsKey(String why) {
        return new ConfigException("source.key is needed: the rows of '" + abbreviate(query) + "' have no primary key"
                + " Caravan can know (" + why + "); set source.key to a Simple expression of a row's key, such as"
                + " ${body[id]}");
    }

    @Override
    public String describe() {
        return "rows of " + abbreviate(query) + " (Camel " + scheme + ":) in " + Identities.jdbc(db.getJdbcUrl(), "");
    }

    @Override
    public String identity() {
        return CamelUris.identity(uri) + (scheme.equals("jdbc") ? " " + query.strip() : "") + " in "
                + Identities.jdbc(db.getJdbcUrl(), "");
    }

    @Override
    public void close() {
        db.close();
    }
}
