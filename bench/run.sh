#!/usr/bin/env bash
# Caravan vs rclone, folder -> S3Proxy on 127.0.0.1, in one run; prints one table at the end.
#
#   bench/run.sh                 all scenarios (1 2 3 4); 5 is scenario 1 and 2's copy and rerun through Camel's own
#                                components (camel-file -> camel-aws2-s3), beside the built-in path and rclone
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
#   VARIANTS=1          also run Caravan with CARAVAN_JAVA_OPTS=$VARIANT_OPTS (default -XX:TieredStopAtLevel=4, the C2
#                       compiler that bin/caravan leaves out) in scenarios 1 and 2 (extra
#                       rows, to show what the JIT compiler costs on 2 cores); VARIANTS=0 leaves them out
#   IDLE_WAIT=180       before each measurement, wait up to this many seconds for the machine to be idle
#   CARAVAN_BUILD=head  (default) build `git archive HEAD` under bench/out/build/head-SHA: the committed code,
#                       apart from the repository's target/, so an edit or build going on there cannot swap the jar
#                 =snapshot  copy the work tree's src/main, pom.xml and bin (uncommitted edits included) and build that
#                 =tree  mvn package in the repository itself and run its target/
#   CARAVAN_DIST=DIR    run an existing build instead (DIR/bin/caravan, DIR/target/caravan.jar, DIR/target/lib)
#   AOT_JDK=DIR         a JDK 25 or newer: scenarios 2 and 5 also rerun on it, with its AOT cache trained on the job
#   PROFILE=1           also record a JFR profile of every Caravan run (bench/out/results/*/NAME.jfr)
#
# Everything generated goes under bench/out (git-ignored): the source trees (made once, reused), S3Proxy's
# jar and data, the Caravan homes, and results/<time>/ with every command's output and /usr/bin/time -v file.
set -euo pipefail

source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib.sh"

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
VARIANTS="${VARIANTS:-1}"
AOT_JDK="${AOT_JDK:-}"
VARIANT="${VARIANT_OPTS:--XX:TieredStopAtLevel=4}"   # the variant rows' JVM options: both JIT compilers, as before bin/caravan chose C1 alone

# NAME HOME JOB: one unmeasured rerun trains $AOT_JDK's AOT cache on the job (bin/caravan, CARAVAN_AOT_TRAIN), then
# the measured rerun maps it
aot_rerun() {
  export CARAVAN_JAVA_HOME="$AOT_JDK"
  CARAVAN_AOT_TRAIN=1 "$dist/bin/caravan" --home "$2" run "$3" > "$results/$1-training.log" 2>&1
  measure_caravan "$1" "" "$2" run "$3"
  unset CARAVAN_JAVA_HOME
}

