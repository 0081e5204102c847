package io.caravan.camel;

import io.caravan.item.RetryableException;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.component.file.FileComponent;
import org.apache.camel.component.file.GenericFile;
import org.apache.camel.component.file.GenericFileOperationFailedException;
import org.apache.camel.component.file.remote.RemoteFileEndpoint;
import org.apache.camel.component.file.remote.RemoteFileOperations;
import org.apache.camel.component.file.remote.SftpRemoteFile;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;

/**
 * The files of a camel-ftp endpoint ({@code ftp:}, {@code ftps:}, {@code sftp:}) under its folder, read by name
 * through the endpoint's own operations with {@code streamDownload=true}: a body streams from the server as it is
 * taken, never held whole, over a pool of connections kept from file to file.
 */
final class RemoteFiles implements AutoCloseable {

    /** A file's size and modification time (milliseconds), as the server lists it. */
    record Stat(long size, long lastModified) {
        String fingerprint() {
            return size + ":" + lastModified;
        }
    }

    /** Failed because the file is not there (anymore). */
    static final class Missing extends RuntimeException {
        Missing(String name, Throwable cause) {
            super(name + " is not there", cause);
        }
    }

    private final RemoteFileEndpoint<?> endpoint;
    private final String safeUri;
    private final RemoteFileConnections pool;
    private final String directory;

    private RemoteFiles(RemoteFileEndpoint<?> endpoint, String safeUri, int connections) {
        this.endpoint = endpoint;
        this.safeUri = safeUri;
        this.pool = new RemoteFileConnections(endpoint, safeUri, connections);
        String dir = endpoint.getConfiguration().getDirectory();
        this.directory = dir == null ? "" : dir.replaceAll("/+$", "");
    }

    /** The endpoint of {@code uri} in {@code camel}, set to stream what it reads. */
    static RemoteFiles of(CamelContext camel, String uri, String scheme, int connections) {
        String reading = CamelUris.withOptions(uri, "streamDownload=true");
        // sftp takes paths as they are; stepping into each folder would cost three round trips a file
        reading = scheme.equals("sftp") ? CamelUris.withOptions(reading, "stepwise=false") : reading;
        return new RemoteFiles((RemoteFileEndpoint<?>) camel.getEndpoint(reading), CamelUris.safe(uri), connections);
    }

    /** Logs in (once), so that bad credentials show before anything else is asked. */
    void connect() {
        pool.withSpare(RemoteFileOperations::isConnected);
    }

    private String remoteName(String relative) {
        return directory.isEmpty() ? relative : directory + "/" + relative;
    }

    /**
     * The body of the file at {@code relative}: closing it ends the download and keeps the connection for the next.
     *
     * @throws Missing when the file is not there; a {@link RetryableException} when the server failed
     */
    InputStream download(String relative, long size) {
        String name = remoteName(relative);
        RemoteFileOperations<?> connection = pool.borrow();
        Exchange exchange = endpoint.createExchange();
        GenericFile<?> file = connection.newGenericFile();
        exchange.setProperty(FileComponent.FILE_EXCHANGE_FILE, file);
        try {
            if (!connection.retrieveFile(name, exchange, size)) {
                throw new GenericFileOperationFailedException("the server refused to send " + name);
            }
        } catch (RuntimeException e) {
            pool.giveBack(connection, false);
            throw failedDownload(relative, e);
        }
        Object body = file.getBody();
        if (!(body instanceof InputStream stream)) {
            pool.giveBack(connection, false);
            throw new RetryableException("cannot read " + relative + " from " + safeUri + ": the endpoint gave "
                    + (body == null ? "no body" : "a " + body.getClass().getSimpleName() + ", not a stream"), null);
        }
        return new Download(stream, connection, exchange);
    }

    private RuntimeException failedDownload(String relative, RuntimeException e) {
        boolean exists;
        try {
            exists = pool.withSpare(c -> c.existsFile(remoteName(relative)));
        } catch (RuntimeException unreachable) {
            exists = true;
        }
        if (!exists) {
            return new Missing(relative, e);
        }
        return e instanceof RetryableException r ? r : new RetryableException("cannot read " + relative + " from "
                + safeUri + ": " + CamelErrors.rootMessage(e), e);
    }

    /**
     * The file's size and time, or empty when it is not there: one listing request of the file itself.
     */
    Optional<Stat> stat(String relative) {
        String name = remoteName(relative);
        Object[] found;
        try {
            found = pool.withSpare(c -> c.listFiles(name));
        } catch (GenericFileOperationFailedException e) {
            if (pool.withSpare(c -> c.existsFile(name))) {
                throw new RetryableException("cannot state " + relative + " at " + safeUri + ": "
                        + CamelErrors.rootMessage(e), e);
            }
            return Optional.empty();
        }
        if (found == null || found.length == 0) {
            return Optional.empty();
        }
        if (found.length == 1 && found[0] instanceof SftpRemoteFile<?> f && !f.isDirectory()) {
            return Optional.of(new Stat(f.getFileLength(), f.getLastModified()));
        }
        if (found.length == 1 && found[0] instanceof org.apache.commons.net.ftp.FTPFile f && f.isFile()) {
            return Optional.of(new Stat(f.getSize(), f.getTimestamp() == null ? 0 : f.getTimestamp().getTimeInMillis()));
        }
        throw new UnsupportedOperationException(safeUri + " listed " + found.length + " entries for the file "
                + relative);
    }

    @Override
    public void close() {
        pool.close();
    }

    /** A body being downloaded: closing it ends the transfer and gives its connection to the next file. */
    private final class Download extends FilterInputStream {

        private final RemoteFileOperations<?> connection;
        private final Exchange exchange;
        private boolean closed;

        Download(InputStream body, RemoteFileOperations<?> connection, Exchange exchange) {
            super(body);
            this.connection = connection;
            this.exchange = exchange;
        }

        @Override
        public void close() throws IOException {
            if (closed) {
                return;
            }
            closed = true;
            boolean healthy = false;
            try {
                connection.releaseRetrievedFileResources(exchange);
                healthy = true;
            } catch (RuntimeException e) {
                throw new IOException("the download did not end cleanly: " + CamelErrors.rootMessage(e), e);
            } finally {
                pool.giveBack(connection, healthy);
            }
        }
    }
}
