package io.caravan.sql;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** COPY text rows passed one at a time through a {@link RowTransform}, re-encoded as COPY text. */
final class TransformedRows extends InputStream {

    private final Table table;
    private final RowTransform transform;
    private final BufferedReader in;
    private byte[] current = new byte[0];
    private int position;

    TransformedRows(Table table, RowTransform transform, InputStream copyText) {
        this.table = table;
        this.transform = transform;
        this.in = new BufferedReader(new InputStreamReader(copyText, StandardCharsets.UTF_8));
    }

    @Override
    public int read() throws IOException {
        return fill() ? current[position++] & 0xff : -1;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        if (!fill()) {
            return -1;
        }
        int n = Math.min(length, current.length - position);
        System.arraycopy(current, position, buffer, offset, n);
        position += n;
        return n;
    }

    private boolean fill() throws IOException {
        while (position == current.length) {
            String line = in.readLine();
            if (line == null) {
                return false;
            }
            Map<String, String> row = decode(line);
            if (transform.apply(table.name(), row)) {
                current = (encode(row) + "\n").getBytes(StandardCharsets.UTF_8);
                position = 0;
            }
        }
        return true;
    }

    private Map<String, String> decode(String line) {
        String[] fields = line.split("\t", -1);
        Map<String, String> row = new LinkedHashMap<>();
        for (int i = 0; i < table.columns().size(); i++) {
            row.put(table.columns().get(i).name(), i < fields.length ? CopyText.decode(fields[i]) : null);
        }
        return row;
    }

    private String encode(Map<String, String> row) {
        StringBuilder b = new StringBuilder();
        for (Table.Column column : table.columns()) {
            b.append(b.isEmpty() ? "" : "\t").append(CopyText.encode(row.get(column.name())));
        }
        return b.toString();
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
