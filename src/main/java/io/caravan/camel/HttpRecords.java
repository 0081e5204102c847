package io.caravan.camel;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import io.caravan.item.CloseableIterator;
import io.caravan.item.JobFatalException;
import io.caravan.item.LookaheadIterator;
import io.caravan.job.ConfigException;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.http.base.HttpOperationFailedException;

import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;

/**
 * A paged JSON API through camel-http: each page a GET of {@code source.uri} with the page's query parameter
 * added, its records the JSON array at {@code source.records} (a JSON pointer; empty: the answer is the array). The
 * listing asks for the next page when the records of the one before were handed on, so one page is held at a time,
 * and ends at the first page with no records.
 *
 * <p>Paging, by {@code source.paging}: {@code offset} (the default) sets {@code source.page-param} to the index of
 * the page's first record (0, size, 2×size…), {@code page} to the page's number (from {@code source.first-page},
 * 1 by default); {@code source.page-size} records a page, sent as {@code source.page-size-param} when that is set.
 * Without {@code source.page-param} the source is one request. {@code source.header.<name>} settings are sent as
 * request headers (an API token); an empty one is not sent.
 */
final class HttpRecords implements Records {

    private final String uri;
    private final String address;
    private final String query;
    private final JsonPointer records;
    private final Paging paging;
    private final Map<String, String> headers;

    enum Scheme { OFFSET, PAGE }

    /**
     * @param pageParam     the query parameter that selects a page, or empty for a source of one request
     * @param pageSizeParam the query parameter that sets a page's size, or empty when the server's default is used
     */
    record Paging(Scheme scheme, String pageParam, int pageSize, String pageSizeParam, int firstPage) {
        boolean pages() {
            return !pageParam.isEmpty();
        }

        /** The query parameters of page {@code n} (from 0). */
        String of(int n) {
            if (!pages()) {
                return "";
            }
            long value = scheme == Scheme.OFFSET ? (long) n * pageSize : firstPage + n;
            return pageParam + "=" + value + (pageSizeParam.isEmpty() ? "" : "&" + pageSizeParam + "=" + pageSize);
        }

        static Paging of(String scheme, String pageParam, int pageSize, String pageSizeParam, int firstPage) {
            Scheme s;
            try {
                s = Scheme.valueOf(scheme.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new ConfigException("source.paging '" + scheme + "' is not one of offset, page");
            }
            if (!pageParam.isEmpty() && pageSize < 1) {
                throw new ConfigException("source.page-size must be 1 or more when source.page-param pages the API");
            }
            return new Paging(s, pageParam, pageSize, pageSizeParam, firstPage);
        }
    }

    /** @param headers sent with every request ({@code source.header.Authorization = {{env:API_TOKEN}}}) */
    HttpRecords(String uri, String recordsPointer, Paging paging, Map<String, String> headers) {
        ReadOnlyUris.refuseChanges(uri, "source.uri");
        this.uri = uri;
        int options = uri.indexOf('?');
        this.address = options < 0 ? uri : uri.substring(0, options);
        this.query = options < 0 ? "" : uri.substring(options + 1);
        try {
            this.records = JsonPointer.compile(recordsPointer);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("source.records '" + recordsPointer + "' is not a JSON pointer (/result/results,"
                    + " or empty for an answer that is the array itself): " + e.getMessage());
        }
        this.paging = paging;
        this.headers = Map.copyOf(headers);
    }

    @Override
    public void check() {
        // the first page tells: the listing's first request fails with the status and the address
    }

    @Override
    public CloseableIterator<Object> read(CamelContext camel) {
        return new Pages(camel.createProducerTemplate());
    }

    @Override
    public String defaultKey(Object record) {
        throw new IllegalStateException("an http: source has no default key");
    }

    @Override
    public void requireDefaultKey() {
        throw new ConfigException("source.key is needed for an http: source: a Simple expression of a record's key,"
                + " such as ${body[id]}");
    }

    @Override
    public String describe() {
        return "records at " + (records.matches() ? "the top" : records) + " of " + CamelUris.safe(uri)
                + (paging.pages() ? ", paged by " + paging.pageParam() : "");
    }

    @Override
    public String identity() {
        return CamelUris.identity(uri) + (records.matches() ? "" : " " + records);
    }

    /** The records of one page after the other; the next page is asked for when this one's are all handed on. */
    private final class Pages extends LookaheadIterator<Object> {

        private final ProducerTemplate http;
        private Iterator<JsonNode> page = Collections.emptyIterator();
        private String previous; // the digest of the page before: a server that ignores the page parameter repeats it
        private int number;
        private boolean last;

        Pages(ProducerTemplate http) {
            this.http = http;
        }

        @Override
        protected Object advance() {
            while (!page.hasNext()) {
                if (last) {
                    return null;
                }
                page = fetch();
            }
            return RecordJson.JSON.convertValue(page.next(), Object.class);
        }

        @Override
        public void close() {
            page = Collections.emptyIterator(); // the page's records are let go; the context stops them
            last = true;
        }

        private Iterator<JsonNode> fetch() {
            String pageQuery = paging.of(number);
            String fullQuery = query.isEmpty() ? pageQuery : pageQuery.isEmpty() ? query : query + "&" + pageQuery;
            Exchange answer = http.request(address, e -> {
                headers.forEach(e.getMessage()::setHeader);
                e.getMessage().setHeader(Exchange.HTTP_METHOD, "GET");
                e.getMessage().setHeader(Exchange.HTTP_QUERY, fullQuery);
            });
            String where = CamelUris.safe(address) + "?" + fullQuery;
            if (answer.getException() != null) {
                Exception failure = answer.getException();
                String reason = failure instanceof HttpOperationFailedException status
                        ? "HTTP " + status.getStatusCode() + " " + status.getStatusText() : failure.getMessage();
                throw new JobFatalException("source.uri: " + where + " answered " + reason, failure);
            }
            JsonNode body;
            byte[] bytes;
            try (InputStream in = answer.getMessage().getBody(InputStream.class)) {
                bytes = in == null ? new byte[0] : in.readAllBytes();
                body = RecordJson.JSON.readTree(bytes);
            } catch (Exception e) {
                throw new JobFatalException("source.uri: " + where + " did not answer JSON: " + e.getMessage(), e);
            }
            String digest = md5(bytes);
            JsonNode array = body == null ? null : body.at(records);
            if (array == null || !array.isArray()) {
                throw new JobFatalException("source.records: " + where + " has no array at '" + records + "'");
            }
            if (paging.pages() && array.size() > 0 && digest.equals(previous)) {
                throw new JobFatalException("source.page-param: " + where + " answered the page before again;"
                        + " does the API page by " + paging.pageParam() + " (source.paging " + paging.scheme()
                        .name().toLowerCase(Locale.ROOT) + ")?");
            }
            previous = digest;
            number++;
            last = !paging.pages() || array.isEmpty();
            return array.elements();
        }
    }

    private static String md5(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
