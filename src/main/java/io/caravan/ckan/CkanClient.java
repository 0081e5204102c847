package io.caravan.ckan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.caravan.item.Identities;
import io.caravan.item.ItemRejectedException;
import io.caravan.item.JobFatalException;
import io.caravan.item.RetryAfter;
import io.caravan.item.RetryableException;
import io.caravan.job.Timeouts;
import io.caravan.transfer.RateLimiter;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.entity.mime.InputStreamBody;
import org.apache.hc.client5.http.entity.mime.MultipartEntityBuilder;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.io.HttpClientConnectionManager;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.net.URIBuilder;
import org.apache.hc.core5.util.Timeout;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * CKAN's Action API ({@code /api/3/action/<action>}): the {@code {help, success, result}} envelope unwrapped, and
 * its errors sorted into Caravan's three kinds. A Validation Error refuses the item (its field errors are the
 * reason); an Authorization Error stops the job; 5xx, 429 and timeouts are retried by the pipeline's redelivery.
 * The API token goes in the {@code Authorization} header, as CKAN expects, only to the portal's own host, and never
 * into a message. Requests to one host share one rate limit, whichever job sends them. Every attempt is bounded
 * ({@link Timeouts}): the connect timeout, the read-idle timeout for each next byte of an answer, and the request
 * timeout for the whole attempt, from the first byte sent to the last read (HttpClient's classic API has no such
 * total: the request is cancelled through its own {@code cancel()} when the time is up). A timeout is retryable.
 */
