# Shared by bench/run.sh and bench/repro-*.sh: tools, the Caravan build, S3Proxy on 127.0.0.1, measuring.
# Sourced, not run. Expects `set -euo pipefail` from the caller; sets bench, repo, work, results, dist, ...
# shellcheck shell=bash

bench="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$bench/.." && pwd)"
work="$bench/out"
mkdir -p "$work"
PORT="${PORT:-18080}"
S3_KEY=benchkey
S3_SECRET=benchsecret
ENDPOINT="http://127.0.0.1:$PORT"


stamp="$(date -u +%Y%m%dT%H%M%SZ)"
results="$work/results/$stamp${RESULTS_SUFFIX:-}"
mkdir -p "$results"
rows="$results/rows.tsv"
: > "$rows"
log() { printf '%s %s\n' "$(date -u +%H:%M:%S)" "$*" | tee -a "$results/bench.log" >&2; }

# ---------------------------------------------------------------- tools
need() {
  local cmd="$1" pkg="$2"
  if ! command -v "$cmd" >/dev/null 2>&1; then
    log "installing the Debian package $pkg"
    [[ -n "$(ls -A /var/lib/apt/lists 2>/dev/null | grep -v lock)" ]] || apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$pkg" >/dev/null
  fi
}
need rclone rclone
[[ -x /usr/bin/time ]] || need /usr/bin/time time
need python3 python3
need curl curl

# rclone cannot load the CA bundle this environment points AWS_CA_BUNDLE at; everything here is plain http.
unset AWS_CA_BUNDLE
export RCLONE_CONFIG="$work/rclone.conf"
cat > "$RCLONE_CONFIG" <<EOF
[bench]
type = s3
provider = Other
access_key_id = $S3_KEY
secret_access_key = $S3_SECRET
endpoint = $ENDPOINT
region = us-east-1
force_path_style = true
EOF

# ---------------------------------------------------------------- Caravan build
build_in() { # DIR: mvn package there, main code only (the tests are not the benchmark's business)
  log "building Caravan in $1"
  (cd "$1" && mvn -B -q package -Dmaven.test.skip=true) > "$results/build.log" 2>&1 \
    || { log "the build failed: $results/build.log"; tail -20 "$results/build.log" >&2; exit 1; }
}
build="${CARAVAN_BUILD:-head}"
if [[ -n "${CARAVAN_DIST:-}" ]]; then
  dist="$CARAVAN_DIST"
  caravan_rev="given: $dist"
elif [[ "$build" == tree ]]; then
  build_in "$repo"
  dist="$repo"
  caravan_rev="work tree at $(git -C "$repo" rev-parse --short HEAD)"
elif [[ "$build" == head ]]; then
  rev="$(git -C "$repo" rev-parse HEAD)"
  dist="$work/build/head-${rev:0:12}"
  if [[ ! -f "$dist/target/caravan.jar" ]]; then
    rm -rf "$dist" && mkdir -p "$dist"
    git -C "$repo" archive HEAD | tar -x -C "$dist"
    build_in "$dist"
  fi
  caravan_rev="HEAD ${rev:0:7}"
else
  # A copy of the work tree's main code as it is now (committed or not), built apart from the repository's
  # target/, so an edit or a build going on in the repository cannot change the jar in the middle of a run.
  sum="$(cd "$repo" && find src/main pom.xml bin routes config samples -type f -print0 | sort -z | xargs -0 sha1sum | sha1sum | cut -c1-12)"
  dist="$work/build/tree-$sum"
  if [[ ! -f "$dist/target/caravan.jar" ]]; then
    rm -rf "$dist" && mkdir -p "$dist/src"
    cp -r "$repo/src/main" "$dist/src/main" && cp -r "$repo/pom.xml" "$repo/bin" "$repo/routes" "$repo/config" "$repo/samples" "$dist/"
    build_in "$dist"
  fi
  caravan_rev="work tree of $(git -C "$repo" rev-parse --short HEAD) (src/main, pom.xml, bin, routes, config, samples as of $(date -u +%H:%M), sha1 $sum)"
fi
[[ -x "$dist/bin/caravan" && -f "$dist/target/caravan.jar" ]] || { log "no Caravan build at $dist"; exit 1; }

