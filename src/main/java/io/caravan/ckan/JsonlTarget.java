package io.caravan.ckan;

import io.caravan.convert.ConvertedContent;
import io.caravan.item.Identities;
import io.caravan.item.Item;
import io.caravan.item.JobFatalException;
import io.caravan.job.JobRun;
import io.caravan.target.CountingDigest;
import io.caravan.target.Md5;
import io.caravan.target.OpaqueTarget;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * A JSONL dump that {@code ckanapi load} accepts: one compact record per line, keys sorted, each record once (a
 * parallel load, {@code ckanapi load -p 4}, applies lines in any order, so a record twice could end as its old
 * version). A run appends what it writes to {@code <file>.part}, each record in one write, so a killed run leaves
 * whole lines there; at the end of the run, the dump and the part are merged (the part's last line of a record
 * replaces the dump's) into a temporary file that is renamed into place. Only a dump this job wrote is merged
 * with: with a ledger that has written nothing, a file there is kept aside and the dump written anew; otherwise
 * {@code <file>.caravan} keeps the MD5 of what was last put in place, and a file that is not that (another tool's
 * dump, or one edited since) stops the job. With {@code fsync}, each line reaches the disk before the
 * ledger counts it; without, at the end of the run.
 */
public final class JsonlTarget implements OpaqueTarget {

    private final Path file;
    private final Path part;
    private final JsonlStamp stamp;
    private final boolean fsync;
    private final BooleanSupplier ledgerWroteRecords;
    private FileChannel channel;

    /** @param ledgerWroteRecords whether this job's ledger has records written (else a dump there is not its own) */
    public JsonlTarget(Path file, boolean fsync, BooleanSupplier ledgerWroteRecords) {
        this.file = file.toAbsolutePath();
        this.part = this.file.resolveSibling(this.file.getFileName() + ".part");
        this.stamp = new JsonlStamp(this.file.resolveSibling(this.file.getFileName() + ".caravan"));
        this.fsync = fsync;
        this.ledgerWroteRecords = ledgerWroteRecords;
    }

    @Override
    public void check() {
        Path folder = file.getParent();
        if (folder != null && !Files.isDirectory(folder)) {
            throw new JobFatalException("target.file " + file + ": folder " + folder + " does not exist");
        }
        if (Files.exists(file) && ledgerWroteRecords.getAsBoolean() && !stamp.matches(md5(file))) {
            throw new JobFatalException("target.file " + file + " was not written by this job, or was changed since"
                    + " (" + stamp.path().getFileName() + " does not know it): a dump holds each record once, so"
                    + " Caravan adds only to a dump it wrote; move the file away or name another target.file");
        }
    }

    @Override
    public synchronized void beforeRun(JobRun run) {
        closePart(); // an aborted run skips afterRun: its channel is closed here
        check();
        if (Files.exists(file) && !Files.exists(part) && !ledgerWroteRecords.getAsBoolean()) {
            setAside(run);
        }
        try {
            channel = FileChannel.open(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.READ);
            dropTornLine();
            channel.position(channel.size());
        } catch (IOException e) {
            throw new JobFatalException("target.file " + part + " cannot be written: " + e.getMessage(), e);
        }
    }

    /**
     * A dump this job's ledger knows nothing of (a fresh ledger, or another's file) is never added to: it is kept
     * aside, renamed, and the run writes the dump anew.
     */
    private void setAside(JobRun run) {
        Path aside = file.resolveSibling(file.getFileName() + ".before-" + run.id());
        try {
            Files.move(file, aside, StandardCopyOption.ATOMIC_MOVE);
            Files.deleteIfExists(stamp.path());
        } catch (IOException e) {
            throw new JobFatalException("target.file " + file + " cannot be set aside: " + e.getMessage(), e);
        }
        run.addStep("target.file " + file.getFileName() + " was there, but this job's ledger has written nothing"
                + " to it: it is kept as " + aside.getFileName() + ", and this run writes the dump anew");
    }

    /** A line cut short (the disk filled up mid-write, say) is cut off, so the part stays whole lines. */
    private void dropTornLine() throws IOException {
        long end = channel.size();
        ByteBuffer one = ByteBuffer.allocate(1);
        long keep = end;
        while (keep > 0) {
            one.clear();
            channel.read(one, keep - 1);
            if (one.get(0) == '\n') {
                break;
            }
            keep--;
        }
        if (keep < end) {
            channel.truncate(keep);
        }
    }

    @Override
    public Written write(String targetKey, long expectedSize, InputStream body, Item.Attributes attributes,
                         Runnable beforeCommit) {
        byte[] record;
        try {
            record = body.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (!ConvertedContent.CANONICAL_JSON.equals(attributes.contentType())) {
            record = CkanJson.bytes(CkanJson.parse(record)); // from elsewhere: made compact, keys sorted
        }
        beforeCommit.run();
        ByteBuffer line = ByteBuffer.allocate(record.length + 1).put(record).put((byte) '\n').flip();
        synchronized (this) {
            try {
                while (line.hasRemaining()) {
                    channel.write(line);
                }
                if (fsync) {
                    channel.force(false);
                }
            } catch (IOException e) {
                throw new JobFatalException("target.file " + part + " cannot be written: " + e.getMessage(), e);
            }
        }
        return new Written(Md5.hex(Md5.newDigest().digest(record)), record.length, "written");
    }

    @Override
    public synchronized void afterRun(JobRun run, boolean complete) {
        closePart();
        try {
            if (!Files.exists(part) || Files.size(part) == 0) {
                Files.deleteIfExists(part); // nothing written: the dump stays as it is
                return;
            }
            Merged merged = merge();
            run.addStep(String.format(Locale.ROOT, "%s: %,d records, %,d of them written by this run (%,d"
                    + " replacing an older line)", file.getFileName(), merged.records, merged.fromRun,
                    merged.replaced));
        } catch (IOException e) {
            throw new JobFatalException("target.file " + file + " cannot be merged with " + part.getFileName()
                    + ": " + e.getMessage() + " (nothing was lost: the next run merges again)", e);
        }
    }

    private record Merged(long records, long fromRun, long replaced) {
    }

    /**
     * The dump's lines whose record the part does not hold, then the part's last line of each record, written to
     * a temporary file renamed over the dump. What is held meanwhile is the keys of the part's records.
     */
    private Merged merge() throws IOException {
        Map<String, Long> lastLine = new HashMap<>();
        long n = 0;
        try (BufferedReader lines = Files.newBufferedReader(part, StandardCharsets.UTF_8)) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                lastLine.put(keyOf(line), n++);
            }
        }
        Path temp = Files.createTempFile(file.getParent(), file.getFileName() + ".", ".tmp");
        long records = 0;
        long replaced = 0;
        MessageDigest md5 = Md5.newDigest();
        try (FileChannel out = FileChannel.open(temp, StandardOpenOption.WRITE);
             OutputStream digested = new DigestOutputStream(Channels.newOutputStream(out), md5);
             BufferedWriter writer = new BufferedWriter(new OutputStreamWriter(digested, StandardCharsets.UTF_8),
                     1 << 16)) {
            if (Files.exists(file)) {
                try (BufferedReader lines = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                    for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                        if (lastLine.containsKey(keyOf(line))) {
                            replaced++;
                        } else {
                            writer.write(line);
                            writer.write('\n');
                            records++;
                        }
                    }
                }
            }
            n = 0;
            try (BufferedReader lines = Files.newBufferedReader(part, StandardCharsets.UTF_8)) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    if (lastLine.get(keyOf(line)) == n++) {
                        writer.write(line);
                        writer.write('\n');
                        records++;
                    }
                }
            }
            writer.flush();
            out.force(true);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
        stamp.write(Md5.hex(md5.digest()));
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        Files.delete(part);
        return new Merged(records, lastLine.size(), replaced);
    }

    private static String keyOf(String line) {
        return CkanJson.recordKey(CkanJson.parse(line.getBytes(StandardCharsets.UTF_8)));
    }

    private static String md5(Path file) {
        try (CountingDigest in = new CountingDigest(Files.newInputStream(file))) {
            in.transferTo(OutputStream.nullOutputStream());
            return in.md5();
        } catch (IOException e) {
            throw new JobFatalException("target.file " + file + " cannot be read: " + e.getMessage(), e);
        }
    }

    private void closePart() {
        if (channel == null) {
            return;
        }
        try {
            channel.force(true);
            channel.close();
        } catch (IOException e) {
            throw new JobFatalException("target.file " + part + " cannot be synced: " + e.getMessage(), e);
        } finally {
            channel = null;
        }
    }

    @Override
    public String describe() {
        return "JSONL " + file;
    }

    @Override
    public boolean takesRecords() {
        return true;
    }

    @Override
    public String identity() {
        return Identities.file(file);
    }
}
