package io.caravan.camel;

import io.caravan.item.CloseableIterator;
import io.caravan.source.FolderWalker;
import io.caravan.item.Item;
import io.caravan.item.ItemRejectedException;
import io.caravan.item.JobFatalException;
import io.caravan.item.RetryableException;
import io.caravan.job.Timeouts;
import io.caravan.s3.S3Errors;
import io.caravan.s3.S3Settings;
import io.caravan.target.FolderTarget;
import io.caravan.target.ItemTarget;
import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.NoSuchEndpointException;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.ResolveEndpointFailedException;
import org.apache.camel.component.aws2.s3.AWS2S3Endpoint;
import org.apache.camel.component.file.FileEndpoint;
import org.apache.camel.impl.DefaultCamelContext;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * {@code target.type = camel}: any Camel producer endpoint ({@code target.uri}) as a job's target. Each item is one
 * exchange whose body streams the item and whose key header ({@link CamelUris#keyHeader}) names it. An S3 PUT through
 * camel-aws2-s3 is verified by its ETag against the MD5 computed while streaming; a write elsewhere is recorded as
 * written but unverified, never as verified. The endpoint lives in a Camel context of the target's own, started when
 * the first item needs it, so an unchanged rerun starts nothing.
 */
public final class CamelTarget implements ItemTarget {

    private static final String S3_ETAG = "CamelAwsS3ETag";
    private static final String S3_OPERATION = "CamelAwsS3Operation";
    private static final String S3_CONTENT_LENGTH = "CamelAwsS3ContentLength";
    private static final String S3_CONTENT_TYPE = "CamelAwsS3ContentType";

    private final String uri;
    private final String scheme;
    private final String keyHeader;
    private final S3Settings jobS3;
    private volatile Connection connection;
    private volatile RemoteFiles remoteFiles;

    /** @param keyHeader the header that names an item at the target, for components Caravan does not know */
    public CamelTarget(String uri, String keyHeader) {
        this(uri, keyHeader, new S3Settings("", "us-east-1", null, null, false, 32, false, Timeouts.DEFAULTS));
    }

    /** @param jobS3 the job's {@code target.s3.*} settings, for the client of an {@code aws2-s3:} endpoint */
    CamelTarget(String uri, String keyHeader, S3Settings jobS3) {
        this.uri = uri;
        this.jobS3 = jobS3;
        this.scheme = CamelUris.scheme(uri);
        this.keyHeader = CamelUris.keyHeader(scheme, keyHeader, "target.key-header");
    }

    /** @param s3Client Caravan's client of an {@code aws2-s3:} endpoint, closed with the connection; or null */
    private record Connection(CamelContext camel, ProducerTemplate producer, Endpoint endpoint, S3Client s3Client) {

        void close() {
            stop(camel, s3Client);
        }
    }

    private static void stop(CamelContext camel, S3Client s3Client) {
        camel.stop();
        if (s3Client != null) {
            s3Client.close();
        }
    }

    @Override
    public void check() {
        connection();
    }

    @Override
    public boolean checksWhenFirstUsed() {
        return true;
    }

    private Connection connection() {
        Connection c = connection;
        if (c == null) {
            synchronized (this) {
                c = connection;
                if (c == null) {
                    c = connect();
                    connection = c;
                }
            }
        }
        return c;
    }

    private Connection connect() {
        CamelContext camel = new DefaultCamelContext();
        camel.disableJMX();
        S3Client s3Client = null;
        try {
            camel.start();
            String resolved = CamelUris.withAtomicWrites(uri, scheme);
            Endpoint endpoint;
            if (isS3()) {
                S3Endpoint s3 = addS3Endpoint(camel, resolved);
                s3Client = s3.client();
                endpoint = s3.endpoint();
            } else {
                endpoint = camel.getEndpoint(resolved);
            }
            ProducerTemplate producer = camel.createProducerTemplate();
            producer.start();
            return new Connection(camel, producer, endpoint, s3Client);
        } catch (ResolveEndpointFailedException | NoSuchEndpointException | IllegalArgumentException e) {
            stop(camel, s3Client);
            throw new JobFatalException("target.uri " + CamelUris.safe(uri) + " is not an endpoint Camel can"
                    + " write to: " + CamelErrors.rootMessage(e), e);
        } catch (RuntimeException e) {
            stop(camel, s3Client);
            throw e;
        }
    }

    /** An {@code aws2-s3:} endpoint, and Caravan's client it was given (or null: it keeps Camel's). */
    private record S3Endpoint(Endpoint endpoint, S3Client client) {
    }

    /** The endpoint gets Caravan's client between its creation and its start, where camel-aws2-s3 makes its own. */
    private S3Endpoint addS3Endpoint(CamelContext camel, String resolved) {
        S3Client client = null;
        try {
            Endpoint endpoint = camel.getComponent(scheme).createEndpoint(resolved);
            if (endpoint instanceof AWS2S3Endpoint s3) {
                client = S3EndpointClients.adopt(s3.getConfiguration(), jobS3);
            }
            camel.addEndpoint(resolved, endpoint);
            return new S3Endpoint(endpoint, client);
        } catch (Exception e) {
            if (client != null) {
                client.close();
            }
            throw e instanceof RuntimeException r ? r : new ResolveEndpointFailedException(resolved, e);
        }
    }

    @Override
    public Written write(String targetKey, long expectedSize, InputStream body, Item.Attributes attributes,
                         Runnable beforeCommit) {
        String name = CamelUris.isFileLike(scheme) ? relativeInside(targetKey) : targetKey;
        Connection c = connection();
        CommitGuard guarded = new CommitGuard(body, expectedSize, beforeCommit);
        guarded.checkIfEmpty();
        Exchange exchange = c.endpoint().createExchange();
        Message message = exchange.getIn();
        message.setBody(guarded);
        message.setHeader(keyHeader, name);
        message.setHeader(Exchange.CONTENT_LENGTH, expectedSize);
        if (attributes != null && attributes.contentType() != null) {
            message.setHeader(Exchange.CONTENT_TYPE, attributes.contentType());
        }
        if (isS3()) {
            message.setHeader(S3_CONTENT_LENGTH, expectedSize); // the SDK then streams instead of buffering
            if (attributes != null && attributes.contentType() != null) {
                message.setHeader(S3_CONTENT_TYPE, attributes.contentType());
            }
        }
        Exchange done = c.producer().send(c.endpoint(), exchange);
        if (guarded.failure() != null || done.getException() != null) {
            discardTemporary(targetKey);
            throw guarded.failure() != null ? guarded.failure() : classify("write " + targetKey, done.getException());
        }
        if (!guarded.completed()) {
            throw new ItemRejectedException("transfer", CamelUris.safe(uri) + " took " + guarded.bytes() + " of "
                    + expectedSize + " bytes of " + targetKey + " and ended: nothing says the rest arrived");
        }
        String md5 = guarded.md5();
        if (isS3()) {
            String etag = unquoted(done.getMessage().getHeader(S3_ETAG, String.class));
            if (md5.equals(etag)) {
                return new Written(md5, guarded.bytes());
            }
            if (etag != null && !etag.contains("-")) {
                throw new RetryableException("the bucket answered ETag " + etag + " for " + targetKey
                        + ", not the MD5 of what was sent (" + md5 + ")", null);
            }
        }
        return Written.unverified(md5, guarded.bytes());
    }

    @Override
    public Optional<Entry> stat(String targetKey) {
        if (isS3()) {
            try {
                Object head = request("headObject", targetKey);
                HeadObjectResponse r = (HeadObjectResponse) head;
                String etag = unquoted(r.eTag());
                return Optional.of(new Entry(targetKey, r.contentLength(), etag != null && !etag.contains("-")
                        ? etag : null));
            } catch (NoSuchKeyException e) {
                return Optional.empty();
            } catch (S3Exception e) {
                if (e.statusCode() == 404) {
                    return Optional.empty();
                }
                throw S3Errors.classify("head " + targetKey, e);
            }
        }
        if (isRemoteFiles()) {
            return remoteFiles().stat(relativeInside(targetKey)).map(s -> new Entry(targetKey, s.size(), null));
        }
        Path file = localFile(targetKey);
        if (file == null) {
            throw new UnsupportedOperationException(describe() + " cannot be asked what it holds: only file:, ftp:,"
                    + " ftps:, sftp: and aws2-s3: endpoints are checked");
        }
        return Entry.ofFile(targetKey, file);
    }

    /** What is at the target is not listed through an endpoint: verify finds no extra items there. */
    @Override
    public CloseableIterator<Entry> list(String prefix) {
        return CloseableIterator.empty();
    }

    /**
     * A {@code file:} endpoint's temporary files ({@code .caravan-part-<name>}) that a write cut short left: each is
     * replaced by its item's next write, and is no item meanwhile.
     */
    @Override
    public CloseableIterator<Leftover> leftovers(String prefix) {
        if (!(connection().endpoint() instanceof FileEndpoint files) || !CamelUris.namesTemporaryFiles(uri, scheme)) {
            return CloseableIterator.empty();
        }
        Path root = files.getFile().toPath().toAbsolutePath().normalize();
        if (!Files.isDirectory(root)) {
            return CloseableIterator.empty();
        }
        return CloseableIterator.filterMap(new FolderWalker(root), item -> item.key().startsWith(prefix)
                && (item.key().startsWith(CamelUris.TEMP_PREFIX) || item.key().contains("/" + CamelUris.TEMP_PREFIX))
                ? new Leftover(item.key(), "the temporary file of a write that did not finish (a run was killed, or"
                + " its machine stopped): not an item; delete it, or let the item's next write replace it") : null);
    }

    @Override
    public InputStream read(String targetKey) {
        if (isS3()) {
            return (InputStream) request("getObject", targetKey);
        }
        if (isRemoteFiles()) {
            try {
                return remoteFiles().download(relativeInside(targetKey), 0);
            } catch (RemoteFiles.Missing e) {
                throw new UncheckedIOException(new NoSuchFileException(targetKey));
            }
        }
        Path file = localFile(targetKey);
        if (file == null) {
            throw new UnsupportedOperationException(describe() + " cannot be read back item by item");
        }
        try {
            return Files.newInputStream(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A file-like endpoint's file name for a key: a relative path that stays under the endpoint's folder. */
    private static String relativeInside(String targetKey) {
        Path root = Path.of("/").resolve("caravan-target");
        return root.relativize(FolderTarget.resolveInside(root, targetKey)).toString().replace('\\', '/');
    }

    /** An operation of camel-aws2-s3's producer on one key; the SDK's exception as it was thrown. */
    private Object request(String operation, String key) {
        Connection c = connection();
        Exchange exchange = c.endpoint().createExchange();
        exchange.getIn().setHeader(S3_OPERATION, operation);
        exchange.getIn().setHeader(CamelUris.S3_KEY, key);
        Exchange done = c.producer().send(c.endpoint(), exchange);
        if (done.getException() instanceof SdkException e) {
            throw e;
        }
        if (done.getException() != null) {
            throw classify(operation + " " + key, done.getException());
        }
        return done.getMessage().getBody();
    }

    /**
     * A {@code file:} producer leaves the temporary file of a write that failed; it is removed (its next write
     * would replace it). Other file-like components keep theirs until the item's next write.
     */
    private void discardTemporary(String targetKey) {
        Path file = localFile(targetKey);
        if (file != null && CamelUris.namesTemporaryFiles(uri, scheme)) {
            try {
                Files.deleteIfExists(file.resolveSibling(CamelUris.TEMP_PREFIX + file.getFileName()));
            } catch (IOException e) {
                // it stays, under its temporary name; the item's next write replaces it
            }
        }
    }

    /** The file a {@code file:} endpoint wrote the key to; null for other components. */
    private Path localFile(String targetKey) {
        if (connection().endpoint() instanceof FileEndpoint files) {
            return FolderTarget.resolveInside(files.getFile().toPath().toAbsolutePath().normalize(), targetKey);
        }
        return null;
    }

    private boolean isRemoteFiles() {
        return CamelUris.isFileLike(scheme) && !scheme.equals("file");
    }

    /** The target's server, read back through an endpoint of its own (set to stream), on two connections. */
    private RemoteFiles remoteFiles() {
        RemoteFiles r = remoteFiles;
        if (r == null) {
            synchronized (this) {
                r = remoteFiles;
                if (r == null) {
                    r = RemoteFiles.of(connection().camel(), uri, scheme, 2);
                    remoteFiles = r;
                }
            }
        }
        return r;
    }

    private boolean isS3() {
        return scheme.equals("aws2-s3");
    }

    private RuntimeException classify(String what, Exception e) {
        Throwable cause = e;
        while (cause != null) {
            if (cause instanceof ItemRejectedException | cause instanceof JobFatalException) {
                return (RuntimeException) cause;
            }
            if (cause instanceof SdkException sdk) {
                return S3Errors.classify(what, sdk);
            }
            cause = cause.getCause();
        }
        return new RetryableException(what + " through " + CamelUris.safe(uri) + ": " + CamelErrors.rootMessage(e),
                e);
    }

    private static String unquoted(String etag) {
        return etag == null ? null : etag.replace("\"", "");
    }

    @Override
    public String describe() {
        return "Camel endpoint " + CamelUris.safe(uri);
    }

    @Override
    public String identity() {
        return CamelUris.identity(uri);
    }

    @Override
    public void close() {
        RemoteFiles r = remoteFiles;
        if (r != null) {
            r.close();
        }
        Connection c = connection;
        if (c != null) {
            c.close();
        }
    }
}
