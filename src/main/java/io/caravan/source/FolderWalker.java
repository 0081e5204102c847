package io.caravan.source;

import io.caravan.item.LookaheadIterator;
import io.caravan.item.Item;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;

/**
 * Walks a folder lazily, depth first, holding one open directory stream per level, so a million files
 * never mean a million objects on the heap. Unlike {@link Files#walk}, a bad entry (symlink loop, dangling
 * link, unreadable folder, name that is not UTF-8) does not end the walk: it becomes an unusable item
 * carrying the reason, and the walk goes on.
 * <p>
 * A folder of at most {@value #SORTED_AT_MOST} entries is walked in name order, so that the keys of a batch are
 * neighbours in the ledger's index, read in one pass ({@code BatchLookup}); a larger one in the order the file system
 * gives, as sorting it would hold it whole.
 */
public final class FolderWalker extends LookaheadIterator<Item> {

    /** What a name's bytes that are not UTF-8 decode to; only a name holding it can be one that is not UTF-8. */
    private static final char NOT_DECODED = '\uFFFD';
    static final int SORTED_AT_MOST = 10_000;

    private final Deque<Level> levels = new ArrayDeque<>();

    public FolderWalker(Path root) {
        try {
            BasicFileAttributes attrs = Files.readAttributes(root, BasicFileAttributes.class);
            levels.push(new Level(Files.newDirectoryStream(root), attrs.fileKey(), null));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + root, e);
        }
    }

    @Override
    protected Item advance() {
        Item next = null;
        while (next == null && !levels.isEmpty()) {
            Level level = levels.peek();
            if (!level.entries.hasNext()) {
                closeQuietly(levels.pop().stream);
                continue;
            }
            next = visit(level, level.entries.next());
        }
        return next;
    }

    /** Returns an item for a file, or null after descending into a folder. */
    private Item visit(Level level, Path path) {
        String name = path.getFileName().toString();
        String key = level.key == null ? name : level.key + "/" + name;
        if (name.indexOf(NOT_DECODED) >= 0 && !Path.of(path.toString()).equals(path)) {
            return Item.unusable(key, "file name is not valid UTF-8");
        }
        BasicFileAttributes attrs;
        try {
            attrs = Files.readAttributes(path, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            return Files.isSymbolicLink(path) ? Item.unusable(key, "dangling symbolic link") : null;
        } catch (IOException e) {
            return Item.unusable(key, "cannot read attributes: " + e);
        }
        if (attrs.isDirectory()) {
            return descend(path, key, attrs.fileKey());
        }
        if (!attrs.isRegularFile()) {
            return Item.unusable(key, "not a regular file");
        }
        return FolderSource.itemOf(key, attrs);
    }

    private Item descend(Path dir, String key, Object fileKey) {
        for (Level ancestor : levels) {
            if (fileKey != null && Objects.equals(ancestor.fileKey, fileKey)) {
                return Item.unusable(key, "symbolic link loop: points back to "
                        + (ancestor.key == null ? "the source root" : ancestor.key));
            }
        }
        try {
            levels.push(new Level(Files.newDirectoryStream(dir), fileKey, key));
            return null;
        } catch (AccessDeniedException e) {
            return Item.unusable(key + "/", "folder unreadable: permission denied");
        } catch (IOException e) {
            return Item.unusable(key + "/", "folder unreadable: " + e);
        }
    }

    @Override
    public void close() {
        while (!levels.isEmpty()) {
            closeQuietly(levels.pop().stream);
        }
    }

    private static void closeQuietly(DirectoryStream<Path> stream) {
        try {
            stream.close();
        } catch (IOException ignored) {
            // nothing was written through a directory stream
        }
    }

    private static final class Level {
        final DirectoryStream<Path> stream;
        final Iterator<Path> entries;
        final Object fileKey;
        final String key;

        Level(DirectoryStream<Path> stream, Object fileKey, String key) {
            this.stream = stream;
            try {
                this.entries = sortedWhenSmall(stream.iterator());
            } catch (RuntimeException e) { // a folder that fails while its first entries are read
                closeQuietly(stream);
                throw e;
            }
            this.fileKey = fileKey;
            this.key = key;
        }

        private static Iterator<Path> sortedWhenSmall(Iterator<Path> unsorted) {
            List<Path> first = new ArrayList<>();
            while (first.size() < SORTED_AT_MOST && unsorted.hasNext()) {
                first.add(unsorted.next());
            }
            if (unsorted.hasNext()) {
                Iterator<Path> head = first.iterator();
                return new Iterator<>() {
                    @Override
                    public boolean hasNext() {
                        return head.hasNext() || unsorted.hasNext();
                    }

                    @Override
                    public Path next() {
                        return head.hasNext() ? head.next() : unsorted.next();
                    }
                };
            }
            first.sort(Comparator.comparing(Path::toString));
            return first.iterator();
        }
    }
}
