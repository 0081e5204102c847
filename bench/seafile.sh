#!/usr/bin/env bash
# Seafile storage, filesystem backend -> S3Proxy, Caravan's seafile job vs rclone, in one run; prints one table.
#
#   bench/seafile.sh                  200,000 objects over 50 libraries, then 1% new objects
#   OBJECTS=20000 bench/seafile.sh    smaller
#   OBJECTS=1000000 NEW=1000 REPEAT=3 RCLONE_REPEAT=1 bench/seafile.sh   issue 23's cutover: final passes of
#                                     1,000 new objects each, rclone's (minutes each) in the first only
#
# sf1: the initial pass. Caravan: `caravan run seafile` (workers=16), objects to the S3 layout (<repo>/<id> in one
# bucket per type), each checked against its id. rclone: `rclone copy --transfers 16 --checkers 16` of the
# storage/ folder into one bucket, paths kept as they are (storage/<type>/<repo>/<cc>/<rest>): rclone cannot map
# Seafile's layouts and checks nothing but its own MD5.
# sf2: NEW (1%) new objects added to the source, then the final pass: the same Caravan run again (its ledger knows
# what moved) vs the same rclone copy again (it lists the bucket to find what is missing); REPEAT (1) times, the
# tool that goes first alternating; rclone's pass only in the first RCLONE_REPEAT (REPEAT) of them.
# INITIAL_REPEAT (1) initial passes per tool, the one going first alternating, each into emptied buckets with a
# fresh ledger (emptied in S3Proxy's storage folder: a purge through S3Proxy lists every object, minutes);
# the final passes follow the last of them.
set -euo pipefail
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib.sh"

OBJECTS="${OBJECTS:-200000}"; LIBRARIES="${LIBRARIES:-50}"; WORKERS="${WORKERS:-16}"
NEW="${NEW:-$((OBJECTS / 100))}"; REPEAT="${REPEAT:-1}"; RCLONE_REPEAT="${RCLONE_REPEAT:-$REPEAT}"
INITIAL_REPEAT="${INITIAL_REPEAT:-1}"
data="$work/data/seafile-$OBJECTS-$LIBRARIES"
# the tree gets the 1% on every run: start from a fresh copy of the generated one
python3 "$bench/gen.py" seafile "$data" "$OBJECTS" "$LIBRARIES" 1
src="$work/seafile-src"
rm -rf "$src" && cp -a "$data" "$src"
start_s3proxy

home="$work/homes/seafile"
# fresh_home: the Caravan home with an empty ledger, and its three buckets made empty
fresh_home() {
  rm -rf "$home" && mkdir -p "$home/config/jobs" "$home/conf"
  cp -r "$repo/routes" "$home/routes"
  cp "$repo/config/application.properties" "$home/config/"
  printf '[fileserver]\nport = 8082\n' > "$home/conf/seafile.conf"
  : > "$home/conf/new-seafile.conf"
  for t in commit_object_backend:commits fs_object_backend:fs block_backend:blocks; do
    rm -rf "$s3data/caravan-sf-${t#*:}"; mkbucket "caravan-sf-${t#*:}"
    printf '[%s]\nname = s3\nbucket = caravan-sf-%s\nkey_id = %s\nkey = %s\nhost = 127.0.0.1:%s\npath_style_request = true\nuse_https = false\naws_region = us-east-1\n\n' \
      "${t%%:*}" "${t#*:}" "$S3_KEY" "$S3_SECRET" "$PORT" >> "$home/conf/new-seafile.conf"
  done
  cat > "$home/config/jobs/seafile.properties" <<EOF2
source.type = seafile
source.conf = conf/seafile.conf
source.seafile-data = $src
target.type = seafile
target.conf = conf/new-seafile.conf
caravan.workers = $WORKERS
EOF2
}
warm "$src"

