package io.caravan.camel;

import io.caravan.item.ItemRejectedException;
import io.caravan.item.RetryableException;
import io.caravan.target.BodyReader;
import io.caravan.target.CountingDigest;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * The body a Camel producer reads: it computes the MD5 and counts the bytes as they pass, holds the body to the
 * length the listing promised, and runs the item's checks before the producer sees its end. A producer commits
 * (renames its temporary file, completes its PUT) only after the end of its body, so a body that failed here is never
 * committed: the failure reaches the producer as an IOException and is kept for the target to rethrow as it was.
 */
final class CommitGuard extends FilterInputStream {

    private final CountingDigest digest;
    private final long expectedSize;
    private final Runnable beforeCommit;
    private RuntimeException failure;
    private boolean ended;

    CommitGuard(InputStream body, long expectedSize, Runnable beforeCommit) {
        super(new CountingDigest(body));
        this.digest = (CountingDigest) in;
        this.expectedSize = expectedSize;
        this.beforeCommit = beforeCommit;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        if (failure != null) {
            throw new IOException(failure.getMessage(), failure);
        }
        if (ended) {
            return -1;
        }
        int n = super.read(buffer, offset, length);
        if (n < 0) {
            end();
            return -1;
        }
        if (digest.bytes() > expectedSize) {
            throw fail(changed("more"));
        }
        // a producer that was told the length (an S3 PUT) stops reading there: the end is checked, and the checks
        // run, before the last bytes are handed over
        if (digest.bytes() == expectedSize) {
            if (super.read() >= 0) {
                throw fail(changed("more"));
            }
            end();
        }
        return n;
    }

    private void end() throws IOException {
        ended = true;
        if (digest.bytes() < expectedSize) {
            throw fail(changed("fewer"));
        }
        try {
            beforeCommit.run();
        } catch (RuntimeException e) {
            throw fail(e);
        }
    }

    /**
     * An empty body is checked before it is handed over, as a producer told its length is 0 (an S3 PUT) never reads
     * it: its end is its start.
     */
    void checkIfEmpty() {
        if (expectedSize != 0) {
            return;
        }
        try {
            if (read() >= 0) {
                throw fail(changed("more"));
            }
        } catch (IOException e) {
            if (failure != null) {
                throw failure;
            }
            throw new RetryableException("read failed: " + e.getMessage(), e);
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** Skipped bytes are read: the digest must see them. */
    @Override
    public long skip(long n) throws IOException {
        byte[] discard = new byte[(int) Math.min(8192, Math.max(n, 0))];
        long skipped = 0;
        while (skipped < n) {
            int r = read(discard, 0, (int) Math.min(discard.length, n - skipped));
            if (r < 0) {
                break;
            }
            skipped += r;
        }
        return skipped;
    }

    /** The failure the producer was handed, if any: rethrow it as it was, not as the producer wrapped it. */
    RuntimeException failure() {
        return failure;
    }

    /** Whether the producer read the body to its end (and the checks passed). */
    boolean completed() {
        return ended && failure == null;
    }

    long bytes() {
        return digest.bytes();
    }

    String md5() {
        return digest.md5();
    }

    private IOException fail(RuntimeException e) {
        failure = e;
        return new IOException(e.getMessage(), e);
    }

    private ItemRejectedException changed(String fewerOrMore) {
        return BodyReader.changed(expectedSize, fewerOrMore);
    }
}