# ---------------------------------------------------------------- S3Proxy
s3proxy_jar="$work/s3proxy-4.1.0-jar-with-dependencies.jar"
if [[ ! -f "$s3proxy_jar" ]]; then
  log "fetching S3Proxy 4.1.0 from Maven Central"
  (cd "$repo" && mvn -B -q dependency:copy -Dartifact=org.gaul:s3proxy:4.1.0:jar:jar-with-dependencies \
      -DoutputDirectory="$work") > "$results/s3proxy-fetch.log" 2>&1
fi
s3data="$work/s3data-$PORT"
s3proxy_pid=""
stop_s3proxy() {
  if [[ -n "$s3proxy_pid" ]] && kill -0 "$s3proxy_pid" 2>/dev/null; then
    kill "$s3proxy_pid" 2>/dev/null || true
    wait "$s3proxy_pid" 2>/dev/null || true
  fi
  s3proxy_pid=""
}
trap stop_s3proxy EXIT
start_s3proxy() {
  if curl -s -o /dev/null "$ENDPOINT/"; then
    log "something already listens on $ENDPOINT: stop it or set PORT"; exit 1
  fi
  rm -rf "$s3data" && mkdir -p "$s3data"
  cat > "$work/s3proxy.properties" <<EOF
s3proxy.endpoint=$ENDPOINT
s3proxy.authorization=aws-v2-or-v4
s3proxy.identity=$S3_KEY
s3proxy.credential=$S3_SECRET
jclouds.provider=filesystem-nio2
jclouds.filesystem.basedir=$s3data
EOF
  java -jar "$s3proxy_jar" --properties "$work/s3proxy.properties" > "$results/s3proxy.log" 2>&1 &
  s3proxy_pid=$!
  for _ in $(seq 1 60); do
    curl -s -o /dev/null "$ENDPOINT/" && { log "S3Proxy up on $ENDPOINT (pid $s3proxy_pid)"; return; }
    kill -0 "$s3proxy_pid" 2>/dev/null || break
    sleep 0.5
  done
  log "S3Proxy did not start; see $results/s3proxy.log"; exit 1
}

# ---------------------------------------------------------------- servers from the test classpath
# start_test_main LOG CLASS ARGS...: compiles the tests, then starts CLASS (a server main under src/test) in the
# background; its pid is in $test_main_pid.
test_main_pid=""
start_test_main() {
  local out="$1"; shift
  log "compiling the test classes for $1 (in $repo)"
  (cd "$repo" && mvn -B -q test-compile dependency:build-classpath -Dmdep.includeScope=test \
      -Dmdep.outputFile="$work/test-classpath.txt") > "$results/test-compile.log" 2>&1 \
    || { log "test-compile failed: $results/test-compile.log"; exit 1; }
  java -cp "$repo/target/test-classes:$repo/target/classes:$(cat "$work/test-classpath.txt")" "$@" > "$out" 2>&1 &
  test_main_pid=$!
}

# ---------------------------------------------------------------- helpers
mkbucket() { rclone mkdir "bench:$1"; }
# check_bucket BUCKET OBJECTS BYTES: counts what the bucket holds, for the table's correctness line.
check_bucket() {
  local got
  got="$(rclone size --json "bench:$1" 2>/dev/null | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["count"], d["bytes"])' || echo "? ?")"
  printf '%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$got" >> "$results/buckets.tsv"
  [[ "$got" == "$2 $3" ]] || log "  bucket $1 holds $got (objects bytes), expected $2 $3"
}
dropbucket() { rclone purge "bench:$1" >/dev/null 2>&1 || true; }

# A Caravan home for one run: routes and engine defaults from the repository, the job written here.
caravan_home() {
  local home="$1" src="$2" bucket="$3"
  rm -rf "$home" && mkdir -p "$home/config/jobs"
  cp -r "$repo/routes" "$home/routes"
  cp "$repo/config/application.properties" "$home/config/"
  cat > "$home/config/jobs/folder-to-s3.properties" <<EOF
source.type = folder
source.root = $src
target.type = s3
target.bucket = $bucket
target.prefix =
target.s3.endpoint = $ENDPOINT
target.s3.region = us-east-1
target.s3.access-key = $S3_KEY
target.s3.secret-key = $S3_SECRET
caravan.workers = $WORKERS
caravan.multipart-threshold = 16MiB
caravan.part-size = 8MiB
EOF
}

