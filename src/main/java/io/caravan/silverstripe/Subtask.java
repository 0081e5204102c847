package io.caravan.silverstripe;

import io.caravan.item.CloseableIterator;
import io.caravan.item.Item;
import io.caravan.job.JobRun;
import io.caravan.verify.Difference;
import io.caravan.verify.VerifyResult;

import java.util.function.Consumer;

/**
 * One step of the SilverStripe 3 → 4 migration, run through the pipeline like any job: {@link #work()} lists what is
 * left to do (so a rerun resumes), the ledger skips what an earlier run finished, and {@link #perform} does one
 * piece on a worker. A piece that cannot be done throws {@link io.caravan.item.ItemRejectedException} naming why;
 * the site is left as it was for that piece.
 */
public interface Subtask {

    String name();

    /** Called before the listing of each run, once the site has read its folders again ({@link Site#folders()}). */
    default void prepare(JobRun run) {
    }

    CloseableIterator<Item> work();

    /**
     * Does one piece: the item's key and the record its listing carried.
     *
     * @return what was done, for the report ("migrated", "renamed", "deleted: ...")
     */
    Outcome perform(String key, byte[] record) throws Exception;

    /** After a run that wrote; {@code complete} when no piece was rejected or failed. */
    default void finish(JobRun run, boolean complete) {
    }

    /** Compares the site with what this subtask should have left; nothing by default. */
    default VerifyResult verify(Consumer<Difference> onDifference) {
        return new VerifyResult();
    }

    /**
     * @param checksum what the ledger keeps of the result (a file's SHA-1), or "-"
     * @param bytes    bytes moved or written
     */
    record Outcome(String what, String checksum, long bytes) {
        public static Outcome of(String what) {
            return new Outcome(what, "-", 0);
        }
    }
}
