package io.caravan.silverstripe;

import io.caravan.item.ItemRejectedException;
import io.caravan.item.JobFatalException;
import io.caravan.target.Sha1;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The site's assets folder on disk. Files are placed by hard link, then unlinked from where they were once the
 * database says where they are: a kill at any moment leaves every file reachable at its old path, its new one, or
 * both (the same inode), and a rerun finishes the move.
 */
public final class AssetsFolder {

    /** The protected store, under the assets folder. */
    static final String PROTECTED = ".protected";

    private final Path root;
    /** Destinations being placed right now, so two workers never pick the same free name. */
    private final ConcurrentHashMap<Path, Object> claimed = new ConcurrentHashMap<>();

    public AssetsFolder(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    public Path root() {
        return root;
    }

    public Path protectedStore() {
        return root.resolve(PROTECTED);
    }

    public void check() {
        if (!Files.isDirectory(root)) {
            throw new JobFatalException("site.assets: " + root + " is not a folder");
        }
    }

    /** A path under the assets folder, refusing one that would leave it ({@code ../}). */
    public Path resolve(String relative) {
        Path p = root.resolve(relative).normalize();
        if (!p.startsWith(root) || relative.startsWith("/")) {
            throw new ItemRejectedException("plan", "'" + relative + "' is outside the assets folder");
        }
        return p;
    }

    public String relative(Path p) {
        return root.relativize(p).toString().replace('\\', '/');
    }

    /**
     * The file at an SS3 path: the exact path when it exists, else the one file whose path matches it without regard
     * to case, folder by folder.
     *
     * @throws ItemRejectedException when no file matches, or more than one does
     */
    public Path find(String relative) {
        Path exact = resolve(relative);
        if (Files.isRegularFile(exact, LinkOption.NOFOLLOW_LINKS)) {
            return exact;
        }
        List<Path> candidates = List.of(root);
        for (String segment : relative.split("/")) {
            List<Path> next = new ArrayList<>();
            for (Path dir : candidates) {
                if (!Files.isDirectory(dir)) {
                    continue;
                }
                try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir,
                        e -> e.getFileName().toString().equalsIgnoreCase(segment))) {
                    entries.forEach(next::add);
                } catch (IOException e) {
                    throw new ItemRejectedException("transfer", "cannot list " + relative(dir) + ": " + e, e);
                }
            }
            candidates = next;
        }
        List<Path> files = candidates.stream().filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).toList();
        if (files.isEmpty()) {
            throw new ItemRejectedException("transfer", "no file at assets/" + relative
                    + ", nor at any path that differs from it only in case");
        }
        if (files.size() > 1) {
            throw new ItemRejectedException("transfer", files.size() + " files match assets/" + relative
                    + " without regard to case (" + String.join(", ", files.stream().map(this::relative).sorted()
                    .toList()) + "); rename all but one, then run again");
        }
        return files.get(0);
    }

    /** Claims a destination for one worker; false when another holds it. Release it once the move is recorded. */
    public boolean claim(Path destination) {
        return claimed.putIfAbsent(destination, Boolean.TRUE) == null;
    }

    public void release(Path destination) {
        claimed.remove(destination);
    }

    /** Whether {@code destination} is free for {@code file}: nothing there, or that very file (an earlier run's link). */
    public static boolean freeFor(Path destination, Path file) throws IOException {
        return !Files.exists(destination, LinkOption.NOFOLLOW_LINKS) || Files.isSameFile(destination, file);
    }

    /** Makes {@code file} reachable at {@code destination} too: a hard link, or a copy where links are refused. */
    public static void place(Path file, Path destination) throws IOException {
        if (destination.equals(file)) {
            return;
        }
        Files.createDirectories(destination.getParent());
        try {
            Files.createLink(destination, file);
        } catch (FileAlreadyExistsException e) {
            if (!Files.isSameFile(destination, file)) {
                throw e;
            }
        } catch (UnsupportedOperationException | IOException e) {
            Path temp = destination.resolveSibling("." + destination.getFileName() + ".caravan-tmp");
            Files.copy(file, temp, StandardCopyOption.REPLACE_EXISTING);
            Files.move(temp, destination, StandardCopyOption.ATOMIC_MOVE);
        }
    }

    /** Removes a file, then each folder above it that this left empty, up to (not including) the assets folder. */
    public void remove(Path file) throws IOException {
        Files.deleteIfExists(file);
        pruneEmpty(file.getParent());
    }

    public void pruneEmpty(Path dir) {
        Path d = dir;
        while (d != null && d.startsWith(root) && !d.equals(root) && !d.equals(protectedStore())) {
            try {
                Files.delete(d);
            } catch (DirectoryNotEmptyException | NoSuchFileException e) {
                return;
            } catch (IOException e) {
                return; // left for the operator; the file itself is gone
            }
            d = d.getParent();
        }
    }

    /** The SHA-1 of a file's content, hex, as SilverStripe 4's FileHash. */
    public static String sha1(Path file) throws IOException {
        MessageDigest digest = Sha1.newDigest();
        byte[] buffer = new byte[64 * 1024];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