public final class CkanClient implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, RateLimiter> LIMITS_PER_HOST = new ConcurrentHashMap<>();
    /** Cancels an attempt that outlasts the request timeout; one daemon thread for every client. */
    private static final ScheduledThreadPoolExecutor DEADLINES = deadlines();

    private final URI base;
    private final String token;
    private final CloseableHttpClient http;
    private final RateLimiter limit;
    private final Timeouts timeouts;
    private final LongAdder requests = new LongAdder();

    /**
     * @param connections       parallel requests (one per worker)
     * @param requestsPerSecond for the whole host; 0 for no limit
     */
    public CkanClient(String baseUrl, String token, Timeouts timeouts, int connections, long requestsPerSecond) {
        this.base = URI.create(baseUrl.endsWith("/") ? baseUrl : baseUrl + "/");
        this.token = token;
        this.timeouts = timeouts;
        this.limit = LIMITS_PER_HOST.computeIfAbsent(base.getHost() + ":" + base.getPort(),
                h -> RateLimiter.perSecond(requestsPerSecond));
        HttpClientConnectionManager pool = PoolingHttpClientConnectionManagerBuilder.create()
                .setMaxConnPerRoute(connections).setMaxConnTotal(connections * 2)
                .setDefaultConnectionConfig(ConnectionConfig.custom()
                        .setConnectTimeout(Timeout.of(timeouts.connect()))
                        .setSocketTimeout(Timeout.of(timeouts.readIdle())).build())
                .build();
        this.http = HttpClients.custom().setConnectionManager(pool)
                .setDefaultRequestConfig(RequestConfig.custom()
                        .setConnectionRequestTimeout(Timeout.of(timeouts.request()))
                        .setResponseTimeout(Timeout.of(timeouts.readIdle()))
                        .setRedirectsEnabled(false).build())
                .disableAutomaticRetries() // the pipeline retries, with backoff, from the first byte
                .disableCookieManagement()
                .build();
    }

    /** A read action (GET); empty when CKAN answers Not Found. */
    public Optional<JsonNode> get(String action, Map<String, String> params) {
        try {
            URIBuilder uri = new URIBuilder(base.resolve("api/3/action/" + action));
            params.forEach(uri::addParameter);
            return call(action, params.get("id"), new HttpGet(uri.build()));
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** A write action (POST, JSON body); empty when CKAN answers Not Found. */
    public Optional<JsonNode> post(String action, JsonNode body) {
        HttpPost post = new HttpPost(base.resolve("api/3/action/" + action));
        try {
            post.setEntity(new ByteArrayEntity(JSON.writeValueAsBytes(body), ContentType.APPLICATION_JSON));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return call(action, body.path("name").asText(body.path("id").asText(null)), post);
    }

    /**
     * A write action with a file (multipart/form-data, the file in the part CKAN calls {@code upload}), streamed
     * from {@code file} without holding it.
     */
    public Optional<JsonNode> upload(String action, Map<String, String> fields, InputStream file, String fileName,
                                     String contentType) {
        return upload(action, fields, "upload", file, fileName, contentType);
    }

    /** As {@link #upload(String, Map, InputStream, String, String)}, the file in the part {@code part}. */
    public Optional<JsonNode> upload(String action, Map<String, String> fields, String part, InputStream file,
                                     String fileName, String contentType) {
        MultipartEntityBuilder form = MultipartEntityBuilder.create();
        fields.forEach((k, v) -> form.addTextBody(k, v, ContentType.TEXT_PLAIN.withCharset("UTF-8")));
        form.addPart(part, new InputStreamBody(file, contentType == null ? ContentType.APPLICATION_OCTET_STREAM
                : ContentType.parseLenient(contentType), fileName));
        HttpPost post = new HttpPost(base.resolve("api/3/action/" + action));
        post.setEntity(form.build());
        return call(action, fields.getOrDefault("id", fields.get("name")), post);
    }

    /**
     * Opens a resource's file. Only a 200 is a file: CKAN answers a missing or forbidden one with an HTML page,
     * which must never be taken for the file. A redirect is followed once (cloud storage), with the token only
     * when it stays on the portal's host.
     */
    public Download download(String url) {
        URI uri = URI.create(url);
        for (int hop = 0; hop < 3; hop++) {
            Attempt attempt = new Attempt(new HttpGet(uri), "download of " + url);
            ClassicHttpResponse response = execute(attempt, uri);
            int status = response.getCode();
            if (status >= 300 && status < 400 && response.getFirstHeader("Location") != null) {
                uri = uri.resolve(response.getFirstHeader("Location").getValue());
                attempt.end(response);
                continue;
            }
            if (status == 200 && hop > 0 && contentType(response).startsWith("text/html")) {
                attempt.end(response); // a redirect to a login page answers 200 with HTML: not the file
                throw new ItemRejectedException("transfer", "download of " + url + " was redirected to an HTML page ("
                        + uri + "); the page is not the file (a private dataset's file needs source.api-token)");
            }
            if (status == 200) {
                HttpEntity entity = response.getEntity();
                try {
                    return new Download(new FilterInputStream(entity.getContent()) {
                        @Override
                        public int read() throws IOException {
                            try {
                                return super.read();
                            } catch (IOException e) {
                                throw attempt.failedIo(e);
                            }
                        }

                        @Override
                        public int read(byte[] b, int off, int len) throws IOException {
                            try {
                                return super.read(b, off, len);
                            } catch (IOException e) {
                                throw attempt.failedIo(e);
                            }
                        }

                        @Override
                        public void close() {
                            attempt.end(response);
                        }
                    }, entity.getContentLength(), entity.getContentType());
                } catch (IOException e) {
                    attempt.end(response);
                    throw attempt.failed(e);
                }
            }
            attempt.end(response);
            if (status == 429 || status >= 500) {
                throw new RetryableException("download of " + url + " answered HTTP " + status, null,
                        retryAfter(response));
            }
            String why = "download of " + url + " answered HTTP " + status + (status == 403
                    ? " (a private dataset's file needs source.api-token of a user who may read it)" : "")
                    + "; the error page is not the file";
            throw status == 404 ? new FileNotFoundException(why) : new ItemRejectedException("transfer", why);
        }
        throw new ItemRejectedException("transfer", "download of " + url + " redirects more than twice");
    }

    /** Fails the job with a clear message unless the portal answers {@code status_show}. */
    public void check() {
        if (get("status_show", Map.of()).isEmpty()) {
            throw new JobFatalException(describe() + " does not answer status_show");
        }
    }

    /**
     * Whether the portal lets the token run a read action: false when it answers Authorization Error; true for
     * any other answer (a Not Found or a Validation Error is an answer given to a user who may ask).
     */
    public boolean allows(String action, Map<String, String> params) {
        try {
            get(action, params);
            return true;
        } catch (CkanAuthorizationException e) {
            return false;
        } catch (CkanValidationException e) {
            return true;
        }
    }

    /** Whether a token is configured (not whether the portal accepts it). */
    public boolean hasToken() {
        return token != null && !token.isEmpty();
    }

    /** Requests sent so far (every attempt counts). */
    public long requests() {
        return requests.sum();
    }

    public String describe() {
        return "CKAN " + base;
    }

    /** Where the portal's API is; its own download URLs start here. */
    /** The portal, as a ledger scope names it: {@code ckan:} and its site URL. */
    public String identity() {
        return "ckan:" + Identities.url(base.toString());
    }

    public URI base() {
        return base;
    }

    /** Sends the attempt's request; its deadline runs from here until {@link Attempt#end}. */
    private ClassicHttpResponse execute(Attempt attempt, URI uri) {
        HttpUriRequestBase request = attempt.request;
        request.setHeader("Accept", "application/json");
        if (token != null && !token.isEmpty() && sameHost(uri)) {
            request.setHeader("Authorization", token);
        }
        limit.acquire();
        requests.increment();
        attempt.start();
        try {
            return http.executeOpen(null, request, null);
        } catch (IOException e) {
            attempt.end(null);
            throw attempt.failed(e);
        }
    }

    private boolean sameHost(URI uri) {
        return base.getScheme().equalsIgnoreCase(uri.getScheme()) && base.getHost().equalsIgnoreCase(uri.getHost())
                && base.getPort() == uri.getPort(); // never over plain HTTP when the portal is HTTPS
    }

    /** @param item the record the action is about (its id or name), named in a retryable failure; may be null */
    private Optional<JsonNode> call(String action, String item, HttpUriRequestBase request) {
        JsonNode envelope;
        int status;
        Attempt attempt = new Attempt(request, item == null || item.isEmpty() ? action : action + " of " + item);
        ClassicHttpResponse response = execute(attempt, base);
        try {
            status = response.getCode();
            byte[] body = response.getEntity() == null ? new byte[0] : EntityUtils.toByteArray(response.getEntity());
            if (status == 429 || status >= 500) {
                throw new RetryableException(describe() + " " + attempt.what + " answered HTTP " + status, null,
                        retryAfter(response));
            }
            try {
                envelope = JSON.readTree(body);
            } catch (IOException e) {
                throw new RetryableException(describe() + " " + attempt.what + " answered HTTP " + status
                        + " with no JSON", e);
            }
        } catch (IOException e) {
            throw attempt.failed(e);
        } finally {
            attempt.end(response);
        }
        if (envelope != null && envelope.path("success").asBoolean(false)) {
            return Optional.of(envelope.get("result"));
        }
        JsonNode error = envelope == null ? null : envelope.get("error");
        String type = error == null ? "" : error.path("__type").asText("");
        return switch (type) {
            case "Not Found Error" -> Optional.empty();
            case "Validation Error" -> throw new CkanValidationException(action, error);
            case "Authorization Error" -> throw new CkanAuthorizationException(describe() + " refused " + action
                    + ": " + error.path("message").asText() + " (check the API token and its user's rights)");
            default -> throw new JobFatalException(describe() + " " + action + " answered HTTP " + status + ": "
                    + (envelope == null ? "" : envelope.toString()));
        };
    }

    private static String contentType(ClassicHttpResponse response) {
        HttpEntity e = response.getEntity();
        return e == null || e.getContentType() == null ? "" : e.getContentType().toLowerCase(java.util.Locale.ROOT);
    }

    private static void close(ClassicHttpResponse response) {
        try {
            response.close();
        } catch (IOException ignored) {
            // the connection is dropped from the pool
        }
    }

    private static ScheduledThreadPoolExecutor deadlines() {
        ScheduledThreadPoolExecutor deadlines = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "caravan-ckan-deadlines");
            t.setDaemon(true);
            return t;
        });
        deadlines.setRemoveOnCancelPolicy(true); // a 10-minute deadline met in 5 ms is not kept for 10 minutes
        return deadlines;
    }

    /**
     * One attempt of one request: cancelled through HttpClient's own {@code cancel()} (which drops its connection)
     * when it outlasts {@code caravan.timeout.request}, and named with its action and item when it fails.
     */
    private final class Attempt {
        final HttpUriRequestBase request;
        final String what;
        private final AtomicBoolean expired = new AtomicBoolean();
        private volatile ScheduledFuture<?> deadline;

        Attempt(HttpUriRequestBase request, String what) {
            this.request = request;
            this.what = what;
        }

        void start() {
            deadline = DEADLINES.schedule(() -> {
                expired.set(true);
                request.cancel();
            }, timeouts.request().toMillis(), TimeUnit.MILLISECONDS);
        }

        /** The attempt is over (its answer read, or abandoned): the deadline is called off and the answer closed. */
        void end(ClassicHttpResponse response) {
            ScheduledFuture<?> d = deadline;
            if (d != null) {
                d.cancel(false);
            }
            if (response != null) {
                close(response);
            }
        }

        /** Why the attempt failed, as a retryable error that names the action, the item and the timeout. */
        RetryableException failed(IOException e) {
            return new RetryableException(describe() + " " + what + ": " + reason(e), e);
        }

        /** As {@link #failed}, for a stream whose reader expects an IOException. */
        IOException failedIo(IOException e) {
            return new IOException(describe() + " " + what + ": " + reason(e), e);
        }

        private String reason(IOException e) {
            if (expired.get()) {
                return "no whole answer within " + seconds(timeouts.request()) + " (caravan.timeout.request)";
            }
            if (e instanceof ConnectTimeoutException) {
                return "no connection within " + seconds(timeouts.connect()) + " (caravan.timeout.connect)";
            }
            if (e instanceof SocketTimeoutException) {
                return "nothing received for " + seconds(timeouts.readIdle()) + " (caravan.timeout.read-idle)";
            }
            return e.toString();
        }
    }

    private static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }

    @Override
    public void close() {
        try {
            http.close();
        } catch (IOException ignored) {
            // nothing is left to release
        }
    }

    /** An open file download; closing the body ends the response. {@code length} is -1 when not announced. */
    public record Download(InputStream body, long length, String contentType) {
    }

    /** A download that CKAN answered 404: the portal has no such file (any more). */
    public static final class FileNotFoundException extends ItemRejectedException {
        FileNotFoundException(String reason) {
            super("transfer", reason);
        }
    }

    /** CKAN's Authorization Error: the token, or its user's rights, stop the job. */
    public static final class CkanAuthorizationException extends JobFatalException {
        CkanAuthorizationException(String message) {
            super(message);
        }
    }

    /** CKAN's Validation Error: the item is refused, with CKAN's field errors verbatim. */
    public static final class CkanValidationException extends ItemRejectedException {
        private final transient JsonNode error;

        CkanValidationException(String action, JsonNode error) {
            super("transfer", "CKAN refused " + action + ": " + fieldErrors(error));
            this.error = error;
        }

        /** The field's first message, or null when CKAN did not complain about it. */
        public String about(String field) {
            JsonNode messages = error.get(field);
            return messages == null ? null : messages.isArray() ? messages.path(0).asText() : messages.asText();
        }
    }

    /** "name: That URL is already in use.; owner_org: Organization does not exist" */
    static String fieldErrors(JsonNode error) {
        StringJoiner fields = new StringJoiner("; ");
        for (Iterator<Map.Entry<String, JsonNode>> it = error.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (field.getKey().equals("__type")) {
                continue;
            }
            JsonNode value = field.getValue();
            StringJoiner messages = new StringJoiner(" ");
            if (value.isArray()) {
                value.forEach(m -> messages.add(m.isTextual() ? m.asText() : m.toString()));
            } else {
                messages.add(value.isTextual() ? value.asText() : value.toString());
            }
            fields.add(field.getKey() + ": " + messages);
        }
        return fields.toString();
    }

    /** How long the server asked to wait (Retry-After), with a 429 or 503; null when it did not say. */
    private static Duration retryAfter(ClassicHttpResponse response) {
        Header header = response.getFirstHeader("Retry-After");
        return header == null ? null : RetryAfter.parse(header.getValue()).orElse(null);
    }
}
