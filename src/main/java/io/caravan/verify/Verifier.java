package io.caravan.verify;

import io.caravan.convert.Conversion;
import io.caravan.convert.ConvertedContent;
import io.caravan.item.CloseableIterator;
import io.caravan.item.Item;
import io.caravan.item.ItemRejectedException;
import io.caravan.job.Job;
import io.caravan.ledger.LedgerEntry;
import io.caravan.ledger.LedgerStatus;
import io.caravan.source.ItemSource;
import io.caravan.target.ItemTarget;
import io.caravan.target.Md5;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Compares source, ledger and target, like {@code rclone check}: every source item must be at the target
 * with its size and, where the target reports it or {@code --checksum} reads it, the MD5 the ledger recorded;
 * every target object must be one the ledger knows. Streams both listings; holds nothing whole. A target that
 * compares items in its own terms ({@link ItemComparing}) is handed each item as the transfer writes it.
 */
public final class Verifier {

    private final Job job;
    private final boolean readContent;
    private final boolean download;
    private CamelContext camel; // for a conversion's languages, made on the first converted item

    /**
     * @param readContent read back the target objects whose MD5 the target does not report ({@code --checksum})
     * @param download    read back every target object and the source's content, and compare their MD5s
     *                    ({@code --download}): what the target reports of an object is not trusted
     */
    public Verifier(Job job, boolean readContent, boolean download) {
        this.job = job;
        this.readContent = readContent;
        this.download = download;
    }

    public VerifyResult verify(Consumer<Difference> onDifference) {
        try {
            return compareAll(onDifference);
        } finally {
            if (camel != null) {
                camel.stop();
            }
        }
    }

    private VerifyResult compareAll(Consumer<Difference> onDifference) {
        VerifyResult result = new VerifyResult();
        Consumer<Difference> record = d -> {
            result.add(d.kind());
            if (d.kind() != Difference.Kind.MATCH) {
                onDifference.accept(d);
            }
        };
        try (CloseableIterator<Item> items = job.source().list()) {
            while (items.hasNext()) {
                Item item = items.next();
                if (job.filter().accepts(item)) {
                    record.accept(check(item));
                }
            }
        }
        try (CloseableIterator<ItemTarget.Entry> entries = job.target().list(job.keyMapper().targetPrefix())) {
            while (entries.hasNext()) {
                ItemTarget.Entry entry = entries.next();
                if (job.ledger().findByTargetKey(job.scope(), entry.key()).isEmpty()) {
                    String leftBehind = job.target().unwrap().leftBehind(entry.key());
                    record.accept(new Difference(Difference.Kind.EXTRA, entry.key(),
                            leftBehind != null ? leftBehind : "not migrated by job " + job.name()));
                }
            }
        }
        try (CloseableIterator<ItemTarget.Leftover> leftovers = job.target().leftovers(
                job.keyMapper().targetPrefix())) {
            while (leftovers.hasNext()) {
                ItemTarget.Leftover left = leftovers.next();
                record.accept(new Difference(Difference.Kind.EXTRA, left.key(), left.reason()));
            }
        }
        return result;
    }

