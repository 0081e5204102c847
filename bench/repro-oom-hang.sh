#!/usr/bin/env bash
# Reproduces a Caravan failure found while benchmarking: with CARAVAN_JAVA_OPTS=-Xmx256m and 16 workers, a
# folder of files just under the multipart threshold (default 16MiB) runs the heap out (each worker holds the
# whole body, and the AWS SDK's RequestBody.fromBytes copies it again), and the run then HANGS: no error is
# logged, no rejects file is written, the process never exits (and takes ~1 min to go after SIGTERM).
#
#   bench/repro-oom-hang.sh            32 files of 16 MiB, -Xmx256m, workers 16, gives up after 120 s
#   FILES=32 MIB=16 HEAP=-Xmx256m WORKERS=16 LIMIT=120 bench/repro-oom-hang.sh
#
# Prints a verdict line: FINISHED (exit code, and whether the report, the bucket and the ledger agree) or HUNG, with a thread dump and the last progress line; the
# process is killed after LIMIT seconds. Uses its own S3Proxy on PORT (default 18081) and bench/work.
set -euo pipefail
PORT="${PORT:-18081}"
RESULTS_SUFFIX="-repro-oom-hang"
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib.sh"

FILES="${FILES:-32}"
MIB="${MIB:-16}"
HEAP="${HEAP:--Xmx256m}"
WORKERS="${WORKERS:-16}"
LIMIT="${LIMIT:-120}"

src="$work/data/mid-$FILES-$MIB"
python3 "$bench/gen.py" small "$src" "$FILES" 2 $((MIB * 1024 * 1024))
start_s3proxy
mkbucket repro-oom
caravan_home "$work/homes/repro-oom" "$src" repro-oom
log "Caravan: $caravan_rev"
log "run: CARAVAN_JAVA_OPTS='$HEAP -XX:+HeapDumpOnOutOfMemoryError' bin/caravan --home $work/homes/repro-oom run folder-to-s3"
CARAVAN_JAVA_OPTS="$HEAP -XX:+HeapDumpOnOutOfMemoryError -XX:HeapDumpPath=$results/oom.hprof" \
  "$dist/bin/caravan" --home "$work/homes/repro-oom" run folder-to-s3 > "$results/run.out" 2> "$results/run.err" &
pid=$!
rc=""
for _ in $(seq 1 "$LIMIT"); do
  if ! kill -0 "$pid" 2>/dev/null; then wait "$pid" && rc=0 || rc=$?; break; fi
  sleep 1
done
if [[ -z "$rc" ]]; then
  jpid="$pid"   # bin/caravan execs java
  jstack "$jpid" > "$results/threads.txt" 2>&1 || true
  kill -9 "$jpid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  log "HUNG: still running after ${LIMIT}s; thread dump in $results/threads.txt"
  log "last progress: $(grep '^progress' "$results/run.err" | tail -1)"
  log "errors logged: $(grep -vc '^progress' "$results/run.err" || true) lines besides progress;" \
      "stdout: $(grep -c . "$results/run.out" || true) lines (the JVM's own OutOfMemoryError notice goes there)"
  { grep -m3 -E 'OutOfMemoryError|Dumping heap' "$results/run.out" || true; } | while read -r l; do log "  stdout: $l"; done
  log "objects in the bucket: $(rclone lsf bench:repro-oom --files-only -R | wc -l || true) of $FILES"
  log "main thread: $(grep -A12 '^"main"' "$results/threads.txt" | grep -m1 -E 'CountDownLatch|ProducerTemplate' | sed 's/^\s*//' || true)"
  log "workers idle in ThreadPoolExecutor.getTask: $(grep -c 'ThreadPoolExecutor.getTask' "$results/threads.txt" || true)"
  find "$s3data/repro-oom" -type f | sed "s|$s3data/repro-oom/||" | sort > "$results/in-bucket.txt"
  (cd "$src" && find . -type f | sed 's|^\./||' | sort) > "$results/in-source.txt"
  log "missing from the bucket: $(comm -23 "$results/in-source.txt" "$results/in-bucket.txt" | tr '\n' ' ')"
  rm -f "$results/oom.hprof"
  exit 1
fi
log "FINISHED with exit code $rc"
tail -12 "$results/run.out"
# Does what the report says match the bucket and the ledger?
h2="$(ls "$dist"/target/lib/h2-*.jar | head -1)"
ledger_rows="$(java -cp "$h2" org.h2.tools.Shell -url "jdbc:h2:file:$work/homes/repro-oom/data/ledger" \
  -sql "select count(*) from caravan_item where status = 'done'" 2>&1 | sed -n 2p | tr -d ' ')"
objects="$(rclone lsf bench:repro-oom --files-only -R | wc -l)"
bytes="$(rclone size bench:repro-oom --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["bytes"])')"
log "check: report says done $(grep -oE 'done +[0-9]+' "$results/run.out" | awk '{print $2}'); bucket has $objects objects," \
    "$bytes bytes (expected $FILES objects, $((FILES * MIB * 1024 * 1024)) bytes); ledger has $ledger_rows done rows"