scenarios=("$@")
[[ ${#scenarios[@]} -eq 0 ]] && scenarios=(1 2 3 4)
want() { local s; for s in "${scenarios[@]}"; do [[ "$s" == "$1" ]] && return 0; done; return 1; }
if want 2 && ! want 1; then scenarios+=(1); fi
if want 5 && ! want 1; then scenarios+=(1); fi

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
# S3Proxy is a JVM too: an unmeasured copy of the whole small tree warms it up (JIT, heap), so the first measured
# tool is not penalised. (A 40 MB warm-up left the first measured run 30% slower than the next ones.)
if [[ -d "$src_small" ]]; then
  log "warming S3Proxy up: rclone copy of $src_small (not measured)"
  mkbucket warmup
  rclone copy --transfers "$WORKERS" --checkers "$WORKERS" "$src_small" bench:warmup > /dev/null 2>&1 || true
fi

small_bytes=$((SMALL_FILES * SMALL_BYTES))
big_bytes=$((BIG_MIB * 1024 * 1024))

# ---------------------------------------------------------------- scenario 1 and 2
if want 1; then
  for r in $(seq 1 "$REPEAT"); do
    warm "$src_small"
    mkbucket "rclone-s1-r$r"
    mkbucket "caravan-s1-r$r"
    caravan_home "$work/homes/s1-r$r" "$src_small" "caravan-s1-r$r"
    s1_rclone() {
      measure "s1-rclone-r$r" -- rclone copy --transfers "$WORKERS" --checkers "$WORKERS" \
          "$src_small" "bench:rclone-s1-r$r"
    }
    s1_caravan() { measure_caravan "s1-caravan-r$r" "" "$work/homes/s1-r$r" run folder-to-s3; }
    # the order alternates between repetitions, so neither tool always runs on a fresher S3Proxy
    if (( r % 2 == 1 )); then s1_rclone; s1_caravan; else s1_caravan; s1_rclone; fi
    if [[ "$VARIANTS" == 1 ]]; then
      mkbucket "caravan-c1-s1-r$r"
      caravan_home "$work/homes/s1-c1-r$r" "$src_small" "caravan-c1-s1-r$r"
      measure_caravan "s1-caravan-c1-r$r" "$VARIANT" "$work/homes/s1-c1-r$r" run folder-to-s3
    fi
  done
  row 1 rclone s1-rclone "$SMALL_FILES" "$small_bytes" "copy --transfers $WORKERS --checkers $WORKERS"
  row 1 caravan s1-caravan "$SMALL_FILES" "$small_bytes" "run, workers=$WORKERS, default heap"
  [[ "$VARIANTS" == 1 ]] && row 1 "caravan (variant)" s1-caravan-c1 "$SMALL_FILES" "$small_bytes" \
      "same, CARAVAN_JAVA_OPTS=$VARIANT (variant, not the product default)"
fi

if want 2; then
  for r in $(seq 1 "$REPEAT"); do
    s2_rclone() {
      measure "s2-rclone-r$r" -- rclone copy --transfers "$WORKERS" --checkers "$WORKERS" \
          "$src_small" "bench:rclone-s1-r1"
    }
    s2_caravan() { measure_caravan "s2-caravan-r$r" "" "$work/homes/s1-r1" run folder-to-s3; }
    if (( r % 2 == 1 )); then s2_rclone; s2_caravan; else s2_caravan; s2_rclone; fi
    if [[ -n "$AOT_JDK" ]]; then
      aot_rerun "s2-caravan-aot-r$r" "$work/homes/s1-r1" folder-to-s3
    fi
    if [[ "$VARIANTS" == 1 ]]; then
      measure_caravan "s2-caravan-c1-r$r" "$VARIANT" "$work/homes/s1-c1-r1" run folder-to-s3
    fi
  done
  row 2 rclone s2-rclone "$SMALL_FILES" 0 "same copy again, nothing changed"
  row 2 caravan s2-caravan "$SMALL_FILES" 0 "same run again, nothing changed"
  [[ "$VARIANTS" == 1 ]] && row 2 "caravan (variant)" s2-caravan-c1 "$SMALL_FILES" 0 \
      "same, CARAVAN_JAVA_OPTS=$VARIANT (variant)"
  [[ -n "$AOT_JDK" ]] && row 2 "caravan (AOT)" s2-caravan-aot "$SMALL_FILES" 0 \
      "same run on $(basename "$AOT_JDK") with its AOT cache trained on this job (CARAVAN_JAVA_HOME)"
fi
if want 1; then
  for r in $(seq 1 "$REPEAT"); do
    check_bucket "rclone-s1-r$r" "$SMALL_FILES" "$small_bytes"
    check_bucket "caravan-s1-r$r" "$SMALL_FILES" "$small_bytes"
    [[ "$VARIANTS" == 1 ]] && check_bucket "caravan-c1-s1-r$r" "$SMALL_FILES" "$small_bytes"
  done
  for r in $(seq 1 "$REPEAT"); do
    dropbucket "rclone-s1-r$r"; dropbucket "caravan-s1-r$r"; dropbucket "caravan-c1-s1-r$r"
  done
  dropbucket warmup
fi

# ---------------------------------------------------------------- scenario 5: the Camel path
if want 5; then
  for r in $(seq 1 "$REPEAT"); do
    warm "$src_small"
    mkbucket "camel-s5-r$r"
    caravan_camel_home "$work/homes/s5-r$r" "$src_small" "camel-s5-r$r"
    measure_caravan "s5-camel-r$r" "" "$work/homes/s5-r$r" run camel-to-s3
    measure_caravan "s5-camel-rerun-r$r" "" "$work/homes/s5-r$r" run camel-to-s3
    if [[ -n "$AOT_JDK" ]]; then
      aot_rerun "s5-camel-rerun-aot-r$r" "$work/homes/s5-r$r" camel-to-s3
    fi
    check_bucket "camel-s5-r$r" "$SMALL_FILES" "$small_bytes"
    dropbucket "camel-s5-r$r"
  done
  row 5 "caravan (camel)" s5-camel "$SMALL_FILES" "$small_bytes" "source.uri=file: -> target.uri=aws2-s3: (scenario 1's copy)"
  row 5 "caravan (camel)" s5-camel-rerun "$SMALL_FILES" 0 "the same again, nothing changed (scenario 2's rerun)"
  [[ -n "$AOT_JDK" ]] && row 5 "caravan (camel, AOT)" s5-camel-rerun-aot "$SMALL_FILES" 0 \
      "the same rerun on $(basename "$AOT_JDK") with its AOT cache trained on this job (CARAVAN_JAVA_HOME)"
fi

# ---------------------------------------------------------------- scenario 3
if want 3; then
  for r in $(seq 1 "$REPEAT"); do
    s3_rclone() {
      warm "$src_big"
      mkbucket "rclone-s3-r$r"
      measure "s3-rclone-r$r" -- rclone copy --transfers "$WORKERS" --checkers "$WORKERS" \
          "$src_big" "bench:rclone-s3-r$r"
      check_bucket "rclone-s3-r$r" 1 "$big_bytes"
      dropbucket "rclone-s3-r$r"
    }
    s3_caravan() {
      warm "$src_big"
      mkbucket "caravan-s3-r$r"
      caravan_home "$work/homes/s3-r$r" "$src_big" "caravan-s3-r$r"
      measure_caravan "s3-caravan-r$r" "$HEAP" "$work/homes/s3-r$r" run folder-to-s3
      check_bucket "caravan-s3-r$r" 1 "$big_bytes"
      dropbucket "caravan-s3-r$r"
    }
    if (( r % 2 == 1 )); then s3_rclone; s3_caravan; else s3_caravan; s3_rclone; fi
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
