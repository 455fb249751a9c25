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
set +e
dotnet test SagaDemo.sln -c Release --no-build -m:1 --logger "console;verbosity=normal" "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e

sum() { grep -oE "$1: +[0-9]+" "$log" | awk '{ s += $NF } END { print s + 0 }'; }
echo "tests: $(sum Passed) passed, $(sum Failed) failed, $(sum Skipped) skipped"
exit "$status"
