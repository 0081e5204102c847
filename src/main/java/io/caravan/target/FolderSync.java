package io.caravan.target;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A rename is durable only once its folder is synced, and a new folder only once its parent is: without both, a crash
 * of the machine could take a file the ledger already records as done. After each rename the file's folder is
 * synced, then each folder above it whose entry in its parent no worker has synced yet (they are remembered, up to
 * {@value #REMEMBERED} of them). A file system that cannot sync a folder (Windows, some network and FUSE mounts)
 * is logged once and left to its own guarantees, as PostgreSQL does.
 */
final class FolderSync {

    private static final Logger LOG = LoggerFactory.getLogger(FolderSync.class);
    private static final int REMEMBERED = 100_000;

    private final Path root;
    private final Set<Path> entered = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean unsupported = new AtomicBoolean();

    FolderSync(Path root) {
        this.root = root;
    }

    /** Makes the root's own entry durable, once it was created. */
    void rootCreated() throws IOException {
        if (root.getParent() != null) {
            sync(root.getParent());
        }
    }

    /** Makes a rename into {@code folder} durable, and the entries of the folders above it up to the root. */
    void afterRename(Path folder) throws IOException {
        sync(folder);
        if (entered.size() > REMEMBERED) {
            entered.clear();
        }
        List<Path> chain = new ArrayList<>();
        for (Path f = folder; !f.equals(root) && f.startsWith(root) && !entered.contains(f); f = f.getParent()) {
            sync(f.getParent());
            chain.add(f);
        }
        entered.addAll(chain); // only once all of it is synced: another worker's file in these folders relies on it
    }

    /** Forgets which folders are entered: a run may find the target's folders deleted since the last one. */
    void forget() {
        entered.clear();
    }

    private void sync(Path folder) throws IOException {
        try (FileChannel channel = FileChannel.open(folder, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (AccessDeniedException e) {
            cannotSync(folder, e);
        } catch (IOException e) {
            String message = String.valueOf(e.getMessage());
            if (!message.contains("Invalid argument") && !message.contains("Bad file descriptor")) {
                throw e;
            }
            cannotSync(folder, e);
        }
    }

    private void cannotSync(Path folder, IOException e) {
        if (unsupported.compareAndSet(false, true)) {
            LOG.warn("the target's file system cannot sync a folder ({}: {}): a file is synced before its rename,"
                    + " and the rename is left to the file system", folder, e.toString());
        }
    }
}
