package io.caravan.pipeline;

import io.caravan.item.Item;
import io.caravan.job.Job;
import io.caravan.plan.TargetKeyClaims;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Keeps two source keys from landing at one target key, where a rename ({@code mapping.rename-from}) or a folder
 * target that does not tell upper from lower case can map them there. An item whose target key holds the copy of
 * another item, recorded by an earlier run, is refused; so is one whose target key an item listed before it in this
 * run took. The ledger decides first, so the one copied before keeps its place whatever the listing's order. Other
 * jobs pass through untouched and hold nothing.
 */
final class TargetKeyGuard {

    private final Job job;
    private final TargetKeyClaims claims;
    private final boolean renames;

    private TargetKeyGuard(Job job, TargetKeyClaims claims, boolean renames) {
        this.job = job;
        this.claims = claims;
        this.renames = renames;
    }

    /** A dry run does not probe the target's case (the probe writes a file there). */
    static TargetKeyGuard of(Job job) {
        boolean foldsCase = !job.run().isDryRun() && job.target().unwrap().foldsCase();
        boolean renames = job.keyMapper().renames();
        return new TargetKeyGuard(job, TargetKeyClaims.of(renames, foldsCase), renames);
    }

    boolean isActive() {
        return claims != TargetKeyClaims.NONE;
    }

    /**
     * The batch with each item whose target key the ledger has for another item refused, naming that item. Only a
     * rename can map a key onto another's (the ledger's target keys are exact, so case is not compared). Safe to
     * call from several threads.
     */
    List<ListedItem> withoutKeysTakenBefore(List<ListedItem> batch) {
        if (!renames || batch.isEmpty()) {
            return batch;
        }
        List<String> targetKeys = batch.stream().map(listed -> targetKeyOf(listed.item())).toList();
        Map<String, String> owners = job.ledger().ownersOf(job.scope(), targetKeys.stream()
                .filter(Objects::nonNull).distinct().toList());
        List<ListedItem> checked = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            ListedItem listed = batch.get(i);
            String targetKey = targetKeys.get(i);
            String owner = targetKey == null ? null : owners.get(targetKey);
            checked.add(owner == null || owner.equals(listed.item().key()) ? listed : refused(listed,
                    "its target key '" + targetKey + "' holds the copy of '" + owner + "', recorded by an earlier run"
                            + " (mapping.rename-from/-to): copying '" + listed.item().key() + "' would overwrite it;"
                            + " if '" + owner + "' is gone from the source and this item is to take its place, change"
                            + " the rename or start the job's ledger scope afresh (caravan forget)"));
        }
        return checked;
    }

    /** The item, or, when an item listed before it in this run took its target key, the item refused. */
    ListedItem claimed(ListedItem listed) {
        if (!isActive()) {
            return listed;
        }
        String targetKey = targetKeyOf(listed.item());
        if (targetKey == null) {
            return listed;
        }
        String taken = claims.claim(listed.item().key(), targetKey);
        return taken == null ? listed : refused(listed, taken);
    }

    /** Null when the item is refused already, or its key maps to no target key (the plan says why). */
    private String targetKeyOf(Item item) {
        return item.isUsable() ? job.keyMapper().targetKeyOrNull(item.key()) : null;
    }

    private static ListedItem refused(ListedItem listed, String reason) {
        Item item = listed.item();
        return new ListedItem(new Item(item.key(), item.fingerprint(), item.size(), item.lastModified(), reason, null),
                listed.recorded());
    }
}
