package io.caravan.sql;

import java.util.Map;

/**
 * A per-row transform in Java, for what an SQL expression cannot say. Named in a job's settings as
 * {@code row-transform.<table> = <class name>} (a public class with a no-argument constructor, on the class path).
 */
public interface RowTransform {

    /**
     * @param row column → value as PostgreSQL prints it in COPY's text form (null for NULL), in column order;
     *            change values in place
     * @return false to leave the row out of the copy
     */
    boolean apply(String table, Map<String, String> row);
}
