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
            queue.offer(e instanceof JobFatalException fatal ? fatal : new JobFatalException("listing failed: " + e, e));
        }
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
            next = END;
            throw failure;
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
