package io.caravan.sql;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A chunk's COPY stream with each row's version last: loaded without it, the versions digested in order. */
class VersionedRowsTest {

    @Test
    void should_give_text_rows_without_their_version_and_digest_the_versions_in_order() throws Exception {
        String copied = "1\talpha\\tbeta\t735\n2\t\\N\t736\n3\tgamma\t90001\n";
        VersionedRows rows = VersionedRows.of(new ByteArrayInputStream(copied.getBytes(StandardCharsets.UTF_8)), false);

        assertThat(new String(readInSmallPieces(rows), StandardCharsets.UTF_8))
                .isEqualTo("1\talpha\\tbeta\n2\t\\N\n3\tgamma\n");
        assertThat(rows.rows()).isEqualTo(3);
        assertThat(rows.digest()).isEqualTo(md5("735" + "736" + "90001"));
        assertThat(rows.read()).as("the end, read again").isEqualTo(-1);
        assertThat(rows.read(new byte[8], 0, 8)).isEqualTo(-1);
    }

    @Test
    void should_give_binary_rows_with_one_field_less_header_and_end_as_they_were_and_digest_the_xids_as_digits() throws Exception {
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        ByteArrayOutputStream copied = new ByteArrayOutputStream();
        header(new DataOutputStream(expected));
        header(new DataOutputStream(copied));
        byte[] big = new byte[100_000]; // a field longer than the reader's buffer
        java.util.Arrays.fill(big, (byte) 'x');
        Object[][] rows = {{"row one".getBytes(StandardCharsets.UTF_8), null, 735}, {big, new byte[0], -1}};
        for (Object[] row : rows) {
            DataOutputStream in = new DataOutputStream(copied);
            DataOutputStream out = new DataOutputStream(expected);
            in.writeShort(3);
            out.writeShort(2);
            for (int i = 0; i < 2; i++) {
                byte[] field = (byte[]) row[i];
                for (DataOutputStream s : new DataOutputStream[] {in, out}) {
                    s.writeInt(field == null ? -1 : field.length);
                    if (field != null) {
                        s.write(field);
                    }
                }
            }
            in.writeInt(4); // an xid
            in.writeInt((Integer) row[2]);
        }
        new DataOutputStream(copied).writeShort(-1);
        new DataOutputStream(expected).writeShort(-1);

        VersionedRows read = VersionedRows.of(new ByteArrayInputStream(copied.toByteArray()), true);

        assertThat(readInSmallPieces(read)).isEqualTo(expected.toByteArray());
        assertThat(read.rows()).isEqualTo(2);
        assertThat(read.digest()).as("each xid as its unsigned digits").isEqualTo(md5("735" + "4294967295"));
        assertThat(read.read(new byte[8], 0, 8)).as("the end, read again").isEqualTo(-1);
    }

    @Test
    void should_fail_a_text_row_cut_short_instead_of_loading_it() {
        VersionedRows rows = VersionedRows.of(new ByteArrayInputStream("1\talpha\t735\n2\tbe".getBytes(
                StandardCharsets.UTF_8)), false);

        assertThatThrownBy(() -> rows.readAllBytes()).isInstanceOf(IOException.class);
    }

    private static void header(DataOutputStream s) throws IOException {
        s.write("PGCOPY\n\377\r\n\0".getBytes(StandardCharsets.ISO_8859_1));
        s.writeInt(0);
        s.writeInt(0);
    }

    /** Reads as a COPY into the target does, in buffers, here of 7 bytes. */
    private static byte[] readInSmallPieces(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[7];
        int n;
        while ((n = in.read(buffer, 0, buffer.length)) != -1) {
            out.write(buffer, 0, n);
        }
        return out.toByteArray();
    }

    private static String md5(String versions) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(versions.getBytes(StandardCharsets.US_ASCII)));
    }
}
