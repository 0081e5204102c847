package io.caravan.target;

import java.io.InputStream;
import java.security.DigestInputStream;

/** Passes a body through while it computes its MD5 and counts its bytes: what a target reports as written. */
public final class CountingDigest extends ByteCounting {

    private final DigestInputStream digesting;

    public CountingDigest(InputStream in) {
        this(new DigestInputStream(in, Md5.newDigest()));
    }

    private CountingDigest(DigestInputStream digesting) {
        super(digesting);
        this.digesting = digesting;
    }

    /** The MD5 so far, hex; read it once, at the end. */
    public String md5() {
        return Md5.hex(digesting.getMessageDigest().digest());
    }
}
