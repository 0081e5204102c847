package io.caravan.target;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** SHA-1, the digest Seafile names its blocks by and SilverStripe 4 keeps as a file's FileHash. */
public final class Sha1 {

    private Sha1() {
    }

    public static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-1", e);
        }
    }

    /** The SHA-1 of some bytes, hex. */
    public static String hex(byte[] content) {
        return Md5.hex(newDigest().digest(content));
    }
}
