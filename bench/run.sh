#!/usr/bin/env bash
# Caravan vs rclone, folder -> S3Proxy on 127.0.0.1, in one run; prints one table at the end.
#
#   bench/run.sh                 all scenarios (1 2 3 4)
#   bench/run.sh 1 2             only those scenarios (2 needs 1: it reruns 1's copy, so 1 runs too)
#   QUICK=1 bench/run.sh         small sizes, a couple of minutes
#
# Settings (environment), full size / QUICK=1:
#   SMALL_FILES=20000/2000  SMALL_FOLDERS=200/20  SMALL_BYTES=4096   scenario 1 and 2's tree
#   BIG_MIB=2048/256                                                   scenario 3's one file
#   MANY_FILES=1000000/50000  MANY_FOLDERS=1000/50                     scenario 4's empty files
#   WORKERS=16          caravan.workers, rclone --transfers and --checkers
#   HEAP=-Xmx256m       CARAVAN_JAVA_OPTS of scenarios 3 and 4 (1 and 2 run with the JVM's default heap)
#   REPEAT=1            runs of each measurement; the table shows the median wall time (and the largest RSS)
#   PORT=18080          S3Proxy's port on 127.0.0.1
#   CARAVAN_BUILD=snapshot (default) copy the work tree's src/main, pom.xml and bin to bench/work/build/tree-SHA1
#                       and build there, so an edit or build in the repository cannot swap the jar mid-run;
#                 =head  build `git archive HEAD` instead (committed code only);
#                 =tree  mvn package in the repository itself and run its target/
#   CARAVAN_DIST=DIR    run an existing build instead (DIR/bin/caravan, DIR/target/caravan.jar, DIR/target/lib)
#   PROFILE=1           also record a JFR profile of every Caravan run (bench/work/results/*/NAME.jfr)
#
# Everything generated goes under bench/work (git-ignored): the source trees (made once, reused), S3Proxy's
# jar and data, the Caravan homes, and results/<time>/ with every command's output and /usr/bin/time -v file.
set -euo pipefail

bench="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$bench/.." && pwd)"
work="$bench/work"
mkdir -p "$work"

quick="${QUICK:-0}"
if [[ "$quick" == 1 ]]; then
  : "${SMALL_FILES:=2000}" "${SMALL_FOLDERS:=20}" "${BIG_MIB:=256}" "${MANY_FILES:=50000}" "${MANY_FOLDERS:=50}"
fi
SMALL_FILES="${SMALL_FILES:-20000}"
SMALL_FOLDERS="${SMALL_FOLDERS:-200}"
SMALL_BYTES="${SMALL_BYTES:-4096}"
BIG_MIB="${BIG_MIB:-2048}"
MANY_FILES="${MANY_FILES:-1000000}"
MANY_FOLDERS="${MANY_FOLDERS:-1000}"
WORKERS="${WORKERS:-16}"
HEAP="${HEAP:--Xmx256m}"
REPEAT="${REPEAT:-1}"
PORT="${PORT:-18080}"
S3_KEY=benchkey
S3_SECRET=benchsecret
ENDPOINT="http://127.0.0.1:$PORT"

