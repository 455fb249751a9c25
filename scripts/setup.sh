#!/usr/bin/env bash
# Installs the native parts SagaDemo uses, once: kcat (an independent Kafka client for interop tests;
# SagaDemo's own librdkafka comes from the librdkafka.redist NuGet package), PostgreSQL 15
# (durable state; tests start throwaway clusters) and Prometheus (promtool and a scraping server
# for tests), Chromium (headless screenshots of the load report in tests) and curl (runs the Helm
# chart's `helm test` script against a real host in tests).
# Idempotent: does nothing when everything is present.
set -euo pipefail

need=()
command -v kcat >/dev/null 2>&1 || need+=(kcat)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
command -v promtool >/dev/null 2>&1 || need+=(prometheus)
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v curl >/dev/null 2>&1 || need+=(curl)

if [ ${#need[@]} -gt 0 ]; then
  echo "setup: installing ${need[*]}" >&2
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
# The Debian postgresql package starts a cluster of its own on 5432; SagaDemo does not use it.
