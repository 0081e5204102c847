package io.caravan.sql;

import java.util.Locale;
import java.util.Map;

/** A row transform for the tests: tag names in upper case, and the tag named "bruit" left out. */
public class ShoutingTags implements RowTransform {

    @Override
    public boolean apply(String table, Map<String, String> row) {
        if ("bruit".equals(row.get("name"))) {
            return false;
        }
        row.put("name", row.get("name").toUpperCase(Locale.ROOT) + "\t!");
        return true;
    }
}