scenarios=("$@")
[[ ${#scenarios[@]} -eq 0 ]] && scenarios=(1 2 3 4)
want() { local s; for s in "${scenarios[@]}"; do [[ "$s" == "$1" ]] && return 0; done; return 1; }
if want 2 && ! want 1; then scenarios+=(1); fi

stamp="$(date -u +%Y%m%dT%H%M%SZ)"
results="$work/results/$stamp"
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
build="${CARAVAN_BUILD:-snapshot}"
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
  sum="$(cd "$repo" && find src/main pom.xml bin -type f -print0 | sort -z | xargs -0 sha1sum | sha1sum | cut -c1-12)"
  dist="$work/build/tree-$sum"
  if [[ ! -f "$dist/target/caravan.jar" ]]; then
    rm -rf "$dist" && mkdir -p "$dist/src"
    cp -r "$repo/src/main" "$dist/src/main" && cp -r "$repo/pom.xml" "$repo/bin" "$dist/"
    build_in "$dist"
  fi
  caravan_rev="work tree of $(git -C "$repo" rev-parse --short HEAD) (src/main, pom.xml, bin as of $(date -u +%H:%M), sha1 $sum)"
fi
[[ -x "$dist/bin/caravan" && -f "$dist/target/caravan.jar" ]] || { log "no Caravan build at $dist"; exit 1; }

# ---------------------------------------------------------------- S3Proxy
s3proxy_jar="$work/s3proxy-4.1.0-jar-with-dependencies.jar"
if [[ ! -f "$s3proxy_jar" ]]; then
  log "fetching S3Proxy 4.1.0 from Maven Central"
  (cd "$repo" && mvn -B -q dependency:copy -Dartifact=org.gaul:s3proxy:4.1.0:jar:jar-with-dependencies \
      -DoutputDirectory="$work") > "$results/s3proxy-fetch.log" 2>&1
fi
s3data="$work/s3data"
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

# ---------------------------------------------------------------- helpers
mkbucket() { rclone mkdir "bench:$1"; }
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

# Reads a tree into the page cache, so neither tool pays for the first read.
warm() { find "$1" -type f -size +0 -print0 | xargs -0 -r cat > /dev/null; }

# measure NAME -- COMMAND...: runs it under /usr/bin/time -v; output in $results/NAME.{out,err,time}.
measure() {
  local name="$1"; shift; [[ "$1" == -- ]] && shift
  log "run $name: $*"
  local rc=0
  /usr/bin/time -v -o "$results/$name.time" "$@" > "$results/$name.out" 2> "$results/$name.err" || rc=$?
  echo "$rc" > "$results/$name.rc"
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
    opts="$opts -XX:StartFlightRecording=filename=$results/$name.jfr,settings=profile"
  fi
  measure "$name" -- env CARAVAN_JAVA_OPTS="$opts" "$dist/bin/caravan" --home "$home" "$@"
}

# ---------------------------------------------------------------- data
log "Caravan: $caravan_rev; rclone: $(rclone version | head -1); $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB"
log "disk before: $(df -h "$work" | awk 'NR==2{print $4" free"}')"
src_small="$work/data/small-$SMALL_FILES-$SMALL_FOLDERS-$SMALL_BYTES"
src_big="$work/data/big-$BIG_MIB"
src_many="$work/data/many-$MANY_FILES-$MANY_FOLDERS"
if want 1; then python3 "$bench/gen.py" small "$src_small" "$SMALL_FILES" "$SMALL_FOLDERS" "$SMALL_BYTES"; fi
if want 3; then python3 "$bench/gen.py" big "$src_big" "$BIG_MIB"; fi
if want 4; then python3 "$bench/gen.py" many "$src_many" "$MANY_FILES" "$MANY_FOLDERS"; fi

start_s3proxy
# S3Proxy is a JVM too: a first, unmeasured copy warms it up, so the first measured tool is not penalised.
if want 1 || want 3; then
  mkbucket warmup
  rclone copy --transfers "$WORKERS" --checkers "$WORKERS" "$src_small" bench:warmup --max-transfer 40M \
      > /dev/null 2>&1 || true
  dropbucket warmup
fi

small_bytes=$((SMALL_FILES * SMALL_BYTES))
big_bytes=$((BIG_MIB * 1024 * 1024))

# ---------------------------------------------------------------- scenario 1 and 2
if want 1; then
  for r in $(seq 1 "$REPEAT"); do
    warm "$src_small"
    mkbucket "rclone-s1-r$r"
    measure "s1-rclone-r$r" -- rclone copy --transfers "$WORKERS" --checkers "$WORKERS" \
        "$src_small" "bench:rclone-s1-r$r"
    mkbucket "caravan-s1-r$r"
    caravan_home "$work/homes/s1-r$r" "$src_small" "caravan-s1-r$r"
    measure_caravan "s1-caravan-r$r" "" "$work/homes/s1-r$r" run folder-to-s3
  done
  row 1 rclone s1-rclone "$SMALL_FILES" "$small_bytes" "copy --transfers $WORKERS --checkers $WORKERS"
  row 1 caravan s1-caravan "$SMALL_FILES" "$small_bytes" "run, workers=$WORKERS, default heap"
fi

if want 2; then
  for r in $(seq 1 "$REPEAT"); do
    measure "s2-rclone-r$r" -- rclone copy --transfers "$WORKERS" --checkers "$WORKERS" \
        "$src_small" "bench:rclone-s1-r1"
    measure_caravan "s2-caravan-r$r" "" "$work/homes/s1-r1" run folder-to-s3
  done
  row 2 rclone s2-rclone "$SMALL_FILES" 0 "same copy again, nothing changed"
  row 2 caravan s2-caravan "$SMALL_FILES" 0 "same run again, nothing changed"
fi
if want 1; then
  for r in $(seq 1 "$REPEAT"); do dropbucket "rclone-s1-r$r"; dropbucket "caravan-s1-r$r"; done
fi

# ---------------------------------------------------------------- scenario 3
if want 3; then
  for r in $(seq 1 "$REPEAT"); do
    warm "$src_big"
    mkbucket "rclone-s3-r$r"
    measure "s3-rclone-r$r" -- rclone copy --transfers "$WORKERS" --checkers "$WORKERS" \
        "$src_big" "bench:rclone-s3-r$r"
    dropbucket "rclone-s3-r$r"
    warm "$src_big"
    mkbucket "caravan-s3-r$r"
    caravan_home "$work/homes/s3-r$r" "$src_big" "caravan-s3-r$r"
    measure_caravan "s3-caravan-r$r" "$HEAP" "$work/homes/s3-r$r" run folder-to-s3
    dropbucket "caravan-s3-r$r"
  done
  row 3 rclone s3-rclone 1 "$big_bytes" "copy of one ${BIG_MIB} MiB file (rclone's default chunks: 5 MiB x 4)"
  row 3 caravan s3-caravan 1 "$big_bytes" "CARAVAN_JAVA_OPTS=$HEAP, part-size 8MiB"
fi

# ---------------------------------------------------------------- scenario 4
if want 4; then
  mkbucket empty-s4
  for r in $(seq 1 "$REPEAT"); do
    measure "s4-rclone-lsf-r$r" -- sh -c "rclone lsf -R --files-only '$src_many' | wc -l"
    measure "s4-rclone-dry-r$r" -- rclone copy --dry-run --transfers "$WORKERS" --checkers "$WORKERS" \
        "$src_many" bench:empty-s4
    caravan_home "$work/homes/s4-r$r" "$src_many" empty-s4
    measure_caravan "s4-caravan-r$r" "$HEAP" "$work/homes/s4-r$r" run folder-to-s3 --dry-run
  done
  row 4 rclone s4-rclone-lsf "$MANY_FILES" 0 "lsf -R --files-only (listing only)"
  row 4 rclone s4-rclone-dry "$MANY_FILES" 0 "copy --dry-run to an empty bucket"
  row 4 caravan s4-caravan "$MANY_FILES" 0 "run --dry-run, CARAVAN_JAVA_OPTS=$HEAP"
fi

stop_s3proxy
log "disk after: $(df -h "$work" | awk 'NR==2{print $4" free"}')"
{
  echo "date: $(date -u '+%Y-%m-%d %H:%M UTC'); machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB;" \
       "Caravan $caravan_rev; $(rclone version | head -1); S3Proxy 4.1.0 (filesystem-nio2) on 127.0.0.1"
  echo "sizes: small $SMALL_FILES x $SMALL_BYTES B in $SMALL_FOLDERS folders; big $BIG_MIB MiB;" \
       "many $MANY_FILES empty in $MANY_FOLDERS folders; workers $WORKERS; repeat $REPEAT"
  python3 "$bench/table.py" "$results" "$REPEAT"
} | tee "$results/table.md"
log "results in $results"
