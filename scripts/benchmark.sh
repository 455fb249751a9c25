#!/usr/bin/env bash
# One benchmark run on this machine; prints each figure and writes summary.txt, summary.json and the load
# generator's HTML/JSON reports under the results directory. scripts/bench/readme-table.py turns summary.json into
# the README's Performance table.
#   (b) user sagas at the maximum rate: embedded Kafka, in-memory state, Approval:Delay 200 ms
#   (b½) the same at half of (b)'s measured rate (open loop, on the same warm host): latency p99 - 200 ms
#   (c) user sagas at the maximum rate with PostgreSQL state (throwaway cluster)
#   further parts (e.g. overload, burst, soak): scripts/bench/<part>.sh, sourced after (c), see "parts" below
#   (a) the ceiling: plain Confluent produce+consume loop on the same mock cluster, records the size of (b)'s,
#       the median of BENCH_CEILING_REPEATS runs after a warm-up run
# Settings (environment):
#   BENCH_DURATION=60s  measured window of each saga run     BENCH_WARMUP=10s   load before the window
#   BENCH_B_WARMUP=40s  (b)'s load before its window (longer: see "(b) in-memory state" below)
#   BENCH_CONCURRENCY=2000  closed-loop workers of the max-rate runs (sagas in flight)   BENCH_PG_CONCURRENCY: (c)'s, if other
#   BENCH_RESULTS=results/benchmark-<time>   BENCH_PORT=18090   BENCH_POSTGRES=1 (0 skips (c))
#   BENCH_RECORDS=1000000  records of each SagaDemo.KafkaBench loop (each run ~3 s; 200,000 ran 0.6 s and varied more)     BENCH_HOST_ARGS="..." extra host arguments
#   BENCH_CEILING_REPEATS=3  measured ceiling runs (median reported, spread = (max - min) / median)
#   BENCH_RUNS="b half c overload burst soak a"  which parts to run (half needs b, or BENCH_HALF_RATE; a part without
#                     its script is skipped; parts hops (the low-rate latency floor), latency (p99 at a ladder of rates,
#                     BENCH_LATENCY_RATES) and cpu run only when named)
#   BENCH_HALF_RATE=<sagas/s>  the half-rate run's open-loop rate, instead of half of (b)'s (e.g. to measure latency alone)
#   BENCH_PARTITIONS=1  partitions per topic, for the sagas' topics and the ceiling loop alike (1 is the embedded default)
#   BENCH_PG_STATS=1  (c) also loads pg_stat_statements and writes c-postgres-statements.txt (top statements, CPU of
#                     PostgreSQL's processes during the run); off by default, since it costs PostgreSQL some CPU
#   BENCH_HOST_DIR=<dir>  run a host built elsewhere (e.g. a saved build of another commit, for A/B pairs)
#   BENCH_NOTE="..."  a remark stored in the summary and shown under the README table (e.g. "busy machine")
# Example quick run: BENCH_DURATION=20s BENCH_WARMUP=5s scripts/benchmark.sh
#
# Parts: for each name in BENCH_RUNS other than a, b, half and c, scripts/bench/<name>.sh is sourced (if present)
# after (c), with no host running. It may use start_host NAME HOST-ARGS..., run_load NAME LOAD-ARGS... (the report
# lands in $RESULTS/NAME), stop_host, log, and read RESULTS, TARGET, DURATION, WARMUP, CONCURRENCY, HOST_ARGS, LOAD,
# MAX_RATE (sagas/s of (b), empty when (b) did not run). It writes $RESULTS/part-<name>.json, one object that the summary
# keeps under parts.<name>; its optional fields "lines" (strings for summary.txt) and "readmeRows" ([figure, value,
# target] triples for the README table) are shown as they are.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

