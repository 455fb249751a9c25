# What the parts "overload" and "soak" of scripts/benchmark.sh (scripts/bench/overload.sh and soak.sh, issue 13) share;
# sourced by them. They use benchmark.sh's start_host, stop_host, log, $LOAD, $TARGET, $RESULTS and $HOST_PID. Each
# run's report lands in $RESULTS/<name>/; each verdict becomes a line and a README row of the part
# ($RESULTS/part-<part>.json, written by part_json).
#   overload: an open-loop burst of user-creates at 2x and 5x the measured maximum for BENCH_OVERLOAD_DURATION (30s),
#             from a client that honours Retry-After, then until every accepted create finished (BENCH_OVERLOAD_DRAIN,
#             300s at most), on a host warmed by BENCH_OVERLOAD_WARMUP (20s) of closed-loop load (warm_host);
#             embedded state, and PostgreSQL state when BENCH_POSTGRES=1. Goal: never finished 0,
#             failed 0, goodput (completed per second from the burst's start to the last completion) >= 80 % of the max.
#   soak:     half the maximum rate for BENCH_SOAK_DURATION (10m), on a host warmed as above (a cold one fell behind
#             in its first minute on a busy machine and carried that backlog into the baseline), with Retention:Period
#             BENCH_SOAK_RETENTION (40 s, pruned every 10 s) and Users:InMemoryCapacity BENCH_SOAK_USERS (20,000), so
#             what is retained and the embedded user store are full before the first minute, the baseline of the growth
#             (at the default 100,000 users the store fills for ~3.5 minutes at 479/s):
#             the host's RSS after the first minute grows < 10 %; with PostgreSQL, its table sizes (sampled every
#             30 s into soak-postgres.tables.tsv) stop growing once rows older than the retention are pruned.
# BENCH_OVERLOAD_STATES / BENCH_SOAK_STATES ("memory postgres") pick the state stores (postgres also needs BENCH_POSTGRES=1).
# The maximum is (b)'s completed/s when (b) ran in this run, else BENCH_MAX_RATE (2000); for PostgreSQL (c)'s, else
# BENCH_PG_MAX_RATE (200).

# The part being run: its verdict lines and README rows collect in $RESULTS/part-<part>.{lines,rows}.
PART_NAME=${PART_NAME:-overload}
part_line() { printf '%s\n' "$1" | tee -a "$RESULTS/part-$PART_NAME.lines" "$RESULTS/benchmark.log" >&2; }
part_row() { printf '%s\t%s\t%s\n' "$1" "$2" "$3" >>"$RESULTS/part-$PART_NAME.rows"; }
# Writes $RESULTS/part-<part>.json from the collected lines and rows (the summary and the README table read it).
part_json() {
    python3 - "$RESULTS" "$PART_NAME" <<'PY'
import json, os, sys
results, name = sys.argv[1:3]
read = lambda ext: [l.rstrip("\n") for l in open(os.path.join(results, f"part-{name}.{ext}"))] \
    if os.path.exists(os.path.join(results, f"part-{name}.{ext}")) else []
part = {"lines": read("lines"), "readmeRows": [r.split("\t") for r in read("rows")]}
tables = os.path.join(results, f"{name}.tables.json")   # the soak's table sizes (soak_tables_verdict)
if os.path.exists(tables):
    part["tables"] = json.load(open(tables))
rss = {f[:-len(".rss.json")]: json.load(open(os.path.join(results, f)))   # the soak's RSS figures (soak_rss_verdict)
       for f in sorted(os.listdir(results)) if f.startswith(f"{name}-") and f.endswith(".rss.json")}
if rss:
    part["rss"] = rss
json.dump(part, open(os.path.join(results, f"part-{name}.json"), "w"), indent=2)
PY
}

max_rate_of() { # REPORT-NAME FALLBACK
    local f=$RESULTS/$1/report.json
    if [[ -f $f ]]; then jq '.rates.completed | floor' "$f"; else echo "$2"; fi
}

