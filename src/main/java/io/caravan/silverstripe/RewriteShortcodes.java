package io.caravan.silverstripe;

import io.caravan.item.CloseableIterator;
import io.caravan.item.Item;
import io.caravan.item.ItemRejectedException;
import io.caravan.job.JobRun;
import io.caravan.silverstripe.shortcodes.TagsToShortcode;
import io.caravan.silverstripe.shortcodes.UnresolvedLink;
import io.caravan.target.Sha1;

import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * {@code rewrite-shortcodes}: in each HTML column named in {@code shortcodes.columns} ({@code Table.Column}, the
 * Live and Versions tables named too: over JDBC nothing tells an HTML column from a plain one), {@code <img>} and
 * {@code <a href>} pointing at assets become SilverStripe 4 shortcodes. A row is rewritten only if its content is
 * still what was read (an editor's save meanwhile wins, and the next run takes it again). Each link into assets
 * that is left as it was goes into the run's report, with its row and column and the reason.
 */
public final class RewriteShortcodes implements Subtask {

    private final Site site;
    private final List<Column> columns;
    private final TagsToShortcode rewriter;
    private final ReportLines unresolved = new ReportLines("unresolved links");

    /** One HTML column. */
    public record Column(String table, String column) {
        public static Column parse(String spec) {
            int dot = spec.indexOf('.');
            if (dot <= 0 || dot == spec.length() - 1) {
                throw new IllegalArgumentException("'" + spec + "' is not Table.Column");
            }
            return new Column(spec.substring(0, dot), spec.substring(dot + 1));
        }

        @Override
        public String toString() {
            return table + "." + column;
        }
    }

    public RewriteShortcodes(Site site, List<Column> columns) {
        this.site = site;
        this.columns = columns;
        this.rewriter = new TagsToShortcode(new DatabaseAssetIndex(site.db()));
    }

    @Override
    public String name() {
        return "rewrite-shortcodes";
    }

    @Override
    public void prepare(JobRun run) {
        unresolved.start(run);
    }

    @Override
    public void finish(JobRun run, boolean complete) {
        unresolved.finish(run);
    }

    /** Rows whose column mentions {@code assets/}; the fingerprint is the content's hash, so an edit is seen. */
    @Override
    public CloseableIterator<Item> work() {
        SiteDatabase db = site.db();
        List<Supplier<CloseableIterator<Item>>> parts = new ArrayList<>();
        for (Column c : columns) {
            parts.add(() -> db.stream("SELECT " + db.col("ID") + ", " + db.col(c.column()) + " FROM "
                    + db.q(c.table()) + " WHERE " + db.col(c.column()) + " LIKE '%assets/%' ORDER BY "
                    + db.col("ID"), rs -> Item.ofRecord(c + "/" + rs.getLong(1), sha1(rs.getString(2)),
                    (c + "/" + rs.getLong(1)).getBytes(StandardCharsets.UTF_8))));
        }
        return CloseableIterator.concat(parts);
    }

    @Override
    public Outcome perform(String key, byte[] record) throws SQLException {
        int slash = key.lastIndexOf('/');
        Column c = Column.parse(key.substring(0, slash));
        long id = Long.parseLong(key.substring(slash + 1));
        SiteDatabase db = site.db();
        Optional<String> content = db.list("SELECT " + db.col(c.column()) + " FROM " + db.q(c.table()) + " WHERE "
                + db.col("ID") + " = ?", rs -> Optional.ofNullable(rs.getString(1)), id).stream().findFirst()
                .orElse(Optional.empty());
        if (content.isEmpty()) {
            return Outcome.of("gone");
        }
        String before = content.get();
        String after;
        try {
            after = rewriter.rewrite(before, link -> report(key, link));
        } catch (RuntimeException e) {
            throw new ItemRejectedException("transfer", key + ": the HTML could not be rewritten: " + e, e);
        }
        if (after.equals(before)) {
            return Outcome.of("unchanged");
        }
        int changed = db.inTransaction(conn -> SiteDatabase.update(conn, "UPDATE " + db.q(c.table()) + " SET "
                + db.col(c.column()) + " = ? WHERE " + db.col("ID") + " = ? AND " + db.col(c.column()) + " = ?",
                after, id, before));
        if (changed == 0) {
            throw new ItemRejectedException("transfer", key + " was edited while it was rewritten; run again");
        }
        return new Outcome("rewritten", sha1(after), after.length());
    }

    private void report(String key, UnresolvedLink link) {
        unresolved.add("unresolved link in " + key + ": " + link.url() + " (" + link.reason() + ")");
    }

    static String sha1(String text) {
        return Sha1.hex((text == null ? "" : text).getBytes(StandardCharsets.UTF_8));
    }
}