DURATION=${BENCH_DURATION:-60s}
WARMUP=${BENCH_WARMUP:-10s}
CONCURRENCY=${BENCH_CONCURRENCY:-2000}
PORT=${BENCH_PORT:-18090}
RECORDS=${BENCH_RECORDS:-1000000}
POSTGRES=${BENCH_POSTGRES:-1}
RESULTS=${BENCH_RESULTS:-results/benchmark-$(date -u +%Y%m%dT%H%M%SZ)}
PARTITIONS=${BENCH_PARTITIONS:-1}
HOST_ARGS="--Kafka:Partitions=$PARTITIONS ${BENCH_HOST_ARGS:-}"
RUNS=" ${BENCH_RUNS:-b half c overload burst soak a} "
CEILING_REPEATS=${BENCH_CEILING_REPEATS:-3}
want() { [[ $RUNS == *" $1 "* ]]; }
mkdir -p "$RESULTS"
RESULTS=$(cd "$RESULTS" && pwd)
TARGET=http://127.0.0.1:$PORT

log() { printf '%s %s\n' "$(date -u +%H:%M:%S)" "$*" | tee -a "$RESULTS/benchmark.log" >&2; }
cut -d' ' -f1-3 /proc/loadavg >"$RESULTS/loadavg-start"
date -u +%Y-%m-%dT%H:%MZ >"$RESULTS/date"
printf '%s\n' "${BENCH_NOTE:-}" >"$RESULTS/note"

HOST_PID=""
PG_ROOT=""
cleanup() {
    [[ -n $HOST_PID ]] && kill "$HOST_PID" 2>/dev/null && wait "$HOST_PID" 2>/dev/null || true
    if [[ -n $PG_ROOT ]]; then
        runuser -u postgres -- "$PG_BIN/pg_ctl" stop -D "$PG_ROOT/data" -m immediate -w >/dev/null 2>&1 || true
        rm -rf "$PG_ROOT"
    fi
}
trap cleanup EXIT

log "building Release (host, load generator, mock cluster benchmark)"
: >"$RESULTS/build.log"
if [[ -z ${BENCH_HOST_DIR:-} ]]; then
    dotnet build Host/SagaDemo.Host -c Release -v q -nologo >"$RESULTS/build.log" 2>&1 || { cat "$RESULTS/build.log"; exit 1; }
fi
dotnet build Host/SagaDemo.Load -c Release -v q -nologo >>"$RESULTS/build.log" 2>&1 || { cat "$RESULTS/build.log"; exit 1; }
dotnet build tools/SagaDemo.KafkaBench -c Release -v q -nologo >>"$RESULTS/build.log" 2>&1 || { cat "$RESULTS/build.log"; exit 1; }
HOST_DIR=$(cd "${BENCH_HOST_DIR:-$ROOT/Host/SagaDemo.Host/bin/Release/net10.0}" && pwd)
LOAD=$ROOT/Host/SagaDemo.Load/bin/Release/net10.0/SagaDemo.Load
KAFKA_BENCH=$ROOT/tools/SagaDemo.KafkaBench/bin/Release/net10.0/SagaDemo.KafkaBench

# Starts the host from its output directory (its appsettings.json is read from the content root = cwd).
start_host() {
    local name=$1; shift
    # The container image's malloc setting (Dockerfile), unless the caller sets another.
    (cd "$HOST_DIR" && MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX:-2} exec ./SagaDemo.Host --urls="$TARGET" $HOST_ARGS "$@") \
        >"$RESULTS/$name.host.log" 2>&1 &
    HOST_PID=$!
    for _ in $(seq 240); do
        curl -sf "$TARGET/health/ready" >/dev/null 2>&1 && { prime_host; return 0; }
        kill -0 "$HOST_PID" 2>/dev/null || { tail -20 "$RESULTS/$name.host.log"; return 1; }
        sleep 0.5
    done
    log "host did not become ready"; return 1
}

# Ready is not yet flowing: consumer groups join and get partitions some seconds after the host reports ready.
# One saga run to its end before the load starts keeps that start-up stall out of the measured figures.
prime_host() {
    local id status
    id=$(curl -sf -X POST "$TARGET/operations/user-create" -H 'content-type: application/json' \
        -d '{"name":"warmup","email":"warmup@example.com"}' | jq -r '.id')
    for _ in $(seq 600); do
        status=$(curl -sf "$TARGET/operations/$id" | jq -r '.status')
        [[ $status != pending ]] && return 0
        sleep 0.1
    done
    log "priming saga $id did not finish within 60 s"
}

stop_host() {
    kill "$HOST_PID" 2>/dev/null || true
    wait "$HOST_PID" 2>/dev/null || true
    HOST_PID=""
}

