#!/usr/bin/env bash
# The fault table: runs the fault-injection tests (WireMock between Caravan and S3Proxy / the CKAN emulator, one kind
# of fault per run over 2,000 datasets or 1,000 files, about 5% of the item requests faulted and a tenth of those on every attempt) and
# prints one row per fault and edge. The tests assert lost = 0 and corrupt = 0; this prints what they measured.
#
#   bench/faults.sh              both edges (S3FaultsTest, CkanFaultsTest), a few minutes
#   TESTS=S3FaultsTest bench/faults.sh
#
# Columns: items in the run; requests the proxy faulted; items faulted and still done in the same run (retried);
# items that failed on every attempt, named in the run's rejects file (exit 3), then done by the rerun once the fault
# was gone; lost (done but not at the target or different there, or neither done nor failed); corrupt (at the
# target and different from the source).
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tests="${TESTS:-S3FaultsTest,CkanFaultsTest}"
table="$repo/target/fault-table.tsv"
rm -f "$table"
(cd "$repo" && mvn -B -q test -Dtest="$tests" -Dsurefire.failIfNoSpecifiedTests=false) >&2 || {
  echo "the fault tests failed: see target/surefire-reports" >&2; exit 1; }
echo "Caravan $(git -C "$repo" rev-parse --short HEAD), $(date -u +%Y-%m-%d), mvn test -Dtest=$tests"
echo
echo "| fault | edge | items | faulted requests | retried | failed, named, then done by the rerun | lost | corrupt |"
echo "|---|---|---:|---:|---:|---:|---:|---:|"
sort -t$'\t' -k2,2 -k1,1 "$table" | awk -F'\t' '{printf "| %s | %s | %s | %s | %s | %s | %s | %s |\n", $1, $2, $3, $4, $5, $6, $7, $8}'
