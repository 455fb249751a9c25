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
# utime + stime of the host in clock ticks (100 per second on Linux), fields 14 and 15 of /proc/<pid>/stat
idle_before=$(awk '{print $14 + $15}' "/proc/$HOST_PID/stat")
sleep "$CPU_IDLE"
idle_after=$(awk '{print $14 + $15}' "/proc/$HOST_PID/stat")
run_load cpu-$CPU_RATE --rate "$CPU_RATE"
stop_host
jq --arg rate "$CPU_RATE" --argjson idle "$(( (idle_after - idle_before) / CPU_IDLE ))" '
    (.target.windowCpuPercentOfOneCore // 0) as $cpu | .rates.completed as $done
    | {rate: ($rate | tonumber), completedPerSecond: $done, hostCpuPercent: $cpu, idleCpuPercent: $idle,
       cpuMsPerSaga: (if $done > 0 then ($cpu * 10 / $done * 1000 | round) / 1000 else null end),
       serverP50: (.latency.server.p50 // 0 | floor), serverP99: (.latency.server.p99 // 0 | floor)}
    | . + {lines: ["cpu at \(.rate) sagas/s: \(.cpuMsPerSaga) ms host CPU per saga (\(.hostCpuPercent | floor) % of one core, idle floor \(.idleCpuPercent) %), server p50/p99 \(.serverP50)/\(.serverP99) ms"]}' \
    "$RESULTS/cpu-$CPU_RATE/report.json" >"$RESULTS/part-cpu.json"
