package io.caravan.camel;

import com.zaxxer.hikari.HikariDataSource;
import io.caravan.item.CloseableIterator;
import io.caravan.item.Item;
import io.caravan.item.JobFatalException;
import io.caravan.item.LookaheadIterator;
import io.caravan.job.ConfigException;
import io.caravan.job.Databases;
import io.caravan.job.EdgeContext;
import io.caravan.job.JobSettings;
import io.caravan.source.ItemSource;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Expression;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;

import java.io.ByteArrayInputStream;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code source.type = camel} with a record endpoint ({@code sql:}, {@code jdbc:}, {@code http:}, {@code https:}):
 * each record the endpoint yields is one item, its body the record as JSON (carried by the item, one record's bytes
 * at a time), its key and fingerprint Simple expressions over the record as a map ({@code source.key =
 * ${body[id]}}, {@code source.fingerprint = ${body[modified]}}). Defaults: the key is a row's primary key (the
 * sql: and jdbc: sources; an http: source needs source.key), the fingerprint a digest of the record's canonical
 * JSON. A record whose key or JSON cannot be made is rejected with the reason; the others go on.
 */
public final class CamelRecordSource implements ItemSource {

    private static final String HEADER = "source.header.";

    private final Records records;
    private final String keyExpression;
    private final String fingerprintExpression;

    /** The record source of {@code source.uri}, an endpoint whose scheme {@link #reads(String)}. */
    static CamelRecordSource of(String uri, EdgeContext context) {
        JobSettings s = context.settings();
        String scheme = CamelUris.scheme(uri);
        int queueSize = s.integer("caravan.queue-size", 1000);
        String key = s.string("source.key", "");
        String fingerprint = s.string("source.fingerprint", "");
        // parsed here to fail at once with the setting named, before a pool opens; each listing parses them anew
        SimpleExpressions.parse(key, "source.key");
        SimpleExpressions.parse(fingerprint, "source.fingerprint");
        Records records = switch (scheme) {
            case "sql", "jdbc" -> {
                String query = scheme.equals("sql") ? SqlRecords.queryOf(uri) : s.string("source.query", "");
                yield new SqlRecords(uri, query, () -> readOnlyPool(s, context.workers()), queueSize);
            }
            default -> new HttpRecords(uri, s.string("source.records", ""), HttpRecords.Paging.of(
                    s.string("source.paging", "offset"), s.string("source.page-param", ""),
                    s.integer("source.page-size", 100), s.string("source.page-size-param", ""),
                    s.integer("source.first-page", 1)), headers(s));
        };
        return new CamelRecordSource(records, key, fingerprint);
    }

    /** {@code source.header.<name> = <value>}, the empty ones left out (an unset token). */
    private static Map<String, String> headers(JobSettings s) {
        Map<String, String> headers = new TreeMap<>();
        for (String name : s.keys()) {
            String value = name.startsWith(HEADER) ? s.string(name, "") : "";
            if (!value.isEmpty()) {
                headers.put(name.substring(HEADER.length()), value);
            }
        }
        return headers;
    }

    /**
     * The job's pool ({@code source.jdbc-url}), its connections read-only and out of auto-commit: PostgreSQL then
     * streams a result set with the fetch size instead of reading it whole, and refuses a write.
     */
    private static HikariDataSource readOnlyPool(JobSettings s, int workers) {
        return Databases.pool(s, "source", workers, config -> {
            config.setReadOnly(true);
            config.setAutoCommit(false);
            if (config.getJdbcUrl().startsWith("jdbc:postgresql:")) {
                config.addDataSourceProperty("defaultRowFetchSize", "1000");
            }
        });
    }

    CamelRecordSource(Records records, String keyExpression, String fingerprintExpression) {
        this.records = records;
        this.keyExpression = keyExpression;
        this.fingerprintExpression = fingerprintExpression;
    }

    /** Whether the endpoint of this scheme is read as records rather than as files. */
    static boolean reads(String scheme) {
        return switch (scheme) {
            case "sql", "jdbc", "http", "https" -> true;
            default -> false;
        };
    }

    @Override
    public void check() {
        records.check();
        if (keyExpression.isEmpty()) {
            records.requireDefaultKey(); // fails now, naming source.key, rather than rejecting every record
        }
    }

    @Override
    public CloseableIterator<Item> list() {
        CamelContext camel = new DefaultCamelContext();
        camel.disableJMX();
        records.bind(camel);
        try {
            camel.start();
        } catch (RuntimeException e) {
            camel.stop();
            throw new JobFatalException("source.uri cannot be read: " + e.getMessage(), e);
        }
        CloseableIterator<Object> read;
        try {
            read = records.read(camel);
        } catch (RuntimeException e) {
            camel.stop();
            throw e;
        }
        return new Listing(camel, read);
    }

    @Override
    public Content open(Item item) {
        return new Content(new ByteArrayInputStream(item.record()), new Item.Attributes("application/json", Map.of()));
    }

    @Override
    public String describe() {
        return records.describe();
    }

    @Override
    public String identity() {
        return records.identity();
    }

    @Override
    public void close() {
        records.close();
    }

    /** The records as items, numbered so that a record without a key can be named. */
    private final class Listing extends LookaheadIterator<Item> {

        private final CamelContext camel;
        private final CloseableIterator<Object> read;
        private final Expression key;
        private final Expression fingerprint;
        private long number;

        Listing(CamelContext camel, CloseableIterator<Object> read) {
            this.camel = camel;
            this.read = read;
            this.key = SimpleExpressions.parse(keyExpression, camel);
            this.fingerprint = SimpleExpressions.parse(fingerprintExpression, camel);
        }

        @Override
        protected Item advance() {
            return read.hasNext() ? itemOf(read.next(), ++number) : null;
        }

        private Item itemOf(Object record, long n) {
            String k = null;
            try {
                Exchange exchange = new DefaultExchange(camel);
                exchange.getMessage().setBody(record);
                k = key == null ? records.defaultKey(record) : key.evaluate(exchange, String.class);
                if (k == null || k.isEmpty()) {
                    return Item.unusable("record " + n, "source.key gave no key for record " + n + ": "
                            + preview(record));
                }
                String f = fingerprint == null ? RecordJson.digest(record) : fingerprint.evaluate(exchange, String.class);
                if (f == null || f.isEmpty()) {
                    return Item.unusable(k, "source.fingerprint gave nothing for this record");
                }
                return Item.ofRecord(k, f, RecordJson.body(record));
            } catch (ConfigException e) {
                throw e;
            } catch (Exception e) {
                String name = k == null ? "record " + n : k;
                return Item.unusable(name, "record " + n + (k == null ? "" : " (" + k + ")") + " cannot be made an"
                        + " item: " + e.getMessage());
            }
        }

        private String preview(Object record) {
            String text = String.valueOf(record);
            return text.length() <= 200 ? text : text.substring(0, 197) + "...";
        }

        @Override
        public void close() {
            try {
                read.close();
            } finally {
                camel.stop();
            }
        }
    }
}
