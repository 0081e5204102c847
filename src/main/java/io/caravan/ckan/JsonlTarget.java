package io.caravan.ckan;

import io.caravan.convert.ConvertedContent;
import io.caravan.item.Identities;
import io.caravan.item.Item;
import io.caravan.item.JobFatalException;
import io.caravan.job.JobRun;
import io.caravan.target.OpaqueTarget;
import io.caravan.target.Md5;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A JSONL dump that {@code ckanapi load} accepts: one compact record per line, keys sorted. Records are appended,
 * each in one write, so a killed run leaves whole lines; a record that changed is appended again, and since a
 * loader applies lines in order, its last line wins. With {@code fsync}, each line reaches the disk before the
 * ledger counts it; without, at the end of the run (a killed process loses nothing; a crashed machine may).
 */
public final class JsonlTarget implements OpaqueTarget {

    private final Path file;
    private final boolean fsync;
    private FileChannel channel;

    public JsonlTarget(Path file, boolean fsync) {
        this.file = file;
        this.fsync = fsync;
    }

    @Override
    public void check() {
        Path folder = file.toAbsolutePath().getParent();
        if (folder != null && !Files.isDirectory(folder)) {
            throw new JobFatalException("target.file " + file + ": folder " + folder + " does not exist");
        }
    }

    @Override
    public synchronized void beforeRun(JobRun run) {
        afterRun(run, false); // an aborted run skips afterRun: its channel is closed here
        try {
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.READ);
            dropTornLine();
            channel.position(channel.size());
        } catch (IOException e) {
            throw new JobFatalException("target.file " + file + " cannot be written: " + e.getMessage(), e);
        }
    }

    /** A line cut short (the disk filled up mid-write, say) is cut off, so the file stays loadable. */
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
                throw new JobFatalException("target.file " + file + " cannot be written: " + e.getMessage(), e);
            }
        }
        return new Written(Md5.hex(Md5.newDigest().digest(record)), record.length, "written");
    }

    @Override
    public synchronized void afterRun(JobRun run, boolean complete) {
        if (channel == null) {
            return;
        }
        try {
            channel.force(true);
            channel.close();
        } catch (IOException e) {
            throw new JobFatalException("target.file " + file + " cannot be synced: " + e.getMessage(), e);
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
