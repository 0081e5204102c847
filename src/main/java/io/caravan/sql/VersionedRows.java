package io.caravan.sql;

import io.caravan.target.Md5;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.Arrays;

/**
 * A chunk's COPY stream read with each row's version ({@code xmin}) as its last column, in key order, given on
 * without that column: what the target loads. The versions go into the digest a listing computes for the same rows
 * ({@link SqlSource}), so a chunk copied without being listed first is recorded as a listing would have recorded it,
 * and the next run finds it unchanged. Text or binary COPY; one row is held at a time.
 */
abstract class VersionedRows extends InputStream {

    private static final int BUFFER = 1 << 16;

    private final InputStream in;
    private final byte[] buffer = new byte[BUFFER]; // read here, not through a BufferedInputStream: its reads lock
    private int next;
    private int limit;
    private final MessageDigest digest = Md5.newDigest();
    private final byte[] digits = new byte[10];
    private long rows;
    byte[] row = new byte[256]; // the current row without its version, as it goes on
    int length;
    private int position;
    private boolean ended;

    private VersionedRows(InputStream copied) {
        this.in = copied;
    }

    /** Whether a byte is there to read, reading more when the buffer is used up. */
    final boolean buffered() throws IOException {
        while (next == limit) {
            int n = in.read(buffer, 0, buffer.length);
            if (n < 0) {
                return false;
            }
            next = 0;
            limit = n;
        }
        return true;
    }

    final int readByte() throws IOException {
        if (!buffered()) {
            throw new EOFException("a COPY stream cut short");
        }
        return buffer[next++] & 0xff;
    }

    /**
     * Most reads find their bytes in the buffer and take them from there at once: on the C1 compiler, a call for each
     * byte was a third of the client's CPU samples in a 5,000,000-row copy.
     */
    final int readInt() throws IOException {
        int at = next;
        if (limit - at >= 4) {
            next = at + 4;
            return (buffer[at] & 0xff) << 24 | (buffer[at + 1] & 0xff) << 16 | (buffer[at + 2] & 0xff) << 8
                    | (buffer[at + 3] & 0xff);
        }
        return readByte() << 24 | readByte() << 16 | readByte() << 8 | readByte();
    }

    final short readShort() throws IOException {
        int at = next;
        if (limit - at >= 2) {
            next = at + 2;
            return (short) ((buffer[at] & 0xff) << 8 | (buffer[at + 1] & 0xff));
        }
        return (short) (readByte() << 8 | readByte());
    }

    /** Reads {@code count} bytes into {@link #row} at its end. */
    final void readIntoRow(int count) throws IOException {
        ensure(length + count);
        if (limit - next >= count) {
            System.arraycopy(buffer, next, row, length, count);
            next += count;
            length += count;
            return;
        }
        while (count > 0) {
            if (!buffered()) {
                throw new EOFException("a COPY stream cut short");
            }
            int n = Math.min(count, limit - next);
            System.arraycopy(buffer, next, row, length, n);
            next += n;
            length += n;
            count -= n;
        }
    }

    /** Reads into {@link #row}, at its end, up to and with the next line's end (or the stream's end). */
    final void readLineIntoRow() throws IOException {
        while (buffered()) {
            int end = next;
            while (end < limit && buffer[end] != '\n') {
                end++;
            }
            boolean found = end < limit;
            int n = (found ? end + 1 : end) - next;
            ensure(length + n);
            System.arraycopy(buffer, next, row, length, n);
            next += n;
            length += n;
            if (found) {
                return;
            }
        }
    }

    static VersionedRows of(InputStream copied, boolean binary) {
        return binary ? new Binary(copied) : new Text(copied);
    }

    /** The rows read so far. */
    long rows() {
        return rows;
    }

