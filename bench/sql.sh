#!/usr/bin/env bash
# One table of ROWS rows (default 5,000,000), PostgreSQL → PostgreSQL on this machine, in one run:
# `pg_dump -t | psql` and `pgcopydb clone` (Debian's pgcopydb 0.10, WORKERS table and index jobs) against Caravan's
# sql job (chunks of CHUNK rows, WORKERS at a time, COPY out → COPY in), REPEAT times each (3), each into a fresh
# database.
# Two PostgreSQL 15 clusters from Debian's postgresql-15 package (installed if absent), on ports 15432 and 15433,
# run as the postgres user with the same settings. Prints one table (rows/s) and checks both copies.
# FINAL=N (default 0): then the final pass of a cutover, timed as Caravan's rerun of the last repetition's job after
# N rows were deleted and N updated at random keys of the source, FINAL_REPEAT times (3), each after new changes (pg_dump and pgcopydb have no such pass: the row
# names their full copy again); its report says how many chunks it copied again.
# KEY=serial (default): the key is the rows' number, so key order is the order of the table's pages; KEY=text: a text
# key of 32 hex digits (md5), in no relation to where a row lies, as CKAN's UUID keys are.
set -euo pipefail
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib.sh"

ROWS="${ROWS:-5000000}"; CHUNK="${CHUNK:-50000}"; WORKERS="${WORKERS:-4}"; REPEAT="${REPEAT:-3}"; FINAL="${FINAL:-0}"
FINAL_REPEAT="${FINAL_REPEAT:-3}"; KEY="${KEY:-serial}"
case "$KEY" in
  serial) key_type=bigint; key_of() { echo "$1"; } ;;
  text) key_type=text; key_of() { echo "md5(($1)::text || 'k')"; } ;;
  *) echo "KEY must be serial or text" >&2; exit 2 ;;
esac
PGBIN=/usr/lib/postgresql/15/bin
[[ -x "$PGBIN/postgres" ]] || need "$PGBIN/postgres" postgresql-15
need pgcopydb pgcopydb
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
psql_at $port_src -c "CREATE TABLE bench_rows (id $key_type PRIMARY KEY, name text NOT NULL, amount numeric(12,2),
  created timestamp, note text)"
psql_at $port_src -c "INSERT INTO bench_rows SELECT $(key_of g), 'row-' || g, (g % 100000) / 100.0,
  timestamp '2020-01-01' + g * interval '1 second', md5(g::text) FROM generate_series(1, $ROWS) g"
psql_at $port_src -c "VACUUM ANALYZE bench_rows"
# a fresh target database for each tool and repetition, and a fresh Caravan home (its ledger) for each
for r in $(seq 1 "$REPEAT"); do
  for db in via_pg_dump via_pgcopydb via_caravan; do
    psql_at $port_dst -c "DROP DATABASE IF EXISTS $db"
    psql_at $port_dst -c "CREATE DATABASE $db"
  done
  home="$work/homes/sql-r$r"
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

  run_pgdump() {
    measure "sql-pgdump-r$r" -- bash -c "'$PGBIN/pg_dump' -h 127.0.0.1 -p $port_src -U postgres -t bench_rows postgres \
      | '$PGBIN/psql' -h 127.0.0.1 -p $port_dst -U postgres -q -v ON_ERROR_STOP=1 via_pg_dump > /dev/null"
  }
  run_pgcopydb() {
    rm -rf "$work/pgcopydb-r$r"
    measure "sql-pgcopydb-r$r" -- pgcopydb clone --source "postgres://postgres@127.0.0.1:$port_src/postgres" \
      --target "postgres://postgres@127.0.0.1:$port_dst/via_pgcopydb" --table-jobs "$WORKERS" --index-jobs "$WORKERS" \
      --dir "$work/pgcopydb-r$r" --no-owner --no-acl
  }
  run_caravan() {
    measure_caravan "sql-caravan-r$r" "" "$home" run sql
  }
  # each tool goes first once in three: the one after a 5,000,000-row load meets its checkpoint and autovacuum
  tools=(pgdump pgcopydb caravan)
  for i in 0 1 2; do
    tool=${tools[$(( (i + r - 1) % 3 ))]}
    psql_at $port_dst -c CHECKPOINT
    run_$tool
  done

  want=$(psql_at $port_src -At -c "SELECT count(*), sum(('x' || substr(md5(CAST(t AS text)), 1, 16))::bit(64)::bigint::numeric) FROM bench_rows t")
  for db in via_pg_dump via_pgcopydb via_caravan; do
    got=$(psql_at $port_dst -d "$db" -At -c "SELECT count(*), sum(('x' || substr(md5(CAST(t AS text)), 1, 16))::bit(64)::bigint::numeric) FROM bench_rows t")
    printf '%s\t%s\t%s\t%s\n' "$db-r$r" "$ROWS" "$want" "$got $want" >> "$results/checks.log"
    [[ "$got" == "$want" ]] && log "  $db (r$r): $ROWS rows, checksum equal to the source" || log "  $db (r$r): $got, expected $want"
  done
done
if (( FINAL > 0 )); then
  for f in $(seq 1 "$FINAL_REPEAT"); do
    log "final pass $f: $FINAL rows deleted and $FINAL updated at random keys of the source"
    psql_at $port_src -c "DELETE FROM bench_rows WHERE id IN (SELECT $(key_of "1 + (random() * ($ROWS - 1))::bigint") FROM generate_series(1, $FINAL))"
    psql_at $port_src -c "UPDATE bench_rows SET note = 'changed $f' WHERE id IN (SELECT $(key_of "1 + (random() * ($ROWS - 1))::bigint") FROM generate_series(1, $FINAL))"
    measure_caravan "final-caravan-r$f" "" "$home" run sql
    want=$(psql_at $port_src -At -c "SELECT count(*), sum(('x' || substr(md5(CAST(t AS text)), 1, 16))::bit(64)::bigint::numeric) FROM bench_rows t")
    got=$(psql_at $port_dst -d via_caravan -At -c "SELECT count(*), sum(('x' || substr(md5(CAST(t AS text)), 1, 16))::bit(64)::bigint::numeric) FROM bench_rows t")
    [[ "$got" == "$want" ]] && log "  final pass $f: checksum equal to the source" || log "  final pass $f: $got, expected $want"
    report="$(ls -d "$home"/data/runs/sql/*/ | tail -1)report.txt"
    copied="$(sed -n 's/^ *done *\([0-9,]*\) .*/\1/p' "$report" | head -1)"
    log "  final pass $f: $copied chunks copied again ($report)"
    copied_all="${copied_all:-}${copied_all:+ }$copied"
  done
  row final caravan final-caravan "$ROWS" 0 "rerun after $FINAL deletes and $FINAL updates at random keys; chunks copied again: $copied_all"
fi
row sql "pg_dump | psql" sql-pgdump "$ROWS" 0 "pg_dump -t bench_rows | psql (one stream, PostgreSQL 15); key $KEY"
row sql "pgcopydb 0.10" sql-pgcopydb "$ROWS" 0 "pgcopydb clone --table-jobs $WORKERS --index-jobs $WORKERS"
row sql caravan sql-caravan "$ROWS" 0 "run sql, chunks of $CHUNK rows, workers=$WORKERS"
python3 "$bench/table.py" "$results" "$(( REPEAT > FINAL_REPEAT ? REPEAT : FINAL_REPEAT ))" | sed 's/files\/s/rows\/s/' | tee "$results/table.md"