# host_idle_cpu_percent SECONDS: the running host's CPU over that many idle seconds, in % of one core, from utime +
# stime (fields 14 and 15 of /proc/<pid>/stat, clock ticks of 1/100 s). Parts cpu and aging measure the idle floor with it.
host_idle_cpu_percent() {
    local seconds=$1 before after
    before=$(awk '{print $14 + $15}' "/proc/$HOST_PID/stat"); sleep "$seconds"; after=$(awk '{print $14 + $15}' "/proc/$HOST_PID/stat")
    awk -v a="$after" -v b="$before" -v s="$seconds" 'BEGIN { printf "%.1f\n", (a - b) / s }'
}

# cpu_ms_per_saga NAME: host CPU-ms per completed saga over run NAME's window (null when nothing completed).
cpu_ms_per_saga() {
    jq '(.target.windowCpuPercentOfOneCore // 0) as $cpu | .rates.completed as $done
        | if $done > 0 then ($cpu * 10 / $done * 1000 | round) / 1000 else null end' "$RESULTS/$1/report.json"
}

# run_load NAME LOAD-ARGS...: one load generator run against the running host; its report lands in $RESULTS/NAME.
run_load() {
    local name=$1; shift
    echo "$(cut -d' ' -f1-3 /proc/loadavg)" >"$RESULTS/$name.loadavg-before"
    "$LOAD" --target "$TARGET" --duration "$DURATION" --warmup "$WARMUP" --drain 30s --no-live \
        --metrics-url "$TARGET/metrics" --target-pid "$HOST_PID" --report "$RESULTS/$name" "$@" \
        >"$RESULTS/$name.load.log" 2>&1 || log "$name: load generator exit code $? (see $name.load.log)"
    echo "$(cut -d' ' -f1-3 /proc/loadavg)" >"$RESULTS/$name.loadavg-after"
    jq -r --arg n "$name" '"\($n): completed/s \(.rates.completed) | Kafka events/s \(.kafka.perSecond) (\(.kafka.source)) | server p50/p95/p99 \(.latency.server.p50//0|floor)/\(.latency.server.p95//0|floor)/\(.latency.server.p99//0|floor) ms | client p99 \(.latency.client.p99//0|floor) ms | failed \(.totals.failed) timed out \(.totals.timedOut) | host CPU \(.target.windowCpuPercentOfOneCore//0|floor)% VmHWM \(.target.peakRssMiB//0|floor) MiB"' \
        "$RESULTS/$name/report.json" | tee -a "$RESULTS/benchmark.log" >&2
}

# print_hops NAME [HOST-NAME]: each hop's p50 / p95 / p99 of the running host's (started as HOST-NAME, default NAME)
# recent sagas (scripts/bench/hops.py), into NAME.hops.txt.
print_hops() {
    local bootstrap
    bootstrap=$(grep -o 'Kafka bootstrap servers: [0-9.:,]*' "$RESULTS/${2:-$1}.host.log" | head -1 | awk '{print $4}')
    [[ -n $bootstrap ]] || return 0
    # 900 sagas: within the 1,000 records the embedded cluster keeps below its groups' commits (Kafka:EmbeddedLogTrim).
    # Asking kcat for more puts "-o -N" before the log start (and librdkafka then jumps to the end, or with
    # auto.offset.reset=earliest kcat did not reach the end within 60 s: not understood).
    python3 "$ROOT/scripts/bench/hops.py" "$bootstrap" "$TARGET" 900 200 >"$RESULTS/$1.hops.txt" 2>&1 || true
    tee -a "$RESULTS/benchmark.log" <"$RESULTS/$1.hops.txt" >&2
}

# Average bytes of a saga record (key + value + headers), read back from the embedded cluster with kcat.
measure_record_size() {
    local bootstrap
    bootstrap=$(grep -o 'Kafka bootstrap servers: [0-9.:,]*' "$RESULTS/$1.host.log" | head -1 | awk '{print $4}')
    [[ -n $bootstrap ]] || { echo 400; return; }
    for topic in user-create user-approve user-approve-response user-store user-store-response user-create-response; do
        timeout 20 kcat -C -b "$bootstrap" -t "$topic" -o beginning -c 300 -e -q -f '%K %S %h\n' 2>/dev/null || true
    done | awk '{ n++; s += $1 + $2 + length($3) } END { if (n) printf "%d\n", s / n; else print 400 }'
}

