package io.caravan.testing;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.extension.ResponseTransformerV2;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.http.HttpHeader;
import com.github.tomakehurst.wiremock.http.HttpHeaders;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.http.Response;
import com.github.tomakehurst.wiremock.matching.MatchResult;
import com.github.tomakehurst.wiremock.matching.ValueMatcher;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;

import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Predicate;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.requestMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

/**
 * WireMock on 127.0.0.1 proxying to a real test server (S3Proxy, the CKAN emulator), injecting one kind of fault into
 * some of the requests: those the test calls eligible (the requests of items, say) and, of them, those whose method
 * and path hash into one in {@code oneIn}. Such a request is faulted on its first attempt and passes on the next, as
 * a transient fault would; a request in the persistent share ({@code persistentOneIn}) is faulted every time, so its
 * item must end failed and named. Faults that happen before the server acts (an error status, a reset while the
 * request is read, an empty response) never reach the server; the others reach it and spoil the answer. A request
 * is known by its method and URL, or by what the test names it (an API whose URL is the same for every item, as
 * CKAN's {@code POST package_create}, names the item in its body).
 */
public final class FaultProxy implements AutoCloseable {

    /** The faults, as a server or the network between would make them. */
    public enum Kind {
        HTTP_500(true), SLOW_DOWN_503(true), TOO_MANY_429(true), RESET_MID_REQUEST(true), EMPTY_RESPONSE(true),
        RESET_MID_RESPONSE(false), STALL(false), TRUNCATED_BODY(false), FLIPPED_BYTE(false);

        /** Whether the fault happens before the request reaches the server (then the server never sees it). */
        final boolean beforeServer;

        Kind(boolean beforeServer) {
            this.beforeServer = beforeServer;
        }
    }

    private final WireMockServer server;
    private final Kind kind;
    private final Predicate<Request> eligible;
    private final Function<Request, String> identity;
    private final int oneIn;
    private final int persistentOneIn;
    private final long stallMillis;
    private final Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();
    private final Map<Request, Boolean> decided = Collections.synchronizedMap(new WeakHashMap<>());
    private final Set<String> persistent = ConcurrentHashMap.newKeySet();
    private final Set<String> touched = ConcurrentHashMap.newKeySet();
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong faulted = new AtomicLong();
    private volatile boolean enabled = true;

