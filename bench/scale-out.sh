#!/usr/bin/env bash
# Scale-out (issue 21): folder -> S3 with DELAY_MS of latency added to every S3 request, in one run:
#   - 1 instance, direct hand-off (the default), the shared PostgreSQL ledger;
#   - 1 planner + 1 worker through the broker (the broker hop's own cost);
#   - 1 planner + INSTANCES workers through the broker.
# Prints one table at the end. The latency comes from a WireMock proxy in front of S3Proxy (no netem qdisc on these
# machines); the broker (ActiveMQ Artemis, as the tests run it), the PostgreSQL ledger and the proxy run in one JVM
# from the test classpath (io.caravan.testing.ScaleOutBenchServers). Workers are started, and ready, before the
# planner's run is measured: a worker is a long-lived process.
#
#   bench/scale-out.sh           20,000 x 4 KiB files, 16 workers per instance, 3 instances, 20 ms
#   QUICK=1 bench/scale-out.sh   2,000 files
#
# Settings (environment): SMALL_FILES=20000/2000 SMALL_FOLDERS=200/20 SMALL_BYTES=4096 WORKERS=16 INSTANCES=3
# DELAY_MS=20 REPEAT=1 PORT=18080 IDLE_WAIT=180, PROFILE=1 (JFR of the planners and the workers), and lib.sh's
# CARAVAN_BUILD / CARAVAN_DIST.
set -euo pipefail

source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib.sh"

if [[ "${QUICK:-0}" == 1 ]]; then : "${SMALL_FILES:=2000}" "${SMALL_FOLDERS:=20}"; fi
SMALL_FILES="${SMALL_FILES:-20000}"
SMALL_FOLDERS="${SMALL_FOLDERS:-200}"
SMALL_BYTES="${SMALL_BYTES:-4096}"
WORKERS="${WORKERS:-16}"
INSTANCES="${INSTANCES:-3}"
DELAY_MS="${DELAY_MS:-20}"
REPEAT="${REPEAT:-1}"

src="$work/data/small-$SMALL_FILES-$SMALL_FOLDERS-$SMALL_BYTES"
python3 "$bench/gen.py" small "$src" "$SMALL_FILES" "$SMALL_FOLDERS" "$SMALL_BYTES"
log "Caravan: $caravan_rev; $(nproc) cores; $SMALL_FILES files; $WORKERS workers per instance; ${DELAY_MS} ms per S3 request"

# ---------------------------------------------------------------- the servers
start_s3proxy
servers_dir="$work/scale-out-servers"
rm -rf "$servers_dir" && mkdir -p "$servers_dir"
start_test_main "$results/servers.log" io.caravan.testing.ScaleOutBenchServers "$servers_dir" "$ENDPOINT" "$DELAY_MS"
servers_pid=$test_main_pid
worker_pids=()
stop_all() {
  for p in "${worker_pids[@]}"; do kill "$p" 2>/dev/null || true; done
  kill "$servers_pid" 2>/dev/null || true
  wait "$servers_pid" 2>/dev/null || true
  stop_s3proxy
}
trap stop_all EXIT
for _ in $(seq 1 120); do [[ -f "$servers_dir/servers.properties" ]] && break; sleep 1; done
[[ -f "$servers_dir/servers.properties" ]] || { log "the servers did not start: $results/servers.log"; exit 1; }
prop() { grep "^$1=" "$servers_dir/servers.properties" | cut -d= -f2-; }
broker="$(prop broker)"; ledger="$(prop ledger)"; delayed="$(prop s3)"
log "broker $broker, ledger $ledger, S3 through the delay at $delayed"

# HOME BUCKET HANDOFF: a folder -> S3 job over the delaying proxy, on the shared ledger
scale_home() {
  caravan_home "$1" "$src" "$2"
  sed -i "s|^target.s3.endpoint = .*|target.s3.endpoint = $delayed|" "$1/config/jobs/folder-to-s3.properties"
  cat >> "$1/config/jobs/folder-to-s3.properties" <<EOF
caravan.ledger.url = $ledger
caravan.ledger.user = postgres
caravan.handoff = $3
caravan.broker.url = $broker
EOF
}