# ---- (b) in-memory state, maximum rate (closed loop), then half of it (open loop)
RECORD_BYTES=${BENCH_RECORD_BYTES:-422}
if want b; then
# (b) is the warm steady state. A fresh host on a saturated 2-core box runs tier-0 (unoptimised) JIT code at first: with
# 2,000 in flight its completions per second climbed for ~25 s (~350/s in its first 20 s, 850-950/s at the end of the
# window; bench-s3 at 062007f), so a 10 s warm-up mixed start-up into the figure. BENCH_B_WARMUP (40 s) runs the same
# closed loop, uncounted, until it is past that climb; the window then measures only the steady state.
B_WARMUP=${BENCH_B_WARMUP:-40s}
log "(b) user sagas, embedded Kafka, in-memory state, $CONCURRENCY in flight, ${DURATION} after ${B_WARMUP} warm-up"
start_host b-memory-max --Approval:Delay=00:00:00.200
WARMUP=$B_WARMUP run_load b-memory-max --concurrency "$CONCURRENCY"
RECORD_BYTES=$(measure_record_size b-memory-max)
# The half-rate run reuses this warm host: a fresh process at ~1,000 sagas/s first runs unoptimised (tier-0)
# code, falls behind and spends its warm-up and more draining that backlog, which is start-up, not latency.
want half || stop_host
fi
# Value + headers; SagaDemo.KafkaBench adds a 36-byte UUID key of its own.
BENCH_VALUE_BYTES=$(( RECORD_BYTES > 36 ? RECORD_BYTES - 36 : RECORD_BYTES ))
log "saga record size (key + value + headers, mean of the six user topics): ${RECORD_BYTES} B"

MAX_RATE=""
[[ -f $RESULTS/b-memory-max/report.json ]] && MAX_RATE=$(jq '.rates.completed' "$RESULTS/b-memory-max/report.json")
if want half && [[ -n ${BENCH_HALF_RATE:-}$MAX_RATE ]]; then
HALF_RATE=${BENCH_HALF_RATE:-$(jq -n --argjson m "$MAX_RATE" '[($m / 2 | floor), 1] | max')}
log "(b½) the same at half the maximum rate: open loop ${HALF_RATE}/s"
HALF_HOST=b-memory-max
[[ -n $HOST_PID ]] || { HALF_HOST=b-memory-half; start_host b-memory-half --Approval:Delay=00:00:00.200; }
run_load b-memory-half --rate "$HALF_RATE"
print_hops b-memory-half "$HALF_HOST"
stop_host
fi