# The same copy through Camel's own components: camel-file as the source, camel-aws2-s3 as the target.
caravan_camel_home() {
  local home="$1" src="$2" bucket="$3"
  rm -rf "$home" && mkdir -p "$home/config/jobs"
  cp -r "$repo/routes" "$home/routes"
  sed 's/folder-to-s3/camel-to-s3/g' "$repo/routes/folder-to-s3.camel.yaml" > "$home/routes/camel-to-s3.camel.yaml"
  cp "$repo/config/application.properties" "$home/config/"
  cat > "$home/config/jobs/camel-to-s3.properties" <<EOF
source.type = camel
source.uri = file:$src?recursive=true
target.type = camel
target.uri = aws2-s3://$bucket?accessKey=RAW($S3_KEY)&secretKey=RAW($S3_SECRET)&region=us-east-1&overrideEndpoint=true&uriEndpointOverride=$ENDPOINT&forcePathStyle=true
caravan.workers = $WORKERS
EOF
}

# Reads a tree into the page cache, so neither tool pays for the first read.
warm() { find "$1" -type f -size +0 -print0 | xargs -0 -r cat > /dev/null; }

# CPU accounting, in clock ticks: the whole machine's busy time (/proc/stat) and S3Proxy's own (/proc/PID/stat),
# so each run's table row can show the client's CPU, the server's, and any other process's (a build or test
# run elsewhere on the machine would show there and make the wall times suspect).
ticks_busy() { awk '/^cpu /{print $2+$3+$4+$7+$8+$9}' /proc/stat; }
ticks_total() { awk '/^cpu /{print $2+$3+$4+$5+$6+$7+$8+$9}' /proc/stat; }
ticks_server() { if [[ -n "$s3proxy_pid" ]]; then awk '{print $14+$15}' "/proc/$s3proxy_pid/stat"; else echo 0; fi; }

# Waits (up to IDLE_WAIT seconds, default 180) until the machine is nearly idle: under 15% busy over 2 s.
wait_idle() {
  local limit="${IDLE_WAIT:-180}" waited=0 b0 t0 b1 t1
  while :; do
    b0=$(ticks_busy); t0=$(ticks_total); sleep 2; b1=$(ticks_busy); t1=$(ticks_total)
    (( (b1 - b0) * 100 < 15 * (t1 - t0) )) && return 0
    waited=$((waited + 2))
    if (( waited >= limit )); then
      log "  the machine is still busy after ${limit}s ($(( (b1 - b0) * 100 / (t1 - t0) ))% busy): measuring anyway"
      return 0
    fi
  done
}

# measure NAME -- COMMAND...: runs it under /usr/bin/time -v once the machine is idle; output in
# $results/NAME.{out,err,time,rc,cpu}.
measure() {
  local name="$1"; shift; [[ "$1" == -- ]] && shift
  wait_idle
  log "run $name: $*"
  local rc=0 b0 s0 b1 s1
  b0=$(ticks_busy); s0=$(ticks_server)
  /usr/bin/time -v -o "$results/$name.time" "$@" > "$results/$name.out" 2> "$results/$name.err" || rc=$?
  b1=$(ticks_busy); s1=$(ticks_server)
  echo "$rc" > "$results/$name.rc"
  echo "hz=$(getconf CLK_TCK) busy=$((b1 - b0)) server=$((s1 - s0))" > "$results/$name.cpu"
  log "  exit $rc, $(grep -F 'Elapsed (wall' "$results/$name.time" | awk '{print $NF}') wall,"\
"$(grep -F 'Maximum resident' "$results/$name.time" | awk '{printf " %.0f MiB peak RSS", $NF/1024}')"
}

# row SCENARIO TOOL NAME ITEMS BYTES NOTE: one table row from a measured run (its median over REPEAT).
row() { printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$@" >> "$rows"; }

# measure_caravan NAME JAVA_OPTS HOME ARGS...: bin/caravan --home HOME ARGS under measure, JAVA_OPTS as
# CARAVAN_JAVA_OPTS (with a JFR recording added when PROFILE=1).
measure_caravan() {
  local name="$1" opts="$2" home="$3"; shift 3
  if [[ "${PROFILE:-0}" == 1 ]]; then
    opts="$opts -XX:StartFlightRecording=filename=$results/$name.jfr,settings=${PROFILE_SETTINGS:-profile}"
  fi
  measure "$name" -- env CARAVAN_JAVA_OPTS="$opts" "$dist/bin/caravan" --home "$home" "$@"
}

