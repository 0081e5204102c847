package io.caravan.item;

import java.util.NoSuchElementException;

/** A lazy listing that finds its next element only when asked: {@link #advance()} returns it, or null at the end. */
public abstract class LookaheadIterator<T> implements CloseableIterator<T> {

    private T next;
    private boolean ended;

    /** The next element, or null when there is none; not called again once it returned null. */
    protected abstract T advance();

    @Override
    public final boolean hasNext() {
        if (next == null && !ended) {
            next = advance();
            ended = next == null;
        }
        return next != null;
    }

    @Override
    public final T next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        T element = next;
        next = null;
        return element;
    }
}
