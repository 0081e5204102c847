package io.caravan.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The fault tests' results, one row per fault and edge, appended to {@code target/fault-table.tsv} (or the file
 * named by the system property {@code caravan.fault-table}); {@code bench/faults.sh} runs the tests and prints it.
 */
public final class FaultTable {

    private static final Path FILE = Path.of(System.getProperty("caravan.fault-table", "target/fault-table.tsv"));

    private FaultTable() {
    }

    /**
     * @param edge    what was faulted, e.g. "folder -> S3 (PUT)"
     * @param items   items in the run
     * @param faulted requests the proxy faulted
     * @param retried items whose request was faulted and that ended done in the same run
     * @param failed  items that ended failed (named, exit 3), done by the rerun
     * @param lost    items neither done nor failed, or done but absent at the target
     * @param corrupt items at the target that differ from the source
     */
    public static synchronized void record(String edge, FaultProxy.Kind fault, int items, long faulted, long retried,
                                           long failed, long lost, long corrupt) {
        String row = String.join("\t", fault.name(), edge, Integer.toString(items), Long.toString(faulted),
                Long.toString(retried), Long.toString(failed), Long.toString(lost), Long.toString(corrupt)) + "\n";
        try {
            Files.createDirectories(FILE.toAbsolutePath().getParent());
            Files.writeString(FILE, row, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write " + FILE, e);
        }
    }
}
