package io.caravan.camel;

import io.caravan.item.JobFatalException;
import io.caravan.item.RetryableException;
import org.apache.camel.component.file.GenericFileOperationFailedException;
import org.apache.camel.component.file.remote.RemoteFileEndpoint;
import org.apache.camel.component.file.remote.RemoteFileOperations;

import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.function.Function;

/**
 * At most {@code size} connections of one camel-ftp endpoint ({@code ftp:}, {@code ftps:}, {@code sftp:}), each
 * made by the endpoint itself ({@link RemoteFileEndpoint#createRemoteFileOperations()}) and kept for the next item
 * once its body was read: a run of many small files logs in once per worker, not once per file. One more, the spare,
 * answers the short questions (does this file exist, what are its size and time) asked while a worker holds its own
 * connection mid-body: a worker never waits for a second connection from the pool, so the pool cannot deadlock.
 */
final class RemoteFileConnections implements AutoCloseable {

    private final RemoteFileEndpoint<?> endpoint;
    private final String safeUri;
    private final Semaphore permits;
    private final ConcurrentLinkedQueue<RemoteFileOperations<?>> idle = new ConcurrentLinkedQueue<>();
    private RemoteFileOperations<?> spare;

    RemoteFileConnections(RemoteFileEndpoint<?> endpoint, String safeUri, int size) {
        this.endpoint = endpoint;
        this.safeUri = safeUri;
        this.permits = new Semaphore(Math.max(1, size), true);
    }

    /** A connected connection, waiting while {@code size} are in use; give it back with {@link #giveBack}. */
    RemoteFileOperations<?> borrow() {
        try {
            permits.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RetryableException("interrupted while waiting for a connection to " + safeUri, e);
        }
        try {
            return connected(idle.poll());
        } catch (RuntimeException e) {
            permits.release();
            throw e;
        }
    }

    /** Asks the spare connection a short question; a failure closes it (the next question connects again). */
    synchronized <T> T withSpare(Function<RemoteFileOperations<?>, T> question) {
        spare = connected(spare);
        try {
            return question.apply(spare);
        } catch (RuntimeException e) {
            disconnect(spare);
            spare = null;
            throw e;
        }
    }

    private RemoteFileOperations<?> connected(RemoteFileOperations<?> existing) {
        try {
            RemoteFileOperations<?> connection = existing != null ? existing : endpoint.createRemoteFileOperations();
            if (!connection.isConnected()) {
                connect(connection);
            }
            return connection;
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new RetryableException("cannot connect to " + safeUri + ": " + e.getMessage(), e);
        }
    }

    private void connect(RemoteFileOperations<?> connection) {
        try {
            connection.connect(endpoint.getConfiguration(), endpoint.createExchange());
        } catch (GenericFileOperationFailedException e) {
            String reason = CamelErrors.rootMessage(e);
            if (reason.toLowerCase(Locale.ROOT).contains("auth")) {
                throw new JobFatalException("cannot log in to " + safeUri + ": " + reason, e);
            }
            throw new RetryableException("cannot connect to " + safeUri + ": " + reason, e);
        }
    }

    /** Returns a connection for the next item; a broken one ({@code healthy} false) is closed instead. */
    void giveBack(RemoteFileOperations<?> connection, boolean healthy) {
        try {
            if (healthy) {
                idle.add(connection);
            } else {
                disconnect(connection);
            }
        } finally {
            permits.release();
        }
    }

    private static void disconnect(RemoteFileOperations<?> connection) {
        try {
            connection.forceDisconnect();
        } catch (RuntimeException e) {
            // already gone
        }
    }

    @Override
    public synchronized void close() {
        if (spare != null) {
            disconnect(spare);
            spare = null;
        }
        RemoteFileOperations<?> connection;
        while ((connection = idle.poll()) != null) {
            disconnect(connection);
        }
    }
}
