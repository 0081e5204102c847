#!/usr/bin/env bash
# A/B of the embedded H2 ledger's commit mode on scenario 1's copy (20,000 x 4 KiB, folder -> S3Proxy):
#   wd0    Caravan's default URL (WRITE_DELAY=0 since dfca4e0: every commit is stored at once)
#   wd500  the same file through --set caravan.ledger.url=...;DB_CLOSE_ON_EXIT=FALSE (H2's default WRITE_DELAY=500)
# Same build, same S3Proxy, alternating, REPEAT times each (default 2); prints the table of bench/table.py.
set -euo pipefail
PORT="${PORT:-18082}"
RESULTS_SUFFIX="-ab-ledger"
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib.sh"
SMALL_FILES="${SMALL_FILES:-20000}" SMALL_FOLDERS="${SMALL_FOLDERS:-200}" SMALL_BYTES=4096
WORKERS="${WORKERS:-16}"
REPEAT="${REPEAT:-2}"
src="$work/data/small-$SMALL_FILES-$SMALL_FOLDERS-$SMALL_BYTES"
python3 "$bench/gen.py" small "$src" "$SMALL_FILES" "$SMALL_FOLDERS" "$SMALL_BYTES"
log "Caravan: $caravan_rev"
start_s3proxy
mkbucket warmup
rclone copy --transfers "$WORKERS" --checkers "$WORKERS" "$src" bench:warmup > /dev/null 2>&1 || true
for r in $(seq 1 "$REPEAT"); do
  for v in wd0 wd500; do
    mkbucket "ab-$v-r$r"
    caravan_home "$work/homes/ab-$v-r$r" "$src" "ab-$v-r$r"
    if [[ "$v" == wd0 ]]; then
      measure_caravan "ab-$v-r$r" "" "$work/homes/ab-$v-r$r" run folder-to-s3
    else
      measure_caravan "ab-$v-r$r" "" "$work/homes/ab-$v-r$r" run folder-to-s3 \
        --set "caravan.ledger.url=jdbc:h2:file:$work/homes/ab-$v-r$r/data/ledger;DB_CLOSE_ON_EXIT=FALSE"
    fi
    check_bucket "ab-$v-r$r" "$SMALL_FILES" $((SMALL_FILES * SMALL_BYTES))
  done
done
row A caravan ab-wd0 "$SMALL_FILES" $((SMALL_FILES * SMALL_BYTES)) "ledger URL as shipped (WRITE_DELAY=0)"
row B caravan ab-wd500 "$SMALL_FILES" $((SMALL_FILES * SMALL_BYTES)) "ledger URL without WRITE_DELAY=0 (H2 default 500 ms)"
python3 "$bench/table.py" "$results" "$REPEAT" | sed -n '1,6p' | tee "$results/table.md"
