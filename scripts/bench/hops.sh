# Part "hops" of scripts/benchmark.sh (issue 16 item 2): where a saga's time goes at a low rate, the latency floor.
# A fresh in-memory host takes BENCH_HOPS_RATE sagas/s (open loop, default 50) for the usual window; then
# scripts/bench/hops.py prints each Kafka hop's p50 / p95 / p99 from the records' timestamps (hops-<rate>.txt).
HOPS_RATE=${BENCH_HOPS_RATE:-50}
start_host hops-$HOPS_RATE --Approval:Delay=00:00:00.200
run_load hops-$HOPS_RATE --rate "$HOPS_RATE"
print_hops hops-$HOPS_RATE
stop_host
jq -n --arg rate "$HOPS_RATE" --rawfile hops "$RESULTS/hops-$HOPS_RATE.hops.txt" \
    '{rate: ($rate | tonumber), lines: (["hops at \($rate) sagas/s:"] + ($hops | rtrimstr("\n") | split("\n")))}' >"$RESULTS/part-hops.json"
