package io.caravan.target;

import java.io.IOException;
import java.io.InputStream;
import java.security.DigestInputStream;

/** Passes a body through while it computes its MD5 and counts its bytes: what a target reports as written. */
public final class CountingDigest extends DigestInputStream {

    private long bytes;

    public CountingDigest(InputStream in) {
        super(in, Md5.newDigest());
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

    public long bytes() {
        return bytes;
    }

    /** The MD5 so far, hex; read it once, at the end. */
    public String md5() {
        return Md5.hex(getMessageDigest().digest());
    }
}
