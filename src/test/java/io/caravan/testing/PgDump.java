package io.caravan.testing;

import org.postgresql.PGConnection;

import javax.sql.DataSource;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/** Loads a plain-text pg_dump file the way psql would: SQL statements, and COPY … FROM stdin blocks. */
public final class PgDump {

    private PgDump() {
    }

    public static void load(DataSource db, Path dump) throws IOException, SQLException {
        try (Connection c = db.getConnection(); Statement s = c.createStatement();
             BufferedReader in = Files.newBufferedReader(dump, StandardCharsets.UTF_8)) {
            StringBuilder statement = new StringBuilder();
            String line;
            while ((line = in.readLine()) != null) {
                if (statement.isEmpty() && (line.startsWith("--") || line.startsWith("\\") || line.isBlank())) {
                    continue; // comments and psql meta-commands (\restrict)
                }
                statement.append(line).append('\n');
                if (!line.endsWith(";")) {
                    continue;
                }
                String sql = statement.toString();
                statement.setLength(0);
                if (sql.startsWith("COPY ") && sql.contains(" FROM stdin;")) {
                    StringBuilder rows = new StringBuilder();
                    while (!(line = in.readLine()).equals("\\.")) {
                        rows.append(line).append('\n');
                    }
                    c.unwrap(PGConnection.class).getCopyAPI().copyIn(sql.replace(" FROM stdin;", " FROM STDIN"),
                            new ByteArrayInputStream(rows.toString().getBytes(StandardCharsets.UTF_8)));
                } else {
                    s.execute(sql);
                }
            }
        }
    }
}