# ---- (c) PostgreSQL state, maximum rate
PG_STATS_ARGS=""
[[ ${BENCH_PG_STATS:-0} == 1 ]] && PG_STATS_ARGS="-c shared_preload_libraries=pg_stat_statements -c pg_stat_statements.track=all"
pg_psql() { runuser -u postgres -- "$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -d sagademo -X "$@"; }
# CPU seconds (user + system) of every PostgreSQL process, from /proc (clock ticks of 1/100 s).
pg_cpu_seconds() {
    local total=0 pid
    for pid in $(pgrep -u postgres -f "$PG_ROOT" ; pgrep -u postgres -P "$(head -1 "$PG_ROOT/data/postmaster.pid")"); do
        [[ -r /proc/$pid/stat ]] && total=$(( total + $(awk '{print $14 + $15}' "/proc/$pid/stat") ))
    done
    awk -v t="$total" 'BEGIN { printf "%.1f", t / 100 }'
}
pg_stats_reset() {
    pg_psql -qc 'CREATE EXTENSION IF NOT EXISTS pg_stat_statements' -c 'SELECT pg_stat_statements_reset(), pg_stat_reset()' >/dev/null
    PG_CPU_BEFORE=$(pg_cpu_seconds)
}
pg_stats_report() {
    echo "PostgreSQL CPU during the run (warm-up, window, drain): $(awk -v a="$(pg_cpu_seconds)" -v b="$PG_CPU_BEFORE" 'BEGIN { printf "%.1f", a - b }') s"
    pg_psql -c "SELECT sum(calls) AS statements, round(sum(total_exec_time)::numeric / 1000, 1) AS exec_seconds FROM pg_stat_statements"
    pg_psql -c "SELECT calls, round(total_exec_time::numeric, 0) AS total_ms, round(mean_exec_time::numeric, 3) AS mean_ms,
        rows, left(regexp_replace(query, '\s+', ' ', 'g'), 150) AS query
        FROM pg_stat_statements ORDER BY calls DESC LIMIT 40"
    pg_psql -c "SELECT xact_commit, xact_rollback FROM pg_stat_database WHERE datname = 'sagademo'"
    # Updates that stayed HOT (no index entry written) against all updates, per table.
    pg_psql -c "SELECT schemaname || '.' || relname AS table, n_tup_ins, n_tup_upd, n_tup_hot_upd, n_tup_del
        FROM pg_stat_user_tables WHERE n_tup_upd + n_tup_ins > 0 ORDER BY n_tup_upd DESC, n_tup_ins DESC LIMIT 12"
}
if [[ $POSTGRES == 1 ]] && want c; then
    PG_BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
    PG_ROOT=$(mktemp -d /tmp/sagademo-bench-pg-XXXXXX)
    PG_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
    chown postgres:postgres "$PG_ROOT"
    log "(c) PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') throwaway cluster on 127.0.0.1:$PG_PORT"
    runuser -u postgres -- "$PG_BIN/initdb" -D "$PG_ROOT/data" -U postgres -A trust -E UTF8 --locale=C --no-sync >"$RESULTS/postgres-init.log" 2>&1
    # Same settings as the tests' throwaway cluster: fsync off (a benchmark box, not durable storage).
    runuser -u postgres -- "$PG_BIN/pg_ctl" start -D "$PG_ROOT/data" -l "$PG_ROOT/postgres.log" -w -t 30 \
        -o "-p $PG_PORT -h 127.0.0.1 -k $PG_ROOT -c fsync=off -c full_page_writes=off -c max_connections=300 -c shared_buffers=128MB $PG_STATS_ARGS" >/dev/null
    runuser -u postgres -- "$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -qc 'CREATE DATABASE sagademo' >/dev/null
    start_host c-postgres-max --Approval:Delay=00:00:00.200 \
        "--ConnectionStrings:Postgres=Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=sagademo;Maximum Pool Size=${BENCH_PG_POOL:-200}"
    [[ -n $PG_STATS_ARGS ]] && pg_stats_reset
    run_load c-postgres-max --concurrency "${BENCH_PG_CONCURRENCY:-$CONCURRENCY}"
    [[ -n $PG_STATS_ARGS ]] && pg_stats_report >"$RESULTS/c-postgres-statements.txt"
    stop_host
    cleanup
    PG_ROOT=""
fi

# ---- further parts (scripts/bench/<part>.sh), each with hosts of its own
for part in $RUNS; do
    case $part in a|b|half|c) continue ;; esac
    if [[ -f $ROOT/scripts/bench/$part.sh ]]; then
        log "part $part: scripts/bench/$part.sh"
        # shellcheck source=/dev/null
        source "$ROOT/scripts/bench/$part.sh"
        [[ -z $HOST_PID ]] || stop_host
    else
        log "part $part: no scripts/bench/$part.sh, skipped"
    fi
done

# ---- (a) the ceiling, run last so its process does not share the machine with a host
if want a; then
log "(a) ceiling: plain Confluent produce+consume loop on the mock cluster, $RECORDS records of ${BENCH_VALUE_BYTES} B + 36 B key, median of $CEILING_REPEATS runs after a warm-up run"
"$KAFKA_BENCH" "$RECORDS" "$BENCH_VALUE_BYTES" "$PARTITIONS" --repeat "$CEILING_REPEATS" --json >"$RESULTS/a-kafka-bench.json"
cat "$RESULTS/a-kafka-bench.json" | tee -a "$RESULTS/benchmark.log" >&2
fi
cut -d' ' -f1-3 /proc/loadavg >"$RESULTS/loadavg-end"

# ---- summary
python3 "$ROOT/scripts/bench/summary.py" "$RESULTS" "$DURATION" "$WARMUP" "$CONCURRENCY" "$RECORD_BYTES" "$PARTITIONS"
