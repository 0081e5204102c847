#!/usr/bin/env bash
# CKAN → CKAN, issue 5's benchmark: DATASETS datasets (5,000) with RESOURCES resources each (3), served by two
# emulated CKAN 2.10 portals (the tests' emulator, held to a real CKAN's recording) that add LATENCY_MS (25) to
# every request. Caravan dumps the source portal to a ckanapi JSONL file, then loads that file into the target,
# with WORKERS workers (16). Prints one table: records/s and requests, beside what ckanapi's design needs for the
# same work (one package_show per dataset, 4 processes: requests × latency / 4; its load needs a package_create
# too, so the load figure flatters ckanapi twice). ONLY=dump runs the dump alone (to profile it).
set -euo pipefail
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib.sh"

DATASETS="${DATASETS:-5000}"; RESOURCES="${RESOURCES:-3}"; LATENCY_MS="${LATENCY_MS:-25}"; WORKERS="${WORKERS:-16}"
# the driver and the emulator are test code: compile them in the build being measured
[[ -d "$dist/src/test" ]] || cp -r "$repo/src/test" "$dist/src/test"
log "compiling the emulator and the driver in $dist"
(cd "$dist" && mvn -B -q test-compile dependency:build-classpath -Dmdep.includeScope=test \
    -Dmdep.outputFile=target/test-classpath.txt) > "$results/test-compile.log" 2>&1 \
  || { log "test-compile failed: $results/test-compile.log"; exit 1; }
run_dir="$work/ckan"
rm -rf "$run_dir" && mkdir -p "$run_dir/home/config"
cp -r "$repo/routes" "$run_dir/home/routes"
cp "$repo/config/application.properties" "$run_dir/home/config/"
log "CKAN: $DATASETS datasets × $RESOURCES resources, $LATENCY_MS ms per request, $WORKERS workers ($caravan_rev)"
java -cp "$dist/target/test-classes:$dist/target/classes:$(cat "$dist/target/test-classpath.txt")" \
  io.caravan.ckan.CkanBench "$dist/bin/caravan" "$run_dir" "$DATASETS" "$RESOURCES" "$LATENCY_MS" "$WORKERS" ${ONLY:-} \
  | tee "$results/ckan-table.txt"
