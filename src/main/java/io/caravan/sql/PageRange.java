package io.caravan.sql;

import io.caravan.item.Item;

/**
 * A run of a table's pages, {@code firstPage} up to before {@code endPage} (-1: to the table's end), read in the
 * snapshot {@code snapshot} exported by the listing: a first copy of a table whose key is in no order of its pages
 * ({@link PagedCopies}). {@code generation} names that one copy of the table: a page range of another generation
 * was read in another snapshot, so the target empties the table before it loads the first range of a new one.
 * The item key is {@code <table>/@<firstPage>}, which no chunk key is ({@link Chunk} keys are JSON arrays or *).
 */
record PageRange(String table, String generation, String snapshot, long firstPage, long endPage) {

    private static final String MARK = "/@";
    private static final String KIND = "pages";

    static boolean isPageKey(String itemKey) {
        int slash = itemKey.indexOf('/');
        return slash >= 0 && itemKey.startsWith(MARK, slash);
    }

    String itemKey() {
        return table + MARK + firstPage;
    }

    String fingerprint() {
        return KIND + ";" + generation + ";" + snapshot + ";" + endPage;
    }

    Item item() {
        return Item.of(itemKey(), fingerprint(), 0, 0);
    }

    static PageRange of(String itemKey, String fingerprint) {
        int mark = itemKey.indexOf('/');
        String[] parts = fingerprint.split(";", 4);
        if (!isPageKey(itemKey) || parts.length != 4 || !KIND.equals(parts[0])) {
            throw new IllegalArgumentException("not a page range: " + itemKey + " " + fingerprint);
        }
        return new PageRange(itemKey.substring(0, mark), parts[1], parts[2],
                Long.parseLong(itemKey.substring(mark + MARK.length())), Long.parseLong(parts[3]));
    }

    /** The condition on {@code t.ctid} that PostgreSQL (14 and later) reads as a TID range scan. */
    String where() {
        String from = "t.ctid >= '(" + firstPage + ",0)'::tid";
        return endPage < 0 ? from : from + " AND t.ctid < '(" + endPage + ",0)'::tid";
    }

    String describe() {
        return "pages " + firstPage + " to " + (endPage < 0 ? "the end" : "before " + endPage) + " of table " + table;
    }
}
