package io.caravan.silverstripe;

import io.caravan.item.ItemRejectedException;
import io.caravan.item.JobFatalException;
import io.caravan.item.RetryableException;
import io.caravan.item.Item;
import io.caravan.job.JobRun;
import io.caravan.target.OpaqueTarget;
import io.caravan.verify.Difference;
import io.caravan.verify.SelfVerifying;
import io.caravan.verify.VerifyResult;

import java.io.IOException;
import java.io.InputStream;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.function.Consumer;

/**
 * The SilverStripe 4 site as the pipeline's target: "writing" a piece of work is doing it (moving a file and
 * updating its row, say). Done in place, so there is nothing to list or read back; verify asks the subtask.
 */
public final class SubtaskTarget implements OpaqueTarget, SelfVerifying {

    private final Site site;
    private final Subtask subtask;

    public SubtaskTarget(Site site, Subtask subtask) {
        this.site = site;
        this.subtask = subtask;
    }

    @Override
    public void check() {
        site.check();
    }

    @Override
    public Written write(String targetKey, long expectedSize, InputStream body, Item.Attributes attributes,
                         Runnable beforeCommit) {
        try {
            byte[] record = body.readAllBytes();
            beforeCommit.run();
            Subtask.Outcome outcome = subtask.perform(targetKey, record);
            return new Written(outcome.checksum(), outcome.bytes(), outcome.what());
        } catch (ItemRejectedException | JobFatalException e) {
            throw e;
        } catch (SQLTransientException | SQLRecoverableException e) {
            // a deadlock, a lock wait timeout, a dropped connection: the piece was rolled back, so try it again
            throw new RetryableException(targetKey + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new ItemRejectedException("transfer", targetKey + ": " + e, e);
        } catch (Exception e) {
            throw new ItemRejectedException("transfer", targetKey + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void afterRun(JobRun run, boolean complete) {
        subtask.finish(run, complete);
    }

    @Override
    public VerifyResult verify(Consumer<Difference> onDifference) {
        return subtask.verify(onDifference);
    }

    @Override
    public String describe() {
        return "SilverStripe site " + site.describe() + ", subtask " + subtask.name();
    }

    @Override
    public String identity() {
        return site.identity();
    }
}
