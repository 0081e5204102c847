#!/usr/bin/env bash
# Guards a Caravan failure found while benchmarking: with CARAVAN_JAVA_OPTS=-Xmx256m and 16 workers, a folder of
# files at the multipart threshold (16 MiB) made the run HANG for good: no error logged, no rejects file, the
# process never exited (and took ~1 min to go after SIGTERM). Seen on d8a7f2b..584cb83: an OutOfMemoryError
# (the whole body per worker, the SDK's copy of it, and a 16 MiB direct buffer per worker for the file read)
# escaped Camel's error handling and the split waited for an item that never ended (on 584cb83, with the heap
# budget, one item was still lost that way: 31/32 and a hang, 3 runs out of 4). Passes since f0bafde.
#
#   bench/repro-oom-hang.sh            32 files of 16 MiB, -Xmx256m, workers 16, gives up after 120 s
#   FILES=32 MIB=16 HEAP=-Xmx256m WORKERS=16 LIMIT=120 bench/repro-oom-hang.sh
#
# Prints a verdict: FINISHED (exit code, and whether the report, the bucket and the ledger agree; exit 0) or
# HUNG (thread dump, last progress line, what is missing from the bucket; exit 1); the process is killed after
# LIMIT seconds. Builds like run.sh (CARAVAN_BUILD, CARAVAN_DIST) and uses its own S3Proxy on PORT (18081).
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
