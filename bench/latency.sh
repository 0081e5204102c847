#!/usr/bin/env bash
# Issue 23 goal 3: small files, latency-bound, as against a distant S3. folder -> S3 through a proxy on 127.0.0.1
# that holds every response DELAY_MS (20), Caravan (caravan.workers = N) against rclone (--transfers N --checkers N)
# at each N of CONCURRENCY ("16 64"), REPEAT times (3); the tool that goes first alternates. Each tool's requests
# are counted by method from the proxy's journal ($results/requests.tsv and the log), since the question is what
# keeps a tool's effective concurrency below N.
# The proxy is WireMock from the test classpath (io.caravan.testing.DelayingS3Proxy) in front of S3Proxy.
#
#   bench/latency.sh                    2,000 x 4 KiB files in 20 folders
#   SMALL_FILES=20000 SMALL_FOLDERS=200 bench/latency.sh
set -euo pipefail
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib.sh"

SMALL_FILES="${SMALL_FILES:-2000}"; SMALL_FOLDERS="${SMALL_FOLDERS:-20}"; SMALL_BYTES="${SMALL_BYTES:-4096}"
WORKERS=16; DELAY_MS="${DELAY_MS:-20}"; CONCURRENCY="${CONCURRENCY:-16 64}"; REPEAT="${REPEAT:-3}"
src="$work/data/small-$SMALL_FILES-$SMALL_FOLDERS-$SMALL_BYTES"
python3 "$bench/gen.py" small "$src" "$SMALL_FILES" "$SMALL_FOLDERS" "$SMALL_BYTES"
log "Caravan: $caravan_rev; $(nproc) cores; $SMALL_FILES files; ${DELAY_MS} ms per S3 request; at $CONCURRENCY"

start_s3proxy
address="$work/latency-proxy.address"
rm -f "$address"
start_test_main "$results/proxy.log" io.caravan.testing.DelayingS3Proxy "$address" "$ENDPOINT" "$DELAY_MS"
proxy_pid=$test_main_pid
trap 'kill $proxy_pid 2>/dev/null || true; stop_s3proxy' EXIT
for _ in $(seq 1 120); do [[ -f "$address" ]] && break; sleep 0.5; done
delayed="$(cat "$address")"
log "S3 through the delay at $delayed"
cat >> "$RCLONE_CONFIG" <<EOF2

[delayed]
type = s3
provider = Other
access_key_id = $S3_KEY
secret_access_key = $S3_SECRET
endpoint = $delayed
region = us-east-1
force_path_style = true
EOF2

# NAME: the requests the proxy saw since the last call, by method, logged and kept in requests.tsv
count_requests() {
  local m n line="$1"
  for m in PUT HEAD GET POST; do
    n=$(curl -s -X POST "$delayed/__admin/requests/count" -d "{\"method\":\"$m\",\"urlPattern\":\".*\"}" \
      | python3 -c 'import json,sys; print(json.load(sys.stdin)["count"])')
    line="$line	$m=$n"
  done
  curl -s -X DELETE "$delayed/__admin/requests" > /dev/null
  echo "$line" >> "$results/requests.tsv"
  log "  requests: ${line#*	}"
}
latency_home() { # HOME BUCKET WORKERS
  caravan_home "$1" "$src" "$2"
  sed -i "s|^target.s3.endpoint = .*|target.s3.endpoint = $delayed|; s|^caravan.workers = .*|caravan.workers = $3|" \
    "$1/config/jobs/folder-to-s3.properties"
}

# the warm-up: the proxy, S3Proxy and both tools' paths see the tree once before anything is measured
mkbucket lat-warmup && latency_home "$work/homes/lat-warmup" lat-warmup 16
"$dist/bin/caravan" --home "$work/homes/lat-warmup" run folder-to-s3 > "$results/warmup.out" 2>&1 || true
rclone copy --transfers 16 --checkers 16 "$src" delayed:lat-warmup-rclone > /dev/null 2>&1 || true
curl -s -X DELETE "$delayed/__admin/requests" > /dev/null

small_bytes=$((SMALL_FILES * SMALL_BYTES))
for r in $(seq 1 "$REPEAT"); do
  warm "$src"
  for n in $CONCURRENCY; do
    tools=(rclone caravan); (( r % 2 == 0 )) && tools=(caravan rclone)
    for tool in "${tools[@]}"; do
      name="lat-$n-$tool-r$r"
      mkbucket "$name"
      curl -s -X DELETE "$delayed/__admin/requests" > /dev/null
      if [[ "$tool" == rclone ]]; then
        measure "$name" -- rclone copy --transfers "$n" --checkers "$n" "$src" "delayed:$name"
      else
        latency_home "$work/homes/$name" "$name" "$n"
        measure_caravan "$name" "" "$work/homes/$name" run folder-to-s3
      fi
      count_requests "$name"
      check_bucket "$name" "$SMALL_FILES" "$small_bytes"
    done
  done
done
for n in $CONCURRENCY; do
  row "lat-$n" rclone "lat-$n-rclone" "$SMALL_FILES" "$small_bytes" "copy --transfers $n --checkers $n; ${DELAY_MS} ms per request"
  row "lat-$n" caravan "lat-$n-caravan" "$SMALL_FILES" "$small_bytes" "run, workers=$n; ${DELAY_MS} ms per request"
done
python3 "$bench/table.py" "$results" "$REPEAT" | tee "$results/table.md"
log "results in $results"
