package io.caravan.target;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/** Passes a stream through and counts the bytes read from it. */
public class ByteCounting extends FilterInputStream {

    private long bytes;

    public ByteCounting(InputStream in) {
        super(in);
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        bytes += b >= 0 ? 1 : 0;
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int n = super.read(buffer, offset, length);
        bytes += Math.max(n, 0);
        return n;
    }

    public final long bytes() {
        return bytes;
    }
}
