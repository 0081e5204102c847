package io.caravan.camel;

import io.caravan.item.Item;
import io.caravan.item.ItemRejectedException;
import io.caravan.item.JobFatalException;
import io.caravan.item.RetryableException;
import io.caravan.source.ItemSource;

import java.util.Map;
import java.util.Optional;

/**
 * The bodies of a camel-ftp source ({@code ftp:}, {@code ftps:}, {@code sftp:}): an item's key is its path under
 * the endpoint's folder, and its body streams from the server through {@link RemoteFiles}, over at most
 * {@code caravan.workers} connections. The endpoint lives in a Camel context of its own, started when the first
 * body is needed.
 */
final class RemoteFileBodies implements Bodies {

    private final String scheme;
    private final LazyEndpoint<RemoteFiles> files;

    RemoteFileBodies(String uri, String scheme, int connections) {
        this.scheme = scheme;
        this.files = new LazyEndpoint<>(uri,
                camel -> RemoteFiles.of(camel, ReadOnlyUris.readOnly(uri, scheme), scheme, connections),
                RemoteFiles::close);
    }

    private RemoteFiles files() {
        return files.get();
    }

    @Override
    public void check() {
        try {
            files().connect();
        } catch (RetryableException e) {
            throw new JobFatalException(e.getMessage(), e);
        }
    }

    @Override
    public ItemSource.Content open(Item item) {
        try {
            return new ItemSource.Content(files().download(item.key(), item.size()),
                    new Item.Attributes(null, Map.of("mtime", Long.toString(item.lastModified() / 1000))));
        } catch (RemoteFiles.Missing e) {
            throw new ItemRejectedException("transfer", item.key() + " vanished since it was listed", e);
        }
    }

    /** An sftp: file is stated again (one request); an ftp: listing's times are too coarse to compare. */
    @Override
    public void checkUnchanged(Item item) {
        if (!scheme.equals("sftp")) {
            return;
        }
        Optional<RemoteFiles.Stat> now = files().stat(item.key());
        if (now.isEmpty()) {
            throw new ItemRejectedException("transfer", item.key() + " vanished while it was copied");
        }
        if (!now.get().fingerprint().equals(item.fingerprint())) {
            throw new ItemRejectedException("transfer", item.key() + " changed while it was copied (size:mtime was "
                    + item.fingerprint() + ", now " + now.get().fingerprint() + "); the next run copies it again");
        }
    }

    @Override
    public void close() {
        files.close();
    }
}
