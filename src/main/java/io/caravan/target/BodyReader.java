package io.caravan.target;

import io.caravan.item.ItemRejectedException;
import io.caravan.item.RetryableException;

import java.io.IOException;
import java.io.InputStream;

/** Reads a body in bounded chunks and holds it to the length the listing promised. */
public final class BodyReader {

    private BodyReader() {
    }

    /**
     * At most this much per read: a file channel reads through a temporary direct buffer as large as the request
     * and caches one per thread, so 16 workers reading 16 MiB at once would take 256 MiB of direct memory.
     */
    private static final int CHUNK = 256 * 1024;

    /** Fills {@code buffer[0..length)} from the body; a body that ends early was changed during the copy. */
    static void readFully(InputStream in, byte[] buffer, int length, long expectedTotal) {
        int off = 0;
        try {
            while (off < length) {
                int n = in.read(buffer, off, Math.min(CHUNK, length - off));
                if (n < 0) {
                    throw changed(expectedTotal, "fewer");
                }
                off += n;
            }
        } catch (IOException e) {
            throw new RetryableException("read failed: " + e.getMessage(), e);
        }
    }

    /** After the promised length: one more byte means the body grew during the copy. */
    static void expectEnd(InputStream in, long expectedTotal) {
        try {
            if (in.read() >= 0) {
                throw changed(expectedTotal, "more");
            }
        } catch (IOException e) {
            throw new RetryableException("read failed: " + e.getMessage(), e);
        }
    }

    /** The rejection of a body that turned out {@code fewer} or {@code more} than the bytes listed. */
    public static ItemRejectedException changed(long expectedTotal, String fewerOrMore) {
        return new ItemRejectedException("transfer", "changed while it was copied: " + fewerOrMore
                + " than the " + expectedTotal + " bytes listed; the next run copies it again");
    }
}
