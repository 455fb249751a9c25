# Part "latency" of scripts/benchmark.sh (issue 16): p99 POST->completed minus the 200 ms approval as the rate rises,
# with the CPU it costs, to tell how far the 100 ms goal holds and what ends it. One in-memory host, warmed by
# BENCH_LATENCY_WARMUP (default 40 s) of closed-loop load like (b)'s (a fresh host runs unoptimised code), its idle CPU
# measured (10 s), then one open-loop run per rate of BENCH_LATENCY_RATES (default "100 200 300 400 half", in that
# order; "half" is half of (b)'s rate, left out when (b) did not run), each the usual warm-up and window. Per rate:
# completed/s, server p50 / p95 / p99 minus the delay, the host's and the load generator's CPU (% of one core; the machine
# has nproc x 100), host CPU ms per saga, and each Kafka hop's p50 / p95 / p99 (scripts/bench/hops.py).
LATENCY_DELAY_MS=200
LATENCY_RATES=${BENCH_LATENCY_RATES:-100 200 300 400 half}
LATENCY_WARMUP=${BENCH_LATENCY_WARMUP:-40s}

start_host latency --Approval:Delay=00:00:00.200
log "latency: warming the host, ${LATENCY_WARMUP} closed loop at $CONCURRENCY in flight"
DURATION=$LATENCY_WARMUP WARMUP=0s run_load latency-warmup --concurrency "$CONCURRENCY"
LATENCY_IDLE=$(host_idle_cpu_percent 10)
log "latency: warm host idle CPU ${LATENCY_IDLE} % of one core"
LATENCY_RUNS=()
for rate in $LATENCY_RATES; do
    if [[ $rate == half ]]; then
        [[ -n $MAX_RATE ]] || { log "latency: no (b) rate, half left out"; continue; }
        rate=$(jq -n --argjson m "$MAX_RATE" '[($m / 2 | floor), 1] | max')
    fi
    run_load "latency-$rate" --rate "$rate"
    print_hops "latency-$rate" latency   # which hop the tail comes from (latency-<rate>.hops.txt)
    LATENCY_RUNS+=("latency-$rate")
done
stop_host

# One object per rate, then the part: the highest rate whose p99 - delay meets the goal, and one README row per rate.
for run in "${LATENCY_RUNS[@]}"; do
    jq --argjson delay "$LATENCY_DELAY_MS" --argjson msPerSaga "$(cpu_ms_per_saga "$run")" '
        {rate: .run.rate, completedPerSecond: .rates.completed, failed: .totals.failed,
         p50: ((.latency.server.p50 // 0) - $delay | round), p95: ((.latency.server.p95 // 0) - $delay | round),
         p99: ((.latency.server.p99 // 0) - $delay | round),
         hostCpuPercent: (.target.windowCpuPercentOfOneCore // 0 | round),
         generatorCpuPercent: (.generator.windowCpuPercentOfOneCore // 0 | round), cpuMsPerSaga: $msPerSaga}' \
        "$RESULTS/$run/report.json"
done | jq -s --argjson idle "$LATENCY_IDLE" --argjson cores "$(nproc)" '
    ([.[] | select(.p99 <= 100 and .failed == 0) | .rate] | max) as $met
    | {idleCpuPercent: $idle, cores: $cores, rates: ., highestRateMeetingGoal: $met,
       lines: (["latency: warm host idle \($idle) % of one core; per open-loop rate, p50 / p95 / p99 minus the 200 ms delay, host + load generator CPU (of \($cores * 100) %), host CPU per saga:"]
           + [.[] | "  \(.rate)/s: completed \(.completedPerSecond)/s, \(.p50) / \(.p95) / \(.p99) ms, CPU \(.hostCpuPercent) + \(.generatorCpuPercent) %, \(.cpuMsPerSaga) ms/saga"]),
       readmeRows: ([.[] | ["p99 − 200 ms at \(.rate)/s open loop (p50 / p95; host + generator CPU of \($cores * 100) %)",
                            "\(.p99) ms (\(.p50) / \(.p95) ms; \(.hostCpuPercent) + \(.generatorCpuPercent) %)",
                            (if .p99 <= 100 then "<= 100 ms: met" else "<= 100 ms: **missed**" end)]])}' \
    >"$RESULTS/part-latency.json"
