package io.caravan.ckan;

import io.caravan.target.Md5;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Which line of a dump holds the last version of each record (by id, else name), found in one pass before the
 * listing: a 64-bit hash of each line's key is kept, 8 bytes a line, never the records; the records that appear
 * more than once are remembered with their last line.
 */
final class JsonlLastLines {

    private final Map<Long, Long> lastOfRepeated;
    private final long repeatedRecords;
    private final long olderLines;

    private JsonlLastLines(Map<Long, Long> lastOfRepeated, long repeatedRecords, long olderLines) {
        this.lastOfRepeated = lastOfRepeated;
        this.repeatedRecords = repeatedRecords;
        this.olderLines = olderLines;
    }

    /** Reads {@code lines} to the end; a line that is not a JSON object counts for no record. */
    static JsonlLastLines of(BufferedReader lines) throws IOException {
        long[] hashes = new long[1024];
        int count = 0;
        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
            if (count == hashes.length) {
                hashes = Arrays.copyOf(hashes, count * 2);
            }
            hashes[count++] = line.isBlank() ? 0 : hashOfLine(line);
        }
        long[] sorted = Arrays.copyOf(hashes, count);
        Arrays.sort(sorted);
        Set<Long> repeated = new HashSet<>();
        for (int i = 1; i < count; i++) {
            if (sorted[i] != 0 && sorted[i] == sorted[i - 1]) {
                repeated.add(sorted[i]);
            }
        }
        Map<Long, Long> last = new HashMap<>();
        long older = 0;
        for (int i = count - 1; i >= 0; i--) {
            if (repeated.contains(hashes[i]) && last.putIfAbsent(hashes[i], (long) i + 1) != null) {
                older++;
            }
        }
        return new JsonlLastLines(last, repeated.size(), older);
    }

    /** Whether line {@code number} (from 1) holds the last version of the record with this key. */
    boolean isLast(String key, long number) {
        Long last = lastOfRepeated.get(hash(key));
        return last == null || last == number;
    }

    /** Records that appear on more than one line. */
    long repeatedRecords() {
        return repeatedRecords;
    }

    /** Lines left out, each an older version of a record that a later line holds. */
    long olderLines() {
        return olderLines;
    }

    private static long hashOfLine(String line) {
        try {
            String key = CkanJson.recordKey(CkanJson.parse(line.getBytes(StandardCharsets.UTF_8)));
            return key.isEmpty() ? 0 : hash(key);
        } catch (RuntimeException notARecord) {
            return 0; // rejected by the listing, named by its line number
        }
    }

    private static long hash(String key) {
        long h = ByteBuffer.wrap(Md5.newDigest().digest(key.getBytes(StandardCharsets.UTF_8))).getLong();
        return h == 0 ? 1 : h;
    }
}