for r in $(seq 1 "$INITIAL_REPEAT"); do
  fresh_home
  rm -rf "$s3data/rclone-sf"; mkbucket rclone-sf
  tools=(rclone caravan); (( r % 2 == 0 )) && tools=(caravan rclone)
  for tool in "${tools[@]}"; do
    if [[ "$tool" == rclone ]]; then
      measure "sf1-rclone-r$r" -- rclone copy --transfers "$WORKERS" --checkers "$WORKERS" "$src/storage" bench:rclone-sf/storage
    else
      measure_caravan "sf1-caravan-r$r" "" "$home" run seafile
    fi
  done
done

for r in $(seq 1 "$REPEAT"); do
  log "adding $NEW new objects"
  GEN="$bench/gen.py" python3 -c "
import importlib.util, os, sys
spec = importlib.util.spec_from_file_location('gen', os.environ['GEN']); gen = importlib.util.module_from_spec(spec)
spec.loader.exec_module(gen); gen.seafile_objects(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]))
" "$src" "$NEW" "$LIBRARIES" $((r + 1))
  warm "$src"
  tools=(rclone caravan); (( r % 2 == 0 )) && tools=(caravan rclone)
  for tool in "${tools[@]}"; do
    if [[ "$tool" == rclone ]] && (( r > RCLONE_REPEAT )); then
      log "rclone's pass $r left out (RCLONE_REPEAT=$RCLONE_REPEAT)"
    elif [[ "$tool" == rclone ]]; then
      measure "sf2-rclone-r$r" -- rclone copy --transfers "$WORKERS" --checkers "$WORKERS" "$src/storage" bench:rclone-sf/storage
      rclone_saw="$(find "$src/storage" -type f -printf '%s\n' | awk '{n++; s+=$1} END {print n+0, s+0}')"
    else
      measure_caravan "sf2-caravan-r$r" "" "$home" run seafile
    fi
  done
done

total=$(find "$src/storage" -type f | wc -l); bytes=$(find "$src/storage" -type f -printf '%s\n' | awk '{s+=$1} END {print s}')
initial_bytes=$(find "$data/storage" -type f -printf '%s\n' | awk '{s+=$1} END {print s}')
# counted in S3Proxy's storage folder: listing 200,000 objects through S3Proxy took over 10 minutes here
counted() { # NAME "OBJECTS BYTES" FOLDER...: what the folders hold against what the source held, for the table
  local name="$1" want="$2" got; shift 2
  got="$(find "$@" -type f -printf '%s\n' | awk '{n++; s+=$1} END {print n+0, s+0}')"
  printf '%s\t%s\t%s\t%s\n' "$name" "${want% *}" "${want#* }" "$got" >> "$results/buckets.tsv"
  [[ "$got" == "$want" ]] || log "  bucket $name holds $got (objects bytes), expected $want"
}
# rclone's bucket against the source as its last pass saw it (RCLONE_REPEAT < REPEAT leaves it behind)
counted rclone-sf "${rclone_saw:-$total $bytes}" "$s3data/rclone-sf"
counted "caravan-sf-{commits,fs,blocks}" "$total $bytes" "$s3data"/caravan-sf-{commits,fs,blocks}
row sf1 rclone sf1-rclone "$OBJECTS" "$initial_bytes" "copy --transfers $WORKERS --checkers $WORKERS of storage/ (paths as they are)"
row sf1 caravan sf1-caravan "$OBJECTS" "$initial_bytes" "run seafile, workers=$WORKERS (Seafile's S3 layout, ids checked)"
row sf2 rclone sf2-rclone "$NEW" $(((bytes - initial_bytes) / REPEAT)) "the same copy again after $NEW new objects"
row sf2 caravan sf2-caravan "$NEW" $(((bytes - initial_bytes) / REPEAT)) "the same run again (final pass)"
python3 "$bench/table.py" "$results" "$((REPEAT > INITIAL_REPEAT ? REPEAT : INITIAL_REPEAT))" | tee "$results/table.md"
cat "$results/buckets.tsv"
