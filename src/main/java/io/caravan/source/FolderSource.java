package io.caravan.source;

import io.caravan.item.CloseableIterator;
import io.caravan.item.Identities;
import io.caravan.item.Item;
import io.caravan.item.ItemRejectedException;
import io.caravan.item.JobFatalException;
import io.caravan.item.RetryableException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Map;

/** Files under a root folder; an item's key is its path relative to the root, with '/' separators. */
public class FolderSource implements ItemSource {

    private final Path root;

    public FolderSource(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    @Override
    public void check() {
        if (!Files.isDirectory(root)) {
            throw new JobFatalException("source folder " + root + " does not exist or is not a folder");
        }
    }

    @Override
    public CloseableIterator<Item> list() {
        return new FolderWalker(root);
    }

    static Item itemOf(String key, BasicFileAttributes attrs) {
        long mtime = attrs.lastModifiedTime().toMillis();
        return Item.of(key, fingerprint(attrs), attrs.size(), mtime);
    }

    private static String fingerprint(BasicFileAttributes attrs) {
        return attrs.size() + ":" + attrs.lastModifiedTime().toMillis();
    }

    @Override
    public Content open(Item item) {
        Path path = root.resolve(item.key());
        try {
            InputStream in = Files.newInputStream(path);
            String contentType = ContentTypes.of(path);
            return new Content(in, new Item.Attributes(contentType,
                    Map.of("mtime", Long.toString(item.lastModified() / 1000))));
        } catch (NoSuchFileException e) {
            throw new ItemRejectedException("transfer", "vanished since it was listed");
        } catch (AccessDeniedException e) {
            throw new ItemRejectedException("transfer", "unreadable: permission denied");
        } catch (IOException e) {
            throw new RetryableException("cannot open " + item.key() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void checkUnchanged(Item item) {
        try {
            BasicFileAttributes now = Files.readAttributes(root.resolve(item.key()), BasicFileAttributes.class);
            if (!fingerprint(now).equals(item.fingerprint())) {
                throw new ItemRejectedException("transfer", "changed while it was copied (size:mtime was "
                        + item.fingerprint() + ", now " + fingerprint(now) + "); the next run copies it again");
            }
        } catch (NoSuchFileException e) {
            throw new ItemRejectedException("transfer", "vanished while it was copied");
        } catch (IOException e) {
            throw new RetryableException("cannot stat " + item.key() + ": " + e.getMessage(), e);
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
