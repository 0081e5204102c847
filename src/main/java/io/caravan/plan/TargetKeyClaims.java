package io.caravan.plan;

import org.apache.commons.codec.digest.MurmurHash3;

import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.Locale;

/**
 * The target keys that this run's listing has handed out so far, so that a second source key that maps to one of
 * them is refused instead of overwriting the first one's copy. Only a rename ({@code mapping.rename-from}) or a
 * target that does not tell "A.txt" from "a.txt" can map two source keys to one place; for any other job nothing is
 * held. A key is held as its 128-bit hash, so a million keys take about 32 MiB; the first source key listed keeps the
 * target key. Not thread-safe: the one listing thread claims.
 */
public final class TargetKeyClaims {

    /** Claims nothing and refuses nothing: for a job whose key mapping cannot join two keys. */
    public static final TargetKeyClaims NONE = new TargetKeyClaims(false, false);

    private static final int FIRST_SLOTS = 1 << 12;

    private final boolean active;
    private final boolean foldCase;
    private long[] slots = new long[0];
    private int claimed;

    private TargetKeyClaims(boolean active, boolean foldCase) {
        this.active = active;
        this.foldCase = foldCase;
    }

    /**
     * @param renames  whether the key mapping renames (two source keys may then map to one target key)
     * @param foldCase whether the target treats keys that differ only in case (or in Unicode normalization) as one
     */
    public static TargetKeyClaims of(boolean renames, boolean foldCase) {
        return renames || foldCase ? new TargetKeyClaims(true, foldCase) : NONE;
    }

    /**
     * Claims {@code targetKey} for {@code sourceKey}; null when it was free, else why the item must not be copied.
     */
    public String claim(String sourceKey, String targetKey) {
        if (!active) {
            return null;
        }
        if (add(identity(targetKey))) {
            return null;
        }
        return "its target key '" + targetKey + "' is the target key of an item listed before it in this run"
                + (foldCase ? " (the target does not tell upper from lower case)" : " (mapping.rename-from/-to)")
                + ": copying '" + sourceKey + "' would overwrite that one";
    }

    private byte[] identity(String targetKey) {
        String key = foldCase
                ? Normalizer.normalize(targetKey, Normalizer.Form.NFC).toLowerCase(Locale.ROOT)
                : targetKey;
        return key.getBytes(StandardCharsets.UTF_8);
    }

    /** Open addressing over pairs of longs; (0, 0) marks a free slot, so a hash of (0, 0) is stored as (0, 1). */
    private boolean add(byte[] key) {
        long[] hash = MurmurHash3.hash128x64(key);
        long high = hash[0];
        long low = hash[1] == 0 && high == 0 ? 1 : hash[1];
        if ((claimed + 1) * 4L > slots.length / 2 * 3L) {
            grow();
        }
        if (!insert(slots, high, low)) {
            return false;
        }
        claimed++;
        return true;
    }

    private static boolean insert(long[] table, long high, long low) {
        int pairs = table.length / 2;
        int i = (int) (mix(high ^ low) & (pairs - 1));
        while (table[2 * i] != 0 || table[2 * i + 1] != 0) {
            if (table[2 * i] == high && table[2 * i + 1] == low) {
                return false;
            }
            i = (i + 1) & (pairs - 1);
        }
        table[2 * i] = high;
        table[2 * i + 1] = low;
        return true;
    }

    private void grow() {
        long[] bigger = new long[Math.max(FIRST_SLOTS, slots.length * 2)];
        for (int i = 0; i < slots.length; i += 2) {
            if (slots[i] != 0 || slots[i + 1] != 0) {
                insert(bigger, slots[i], slots[i + 1]);
            }
        }
        slots = bigger;
    }

    private static long mix(long h) {
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        return h ^ (h >>> 33);
    }
}
