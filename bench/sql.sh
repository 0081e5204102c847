#!/usr/bin/env bash
# One table of ROWS rows (default 5,000,000), PostgreSQL → PostgreSQL on this machine, in one run:
# `pg_dump -t | psql` against Caravan's sql job (chunks of CHUNK rows, WORKERS at a time, COPY out → COPY in).
# Two PostgreSQL 15 clusters from Debian's postgresql-15 package (installed if absent), on ports 15432 and 15433,
# run as the postgres user with the same settings. Prints one table (rows/s) and checks both copies.
set -euo pipefail
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib.sh"

ROWS="${ROWS:-5000000}"; CHUNK="${CHUNK:-50000}"; WORKERS="${WORKERS:-4}"
PGBIN=/usr/lib/postgresql/15/bin
[[ -x "$PGBIN/postgres" ]] || need "$PGBIN/postgres" postgresql-15
pg="$work/pg"
as_pg() { if [[ $(id -u) == 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi; }
stop_pg() { for c in src dst; do as_pg "$PGBIN/pg_ctl" -D "$pg/$c" -m fast stop >/dev/null 2>&1 || true; done; }
trap 'stop_pg; stop_s3proxy' EXIT
stop_pg
rm -rf "$pg" && mkdir -p "$pg" && chown postgres "$pg" 2>/dev/null || true
port_src=15432; port_dst=15433
for c in src:$port_src dst:$port_dst; do
  as_pg "$PGBIN/initdb" -D "$pg/${c%%:*}" -U postgres --auth=trust --locale=C.UTF-8 -E UTF8 >/dev/null
  as_pg "$PGBIN/pg_ctl" -D "$pg/${c%%:*}" -l "$pg/${c%%:*}.log" -w \
    -o "-p ${c#*:} -k $pg -c listen_addresses=127.0.0.1 -c shared_buffers=256MB -c max_wal_size=4GB" start >/dev/null
done
psql_at() { "$PGBIN/psql" -h 127.0.0.1 -p "$1" -U postgres -v ON_ERROR_STOP=1 -q "${@:2}"; }
log "making $ROWS rows in the source"
psql_at $port_src -c "CREATE TABLE bench_rows (id bigint PRIMARY KEY, name text NOT NULL, amount numeric(12,2),
  created timestamp, note text)"
psql_at $port_src -c "INSERT INTO bench_rows SELECT g, 'row-' || g, (g % 100000) / 100.0,
  timestamp '2020-01-01' + g * interval '1 second', md5(g::text) FROM generate_series(1, $ROWS) g"
psql_at $port_src -c "VACUUM ANALYZE bench_rows"
psql_at $port_dst -c "CREATE DATABASE via_pg_dump"
psql_at $port_dst -c "CREATE DATABASE via_caravan"

home="$work/homes/sql"
rm -rf "$home" && mkdir -p "$home/config/jobs"
cp -r "$repo/routes" "$home/routes"
cp "$repo/config/application.properties" "$home/config/"
cat > "$home/config/jobs/sql.properties" <<EOF2
source.type = sql
source.jdbc-url = jdbc:postgresql://127.0.0.1:$port_src/postgres
source.user = postgres
source.tables = bench_rows
source.chunk-rows = $CHUNK
target.type = sql
target.jdbc-url = jdbc:postgresql://127.0.0.1:$port_dst/via_caravan
target.user = postgres
caravan.workers = $WORKERS
EOF2

measure "sql-pgdump-r1" -- bash -c "'$PGBIN/pg_dump' -h 127.0.0.1 -p $port_src -U postgres -t bench_rows postgres \
  | '$PGBIN/psql' -h 127.0.0.1 -p $port_dst -U postgres -q -v ON_ERROR_STOP=1 via_pg_dump > /dev/null"
measure_caravan "sql-caravan-r1" "" "$home" run sql

for db in via_pg_dump via_caravan; do
  got=$(psql_at $port_dst -d "$db" -At -c "SELECT count(*), sum(('x' || substr(md5(CAST(t AS text)), 1, 16))::bit(64)::bigint::numeric) FROM bench_rows t")
  want=$(psql_at $port_src -At -c "SELECT count(*), sum(('x' || substr(md5(CAST(t AS text)), 1, 16))::bit(64)::bigint::numeric) FROM bench_rows t")
  printf '%s\t%s\t%s\t%s\n' "$db" "$ROWS" "$want" "$got $want" >> "$results/checks.log"
  [[ "$got" == "$want" ]] && log "  $db: $ROWS rows, checksum equal to the source" || log "  $db: $got, expected $want"
done
row sql "pg_dump | psql" sql-pgdump "$ROWS" 0 "pg_dump -t bench_rows | psql (one stream, PostgreSQL 15)"
row sql caravan sql-caravan "$ROWS" 0 "run sql, chunks of $CHUNK rows, workers=$WORKERS"
python3 "$bench/table.py" "$results" 1 | sed 's/files\/s/rows\/s/' | tee "$results/table.md"
