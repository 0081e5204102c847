package io.caravan.sql;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** One field of PostgreSQL's COPY text format: {@code \N} is NULL; backslash escapes tab, newline and the rest. */
final class CopyText {

    private CopyText() {
    }

    /** The fields of a row's line up to {@code end} (its line's end, or a tab before fields not wanted), decoded. */
    static List<String> decodeRow(byte[] row, int end) {
        List<String> fields = new ArrayList<>();
        for (String field : new String(row, 0, end, StandardCharsets.UTF_8).split("\t", -1)) {
            fields.add(decode(field));
        }
        return fields;
    }

    static String decode(String field) {
        if (field.equals("\\N")) {
            return null;
        }
        if (field.indexOf('\\') < 0) {
            return field;
        }
        StringBuilder b = new StringBuilder(field.length());
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c != '\\' || i + 1 == field.length()) {
                b.append(c);
                continue;
            }
            char e = field.charAt(++i);
            switch (e) {
                case 'b' -> b.append('\b');
                case 'f' -> b.append('\f');
                case 'n' -> b.append('\n');
                case 'r' -> b.append('\r');
                case 't' -> b.append('\t');
                case 'v' -> b.append('\u000b');
                default -> b.append(e);
            }
        }
        return b.toString();
    }

    static String encode(String value) {
        if (value == null) {
            return "\\N";
        }
        StringBuilder b = new StringBuilder(value.length() + 8);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> b.append(c);
            }
        }
        return b.toString();
    }
}
