package io.caravan.item;

import java.io.Closeable;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

/** A lazy listing: Camel's streaming splitter pulls from it and closes it when done. */
public interface CloseableIterator<T> extends Iterator<T>, Closeable {

    @Override
    void close();

    static <T> CloseableIterator<T> empty() {
        return of(Collections.emptyIterator(), () -> { });
    }

    static <T> CloseableIterator<T> of(Iterator<T> iterator, Runnable onClose) {
        return new CloseableIterator<>() {
            @Override
            public boolean hasNext() {
                return iterator.hasNext();
            }

            @Override
            public T next() {
                return iterator.next();
            }

            @Override
            public void close() {
                onClose.run();
            }
        };
    }

    /** Maps each element lazily; elements mapped to null are skipped. */
    static <T, R> CloseableIterator<R> filterMap(CloseableIterator<T> source, Function<T, R> mapper) {
        return new LookaheadIterator<>() {
            @Override
            protected R advance() {
                while (source.hasNext()) {
                    R mapped = mapper.apply(source.next());
                    if (mapped != null) {
                        return mapped;
                    }
                }
                return null;
            }

            @Override
            public void close() {
                source.close();
            }
        };
    }

    /** The parts one after the other, each opened only when the one before it is exhausted. */
    static <T> CloseableIterator<T> concat(List<Supplier<CloseableIterator<T>>> parts) {
        return new LookaheadIterator<>() {
            private int index;
            private CloseableIterator<T> current = empty();

            @Override
            protected T advance() {
                while (!current.hasNext() && index < parts.size()) {
                    current.close();
                    current = parts.get(index++).get();
                }
                return current.hasNext() ? current.next() : null;
            }

            @Override
            public void close() {
                current.close();
            }
        };
    }
}
