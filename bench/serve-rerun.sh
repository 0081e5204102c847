#!/usr/bin/env bash
# Scenario 2 (the rerun with nothing changed) with Caravan resident: `caravan serve` stays up, as it does in
# production, and each run is triggered over HTTP (Jolokia) with curl, so no JVM starts per run. Beside it, rclone's
# rerun of the same tree. 20,000 files of 4 KiB in 200 folders (the tree of scenario 1), REPEAT reruns each.
set -euo pipefail
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib.sh"

REPEAT="${REPEAT:-3}"; HTTP_PORT="${HTTP_PORT:-18087}"
tree="$work/data/small-20000-200-4096"
python3 "$bench/gen.py" small "$tree" 20000 200 4096 >/dev/null
start_s3proxy
mkbucket serve-rerun; mkbucket rclone-rerun
# S3Proxy is a JVM too: an unmeasured copy warms it up (as bench/run.sh does), so the first copies compare fairly
log "warming S3Proxy up: rclone copy of $tree (not measured)"
mkbucket warmup
rclone copy --transfers 16 --checkers 16 "$tree" bench:warmup > /dev/null 2>&1 || true
home="$work/homes/serve-rerun"
rm -rf "$home" && mkdir -p "$home/config/jobs" "$home/routes"
cp -r "$repo/routes/kamelets" "$home/routes/"
cp "$repo/routes/folder-to-s3.camel.yaml" "$home/routes/"
cp "$repo/config/application.properties" "$home/config/"
cat > "$home/config/jobs/folder-to-s3.properties" <<EOF2
source.type = folder
source.root = $tree
target.type = s3
target.bucket = serve-rerun
target.s3.endpoint = $ENDPOINT
target.s3.region = us-east-1
target.s3.access-key = $S3_KEY
target.s3.secret-key = $S3_SECRET
caravan.workers = 16
EOF2
"$dist/bin/caravan" --home "$home" serve --set caravan.http.port="$HTTP_PORT" \
  > "$results/serve.log" 2>&1 &
serve_pid=$!
trap 'kill $serve_pid 2>/dev/null || true; stop_s3proxy' EXIT
jolokia="http://127.0.0.1:$HTTP_PORT/observe/jolokia"
for _ in $(seq 1 120); do curl -sf "$jolokia/version" >/dev/null && break; sleep 0.5; done
mbean='io.caravan:type=Job,name=\"folder-to-s3\"'
state() { curl -s "$jolokia/read/io.caravan:type=Job,name=%22folder-to-s3%22/State" | python3 -c 'import json,sys; print(json.load(sys.stdin)["value"])'; }
since() { local t1=$(date +%s.%N); python3 -c "print(f'{$t1 - $1:.2f}')"; } # seconds since $1 (date +%s.%N)
run_once() { # triggers a run and waits for it to end; prints the seconds
  local t0=$(date +%s.%N)
  curl -s -X POST -d "{\"type\":\"exec\",\"mbean\":\"$mbean\",\"operation\":\"run\"}" "$jolokia" >/dev/null
  while [[ "$(state)" != IDLE ]]; do sleep 0.01; done
  since "$t0"
}
rclone_once() { # rclone's copy of the tree into its bucket; prints the seconds
  local t0=$(date +%s.%N)
  rclone copy --transfers 16 --checkers 16 "$tree" bench:rclone-rerun
  since "$t0"
}
first=$(run_once)
printf '%-34s caravan (resident, curl) %s   rclone %s\n' "first copy" "$first" "$(rclone_once)" \
  | tee "$results/serve-first-copy.txt"
printf '%-34s %s\n' "rerun, nothing changed" "seconds per run" | tee "$results/serve-rerun.txt"
for r in $(seq 1 "$REPEAT"); do
  c=$(run_once)
  printf '%-34s caravan (resident, curl) %s   rclone %s\n' "run $r" "$c" "$(rclone_once)" \
    | tee -a "$results/serve-rerun.txt"
done
curl -s "$jolokia/read/io.caravan:type=Job,name=%22folder-to-s3%22/LastReport" | python3 -c 'import json,sys; print(json.load(sys.stdin)["value"])' \
  | tee -a "$results/serve-rerun.txt"
