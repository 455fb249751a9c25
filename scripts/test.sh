#!/usr/bin/env bash
# Runs every test: unit, saga-harness, API, Kafka (embedded mock cluster, kcat), PostgreSQL
# (throwaway clusters), telemetry (promtool, Prometheus) and chart checks.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
dotnet build SagaDemo.sln -c Release
exec dotnet test SagaDemo.sln -c Release --no-build --logger "console;verbosity=normal" "$@"
