package io.caravan.sql;

import java.io.IOException;
import java.io.InputStream;
import java.util.zip.CRC32C;
import java.util.zip.CheckedInputStream;

/**
 * A chunk's COPY text passed through while its bytes are counted and checksummed, for the ledger. CRC-32C, not
 * MD5: nothing compares a chunk's checksum with another (a table is verified by the databases' own checksums), and
 * on the C1 compiler that Caravan runs on, MD5 took half of the client's CPU in a 5,000,000-row copy.
 */
final class CountedRows extends CheckedInputStream {

    private long bytes;

    CountedRows(InputStream rows) {
        super(rows, new CRC32C());
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        bytes += b >= 0 ? 1 : 0;
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int n = super.read(buffer, offset, length);
        bytes += Math.max(n, 0);
        return n;
    }

    long bytes() {
        return bytes;
    }

    /** {@code crc32c:} and the checksum so far, in hex. */
    String checksum() {
        return String.format("crc32c:%08x", getChecksum().getValue());
    }
}
