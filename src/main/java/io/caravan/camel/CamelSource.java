package io.caravan.camel;

import io.caravan.item.CloseableIterator;
import io.caravan.item.Item;
import io.caravan.item.JobFatalException;
import io.caravan.job.ConfigException;
import io.caravan.job.JobRun;
import io.caravan.source.FolderSource;
import io.caravan.source.ItemSource;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Expression;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.file.GenericFile;
import org.apache.camel.component.file.GenericFileFilter;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * {@code source.type = camel}: a Camel consumer endpoint ({@code source.uri}) as a job's source. Of a file-like
 * endpoint ({@code file:}, and camel-ftp's {@code ftp:}, {@code ftps:}, {@code sftp:}) Caravan reads the listing
 * only: the consumer's poll hands each file to a filter that makes it an item and declines it, so the consumer itself
 * opens no file, and the ledger decides before any body is read; the transfer opens the new and changed ones (see
 * {@link RemoteFileBodies} for a server's). A camel-aws2-s3 endpoint's objects are listed through the client the
 * endpoint configured (see {@link S3ObjectBodies}). The listing streams (the poll waits while
 * {@code caravan.queue-size} items wait for the plan) and ends when the poll does: Camel's
 * {@code sendEmptyMessageWhenIdle} says so, and {@code repeatCount=1} keeps the consumer from polling again. Caravan never lets a source be changed by reading it: a URI that would
 * delete, move or mark what it reads is refused (see {@link ReadOnlyUris}), and {@code noop=true} is set.
 */
public final class CamelSource implements ItemSource {

    private static final String FILTER_BEAN = "caravanListing";
    /**
     * Items cross from the consumer's thread to the plan's in batches of this many: handing them over one by one
     * woke a thread per file, which made an unchanged rerun's listing twice as slow as the built-in folder walk.
     */
    private static final int BATCH = 256;
    private static final Set<String> REMOTE_FILES = Set.of("ftp", "ftps", "sftp");

    private final String uri;
    private final String scheme;
    private final Expression key;
    private final Expression fingerprint;
    private final int queueSize;
    private final Bodies bodies;

    /**
     * @param keyExpression         a Simple expression of an item's key, or empty for the component's default
     * @param fingerprintExpression a Simple expression of what reveals a change, or empty for the default
     */
    public CamelSource(String uri, String keyExpression, String fingerprintExpression, int queueSize) {
        this(uri, keyExpression, fingerprintExpression, queueSize, 1);
    }

    /** @param connections at most this many bodies are read at once from a server ({@code caravan.workers}) */
    public CamelSource(String uri, String keyExpression, String fingerprintExpression, int queueSize,
                       int connections) {
        this.uri = uri;
        this.scheme = CamelUris.scheme(uri);
        if (!scheme.equals("file") && !REMOTE_FILES.contains(scheme) && !scheme.equals("aws2-s3")) {
            throw new ConfigException("source.uri: a '" + scheme + ":' endpoint cannot be a source yet: this release"
                    + " reads file:, ftp:, ftps:, sftp: and aws2-s3: endpoints");
        }
        ReadOnlyUris.refuseChanges(uri, "source.uri");
        if (scheme.equals("aws2-s3") && (given(keyExpression) || given(fingerprintExpression))) {
            throw new ConfigException("source.key and source.fingerprint are not read for an aws2-s3: source: its key"
                    + " is the object key without the prefix, its fingerprint the ETag");
        }
        this.bodies = switch (scheme) {
            case "file" -> new FolderBodies(folder(uri));
            case "aws2-s3" -> new S3ObjectBodies(uri);
            default -> new RemoteFileBodies(uri, scheme, connections);
        };
        this.key = SimpleExpressions.parse(keyExpression, "source.key");
        this.fingerprint = SimpleExpressions.parse(fingerprintExpression, "source.fingerprint");
        this.queueSize = queueSize;
    }

    private static boolean given(String setting) {
        return setting != null && !setting.isBlank();
    }

    @Override
    public void check() {
        bodies.check();
    }

    @Override
    public void beforeRun(JobRun run) {
        if (REMOTE_FILES.contains(scheme)) {
            run.addStep("not listed: names that start with '.' (.htaccess, .well-known/): camel-ftp skips them and has"
                    + " no option to keep them; copy those another way");
        }
    }

    /**
     * The folder a {@code file:} endpoint reads, as the built-in folder source opens its files: the URI's path, as
     * camel-file takes it ({@code file:dir}, {@code file://dir}, {@code file:/abs}), read without starting a Camel
     * context of its own (an unchanged rerun pays for one context, the listing's).
     */
    private static FolderSource folder(String uri) {
        String path = uri.substring(uri.indexOf(':') + 1);
        int query = path.indexOf('?');
        path = query < 0 ? path : path.substring(0, query);
        path = path.startsWith("//") ? path.substring(2) : path;
        if (path.isEmpty()) {
            throw new ConfigException("source.uri " + CamelUris.safe(uri) + " names no folder");
        }
        return new FolderSource(Path.of(path));
    }

    @Override
    public CloseableIterator<Item> list() {
        if (bodies instanceof S3ObjectBodies objects) {
            return objects.list();
        }
        return new Listing();
    }

    @Override
    public Content open(Item item) {
        return bodies.open(item);
    }

    @Override
    public void checkUnchanged(Item item) {
        if (fingerprint == null) {
            bodies.checkUnchanged(item);
        }
    }

    @Override
    public void close() {
        bodies.close();
    }

    @Override
    public String describe() {
        return "Camel endpoint " + CamelUris.safe(uri);
    }

    @Override
    public String identity() {
        return CamelUris.identity(uri);
    }

    /** One poll of the endpoint, its files handed over one at a time as items. */
    private final class Listing implements CloseableIterator<Item> {

        private final BlockingQueue<Object> queue = new ArrayBlockingQueue<>(Math.max(1, queueSize / BATCH));
        private final CamelContext camel = new DefaultCamelContext();
        private volatile boolean closed;
        /** Filled by the consumer's thread only. */
        private List<Item> filling = new ArrayList<>(BATCH);
        private Iterator<Item> taking = Collections.emptyIterator();
        private Item next;
        private boolean ended;

        Listing() {
            camel.disableJMX();
            camel.getRegistry().bind(FILTER_BEAN, (GenericFileFilter<Object>) this::accept);
            String listing = listingUri();
            try {
                camel.addRoutes(new RouteBuilder() {
                    @Override
                    public void configure() {
                        onException(Exception.class).handled(true).process(e -> end(new Failure(
                                e.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class))));
                        from(listing).routeId("caravan-listing").process(e -> end(End.END));
                    }
                });
                camel.start();
            } catch (Exception e) {
                camel.stop();
                throw new JobFatalException("source.uri " + CamelUris.safe(uri) + " cannot be read: "
                        + e.getMessage(), e);
            }
        }

        private String listingUri() {
            String listing = CamelUris.withOptions(ReadOnlyUris.readOnly(uri, scheme), "filter=#" + FILTER_BEAN,
                    "sendEmptyMessageWhenIdle=true", "bridgeErrorHandler=true", "initialDelay=0", "idempotent=false",
                    "readLock=none", "repeatCount=1");
            if (scheme.equals("file")) {
                // camel-file skips names that start with '.' by default: a site's .htaccess and .well-known/ too
                for (String hidden : List.of("includeHiddenFiles=true", "includeHiddenDirs=true")) {
                    listing = uri.contains(hidden.substring(0, hidden.indexOf('=') + 1)) ? listing
                            : CamelUris.withOptions(listing, hidden);
                }
            }
            if (REMOTE_FILES.contains(scheme)) {
                // a server that cannot be reached must fail the listing, not end it as if it were empty
                listing = CamelUris.withOptions(listing, "throwExceptionOnConnectFailed=true");
                listing = uri.contains("recursive=") ? listing : CamelUris.withOptions(listing, "recursive=true");
            }
            return listing;
        }

        /** Called by the consumer for every file and folder it finds: folders are walked, files are listed. */
        private boolean accept(GenericFile<Object> file) {
            if (file.isDirectory()) {
                return true;
            }
            filling.add(itemOf(file));
            if (filling.size() == BATCH) {
                hand(filling);
                filling = new ArrayList<>(BATCH);
            }
            return false;
        }

        /** The poll is over: what it listed goes first, then how it ended. */
        private void end(Object how) {
            if (!filling.isEmpty()) {
                hand(filling);
                filling = new ArrayList<>(BATCH);
            }
            hand(how);
        }

        private Item itemOf(GenericFile<Object> file) {
            statOnce(file);
            String relative = file.getRelativeFilePath().replace('\\', '/');
            String size = Long.toString(file.getFileLength());
            if (key == null && fingerprint == null) {
                return Item.of(relative, size + ":" + file.getLastModified(), file.getFileLength(),
                        file.getLastModified());
            }
            Exchange exchange = new DefaultExchange(camel);
            file.bindToExchange(exchange);
            String k = key == null ? relative : key.evaluate(exchange, String.class);
            String f = fingerprint == null ? size + ":" + file.getLastModified()
                    : fingerprint.evaluate(exchange, String.class);
            return Item.of(k, f, file.getFileLength(), file.getLastModified());
        }

        /** A local file's size and time from one system call, where GenericFile would make one for each. */
        private static void statOnce(GenericFile<Object> file) {
            if (file.getFile() instanceof File local) {
                try {
                    BasicFileAttributes stat = Files.readAttributes(local.toPath(), BasicFileAttributes.class);
                    file.setFileLength(stat.size());
                    file.setLastModified(stat.lastModifiedTime().toMillis());
                } catch (IOException e) {
                    // gone since the consumer listed it: GenericFile's own calls answer 0, and the transfer names it
                }
            }
        }

        /** Waits for room, as the plan takes items; gives up when the listing was closed. */
        private void hand(Object element) {
            try {
                while (!closed) {
                    if (queue.offer(element, 100, TimeUnit.MILLISECONDS)) {
                        return;
                    }
                }
                throw new IllegalStateException("the listing was closed");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("the listing was interrupted", e);
            }
        }

        @Override
        public boolean hasNext() {
            if (next != null) {
                return true;
            }
            if (taking.hasNext()) {
                next = taking.next();
                return true;
            }
            if (ended) {
                return false;
            }
            Object taken;
            try {
                taken = queue.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while listing " + CamelUris.safe(uri), e);
            }
            if (taken instanceof List<?> batch) {
                @SuppressWarnings("unchecked")
                List<Item> items = (List<Item>) batch;
                taking = items.iterator();
                return hasNext();
            }
            ended = true;
            close();
            if (taken instanceof Failure failure) {
                throw new JobFatalException("source.uri " + CamelUris.safe(uri) + " cannot be read: "
                        + failure.describe(), failure.cause());
            }
            return false;
        }

        @Override
        public Item next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            Item item = next;
            next = null;
            return item;
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                camel.stop();
            }
        }
    }

    private enum End { END }

    private record Failure(Exception cause) {
        String describe() {
            return cause == null ? "the poll failed" : cause.getMessage();
        }
    }
}
