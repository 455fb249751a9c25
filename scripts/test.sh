#!/usr/bin/env bash
# Runs every test: unit, saga-harness, API, Kafka (embedded mock cluster, kcat), PostgreSQL
# (throwaway clusters), telemetry (promtool, Prometheus), load generator and chart checks.
# Extra arguments go to `dotnet test`, e.g. --filter FullyQualifiedName~Kafka.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
dotnet build SagaDemo.sln -c Release

log=$(mktemp)
part=$(mktemp)
trap 'rm -f "$log" "$part"' EXIT
# One test assembly at a time: several of them start real servers (PostgreSQL, the mock Kafka
# cluster, Prometheus, Chromium), and on a 2-core machine running them side by side only adds
# timing noise. The fast ones first (saga and service harness tests in seconds, then the rider's),
# so a broken rule or rider change shows within minutes; the whole-system tests last.
first=(Tests/SagaDemo.Sagas.Tests/SagaDemo.Sagas.Tests.csproj Tests/SagaDemo.Kafka.Tests/SagaDemo.Kafka.Tests.csproj)
last=(Tests/SagaDemo.System.Tests/SagaDemo.System.Tests.csproj)
projects=("${first[@]}")
for project in Tests/*/*.csproj; do
  [[ " ${first[*]} ${last[*]} " == *" $project "* ]] || projects+=("$project")
done
projects+=("${last[@]}")
# -a: a test's output may hold a NUL byte, and grep would then print "binary file matches" instead of the counts.
# `|| true`: a project without skipped tests has no "Skipped:" line, and under pipefail grep's exit 1 would end the script.
sum() { { grep -aoE "$1: +[0-9]+" "$2" || true; } | awk '{ s += $NF } END { print s + 0 }'; }
status=0
summary=()
for project in "${projects[@]}"; do
  grep -q '<IsTestProject>true</IsTestProject>' "$project" || continue
  started=$SECONDS
  set +e
  dotnet test "$project" -c Release --no-build --logger "console;verbosity=normal" "$@" 2>&1 | tee "$part"
  [ "${PIPESTATUS[0]}" -eq 0 ] || status=1
  set -e
  cat "$part" >> "$log"
  summary+=("$(basename "$project" .csproj): $(sum Passed "$part") passed, $(sum Failed "$part") failed, $(sum Skipped "$part") skipped, $((SECONDS - started)) s")
done

printf '%s\n' "${summary[@]}"
echo "tests: $(sum Passed "$log") passed, $(sum Failed "$log") failed, $(sum Skipped "$log") skipped"
exit "$status"
