#!/usr/bin/env bash
# Scenario 1 and 2 (20,000 files of 4 KiB, copy then unchanged rerun) for several CARAVAN_JAVA_OPTS, one rclone row
# beside them, in one run: to choose the JVM flags bin/caravan ships with.
#
#   OPTS='|-XX:TieredStopAtLevel=1|-XX:CICompilerCount=2' bench/variants.sh
#
# OPTS is a '|'-separated list (an empty entry means no flags). REPEAT as in run.sh. Table: results/<time>/table.md.
set -euo pipefail
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib.sh"

SMALL_FILES="${SMALL_FILES:-20000}"; SMALL_FOLDERS="${SMALL_FOLDERS:-200}"; SMALL_BYTES="${SMALL_BYTES:-4096}"
WORKERS="${WORKERS:-16}"; REPEAT="${REPEAT:-1}"
IFS='|' read -r -a variants <<< "${OPTS:-}"
[[ ${#variants[@]} -eq 0 ]] && variants=("")

src_small="$work/data/small-$SMALL_FILES-$SMALL_FOLDERS-$SMALL_BYTES"
python3 "$bench/gen.py" small "$src_small" "$SMALL_FILES" "$SMALL_FOLDERS" "$SMALL_BYTES"
start_s3proxy
mkbucket warmup
rclone copy --transfers "$WORKERS" --checkers "$WORKERS" "$src_small" bench:warmup > /dev/null 2>&1 || true
warm "$src_small"
small_bytes=$((SMALL_FILES * SMALL_BYTES))

for r in $(seq 1 "$REPEAT"); do
  mkbucket "rclone-r$r"
  measure "s1-rclone-r$r" -- rclone copy --transfers "$WORKERS" --checkers "$WORKERS" "$src_small" "bench:rclone-r$r"
  measure "s2-rclone-r$r" -- rclone copy --transfers "$WORKERS" --checkers "$WORKERS" "$src_small" "bench:rclone-r$r"
  check_bucket "rclone-r$r" "$SMALL_FILES" "$small_bytes"; dropbucket "rclone-r$r"
  for i in "${!variants[@]}"; do
    mkbucket "caravan-v$i-r$r"
    caravan_home "$work/homes/v$i-r$r" "$src_small" "caravan-v$i-r$r"
    measure_caravan "s1-v$i-r$r" "${variants[$i]}" "$work/homes/v$i-r$r" run folder-to-s3
    measure_caravan "s2-v$i-r$r" "${variants[$i]}" "$work/homes/v$i-r$r" run folder-to-s3
    check_bucket "caravan-v$i-r$r" "$SMALL_FILES" "$small_bytes"; dropbucket "caravan-v$i-r$r"
  done
done
row 1 rclone s1-rclone "$SMALL_FILES" "$small_bytes" "copy --transfers $WORKERS --checkers $WORKERS"
row 2 rclone s2-rclone "$SMALL_FILES" 0 "same copy again"
for i in "${!variants[@]}"; do
  row 1 caravan "s1-v$i" "$SMALL_FILES" "$small_bytes" "CARAVAN_JAVA_OPTS='${variants[$i]}'"
  row 2 caravan "s2-v$i" "$SMALL_FILES" 0 "rerun, CARAVAN_JAVA_OPTS='${variants[$i]}'"
done
dropbucket warmup
python3 "$bench/table.py" "$results" "$REPEAT" | tee "$results/table.md"
