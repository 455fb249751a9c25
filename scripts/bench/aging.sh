# Part "aging" of scripts/benchmark.sh (issues 16 and 13): does the in-memory host get slower the more it has processed?
# librdkafka's mock broker keeps up to 100,000 message sets per partition and finds a fetch's offset by walking that list
# from the oldest, so without trimming (Kafka:EmbeddedLogTrim) every fetch costs more as the log fills. One host, measured
# fresh and again after at least BENCH_AGING_SAGAS (default 100,000) sagas of closed-loop load, in runs of 60 s:
#   idle CPU (% of one core, BENCH_AGING_IDLE, default 20 s, from /proc/<pid>/stat), then host CPU-ms per saga at a fixed
#   open-loop rate (BENCH_AGING_RATE, default 300/s, 30 s after 20 s of warm-up). BENCH_AGING_PERF=1 also records a perf
#   profile of each fixed-rate window (aging-<phase>.perf.txt, top symbols; needs perf).
AGING_RATE=${BENCH_AGING_RATE:-300}
AGING_SAGAS=${BENCH_AGING_SAGAS:-100000}
AGING_IDLE=${BENCH_AGING_IDLE:-20}

completed_sagas() { curl -sf "$TARGET/metrics" | awk '/^sagademo_operations_completed_total/ { s += $2 } END { printf "%d\n", s }'; }
fixed_rate_phase() {
    local phase=$1 perf_pid=""
    if [[ ${BENCH_AGING_PERF:-0} == 1 ]]; then
        # Starts 25 s in: after the 20 s warm-up, 20 s of samples inside the 30 s window.
        (sleep 25; perf record -F 499 -g -p "$HOST_PID" -o "$RESULTS/aging-$phase.perf.data" -- sleep 20 >/dev/null 2>&1) &
        perf_pid=$!
    fi
    DURATION=30s WARMUP=20s run_load "aging-$phase" --rate "$AGING_RATE"
    if [[ -n $perf_pid ]]; then
        wait "$perf_pid" || true
        perf report -i "$RESULTS/aging-$phase.perf.data" --no-children --sort dso,sym --stdio 2>/dev/null \
            | grep -v '^#' | grep -v '^$' | head -40 >"$RESULTS/aging-$phase.perf.txt" || true
    fi
    cpu_ms_per_saga "aging-$phase"
}

start_host aging --Approval:Delay=00:00:00.200
AGING_IDLE_FRESH=$(host_idle_cpu_percent "$AGING_IDLE")
log "aging: fresh host idle CPU ${AGING_IDLE_FRESH} % of one core"
AGING_MS_FRESH=$(fixed_rate_phase fresh)
log "aging: fresh host ${AGING_MS_FRESH} ms CPU per saga at ${AGING_RATE}/s"
for fill in 1 2 3 4 5 6 7 8; do
    DURATION=60s WARMUP=0s run_load "aging-fill-$fill" --concurrency "$CONCURRENCY"
    AGING_DONE=$(completed_sagas)
    (( AGING_DONE >= AGING_SAGAS )) && break
done
AGING_IDLE_AGED=$(host_idle_cpu_percent "$AGING_IDLE")
log "aging: after ${AGING_DONE} sagas idle CPU ${AGING_IDLE_AGED} % of one core"
AGING_MS_AGED=$(fixed_rate_phase aged)
log "aging: after ${AGING_DONE} sagas ${AGING_MS_AGED} ms CPU per saga at ${AGING_RATE}/s"
stop_host
jq -n --argjson rate "$AGING_RATE" --argjson done "$AGING_DONE" --argjson idleFresh "$AGING_IDLE_FRESH" \
    --argjson idleAged "$AGING_IDLE_AGED" --argjson msFresh "$AGING_MS_FRESH" --argjson msAged "$AGING_MS_AGED" \
    '{rate: $rate, sagasBeforeAged: $done, idleCpuPercentFresh: $idleFresh, idleCpuPercentAged: $idleAged,
      cpuMsPerSagaFresh: $msFresh, cpuMsPerSagaAged: $msAged,
      lines: ["aging at \($rate) sagas/s: host CPU per saga \($msFresh) ms fresh, \($msAged) ms after \($done) sagas; idle CPU \($idleFresh) % -> \($idleAged) % of one core"],
      readmeRows: [["host CPU per saga at \($rate)/s, fresh / after \($done) sagas", "\($msFresh) / \($msAged) ms", "flat"]]}' \
    >"$RESULTS/part-aging.json"
