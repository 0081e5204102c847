package io.caravan.verify;

/** One line of a verify: an item and how source, ledger and target disagree about it. */
public record Difference(Kind kind, String key, String detail) {

    public enum Kind {
        MATCH("="), MISSING("-"), DIFFER("*"), PENDING("?"), EXTRA("+"),
        /**
         * The source itself stops the item (a row whose file is missing): no run can migrate it until the source is
         * mended, where a PENDING item is one the next run migrates.
         */
        REJECTED("!"),
        /** Written to a target that could not confirm what it stored: migrated, never counted as verified. */
        UNVERIFIED("~");

        private final String mark;

        Kind(String mark) {
            this.mark = mark;
        }

        public String mark() {
            return mark;
        }
    }

    @Override
    public String toString() {
        return kind.mark() + " " + key + (detail.isEmpty() ? "" : " (" + kind.name().toLowerCase() + ": " + detail + ")");
    }
}
