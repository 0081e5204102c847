package io.caravan.target;

import io.caravan.item.CloseableIterator;
import io.caravan.item.Identities;
import io.caravan.item.Item;
import io.caravan.item.ItemRejectedException;
import io.caravan.item.JobFatalException;
import io.caravan.item.RetryableException;
import io.caravan.source.FolderWalker;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.Locale;
import java.util.Optional;

/**
 * Files under a root folder. A write goes to a temporary file beside the destination, is synced,
 * read back and compared, then renamed into place: a reader never sees half a file.
 * A key that would resolve outside the root (an S3 key with {@code ../}) is rejected.
 */
public class FolderTarget implements ItemTarget {

    static final String TEMP_SUFFIX = ".caravan-tmp";

    /** Where a file is written before it is complete: hidden, beside its destination. */
    public static Path temporaryFor(Path destination) {
        return destination.resolveSibling("." + destination.getFileName() + TEMP_SUFFIX);
    }

    private final Path root;
    private final boolean fsync;
    private final boolean readBack;
    private final FolderSync folders;
    /** The case probe's answer, once the root exists: asked by every run's listing, the same for the folder's life. */
    private volatile Boolean foldsCase;

    public FolderTarget(Path root, boolean fsync, boolean readBack) {
        this.root = root.toAbsolutePath().normalize();
        this.fsync = fsync;
        this.readBack = readBack;
        this.folders = new FolderSync(this.root);
    }

    @Override
    public void check() {
        try {
            folders.forget();
            boolean created = !Files.isDirectory(root);
            Files.createDirectories(root);
            if (created && fsync) {
                folders.rootCreated();
            }
        } catch (IOException e) {
            throw new JobFatalException("target folder " + root + " cannot be created: " + e.getMessage(), e);
        }
        if (!Files.isWritable(root)) {
            throw new JobFatalException("target folder " + root + " is not writable");
        }
    }

    /**
     * Asks the file system: a file created under the root (or, before it exists, the nearest folder above it), then
     * looked for under its upper-case name (macOS and Windows file systems, and ext4's casefold folders, find it).
     */
    @Override
    public boolean foldsCase() {
        Boolean known = foldsCase;
        if (known != null) {
            return known;
        }
        boolean folds = probeCase();
        if (Files.isDirectory(root)) {
            foldsCase = folds;
        }
        return folds;
    }

    private boolean probeCase() {
        Path folder = root;
        while (folder != null && !Files.isDirectory(folder)) {
            folder = folder.getParent();
        }
        if (folder == null) {
            return false;
        }
        Path probe = null;
        try {
            probe = Files.createTempFile(folder, ".caravan-case-probe-", ".tmp");
            return Files.exists(probe.resolveSibling(probe.getFileName().toString().toUpperCase(Locale.ROOT)));
        } catch (IOException e) {
            return false;
        } finally {
            if (probe != null) {
                try {
                    Files.deleteIfExists(probe);
                } catch (IOException ignored) {
                    // a probe left behind is hidden and harmless
                }
            }
        }
    }

    Path resolve(String targetKey) {
        return resolveInside(root, targetKey);
    }

    /**
     * The path of a key under a root; a key that is not a plain relative path (an empty, {@code .} or {@code ..}
     * segment, a trailing '/'), or that resolves to the root or outside it, is rejected. {@code root} must be absolute
     * and normalized.
     */
    public static Path resolveInside(Path root, String targetKey) {
        if (targetKey.isEmpty() || targetKey.startsWith("/") || targetKey.indexOf('\0') >= 0) {
            throw new ItemRejectedException("plan", "target key '" + targetKey + "' is not a relative path");
        }
        Path path = root.resolve(targetKey).normalize();
        if (!path.startsWith(root) || path.equals(root)) {
            throw new ItemRejectedException("plan", "target key '" + targetKey + "' escapes the target folder");
        }
        String lands = root.relativize(path).toString();
        if (!lands.equals(targetKey)) {
            // "a//b", "a/./b", "x/../a/b" and "a/b/" all land at a/b: two such keys would overwrite each other
            throw new ItemRejectedException("plan", "target key '" + targetKey + "' is not a plain relative path:"
                    + " it would land at '" + lands + "', where another key may land too");
        }
        return path;
    }

