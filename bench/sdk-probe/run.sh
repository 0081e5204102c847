#!/usr/bin/env bash
# Runs SdkPutProbe (the AWS SDK alone, no Camel, no ledger) on scenario 1's tree with three client settings,
# under the default JIT and C1 only, and prints bench/table.py's table: how much of Caravan's per-file CPU is
# the SDK's, and what Expect: 100-continue and aws-chunked signing cost on plain http.
#   MODES="caravan no-chunked both"  SdkPutProbe's modes to run (crt: the AWS Common Runtime's S3 client)
#   JITS="default c1"                 JIT settings to run each mode under
set -euo pipefail
PORT="${PORT:-18083}"
RESULTS_SUFFIX="-sdk-probe"
source "$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/lib.sh"
WORKERS="${WORKERS:-16}"
src="$work/data/small-20000-200-4096"
python3 "$bench/gen.py" small "$src" 20000 200 4096
mkdir -p "$work/sdk-probe"
# the CRT jar is not one of Caravan's dependencies: the crt mode takes it from the local Maven repository
crt_jar="${M2_REPO:-$HOME/.m2/repository}/software/amazon/awssdk/crt/aws-crt/${CRT_VERSION:-0.40.3}/aws-crt-${CRT_VERSION:-0.40.3}.jar"
if [[ ! -f "$crt_jar" ]]; then
  mvn -q dependency:get -Dartifact="software.amazon.awssdk.crt:aws-crt:${CRT_VERSION:-0.40.3}" > /dev/null
fi
cp_probe="$dist/target/caravan.jar:$dist/target/lib/*:$crt_jar:$work/sdk-probe"
javac -d "$work/sdk-probe" -cp "$cp_probe" "$bench/sdk-probe/SdkPutProbe.java"
start_s3proxy
mkbucket warmup
rclone copy --transfers "$WORKERS" --checkers "$WORKERS" "$src" bench:warmup > /dev/null 2>&1 || true
for jit in ${JITS:-default c1}; do
  opts=(); [[ "$jit" == c1 ]] && opts=(-XX:TieredStopAtLevel=1)
  for mode in ${MODES:-caravan no-chunked both}; do
    name="probe-$jit-$mode"
    mkbucket "$name"
    measure "$name-r1" -- java "${opts[@]}" -cp "$cp_probe" \
      SdkPutProbe "$ENDPOINT" "$name" "$src" "$WORKERS" "$mode"
    check_bucket "$name" 20000 81920000
    row "sdk/$jit" "$mode" "$name" 20000 81920000 "SdkPutProbe $mode, JIT $jit"
  done
done
python3 "$bench/table.py" "$results" 1 | sed -n '1,10p' | tee "$results/table.md"
