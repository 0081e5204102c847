#!/usr/bin/env bash
# Issue 23 goal 7, the cutover: a final pass over FILES (1,000,000) files in FOLDERS (1,000) folders, folder -> S3,
# of which CHANGED (1,000) are new or changed since the pass before: Caravan's run against rclone's copy of the same.
# Each tool first copies the whole tree into its own bucket (measured, for information). Then, REPEAT (3) times,
# CHANGED/2 files are rewritten with other bytes and CHANGED/2 files are added, and each tool's pass over the tree is
# measured, the tool that goes first alternating. rclone's pass is stopped after RCLONE_LIMIT (600) seconds and
# reported as longer than that (exit 124); its later passes are then left out (a stopped pass leaves the next one
# more to do). The buckets are counted at the end, outside the measurements, in S3Proxy's storage folder.
#
#   bench/cutover.sh                           1,000,000 files of 256 bytes
#   FILES=100000 FOLDERS=100 bench/cutover.sh  a tenth
#   WITH_RCLONE=0 bench/cutover.sh             Caravan alone (to follow a change of Caravan's; not the comparison)
set -euo pipefail
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib.sh"

FILES="${FILES:-1000000}"; FOLDERS="${FOLDERS:-1000}"; BYTES="${BYTES:-256}"; CHANGED="${CHANGED:-1000}"
WITH_RCLONE="${WITH_RCLONE:-1}"; REPEAT="${REPEAT:-3}"; RCLONE_LIMIT="${RCLONE_LIMIT:-600}"; WORKERS="${WORKERS:-16}"
src="$work/data/cutover-$FILES-$FOLDERS-$BYTES"
python3 "$bench/gen.py" small "$src" "$FILES" "$FOLDERS" "$BYTES"
# the files an earlier run of this script added go (the ones it rewrote stay: each pass rewrites them again)
find "$src" -name 'new-*.bin' -delete
log "Caravan: $caravan_rev; $(nproc) cores; $FILES files in $FOLDERS folders; $CHANGED new or changed per pass"

start_s3proxy
home="$work/homes/cutover"
for b in cutover-caravan cutover-rclone; do dropbucket "$b"; mkbucket "$b"; done
caravan_home "$home" "$src" cutover-caravan
warm "$src"

# the first copies, one run each
measure_caravan cutover-initial-caravan-r1 "" "$home" run folder-to-s3
[[ "$WITH_RCLONE" == 0 ]] || measure cutover-initial-rclone-r1 -- rclone copy --transfers "$WORKERS" --checkers "$WORKERS" "$src" bench:cutover-rclone

# change PASS: CHANGED/2 files rewritten (another size, so no tool can miss them) and CHANGED/2 new ones
change() {
  python3 - "$src" "$FOLDERS" "$CHANGED" "$BYTES" "$1" <<'PY'
import os, sys
src, folders, changed, size, run = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
for i in range(changed // 2):
    folder = os.path.join(src, "d%04d" % ((i * 7 + run) % folders))
    with open(os.path.join(folder, "f%05d.bin" % (run * 13 + i // folders)), "wb") as f:
        f.write(os.urandom(size + run))
    with open(os.path.join(folder, "new-r%d-%05d.bin" % (run, i)), "wb") as f:
        f.write(os.urandom(size))
PY
}

# the tree was read into the page cache before the first copies; what change() writes is there already
for r in $(seq 1 "$REPEAT"); do
  change "$r"
  tools=(rclone caravan); (( r % 2 == 0 )) && tools=(caravan rclone)
  for tool in "${tools[@]}"; do
    if [[ "$tool" == rclone && "$WITH_RCLONE" == 0 ]]; then
      continue
    elif [[ "$tool" == rclone && "${rclone_stopped:-}" ]]; then
      log "rclone's pass $r left out: its pass $rclone_stopped was stopped at ${RCLONE_LIMIT} s"
    elif [[ "$tool" == rclone ]]; then
      measure "cutover-rclone-r$r" -- timeout "$RCLONE_LIMIT" \
          rclone copy --transfers "$WORKERS" --checkers "$WORKERS" "$src" bench:cutover-rclone
      [[ "$(cat "$results/cutover-rclone-r$r.rc")" != 124 ]] || rclone_stopped=$r
    else
      measure_caravan "cutover-caravan-r$r" "" "$home" run folder-to-s3
    fi
  done
done

total_files=$(find "$src" -type f | wc -l)
total_bytes=$(find "$src" -type f -printf '%s\n' | awk '{s+=$1} END {print s}')
# counted in S3Proxy's storage folder: rclone size over a million objects had not answered after 8 minutes
log "counting the buckets ($total_files files, $total_bytes bytes at the source)"
buckets=(cutover-caravan); [[ "$WITH_RCLONE" == 0 ]] || buckets+=(cutover-rclone)
for b in "${buckets[@]}"; do
  got="$(find "$s3data/$b" -type f -printf '%s\n' | awk '{n++; s+=$1} END {print n+0, s+0}')"
  printf '%s\t%s\t%s\t%s\n' "$b" "$total_files" "$total_bytes" "$got" >> "$results/buckets.tsv"
  [[ "$got" == "$total_files $total_bytes" ]] || log "  bucket $b holds $got (objects bytes), expected $total_files $total_bytes"
done

row cutover-initial rclone cutover-initial-rclone "$FILES" $((FILES * BYTES)) "first copy, --transfers $WORKERS --checkers $WORKERS"
row cutover-initial caravan cutover-initial-caravan "$FILES" $((FILES * BYTES)) "first copy, workers=$WORKERS"
row cutover rclone cutover-rclone "$FILES" 0 "final pass, $CHANGED new or changed; stopped at ${RCLONE_LIMIT} s"
row cutover caravan cutover-caravan "$FILES" 0 "final pass, $CHANGED new or changed"
python3 "$bench/table.py" "$results" "$REPEAT" | tee "$results/table.md"
cat "$results/buckets.tsv"
log "results in $results"