    private FaultProxy(String upstream, Kind kind, Predicate<Request> eligible, Function<Request, String> identity,
                       int oneIn, int persistentOneIn, long stallMillis) {
        this.kind = kind;
        this.eligible = eligible;
        this.identity = identity;
        this.oneIn = oneIn;
        this.persistentOneIn = persistentOneIn;
        this.stallMillis = stallMillis;
        this.server = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort()
                // S3 signs the Host header: the server must see the one the client signed
                .preserveHostHeader(true)
                .disableRequestJournal()
                .containerThreads(96)
                .asynchronousResponseEnabled(true)
                .asynchronousResponseThreads(32)
                .gzipDisabled(true)
                // no graceful wait for the client's idle connections at stop (5 s a test otherwise)
                .jettyStopTimeout(0L)
                .extensions(new AfterServer()));
        server.start();
        if (kind.beforeServer) {
            server.stubFor(requestMatching(new BeforeServer()).atPriority(1).willReturn(faultAnswer()));
        }
        server.stubFor(any(anyUrl()).atPriority(10).willReturn(aResponse().proxiedFrom(upstream)));
    }

    /**
     * @param oneIn           about one eligible request in this many is faulted (20: about 5%)
     * @param persistentOneIn of those, about one in this many is faulted on every attempt (0: none)
     * @param stallMillis     how long a {@link Kind#STALL} holds the answer back
     */
    public static FaultProxy start(String upstream, Kind kind, Predicate<Request> eligible, int oneIn,
                                   int persistentOneIn, long stallMillis) {
        return start(upstream, kind, eligible, r -> r.getMethod() + " " + r.getUrl(), oneIn, persistentOneIn,
                stallMillis);
    }

    /**
     * As {@link #start(String, Kind, Predicate, int, int, long)}, each eligible request known by {@code identity}
     * (its retries must have the same): what decides whether it is faulted, counts its attempts, and names it in
     * {@link #faultedRequests()} and {@link #persistentlyFaulted()}.
     */
    public static FaultProxy start(String upstream, Kind kind, Predicate<Request> eligible,
                                   Function<Request, String> identity, int oneIn, int persistentOneIn,
                                   long stallMillis) {
        return new FaultProxy(upstream, kind, eligible, identity, oneIn, persistentOneIn, stallMillis);
    }

    public String url() {
        return "http://127.0.0.1:" + server.port();
    }

    /** Every request passes from now on, as when the fault has gone away before a rerun. */
    public void heal() {
        enabled = false;
    }

    /** Requests that came through, faulted or not. */
    public long requests() {
        return requests.get();
    }

    public long faulted() {
        return faulted.get();
    }

    /** The method and path (or the identity the test gave) of each request faulted at least once. */
    public Set<String> faultedRequests() {
        return Set.copyOf(touched);
    }

    /**
     * The method and path (or the identity the test gave) of each request faulted on every attempt (e.g.
     * {@code PUT /bucket/a/b.txt}).
     */
    public Set<String> persistentlyFaulted() {
        return Set.copyOf(persistent);
    }

    /** Decides once per request: WireMock may ask a matcher more than once about the same one. */
    private boolean faults(Request request) {
        return decided.computeIfAbsent(request, r -> {
            requests.incrementAndGet();
            if (!enabled || !eligible.test(r)) {
                return false;
            }
            String id = identity.apply(r);
            int hash = Math.floorMod(mixed(id.hashCode()), oneIn * Math.max(1, persistentOneIn));
            if (hash % oneIn != 0) {
                return false;
            }
            boolean always = persistentOneIn > 0 && hash == 0;
            int attempt = attempts.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
            if (!always && attempt > 1) {
                return false;
            }
            if (always) {
                persistent.add(id);
            }
            touched.add(id);
            faulted.incrementAndGet();
            return true;
        });
    }

    /**
     * MurmurHash3's finalizer. The hash codes of two identities that differ only in a prefix of one length
     * ({@code package_create x}, {@code package_update x}) differ by a constant: under a mere multiple, whether the
     * one is faulted would decide whether the other is.
     */
    private static int mixed(int h) {
        h ^= h >>> 16;
        h *= 0x85EBCA6B;
        h ^= h >>> 13;
        h *= 0xC2B2AE35;
        return h ^ h >>> 16;
    }

    private com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder faultAnswer() {
        return switch (kind) {
            case HTTP_500 -> aResponse().withStatus(500).withHeader("Content-Type", "application/xml")
                    .withBody("<Error><Code>InternalError</Code><Message>injected</Message></Error>");
            case SLOW_DOWN_503 -> aResponse().withStatus(503).withHeader("Retry-After", "1")
                    .withHeader("Content-Type", "application/xml")
                    .withBody("<Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>");
            case TOO_MANY_429 -> aResponse().withStatus(429).withHeader("Retry-After", "1")
                    .withBody("Too Many Requests");
            case RESET_MID_REQUEST -> aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER);
            case EMPTY_RESPONSE -> aResponse().withFault(Fault.EMPTY_RESPONSE);
            default -> throw new IllegalStateException(kind + " happens after the server answered");
        };
    }

    @Override
    public void close() {
        server.stop();
    }

    private final class BeforeServer implements ValueMatcher<Request> {
        @Override
        public MatchResult match(Request request) {
            return MatchResult.of(faults(request));
        }
    }

    /** Spoils what the server answered: the request did reach it (an upload was stored, say). */
    private final class AfterServer implements ResponseTransformerV2 {
        @Override
        public String getName() {
            return "caravan-fault-after-server";
        }

        @Override
        public Response transform(Response response, ServeEvent event) {
            if (kind.beforeServer || !faults(event.getRequest())) {
                return response;
            }
            return switch (kind) {
                case RESET_MID_RESPONSE -> Response.Builder.like(response).but()
                        .fault(Fault.CONNECTION_RESET_BY_PEER).build();
                case STALL -> Response.Builder.like(response).but().incrementInitialDelay(stallMillis).build();
                case TRUNCATED_BODY -> truncated(response);
                case FLIPPED_BYTE -> flipped(response);
                default -> response;
            };
        }

        /** The body whole but for one byte in its middle, as a bad NIC or proxy would spoil it. */
        private Response flipped(Response response) {
            byte[] body = response.getBody();
            if (body == null || body.length == 0) {
                return response;
            }
            byte[] spoilt = body.clone();
            spoilt[spoilt.length / 2] ^= 0x20;
            return Response.Builder.like(response).but().body(spoilt).build();
        }

        /** Half the body, under the Content-Length of the whole: the connection ends before the body does. */
        private Response truncated(Response response) {
            byte[] body = response.getBody();
            if (body == null || body.length < 2) {
                return Response.Builder.like(response).but().fault(Fault.RANDOM_DATA_THEN_CLOSE).build();
            }
            HttpHeaders headers = new HttpHeaders(response.getHeaders().all().stream()
                    .filter(h -> !h.keyEquals("Content-Length") && !h.keyEquals("Transfer-Encoding")).toList())
                    .plus(new HttpHeader("Content-Length", Integer.toString(body.length)));
            return Response.Builder.like(response).but().headers(headers)
                    .body(Arrays.copyOf(body, body.length / 2)).build();
        }
    }
}
