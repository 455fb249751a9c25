#!/usr/bin/env bash
# Runs the whole system in one process: every service, embedded Kafka, in-memory state.
# Extra arguments go to the host, e.g. --urls=http://localhost:9090 or --Roles=api,users.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
# As in the container image (see Dockerfile): two glibc malloc arenas keep librdkafka's native memory level.
export MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX:-2}
exec dotnet run --project Host/SagaDemo.Host -c Release -- "$@"
