package io.caravan.sql;

import org.junit.jupiter.api.Test;

import java.sql.BatchUpdateException;
import java.sql.SQLException;

import static org.assertj.core.api.Assertions.assertThat;

/** Which failures of a SQL target name a refused row (the chunk then goes row by row). */
class TargetStatementsTest {

    @Test
    void should_take_a_constraint_or_a_bad_value_anywhere_in_the_failure_as_a_refused_row() {
        assertThat(TargetStatements.refusedRow(new SQLException("duplicate key", "23505"))).isTrue();
        assertThat(TargetStatements.refusedRow(new SQLException("value too long", "22001"))).isTrue();
        BatchUpdateException batch = new BatchUpdateException("batch failed", "08000", new int[0]);
        batch.setNextException(new SQLException("check constraint", "23514"));
        assertThat(TargetStatements.refusedRow(batch)).as("a JDBC batch names the row in its next exception").isTrue();
        assertThat(TargetStatements.refusedRow(new SQLException("wrapped", null,
                new SQLException("not null", "23502")))).as("or in its cause").isTrue();
        assertThat(TargetStatements.refusedRow(new SQLException("connection lost", "08006")))
                .as("a lost connection is retried, not taken row by row").isFalse();
    }
}
