#!/usr/bin/env bash
# Runs every test: unit, saga-harness, API, Kafka (embedded mock cluster, kcat), PostgreSQL
# (throwaway clusters), telemetry (promtool, Prometheus), load generator and chart checks.
# Extra arguments go to `dotnet test`, e.g. --filter FullyQualifiedName~Kafka.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
dotnet build SagaDemo.sln -c Release

log=$(mktemp)
trap 'rm -f "$log"' EXIT
# One test assembly at a time: several of them start real servers (PostgreSQL, the mock Kafka
# cluster, Prometheus, Chromium), and on a 2-core machine running them side by side only adds
# timing noise.
status=0
for project in Tests/*/*.csproj; do
  grep -q '<IsTestProject>true</IsTestProject>' "$project" || continue
  set +e
  dotnet test "$project" -c Release --no-build --logger "console;verbosity=normal" "$@" 2>&1 | tee -a "$log"
  [ "${PIPESTATUS[0]}" -eq 0 ] || status=1
  set -e
done

# -a: a test's output may hold a NUL byte, and grep would then print "binary file matches" instead of the counts.
sum() { grep -aoE "$1: +[0-9]+" "$log" | awk '{ s += $NF } END { print s + 0 }'; }
echo "tests: $(sum Passed) passed, $(sum Failed) failed, $(sum Skipped) skipped"
exit "$status"
