package io.caravan.pipeline;

import io.caravan.item.CloseableIterator;
import io.caravan.item.JobFatalException;

import java.util.NoSuchElementException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.function.Supplier;

/**
 * Lists ahead of the workers on a thread of its own, up to {@code capacity} items: Camel's parallel splitter
 * pulls one item per free worker, and without this the next S3 page or folder would only be read when a
 * worker asks. Memory stays bounded by the capacity. A listing failure stops the job.
 */
final class ReadAhead<T> implements CloseableIterator<T> {

    private static final Object END = new Object();

    private final BlockingQueue<Object> queue;
    private final Thread lister;
    private Object next;

    ReadAhead(CloseableIterator<T> source, int capacity, String name) {
        this(() -> source, capacity, name);
    }

    /** The source is opened on the reading thread too: a source that cannot be opened fails as a listing does. */
    ReadAhead(Supplier<CloseableIterator<T>> opening, int capacity, String name) {
        this.queue = new ArrayBlockingQueue<>(Math.max(1, capacity));
        this.lister = new Thread(() -> fill(opening), name);
        lister.setDaemon(true);
        lister.start();
    }

    private void fill(Supplier<CloseableIterator<T>> opening) {
        try (CloseableIterator<T> source = opening.get()) {
            while (source.hasNext()) {
                queue.put(source.next());
            }
            queue.put(END);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | Error e) {
            // whatever ends the listing must reach the splitter, or it would wait for the next item forever
            queue.clear();
            queue.offer(e instanceof JobFatalException fatal ? fatal : listingFailed(e));
        }
    }

    /**
     * Job-fatal, whatever the listing threw; what it threw is kept as a suppressed exception, not as the cause. Camel
     * matches an exception's causes first: a retryable cause (a page that timed out) had the run's exchange
     * redelivered, the split found the listing at its end, and the run ended exit 0 with the rest never listed.
     */
    private static JobFatalException listingFailed(Throwable e) {
        JobFatalException failure = new JobFatalException("listing failed: " + e);
        failure.addSuppressed(e);
        return failure;
    }

    @Override
    public boolean hasNext() {
        if (next == null) {
            try {
                next = queue.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                next = END;
            }
        }
        if (next instanceof JobFatalException failure) {
            throw failure; // every time: a listing that failed never reads as one that ended
        }
        return next != END;
    }

    @Override
    @SuppressWarnings("unchecked")
    public T next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        T item = (T) next;
        next = null;
        return item;
    }

    @Override
    public void close() {
        lister.interrupt();
    }
}
