package io.caravan.target;

import io.caravan.item.CloseableIterator;
import io.caravan.item.Item;
import io.caravan.job.JobRun;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Optional;

/**
 * Leaves alone what is already at the target and verified: when the source gives a body's MD5 ahead
 * ({@code content-md5}) and the target holds that key with that size and that MD5, nothing is written. A rerun
 * after a kill then sends again only what did not arrive, even items done and not yet recorded in the ledger.
 * (A target that knows no MD5 for a key, such as an S3 object uploaded in parts, is written again.)
 */
public final class KeepVerifiedTarget implements ItemTarget {

    public static final String CONTENT_MD5 = "content-md5";

    private final ItemTarget target;

    public KeepVerifiedTarget(ItemTarget target) {
        this.target = target;
    }

    @Override
    public Written write(String targetKey, long expectedSize, InputStream body, Item.Attributes attributes,
                         Runnable beforeCommit) {
        String md5 = attributes.metadata().get(CONTENT_MD5);
        if (md5 != null) {
            Optional<Entry> there = target.stat(targetKey);
            if (there.isPresent() && there.get().size() == expectedSize && md5.equals(there.get().md5())) {
                try {
                    body.close();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                beforeCommit.run();
                return new Written(md5, expectedSize, "already at the target, verified");
            }
        }
        return target.write(targetKey, expectedSize, body, attributes, beforeCommit);
    }

    @Override
    public void check() {
        target.check();
    }

    @Override
    public boolean checksWhenFirstUsed() {
        return target.checksWhenFirstUsed();
    }

    @Override
    public Optional<Entry> stat(String targetKey) {
        return target.stat(targetKey);
    }

    @Override
    public void beforeRun(JobRun run) {
        target.beforeRun(run);
    }

    @Override
    public void afterRun(JobRun run, boolean complete) {
        target.afterRun(run, complete);
    }

    @Override
    public CloseableIterator<Entry> list(String prefix) {
        return target.list(prefix);
    }

    @Override
    public CloseableIterator<Leftover> leftovers(String prefix) {
        return target.leftovers(prefix);
    }

    @Override
    public String leftBehind(String key) {
        return target.leftBehind(key);
    }

    @Override
    public boolean foldsCase() {
        return target.foldsCase();
    }

    @Override
    public InputStream read(String targetKey) {
        return target.read(targetKey);
    }

    @Override
    public ItemTarget unwrap() {
        return target.unwrap();
    }

    @Override
    public String describe() {
        return target.describe();
    }

    @Override
    public String identity() {
        return target.identity();
    }

    @Override
    public void close() {
        target.close();
    }
}
