package io.caravan.target;

import io.caravan.item.CloseableIterator;
import io.caravan.item.Item;
import io.caravan.job.JobRun;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/** Where items go. Every write is atomic per item and verified before it returns. */
public interface ItemTarget extends AutoCloseable {

    /** Fails with a clear message when the target cannot be written at all (missing bucket, bad credentials). */
    void check();

    /**
     * True when the target checks itself when an item first needs it, so that {@code caravan run} need not check it
     * up front (an unchanged rerun then never connects to it).
     */
    default boolean checksWhenFirstUsed() {
        return false;
    }

    /**
     * Writes {@code expectedSize} bytes of {@code body} at {@code targetKey}, computing an MD5 while streaming
     * and comparing it with what the target reports (an ETag, or a read-back).
     * A body of another length is rejected as changed during the copy, and nothing is left at the key.
     * {@code beforeCommit} runs once the body was read whole and before it becomes visible at the key
     * (rename, PUT, completion of a multipart upload); when it throws, nothing is committed.
     */
    Written write(String targetKey, long expectedSize, InputStream body, Item.Attributes attributes,
                  Runnable beforeCommit);

    Optional<Entry> stat(String targetKey);

    /**
     * True when the target keeps keys that differ only in case as one (a folder on a case-insensitive file system):
     * two source keys that differ so would overwrite each other there.
     */
    default boolean foldsCase() {
        return false;
    }

    /** True when items arrive as records (JSON) that a conversion ({@code convert.*}) may rewrite on the way. */
    default boolean takesRecords() {
        return false;
    }

    /** Runs before the first item of a run that writes (not a dry run): a database target's scripts, say. */
    default void beforeRun(JobRun run) {
    }

    /** Runs after the last item; {@code complete} when every item is done (none rejected or failed). */
    default void afterRun(JobRun run, boolean complete) {
    }

    /** Everything at the target whose key starts with {@code prefix}, lazily; for verify's extra items. */
    CloseableIterator<Entry> list(String prefix);

    /**
     * Why a key that {@link #list} found is no item but what a write cut short left behind (a killed run's temporary
     * file), or null: verify names it, so that it can be deleted.
     */
    default String leftBehind(String key) {
        return null;
    }

    /**
     * What writes cut short left under the prefix that {@link #list} does not show (an S3 bucket's unfinished multipart
     * uploads), each with why it is there; verify names them.
     */
    default CloseableIterator<Leftover> leftovers(String prefix) {
        return CloseableIterator.empty();
    }

    /** Something a write cut short left at the target: where, and what to do about it. */
    record Leftover(String key, String reason) {
    }

    /** Opens what is stored at the key, for a content comparison. */
    InputStream read(String targetKey);

    String describe();

    /**
     * The canonical name of where this target writes (see {@link io.caravan.item.Identities}): with the source's, it
     * scopes the job's ledger rows, so pointing a job at another target starts afresh. The same place must always
     * give the same string, with no credential in it.
     */
    String identity();

    /** The target itself, under any wrapper that only adds behaviour (such as {@link KeepVerifiedTarget}). */
    default ItemTarget unwrap() {
        return this;
    }

    @Override
    default void close() {
    }

    /**
     * @param checksum the MD5 of the content, hex
     * @param outcome  what the write did, for the report (a record target's "created" or "updated"), or null
     * @param verified whether the target confirmed what it stored (an ETag, a read-back); a write that could not
     *                 be confirmed is recorded as written, unverified
     * @param fingerprint what the ledger records as the item's fingerprint when the write learned it from the content
     *                    (a table's chunk listed without reading its rows), else null: the listed one is recorded
     */
    record Written(String checksum, long bytes, String outcome, boolean verified, String fingerprint) {

        /** The report's outcome of a write the target could not confirm. */
        public static final String UNVERIFIED = "written, unverified";

        public Written(String checksum, long bytes, String outcome, boolean verified) {
            this(checksum, bytes, outcome, verified, null);
        }

        public Written(String checksum, long bytes, String outcome) {
            this(checksum, bytes, outcome, true);
        }

        public Written(String checksum, long bytes) {
            this(checksum, bytes, null, true);
        }

        public static Written unverified(String checksum, long bytes) {
            return new Written(checksum, bytes, UNVERIFIED, false);
        }

        public Written withFingerprint(String settled) {
            return new Written(checksum, bytes, outcome, verified, settled);
        }
    }

    /** @param md5 the content's MD5 when the target knows it without reading (a plain ETag), else null */
    record Entry(String key, long size, String md5) {

        /** The entry of a file at a target that keeps files: its size, or empty when there is no such file. */
        public static Optional<Entry> ofFile(String key, Path file) {
            try {
                return Optional.of(new Entry(key, Files.size(file), null));
            } catch (NoSuchFileException e) {
                return Optional.empty();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