# Throwaway PostgreSQL 15 cluster (fsync off) on a free loopback port: sets PG_ROOT, PG_PORT, PG_BIN, PG_CONNECTION.
overload_start_postgres() {
    PG_BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
    PG_ROOT=$(mktemp -d /tmp/sagademo-bench-pg-XXXXXX)
    PG_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
    chown postgres:postgres "$PG_ROOT"
    runuser -u postgres -- "$PG_BIN/initdb" -D "$PG_ROOT/data" -U postgres -A trust -E UTF8 --locale=C --no-sync >/dev/null 2>&1
    runuser -u postgres -- "$PG_BIN/pg_ctl" start -D "$PG_ROOT/data" -l "$PG_ROOT/postgres.log" -w -t 30 \
        -o "-p $PG_PORT -h 127.0.0.1 -k $PG_ROOT -c fsync=off -c full_page_writes=off -c max_connections=300" >/dev/null
    runuser -u postgres -- "$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -qc 'CREATE DATABASE sagademo' >/dev/null
    PG_CONNECTION="--ConnectionStrings:Postgres=Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=sagademo;Maximum Pool Size=${BENCH_PG_POOL:-200}"
}

overload_stop_postgres() {
    runuser -u postgres -- "$PG_BIN/pg_ctl" stop -D "$PG_ROOT/data" -m immediate -w >/dev/null 2>&1 || true
    rm -rf "$PG_ROOT"
    PG_ROOT=""
}

# warm_host NAME: BENCH_OVERLOAD_WARMUP (20s; 0s skips it) of closed-loop user-creates (500 in flight) before a
# measured burst, then until they finished. A fresh process runs its first seconds on tier-0 JIT code while the JIT
# compiles (a fifth of the CPU samples of a cold burst were the JIT); the closed-loop maximum the burst is compared
# with is measured after a warm-up too, so without one the burst's first 20 s ran at half the rate of the maximum.
warm_host() {
    [[ ${BENCH_OVERLOAD_WARMUP:-20s} =~ ^0+[a-z]*$ ]] && return 0
    "$LOAD" --target "$TARGET" --concurrency 500 --duration "${BENCH_OVERLOAD_WARMUP:-20s}" --warmup 0s --drain 60s \
        --mix user=100 --no-live --report "$RESULTS/$1.warmup" >"$RESULTS/$1.warmup.log" 2>&1 ||
        log "$1: warm-up exit code $? (see $1.warmup.log)"
}

# open_loop NAME RATE DURATION DRAIN: one open-loop run of user-creates whose client honours Retry-After.
open_loop() {
    local name=$1 rate=$2 duration=$3 drain=$4
    echo "$(cut -d' ' -f1-3 /proc/loadavg)" >"$RESULTS/$name.loadavg-before"
    "$LOAD" --target "$TARGET" --rate "$rate" --duration "$duration" --warmup 0s --drain "$drain" --mix user=100 \
        --no-live --metrics-url "$TARGET/metrics" --target-pid "$HOST_PID" --max-in-flight 1000000 \
        --report "$RESULTS/$name" >"$RESULTS/$name.load.log" 2>&1 || log "$name: load generator exit code $? (see $name.load.log)"
    echo "$(cut -d' ' -f1-3 /proc/loadavg)" >"$RESULTS/$name.loadavg-after"
}

