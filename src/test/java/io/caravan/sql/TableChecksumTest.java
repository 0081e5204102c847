package io.caravan.sql;

import io.caravan.verify.Difference;
import io.caravan.verify.VerifyResult;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The verdict both SQL targets give on each table. */
class TableChecksumTest {

    private static Table table(String name) {
        return new Table("public", name, List.of(new Table.Column("id", "bigint", true, null)), List.of("id"),
                Map.of());
    }

    @Test
    void should_name_each_table_missing_equal_or_differing_with_both_sides_counts() {
        Map<String, TableChecksum> source = Map.of("same", new TableChecksum(3, "42"), "changed",
                new TableChecksum(3, "42"), "absent", new TableChecksum(1, "7"));
        Map<String, TableChecksum> target = Map.of("same", new TableChecksum(3, "42"), "changed",
                new TableChecksum(2, "40"));
        List<String> lines = new ArrayList<>();

        VerifyResult result = TableChecksum.verify(List.of(table("same"), table("changed"), table("absent")),
                t -> source.get(t.name()), t -> target.get(t.name()), d -> lines.add(d.toString()));

        assertThat(lines).containsExactly("= same",
                "* changed (differ: source 3 rows, checksum 42; target 2 rows, checksum 40)",
                "- absent (missing: no such table at the target)");
        assertThat(result.count(Difference.Kind.MATCH)).isEqualTo(1);
        assertThat(result.passes()).isFalse();
    }
}