    private Difference check(Item item) {
        if (!item.isUsable()) {
            return new Difference(Difference.Kind.PENDING, item.key(), "cannot be migrated: " + item.problem());
        }
        String targetKey;
        try {
            targetKey = job.keyMapper().targetKey(item.key());
        } catch (ItemRejectedException e) {
            return new Difference(Difference.Kind.PENDING, item.key(), "cannot be migrated: " + e.getMessage());
        }
        if (job.target().unwrap() instanceof ItemComparing comparing) {
            return compare(comparing, item, targetKey);
        }
        Optional<ItemTarget.Entry> stored;
        try {
            stored = job.target().stat(targetKey);
        } catch (ItemRejectedException e) {
            return new Difference(Difference.Kind.PENDING, item.key(), "cannot be migrated: " + e.getMessage());
        } catch (UnsupportedOperationException e) {
            return new Difference(Difference.Kind.UNVERIFIED, item.key(), e.getMessage());
        }
        if (stored.isEmpty()) {
            return new Difference(Difference.Kind.MISSING, item.key(), "not at the target as " + targetKey);
        }
        Optional<LedgerEntry> entry = job.ledger().find(job.scope(), item.key());
        if (entry.isEmpty() || !entry.get().status().isWritten()) {
            return new Difference(Difference.Kind.PENDING, item.key(), "at the target but not recorded as done");
        }
        if (!entry.get().isDoneWith(item.fingerprint())) {
            return new Difference(Difference.Kind.PENDING, item.key(), "changed at the source since it was migrated");
        }
        if (stored.get().size() != item.size()) {
            return new Difference(Difference.Kind.DIFFER, item.key(), "size " + item.size() + " at the source, "
                    + stored.get().size() + " at the target");
        }
        if (download) {
            return compareDownloaded(item, targetKey);
        }
        String md5 = stored.get().md5();
        if (md5 == null && entry.get().status() == LedgerStatus.UNVERIFIED && !readContent) {
            return new Difference(Difference.Kind.UNVERIFIED, item.key(), "written, and the target could not"
                    + " confirm it; --checksum reads it back where the target allows");
        }
        if (md5 == null && readContent) {
            md5 = md5Of(targetKey);
        }
        if (md5 != null && !md5.equals(entry.get().checksum())) {
            return new Difference(Difference.Kind.DIFFER, item.key(), "MD5 " + md5 + " at the target, "
                    + entry.get().checksum() + " when migrated");
        }
        return new Difference(Difference.Kind.MATCH, item.key(), "");
    }

    private Difference compare(ItemComparing comparing, Item item, String targetKey) {
        Optional<LedgerEntry> entry = job.ledger().find(job.scope(), item.key());
        if (entry.isEmpty() || entry.get().status() != LedgerStatus.DONE) {
            return new Difference(Difference.Kind.PENDING, item.key(), "not recorded as done"
                    + entry.map(e -> e.lastError() == null ? "" : ": " + e.lastError()).orElse(""));
        }
        if (!entry.get().isDoneWith(item.fingerprint())) {
            return new Difference(Difference.Kind.PENDING, item.key(), "changed at the source since it was migrated");
        }
        try {
            return comparing.compare(item, targetKey, entry.get(), () -> written(item));
        } catch (ItemRejectedException e) {
            return new Difference(Difference.Kind.PENDING, item.key(), "cannot be compared: " + e.getMessage());
        }
    }

    /** The item's content as the transfer writes it: converted by the job's conversion; null when dropped. */
    private ItemSource.Content written(Item item) {
        ItemSource.Content content = job.source().open(item);
        if (job.conversion() == Conversion.NONE) {
            return content;
        }
        try {
            return ConvertedContent.of(job.conversion(), content, new DefaultExchange(camel()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private synchronized CamelContext camel() {
        if (camel == null) {
            camel = new DefaultCamelContext();
            camel.start();
        }
        return camel;
    }

    /** The target's bytes against the source's, as the transfer would write them now. */
    private Difference compareDownloaded(Item item, String targetKey) {
        String atTarget = md5Of(targetKey);
        ItemSource.Content content = written(item);
        if (content == null) {
            return new Difference(Difference.Kind.DIFFER, item.key(), "the job's conversion now drops it, and the"
                    + " target holds what an earlier run wrote");
        }
        MessageDigest md5 = Md5.newDigest();
        try (InputStream in = new DigestInputStream(content.body(), md5)) {
            in.transferTo(OutputStream.nullOutputStream());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + item.key() + " at the source", e);
        }
        String atSource = Md5.hex(md5.digest());
        return atSource.equals(atTarget) ? new Difference(Difference.Kind.MATCH, item.key(), "")
                : new Difference(Difference.Kind.DIFFER, item.key(), "MD5 " + atTarget + " read at the target, "
                + atSource + " at the source");
    }

    private String md5Of(String targetKey) {
        MessageDigest md5 = Md5.newDigest();
        try (InputStream in = new DigestInputStream(job.target().read(targetKey), md5)) {
            in.transferTo(OutputStream.nullOutputStream());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + targetKey + " at the target", e);
        }
        return Md5.hex(md5.digest());
    }
}