    /** The digest of the versions read so far, in hex, as a listing gives it. */
    String digest() {
        try {
            return Md5.hex(((MessageDigest) digest.clone()).digest());
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Reads the next row into {@link #row} without its version; false at the stream's end. */
    abstract boolean nextRow() throws IOException;

    final void version(byte[] bytes, int offset, int count) {
        digest.update(bytes, offset, count);
        rows++;
    }

    /** A version sent as an xid's 4 bytes, digested as the digits a listing reads (unsigned decimal). */
    final void version(int xid) {
        long value = Integer.toUnsignedLong(xid);
        int at = digits.length;
        do {
            digits[--at] = (byte) ('0' + value % 10);
            value /= 10;
        } while (value != 0);
        version(digits, at, digits.length - at);
    }

    final void ensure(int capacity) {
        if (row.length < capacity) {
            row = Arrays.copyOf(row, Math.max(capacity, row.length * 2));
        }
    }

    private boolean fill() throws IOException {
        while (position == length) {
            if (ended || !nextRow()) {
                ended = true;
                position = 0;
                length = 0;
                return false;
            }
            position = 0;
        }
        return true;
    }

    @Override
    public int read() throws IOException {
        return fill() ? row[position++] & 0xff : -1;
    }

    /**
     * Fills {@code b} with as many rows as fit, as {@code PGCopyInputStream} does: a COPY into the target sends what
     * one read gives as one message, and a message a row costs both ends more than one of 64 KiB.
     */
    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int read = 0;
        while (read < len && fill()) {
            int n = Math.min(len - read, length - position);
            System.arraycopy(row, position, b, off + read, n);
            position += n;
            read += n;
        }
        return read == 0 && len > 0 ? -1 : read;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }

    /** COPY text: a line a row, the version after the last tab (digits: never escaped). */
    private static final class Text extends VersionedRows {

        Text(InputStream copied) {
            super(copied);
        }

        @Override
        boolean nextRow() throws IOException {
            length = 0;
            readLineIntoRow();
            if (length == 0) {
                return false;
            }
            if (row[length - 1] != '\n') {
                throw new EOFException("a COPY row ends without its line's end");
            }
            int tab = length - 2;
            while (tab >= 0 && row[tab] != '\t') {
                tab--;
            }
            if (tab < 0) {
                throw new IOException("a COPY row without its version column");
            }
            version(row, tab + 1, length - 2 - tab);
            row[tab] = '\n';
            length = tab + 1;
            return true;
        }
    }

    /**
     * COPY binary: a header, then each row as its field count and each field as a length (-1 for NULL) and its bytes,
     * then a count of -1. The header and the end go on as they are; each row goes on with one field less.
     */
    private static final class Binary extends VersionedRows {
        private boolean headerRead;

        Binary(InputStream copied) {
            super(copied);
        }

        @Override
        boolean nextRow() throws IOException {
            length = 0;
            if (!headerRead) {
                headerRead = true;
                readIntoRow(19); // signature (11), flags, the extension's length
                readIntoRow(readInt(row, 15));
                return true;
            }
            if (!buffered()) {
                return false; // the end: a stream cut short fails the load on its missing trailer
            }
            int fields = readShort();
            if (fields == -1) {
                ensure(2);
                putShort(-1);
                return true;
            }
            if (fields < 1) {
                throw new IOException("a COPY row without its version column");
            }
            ensure(2);
            putShort(fields - 1);
            for (int i = 0; i < fields - 1; i++) {
                int size = readInt();
                ensure(length + 4);
                putInt(size);
                if (size > 0) {
                    readIntoRow(size);
                }
            }
            if (readInt() != 4) {
                throw new IOException("a COPY row whose last column is not a row version (xid)");
            }
            version(readInt());
            return true;
        }

        /** After {@link #ensure} made room. */
        private void putShort(int value) {
            row[length++] = (byte) (value >>> 8);
            row[length++] = (byte) value;
        }

        /** After {@link #ensure} made room. */
        private void putInt(int value) {
            row[length++] = (byte) (value >>> 24);
            row[length++] = (byte) (value >>> 16);
            row[length++] = (byte) (value >>> 8);
            row[length++] = (byte) value;
        }

        private static int readInt(byte[] b, int at) {
            return (b[at] & 0xff) << 24 | (b[at + 1] & 0xff) << 16 | (b[at + 2] & 0xff) << 8 | (b[at + 3] & 0xff);
        }
    }
}