    @Override
    public Written write(String targetKey, long expectedSize, InputStream body, Item.Attributes attributes,
                         Runnable beforeCommit) {
        Path destination = resolve(targetKey);
        Path temp = temporaryFor(destination);
        try {
            Files.createDirectories(destination.getParent());
            MessageDigest md5 = Md5.newDigest();
            long copied;
            try (DigestInputStream in = new DigestInputStream(body, md5);
                 OutputStream out = Files.newOutputStream(temp)) {
                copied = in.transferTo(out);
            }
            if (copied != expectedSize) {
                Files.deleteIfExists(temp);
                throw BodyReader.changed(expectedSize, copied < expectedSize ? "fewer" : "more");
            }
            if (fsync) {
                try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                    channel.force(true);
                }
            }
            String checksum = Md5.hex(md5.digest());
            if (readBack) {
                String stored = md5Of(temp);
                if (!stored.equals(checksum)) {
                    Files.deleteIfExists(temp);
                    throw new RetryableException("read-back of " + targetKey + " differs: wrote md5 " + checksum
                            + ", read " + stored, null);
                }
            }
            try {
                beforeCommit.run();
            } catch (RuntimeException e) {
                Files.deleteIfExists(temp);
                throw e;
            }
            Files.move(temp, destination, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            if (fsync) {
                folders.afterRename(destination.getParent());
            }
            return new Written(checksum, copied);
        } catch (IOException e) {
            deleteQuietly(temp);
            if (isDiskFull(e)) {
                throw new JobFatalException("target full: no space left on device writing " + targetKey + " ("
                        + usableSpace() + " bytes free under " + root + "); free space, then run again", e);
            }
            throw new RetryableException("cannot write " + targetKey + ": " + e.getMessage(), e);
        }
    }

    /**
     * ENOSPC: no other item can be written either, and retrying each one would only fill the log. The message is
     * the system's (strerror), the JDK's only word for it.
     */
    private static boolean isDiskFull(IOException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && t.getMessage().contains("No space left on device")) {
                return true;
            }
        }
        return false;
    }

    private long usableSpace() {
        try {
            return Files.getFileStore(root).getUsableSpace();
        } catch (IOException e) {
            return -1;
        }
    }

    private static void deleteQuietly(Path temp) {
        try {
            Files.deleteIfExists(temp);
        } catch (IOException ignored) {
            // what remains is a temporary name: never taken for the item, removed by the next write of it
        }
    }

    static String md5Of(Path file) throws IOException {
        MessageDigest md5 = Md5.newDigest();
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), md5)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        return Md5.hex(md5.digest());
    }

    @Override
    public Optional<Entry> stat(String targetKey) {
        return Entry.ofFile(targetKey, resolve(targetKey));
    }

    @Override
    public CloseableIterator<Entry> list(String prefix) {
        if (!Files.isDirectory(root)) {
            return CloseableIterator.empty();
        }
        FolderWalker walker = new FolderWalker(root);
        return CloseableIterator.filterMap(walker,
                item -> item.isUsable() && item.key().startsWith(prefix) ? new Entry(item.key(), item.size(), null)
                        : null);
    }

    @Override
    public String leftBehind(String key) {
        int slash = key.lastIndexOf('/');
        return key.endsWith(TEMP_SUFFIX) && key.startsWith(".", slash + 1)
                ? "the temporary file of a write that did not finish (a run was killed, or its machine stopped):"
                + " not an item; delete it" : null;
    }

    @Override
    public InputStream read(String targetKey) {
        try {
            return Files.newInputStream(resolve(targetKey));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String describe() {
        return "folder " + root;
    }

    @Override
    public String identity() {
        return Identities.folder(root);
    }
}
