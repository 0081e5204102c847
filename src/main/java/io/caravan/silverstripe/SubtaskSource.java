package io.caravan.silverstripe;

import io.caravan.item.CloseableIterator;
import io.caravan.item.Item;
import io.caravan.job.JobRun;
import io.caravan.source.ItemSource;

import java.io.ByteArrayInputStream;

/** The work a subtask lists, as the pipeline's source: each piece is a record carried whole by its item. */
public final class SubtaskSource implements ItemSource {

    private final Site site;
    private final Subtask subtask;

    public SubtaskSource(Site site, Subtask subtask) {
        this.site = site;
        this.subtask = subtask;
    }

    Site site() {
        return site;
    }

    Subtask subtask() {
        return subtask;
    }

    @Override
    public void close() {
        site.close();
    }

    @Override
    public void check() {
        site.check();
    }

    @Override
    public void beforeRun(JobRun run) {
        site.loadFolders();
        subtask.prepare(run);
    }

    @Override
    public CloseableIterator<Item> list() {
        return subtask.work();
    }

    @Override
    public Content open(Item item) {
        return new Content(new ByteArrayInputStream(item.record()), Item.Attributes.NONE);
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
