# Part "cpu" of scripts/benchmark.sh (issue 16): host CPU per saga at a fixed open-loop rate, a figure that resists the
# noise of a shared machine better than a maximum rate, for A/B pairs of builds (BENCH_HOST_DIR). A fresh in-memory host
# settles for 5 s after its priming saga, sits idle for BENCH_CPU_IDLE seconds (default 10; its idle floor: consumers
# fetching, timers), then takes BENCH_CPU_RATE sagas/s (default 200) for the usual warm-up and window. CPU ms/saga =
# the host's CPU over the window / completed. It is not proportional to the rate (per-hop fixed costs amortise as the
# rate rises: 1745449 used 5.1 ms at 200/s, 2.4 ms at 500/s), so compare builds at the same rate only.
CPU_RATE=${BENCH_CPU_RATE:-200}
CPU_IDLE=${BENCH_CPU_IDLE:-10}
start_host cpu-$CPU_RATE --Approval:Delay=00:00:00.200
sleep 5 # the end of start-up (group joins, JIT of the priming saga) is not the idle floor
CPU_IDLE_PERCENT=$(host_idle_cpu_percent "$CPU_IDLE")
run_load cpu-$CPU_RATE --rate "$CPU_RATE"
stop_host
jq --arg rate "$CPU_RATE" --argjson idle "$CPU_IDLE_PERCENT" --argjson msPerSaga "$(cpu_ms_per_saga "cpu-$CPU_RATE")" '
    {rate: ($rate | tonumber), completedPerSecond: .rates.completed, hostCpuPercent: (.target.windowCpuPercentOfOneCore // 0),
       idleCpuPercent: $idle, cpuMsPerSaga: $msPerSaga,
       serverP50: (.latency.server.p50 // 0 | floor), serverP99: (.latency.server.p99 // 0 | floor)}
    | . + {lines: ["cpu at \(.rate) sagas/s: \(.cpuMsPerSaga) ms host CPU per saga (\(.hostCpuPercent | floor) % of one core, idle floor \(.idleCpuPercent) %), server p50/p99 \(.serverP50)/\(.serverP99) ms"]}' \
    "$RESULTS/cpu-$CPU_RATE/report.json" >"$RESULTS/part-cpu.json"