# overload_verdict NAME MAX: one summary line with the goal's figures.
overload_verdict() {
    [[ -f $RESULTS/$1/report.json ]] || { log "$1: no report (see $1.load.log)"; return 0; }
    jq -r --arg n "$1" --argjson max "$2" --arg load "$(cat "$RESULTS/$1.loadavg-before") -> $(cat "$RESULTS/$1.loadavg-after")" '
        (.rates.goodput // 0) as $g |
        "\($n): open loop \(.run.rate)/s for \(.run.windowSeconds|floor) s | sent \(.totals.sent) accepted \(.totals.accepted) shed answers \(.totals.shed) rejected \(.totals.rejected) | completed \(.totals.completed) failed \(.totals.failed) never finished \(.totals.timedOut) | goodput \($g|floor)/s over \(.rates.goodputSeconds // 0|floor) s = \(if $max > 0 then ($g / $max * 100 | floor) else 0 end) % of max \($max)/s (goal >= 80 %: \(if $max > 0 and $g / $max >= 0.8 and .totals.failed == 0 and .totals.timedOut == 0 and .totals.rejected == 0 then "met" else "MISSED" end)) | client p99 \(.latency.client.p99 // 0 | floor) ms | host VmHWM \(.target.peakRssMiB // 0 | floor) MiB | load average \($load)"' \
        "$RESULTS/$1/report.json" | while IFS= read -r line; do part_line "$line"; done
    part_row "$1: goodput / max, failed, never finished" "$(jq -r --argjson max "$2" \
        '"\((.rates.goodput // 0) / $max * 100 | floor) % of \($max)/s, \(.totals.failed), \(.totals.timedOut)"' "$RESULTS/$1/report.json")" \
        ">= 80 %, 0, 0"
}

overload_part() {
    local max pg_max factor
    max=$(max_rate_of b-memory-max "${BENCH_MAX_RATE:-2000}")
    [[ " ${BENCH_OVERLOAD_STATES:-memory postgres} " == *" memory "* ]] &&
    for factor in ${BENCH_OVERLOAD_FACTORS:-2 5}; do
        log "(overload) embedded, in-memory state: ${factor}x the max ($max/s) for ${BENCH_OVERLOAD_DURATION:-30s}"
        start_host "overload-memory-${factor}x" --Approval:Delay=00:00:00.200
        warm_host "overload-memory-${factor}x"
        open_loop "overload-memory-${factor}x" $(( max * factor )) "${BENCH_OVERLOAD_DURATION:-30s}" "${BENCH_OVERLOAD_DRAIN:-300s}"
        stop_host
        overload_verdict "overload-memory-${factor}x" "$max"
    done
    [[ $POSTGRES == 1 && " ${BENCH_OVERLOAD_STATES:-memory postgres} " == *" postgres "* ]] || return 0
    pg_max=$(max_rate_of c-postgres-max "${BENCH_PG_MAX_RATE:-200}")
    for factor in ${BENCH_OVERLOAD_FACTORS:-2 5}; do
        log "(overload) embedded Kafka, PostgreSQL state: ${factor}x the max ($pg_max/s) for ${BENCH_OVERLOAD_DURATION:-30s}"
        overload_start_postgres
        start_host "overload-postgres-${factor}x" --Approval:Delay=00:00:00.200 "$PG_CONNECTION"
        warm_host "overload-postgres-${factor}x"
        open_loop "overload-postgres-${factor}x" $(( pg_max * factor )) "${BENCH_OVERLOAD_DURATION:-30s}" "${BENCH_OVERLOAD_DRAIN:-300s}"
        stop_host
        overload_stop_postgres
        overload_verdict "overload-postgres-${factor}x" "$pg_max"
    done
}

# RSS growth after the first minute, from the report's per-second VmRSS (scripts/bench/soak-rss.py): like with like,
# the lowest and the highest of the second minute against those of the last minute (RSS saws up and down with the GC's
# cycles), the larger of the two against the goal; the trend of the per-minute lows and highs (least squares, MiB a
# minute); and the former figure, the lowest RSS at 60-70 s against the highest after it (the swing included).
soak_rss_verdict() {
    [[ -f $RESULTS/$1/report.json ]] || { log "$1: no report (see $1.load.log)"; return 0; }
    rm -f "$RESULTS/$1.rss.json"
    python3 "$ROOT/scripts/bench/soak-rss.py" "$1" "$RESULTS/$1/report.json" "$RESULTS/$1.rss.json" |
        while IFS= read -r line; do part_line "$line"; done
    [[ -f $RESULTS/$1.rss.json ]] || return 0
    part_row "$1: RSS growth after the first minute (same GC phase: lows, highs)" \
        "$(jq -r '"\(.troughGrowthPercent) %, \(.crestGrowthPercent) %"' "$RESULTS/$1.rss.json")" "< 10 %"
    part_row "$1: lowest RSS at 60-70 s to the highest after (the GC's swing included)" \
        "$(jq -r '.troughToCrestPercent | "\(.) %"' "$RESULTS/$1.rss.json")" ""
}

# Every 30 s: live and dead rows and bytes (with indexes and TOAST) of every table of the database, until the host stops.
soak_sample_tables() {
    local out=$1
    printf 'time\ttable\tlive_rows\tdead_rows\tbytes\n' >"$out"
    while kill -0 "$HOST_PID" 2>/dev/null; do
        runuser -u postgres -- "$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -d sagademo -XAt -F $'\t' -c \
            "SELECT to_char(now(), 'HH24:MI:SS'), schemaname || '.' || relname, n_live_tup, n_dead_tup, pg_total_relation_size(relid)
             FROM pg_stat_user_tables ORDER BY 2" >>"$out" 2>/dev/null || true
        sleep 30
    done
}

# Table sizes once the retention has run twice against the end, apart for the tables retention prunes (or the relay
# empties) and for business data, which is kept by design (users, payments, stock, statistics) and grows with the work
# done. The verdict is on the first group; every table's figures go to $RESULTS/soak.tables.json (the summary's
# parts.soak.tables).
soak_tables_verdict() {
    python3 - "$1" "$2" "$RESULTS/$PART_NAME.tables.json" <<'PY' | while IFS= read -r line; do part_line "$line"; done
import sys, collections, json, re
path, retention_s, out = sys.argv[1], float(sys.argv[2]), sys.argv[3]
rows = [l.rstrip("\n").split("\t") for l in open(path)][1:]
samples = collections.OrderedDict()
for t, table, live, dead, size in rows:
    samples.setdefault(t, {})[table] = (int(live or 0), int(dead or 0), int(size or 0))
times = list(samples)
if len(times) < 4:
    print(f"soak-postgres tables: too few samples ({len(times)})"); sys.exit()
settled = max(1, int(2 * retention_s / 30))   # samples are 30 s apart
if settled >= len(times) - 1:
    print(f"soak-postgres tables: the run is shorter than twice the retention; {len(times)} samples"); sys.exit()
pruned = lambda table: re.search(r"\.(inbox|outbox|outbox_parked|operations|.*saga.*)$", table) is not None
at = lambda t, table: samples[t].get(table, (0, 0, 0))
tables = sorted({table for s in samples.values() for table in s})
# The base is the larger of two samples after 2x retention: pruning runs every 10 s, so one sample may fall just before it.
base_t = max(times[settled:settled + 2], key=lambda t: sum(at(t, x)[2] for x in tables if pruned(x)))
minutes = (len(times) - 1 - times.index(base_t)) * 0.5
report = {table: {"pruned": pruned(table), "bytesAfter2xRetention": at(base_t, table)[2], "bytesAtEnd": at(times[-1], table)[2],
                  "liveRowsAtEnd": at(times[-1], table)[0], "deadRowsAtEnd": at(times[-1], table)[1],
                  "peakBytes": max(at(t, table)[2] for t in times[settled:])} for table in tables}
json.dump({"samples": len(times), "secondsBetween": 30, "tables": report}, open(out, "w"), indent=2)
total = lambda kind, key: sum(v[key] for v in report.values() if v["pruned"] == kind)
base, end, peak = total(True, "bytesAfter2xRetention"), total(True, "bytesAtEnd"), total(True, "peakBytes")
kept = sorted(((t, v) for t, v in report.items() if not v["pruned"]), key=lambda kv: -kv[1]["bytesAtEnd"])[:3]
print(f"soak-postgres tables: {len(times)} samples; pruned tables {base // 1024} KiB after 2x retention, peak {peak // 1024} KiB, "
      f"{end // 1024} KiB at the end: growth {int((end - base) / base * 1000) / 10} % (bounded: {'met' if peak <= base * 1.25 else 'MISSED'}); "
      + ", ".join(f"{t} {v['liveRowsAtEnd']} rows ({v['deadRowsAtEnd']} dead) {v['bytesAtEnd'] // 1024} KiB"
                  for t, v in sorted(((t, v) for t, v in report.items() if v["pruned"]), key=lambda kv: -kv[1]["bytesAtEnd"])[:4]))
print(f"soak-postgres business data (kept by design): {(total(False, 'bytesAtEnd') - total(False, 'bytesAfter2xRetention')) / minutes / 1024:.0f} KiB "
      f"a minute over the last {minutes:g} min; " + ", ".join(f"{t} {v['liveRowsAtEnd']} rows {v['bytesAtEnd'] // 1024} KiB" for t, v in kept))
PY
    part_row "soak-postgres: pruned tables' growth after 2x retention" "$(jq -r '[.tables[] | select(.pruned)] |
        ((map(.bytesAtEnd) | add) - (map(.bytesAfter2xRetention) | add)) / (map(.bytesAfter2xRetention) | add) * 1000 | floor / 10 | "\(.) %"' \
        "$RESULTS/$PART_NAME.tables.json" 2>/dev/null || echo "not measured")" "bounded"
}

soak_part() {
    local max pg_max retention=${BENCH_SOAK_RETENTION:-00:00:40} retention_s
    retention_s=$(python3 -c "h,m,s='$retention'.split(':'); print(int(h)*3600+int(m)*60+float(s))")
    local retention_args=(--Retention:Period="$retention" --Retention:CheckInterval=00:00:10
        --Users:InMemoryCapacity="${BENCH_SOAK_USERS:-20000}")
    max=$(max_rate_of b-memory-max "${BENCH_MAX_RATE:-2000}")
    if [[ " ${BENCH_SOAK_STATES:-memory postgres} " == *" memory "* ]]; then
    log "(soak) embedded, in-memory state: $(( max / 2 ))/s for ${BENCH_SOAK_DURATION:-10m}, Retention:Period $retention, Users:InMemoryCapacity ${BENCH_SOAK_USERS:-20000}"
    start_host soak-memory --Approval:Delay=00:00:00.200 "${retention_args[@]}"
    warm_host soak-memory
    open_loop soak-memory $(( max / 2 )) "${BENCH_SOAK_DURATION:-10m}" 60s
    stop_host
    soak_rss_verdict soak-memory
    fi
    [[ $POSTGRES == 1 && " ${BENCH_SOAK_STATES:-memory postgres} " == *" postgres "* ]] || return 0
    pg_max=$(max_rate_of c-postgres-max "${BENCH_PG_MAX_RATE:-200}")
    log "(soak) embedded Kafka, PostgreSQL state: $(( pg_max / 2 ))/s for ${BENCH_SOAK_DURATION:-10m}, Retention:Period $retention"
    overload_start_postgres
    start_host soak-postgres --Approval:Delay=00:00:00.200 "${retention_args[@]}" "$PG_CONNECTION"
    warm_host soak-postgres
    soak_sample_tables "$RESULTS/soak-postgres.tables.tsv" &
    open_loop soak-postgres $(( pg_max / 2 )) "${BENCH_SOAK_DURATION:-10m}" 60s
    stop_host
    wait
    overload_stop_postgres
    soak_rss_verdict soak-postgres
    soak_tables_verdict "$RESULTS/soak-postgres.tables.tsv" "$retention_s"
}

