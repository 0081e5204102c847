package io.caravan.ledger;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * What a job's ledger rows are about: the job, and the identities of the source and the target it migrates between
 * (canonical strings each edge gives: a folder's real path, a bucket's endpoint, bucket and prefix, a portal's URL).
 * A job pointed at another target is in another scope, where nothing is migrated yet; credentials, rates and other
 * settings are no part of an identity, so changing them keeps the scope.
 */
public final class LedgerScope {

    /** The length of {@link #id()}: 16 bytes of SHA-256, hex. */
    static final int ID_LENGTH = 32;

    private final String job;
    private final String source;
    private final String target;
    private final String id;

    public LedgerScope(String job, String source, String target) {
        if (source == null || source.isBlank() || target == null || target.isBlank()) {
            throw new IllegalArgumentException("a ledger scope needs a source and a target identity");
        }
        this.job = job;
        this.source = source;
        this.target = target;
        this.id = digest(job, source, target);
    }

    public String job() {
        return job;
    }

    public String source() {
        return source;
    }

    public String target() {
        return target;
    }

    /** A short, stable name of the scope, the key of its rows. */
    public String id() {
        return id;
    }

    private static String digest(String... parts) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (String part : parts) {
                sha.update(part.getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0);
            }
            return HexFormat.of().formatHex(sha.digest(), 0, ID_LENGTH / 2);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LedgerScope other && other.id.equals(id);
    }

    @Override
    public int hashCode() {
        return id.hashCode();
    }

    @Override
    public String toString() {
        return source + " -> " + target;
    }
}