# NAME HOME COUNT: starts COUNT workers and waits until each consumes the queue
start_workers() {
  local name="$1" home="$2" count="$3" i
  worker_pids=()
  for i in $(seq 1 "$count"); do
    local opts=""
    [[ "${PROFILE:-0}" == 1 ]] && opts="-XX:StartFlightRecording=filename=$results/$name-w$i.jfr,settings=${PROFILE_SETTINGS:-profile}"
    env CARAVAN_JAVA_OPTS="$opts" "$dist/bin/caravan" --home "$home" work folder-to-s3 \
        --set "caravan.instance=$name-w$i" > "$results/$name-w$i.log" 2>&1 &
    worker_pids+=($!)
  done
  for i in $(seq 1 "$count"); do
    for _ in $(seq 1 120); do grep -q "consuming" "$results/$name-w$i.log" && break; sleep 0.5; done
    grep -q "consuming" "$results/$name-w$i.log" || { log "worker $name-w$i did not start"; exit 1; }
  done
}

# CPU seconds (user + system) a process has used so far
cpu_of() { awk -v hz="$(getconf CLK_TCK)" '{printf "%.1f", ($14 + $15) / hz}' "/proc/$1/stat" 2>/dev/null || echo "?"; }
# the servers' JVM's CPU seconds since $servers_cpu was taken
servers_cpu_since() { awk -v a="$(cpu_of "$servers_pid")" -v b="$servers_cpu" 'BEGIN{printf "%.1f", a - b}'; }

# NAME: logs each worker's CPU seconds and the servers' (broker, ledger's JVM side and delay proxy) since NAME began
stop_workers() {
  local p each=""
  for p in "${worker_pids[@]}"; do each="$each $(cpu_of "$p")"; done
  log "  $1: CPU seconds of each worker:$each; of the servers' JVM in this run: $(servers_cpu_since)"
  for p in "${worker_pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${worker_pids[@]}"; do wait "$p" 2>/dev/null || true; done
  worker_pids=()
}

# the warm-up: S3Proxy, the proxy and PostgreSQL see a whole copy once before anything is measured
mkbucket warmup
scale_home "$work/homes/so-warmup" warmup direct
"$dist/bin/caravan" --home "$work/homes/so-warmup" run folder-to-s3 > "$results/warmup.out" 2>&1 || true

small_bytes=$((SMALL_FILES * SMALL_BYTES))
queue="jms:queue:caravan.{job}"
for r in $(seq 1 "$REPEAT"); do
  warm "$src"
  mkbucket "so-direct-r$r"
  scale_home "$work/homes/so-direct-r$r" "so-direct-r$r" direct
  servers_cpu="$(cpu_of "$servers_pid")"
  measure_caravan "so-direct-r$r" "" "$work/homes/so-direct-r$r" run folder-to-s3
  log "  so-direct-r$r: CPU seconds of the servers' JVM in this run: $(servers_cpu_since)"

  mkbucket "so-broker1-r$r"
  scale_home "$work/homes/so-broker1-r$r" "so-broker1-r$r" "$queue"
  start_workers "so-broker1-r$r" "$work/homes/so-broker1-r$r" 1
  servers_cpu="$(cpu_of "$servers_pid")"
  measure_caravan "so-broker1-r$r" "" "$work/homes/so-broker1-r$r" run folder-to-s3
  stop_workers "so-broker1-r$r"

  mkbucket "so-brokerN-r$r"
  scale_home "$work/homes/so-brokerN-r$r" "so-brokerN-r$r" "$queue"
  start_workers "so-brokerN-r$r" "$work/homes/so-brokerN-r$r" "$INSTANCES"
  servers_cpu="$(cpu_of "$servers_pid")"
  measure_caravan "so-brokerN-r$r" "" "$work/homes/so-brokerN-r$r" run folder-to-s3
  stop_workers "so-brokerN-r$r"
  for b in "so-direct-r$r" "so-broker1-r$r" "so-brokerN-r$r"; do check_bucket "$b" "$SMALL_FILES" "$small_bytes"; done
done
row so "caravan, 1 instance, direct" so-direct "$SMALL_FILES" "$small_bytes" "run; $WORKERS workers; ${DELAY_MS} ms per S3 request"
row so "caravan, 1 worker via broker" so-broker1 "$SMALL_FILES" "$small_bytes" "run (planner) + 1 x work; Artemis"
row so "caravan, $INSTANCES workers via broker" so-brokerN "$SMALL_FILES" "$small_bytes" "run (planner) + $INSTANCES x work; Artemis"

python3 "$bench/table.py" "$results" "$REPEAT"
log "results in $results"
