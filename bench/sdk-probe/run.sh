#!/usr/bin/env bash
# Runs SdkPutProbe (the AWS SDK alone, no Camel, no ledger) on scenario 1's tree with three client settings,
# under the default JIT and C1 only, and prints bench/table.py's table: how much of Caravan's per-file CPU is
# the SDK's, and what Expect: 100-continue and aws-chunked signing cost on plain http.
set -euo pipefail
PORT="${PORT:-18083}"
RESULTS_SUFFIX="-sdk-probe"
source "$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/lib.sh"
WORKERS="${WORKERS:-16}"
src="$work/data/small-20000-200-4096"
python3 "$bench/gen.py" small "$src" 20000 200 4096
mkdir -p "$work/sdk-probe"
javac -d "$work/sdk-probe" -cp "$dist/target/caravan.jar:$dist/target/lib/*" "$bench/sdk-probe/SdkPutProbe.java"
start_s3proxy
mkbucket warmup
rclone copy --transfers "$WORKERS" --checkers "$WORKERS" "$src" bench:warmup > /dev/null 2>&1 || true
for jit in default c1; do
  opts=(); [[ "$jit" == c1 ]] && opts=(-XX:TieredStopAtLevel=1)
  for mode in caravan no-chunked both; do
    name="probe-$jit-$mode"
    mkbucket "$name"
    measure "$name-r1" -- java "${opts[@]}" -cp "$dist/target/caravan.jar:$dist/target/lib/*:$work/sdk-probe" \
      SdkPutProbe "$ENDPOINT" "$name" "$src" "$WORKERS" "$mode"
    check_bucket "$name" 20000 81920000
    row "sdk/$jit" "$mode" "$name" 20000 81920000 "SdkPutProbe $mode, JIT $jit"
  done
done
python3 "$bench/table.py" "$results" 1 | sed -n '1,10p' | tee "$results/table.md"
