# Part "burst" of scripts/benchmark.sh (issue 13): the issue's own burst. wrk (BENCH_BURST_THREADS 2, BENCH_BURST_CONNECTIONS
# 128, BENCH_BURST_DURATION 10s) POSTs valid user-creates {"name":"burst<n>"} as fast as the host answers, without
# retrying what is shed (burst.lua counts 202, 503 and anything else); burst-watch.py samples the host's operation
# counters until completions stop (quiet 10 s, BENCH_BURST_DRAIN 300 s at most). Goal, per state store
# (BENCH_BURST_STATES "memory postgres"; postgres also needs BENCH_POSTGRES=1): failed 0, never finished 0
# (accepted - completed - failed), goodput (completed from the burst's start to the last completion) >= 80 % of the
# closed-loop maximum ((b) / (c) of this run, else BENCH_MAX_RATE / BENCH_PG_MAX_RATE). The host is warmed first
# (warm_host, BENCH_OVERLOAD_WARMUP).
PART_NAME=burst
# shellcheck source=scripts/bench/overload-lib.sh
source "$ROOT/scripts/bench/overload-lib.sh"
command -v wrk >/dev/null || { log "burst: wrk is missing; run scripts/setup.sh"; return 0; }

# burst_run NAME MAX: one burst against the running host, then its verdict line and README row.
burst_run() {
    local name=$1 max=$2 stop=$RESULTS/$1.burst-over
    rm -f "$stop" "$stop.ready"
    echo "$(cut -d' ' -f1-3 /proc/loadavg)" >"$RESULTS/$name.loadavg-before"
    python3 "$ROOT/scripts/bench/burst-watch.py" "$TARGET/metrics" "$stop" "$RESULTS/$name.counts.json" 10 \
        "${BENCH_BURST_DRAIN:-300}" &
    local watch=$!
    for _ in $(seq 100); do [[ -f $stop.ready ]] && break; sleep 0.1; done
    wrk -t"${BENCH_BURST_THREADS:-2}" -c"${BENCH_BURST_CONNECTIONS:-128}" -d"${BENCH_BURST_DURATION:-10s}" \
        -s "$ROOT/scripts/bench/burst.lua" "$TARGET/operations/user-create" >"$RESULTS/$name.wrk.txt" 2>&1 ||
        log "$name: wrk exit code $? (see $name.wrk.txt)"
    touch "$stop"
    wait "$watch" || log "$name: burst-watch.py exit code $?"
    echo "$(cut -d' ' -f1-3 /proc/loadavg)" >"$RESULTS/$name.loadavg-after"
    python3 - "$RESULTS" "$name" "$max" <<'PY' | while IFS=$'\t' read -r kind text value; do
import json, os, re, sys
results, name, peak = sys.argv[1], sys.argv[2], float(sys.argv[3])
wrk = open(os.path.join(results, f"{name}.wrk.txt")).read()
m = re.search(r"BURST accepted=(\d+) shed=(\d+) other=(\d+) errors=(\d+) requests=(\d+)", wrk)
if not m:
    print(f"line\t{name}: no wrk result (see {name}.wrk.txt)\t"); sys.exit()
accepted, shed, other, errors, requests = map(int, m.groups())
counts = json.load(open(os.path.join(results, f"{name}.counts.json")))
last = counts["samples"][-1]
completed, failed, created = int(last["completed"]), int(last["failed"]), int(last["created"])
never = accepted - completed - failed
span = counts["lastChangeSecond"]
goodput = completed / span if span > 0 else 0
share = goodput / peak * 100 if peak > 0 else 0
met = "met" if share >= 80 and failed == 0 and never == 0 and other == 0 else "MISSED"
load = " -> ".join(open(os.path.join(results, f"{name}.loadavg-{w}")).read().strip() for w in ("before", "after"))
print(f"line\t{name}: wrk {requests} answered in {counts['burstSeconds']:.0f} s | accepted {accepted} (host counted {created}) "
      f"shed {shed} other {other} socket errors {errors} | completed {completed} failed {failed} never finished {never} | "
      f"goodput {goodput:.0f}/s over {span:.0f} s = {share:.0f} % of max {peak:.0f}/s (goal >= 80 %: {met}) | load average {load}\t")
print(f"row\t{name}: goodput / max, failed, never finished\t{share:.0f} % of {peak:.0f}/s, {failed}, {never}")
PY
        if [[ $kind == line ]]; then part_line "$text"; else part_row "$text" "$value" ">= 80 %, 0, 0"; fi
    done
}

burst_part() {
    local max pg_max
    if [[ " ${BENCH_BURST_STATES:-memory postgres} " == *" memory "* ]]; then
        max=$(max_rate_of b-memory-max "${BENCH_MAX_RATE:-2000}")
        log "(burst) embedded, in-memory state: wrk -t${BENCH_BURST_THREADS:-2} -c${BENCH_BURST_CONNECTIONS:-128} -d${BENCH_BURST_DURATION:-10s} user-creates"
        start_host burst-memory --Approval:Delay=00:00:00.200
        warm_host burst-memory
        burst_run burst-memory "$max"
        stop_host
    fi
    [[ $POSTGRES == 1 && " ${BENCH_BURST_STATES:-memory postgres} " == *" postgres "* ]] || return 0
    pg_max=$(max_rate_of c-postgres-max "${BENCH_PG_MAX_RATE:-200}")
    log "(burst) embedded Kafka, PostgreSQL state: wrk -t${BENCH_BURST_THREADS:-2} -c${BENCH_BURST_CONNECTIONS:-128} -d${BENCH_BURST_DURATION:-10s} user-creates"
    overload_start_postgres
    start_host burst-postgres --Approval:Delay=00:00:00.200 "$PG_CONNECTION"
    warm_host burst-postgres
    burst_run burst-postgres "$pg_max"
    stop_host
    overload_stop_postgres
}

burst_part
part_json
