#!/usr/bin/env python3
"""Writes summary.json and summary.txt of one scripts/benchmark.sh run from the reports in its results directory.
Usage: summary.py RESULTS DURATION WARMUP CONCURRENCY RECORD_BYTES PARTITIONS"""
import glob, json, os, sys, subprocess
results, duration, warmup, concurrency, record_bytes, partitions = sys.argv[1:7]

def report(name):
    path = os.path.join(results, name, "report.json")
    return json.load(open(path)) if os.path.exists(path) else None

def loadavg(name):
    try:
        return open(os.path.join(results, name + ".loadavg-before")).read().split()[0] + " -> " + \
               open(os.path.join(results, name + ".loadavg-after")).read().split()[0]
    except OSError:
        return None

def run(name):
    r = report(name)
    if r is None:
        return None
    lat = r["latency"]
    return {
        "mode": r["run"]["mode"], "rate": r["run"].get("rate"), "concurrency": r["run"].get("concurrency"),
        "windowSeconds": r["run"]["windowSeconds"],
        "sagasPerSecond": r["rates"]["completed"], "kafkaEventsPerSecond": r["kafka"]["perSecond"],
        "kafkaEventsSource": r["kafka"]["source"],
        "completed": r["totals"]["completed"], "failed": r["totals"]["failed"], "timedOut": r["totals"]["timedOut"],
        "rejected": r["totals"]["rejected"],
        "serverLatencyMs": {k: lat["server"].get(k) for k in ("p50", "p95", "p99", "max")},
        "clientLatencyMs": {k: lat["client"].get(k) for k in ("p50", "p95", "p99", "max")},
        "hostCpuPercentOfOneCore": r["target"].get("windowCpuPercentOfOneCore"),
        "hostPeakRssMiB": r["target"].get("peakRssMiB"),
        "generatorCpuPercentOfOneCore": r["generator"].get("windowCpuPercentOfOneCore"),
        "loadAverage": loadavg(name),
        "report": os.path.join(name, "report.html"),
    }

def text(name):
    try:
        return open(os.path.join(results, name)).read().strip()
    except OSError:
        return None

a_path = os.path.join(results, "a-kafka-bench.json")
a = json.load(open(a_path)) if os.path.exists(a_path) else {"loopPerSecond": None, "records": 0, "recordBytes": 0,
                                                            "producedPerSecond": 0, "consumedPerSecond": 0}
b, half, c = run("b-memory-max"), run("b-memory-half"), run("c-postgres-max")
ceiling = a["loopPerSecond"]
def ratio(x): return round(x["kafkaEventsPerSecond"] / ceiling, 3) if x and ceiling else None
p99_over = round(half["serverLatencyMs"]["p99"] - 200, 1) if half and half["serverLatencyMs"]["p99"] is not None else None
p99_over_client = round(half["clientLatencyMs"]["p99"] - 200, 1) if half and half["clientLatencyMs"]["p99"] is not None else None
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
mem = next((l.split()[1] for l in open("/proc/meminfo") if l.startswith("MemTotal")), "0")
commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], capture_output=True, text=True).stdout.strip() != ""
host_dir = os.environ.get("BENCH_HOST_DIR")
parts = {}
for path in sorted(glob.glob(os.path.join(results, "part-*.json"))):
    name = os.path.basename(path)[len("part-"):-len(".json")]
    try:
        parts[name] = json.load(open(path))
    except (OSError, ValueError) as e:
        parts[name] = {"error": f"unreadable {os.path.basename(path)}: {e}"}

summary = {
    "machine": {"nproc": os.cpu_count(), "cpu": cpu, "memoryGiB": round(int(mem) / 1048576, 1), "commit": commit,
                "uncommittedChanges": dirty, "hostBuild": host_dir, "loadAverageStart": text("loadavg-start"),
                "loadAverageEnd": text("loadavg-end"), "date": text("date"), "note": text("note") or None},
    "benchSettings": {k: v for k, v in os.environ.items() if k.startswith("BENCH_") and k not in ("BENCH_RESULTS", "BENCH_HOST_DIR")},
    "settings": {"duration": duration, "warmup": warmup, "bWarmup": os.environ.get("BENCH_B_WARMUP", "40s"),
                 "closedLoopConcurrency": int(concurrency),
                 "approvalDelayMs": 200, "sagaRecordBytes": int(record_bytes), "partitionsPerTopic": int(partitions)},
    "a_ceiling": a, "b_memory_max": b, "b_memory_half_rate": half, "c_postgres_max": c, "parts": parts,
    "ratios": {"b_over_a": ratio(b), "c_over_a": ratio(c)},
    "p99MinusApprovalDelayAtHalfRateMs": {"server": p99_over, "client": p99_over_client},
    # Issue 16's goals; None: the figure was not measured in this run.
    "targets": {
        "b_over_a_ge_0_8": None if ratio(b) is None else ratio(b) >= 0.8,
        "c_events_per_second_ge_10000": None if c is None else c["kafkaEventsPerSecond"] >= 10000,
        "p99_minus_200ms_le_100ms_at_half_rate": None if p99_over is None else p99_over <= 100,
        "rss_le_1GiB_at_max_rate": None if b is None or b["hostPeakRssMiB"] is None else b["hostPeakRssMiB"] <= 1024,
        "b_events_per_second_ge_23000": None if b is None else b["kafkaEventsPerSecond"] >= 23000,
    },
}
json.dump(summary, open(os.path.join(results, "summary.json"), "w"), indent=2)

def n0(v): return "n/a" if v is None else f"{v:.0f}"

def line(label, x):
    if x is None:
        return f"{label}: not run"
    mode = f"closed loop {x['concurrency']} in flight" if x["mode"] == "closed-loop" else f"open loop {x['rate']}/s"
    s, cl = x["serverLatencyMs"], x["clientLatencyMs"]
    return (f"{label} ({mode}, {n0(x['windowSeconds'])} s):\n"
            f"    Kafka events/s {n0(x['kafkaEventsPerSecond'])} ({x['kafkaEventsSource']}), sagas/s {n0(x['sagasPerSecond'])}, "
            f"completed {x['completed']} failed {x['failed']} timed out {x['timedOut']}\n"
            f"    POST->completed p50/p95/p99 {n0(s['p50'])}/{n0(s['p95'])}/{n0(s['p99'])} ms (server clock), "
            f"client-observed {n0(cl['p50'])}/{n0(cl['p95'])}/{n0(cl['p99'])} ms\n"
            f"    host CPU {n0(x['hostCpuPercentOfOneCore'])}% of one core, peak RSS (VmHWM) {n0(x['hostPeakRssMiB'])} MiB, "
            f"generator CPU {n0(x['generatorCpuPercentOfOneCore'])}%, load average {x['loadAverage']}")

def mark(ok): return "not run" if ok is None else "met" if ok else "MISSED"
t = summary["targets"]
def ceiling_line():
    if a["loopPerSecond"] is None:
        return "(a) ceiling, plain Confluent produce+consume loop: not run"
    runs = a.get("loopPerSecondRuns")
    series = (f"median of {a['repeats']} runs after a {a['warmupRecords']}-record warm-up, spread {a['loopSpread'] * 100:.0f}%: "
              f"{', '.join(f'{r:.0f}' for r in runs)}; ") if runs else ""
    return (f"(a) ceiling, plain Confluent produce+consume loop: {n0(a['loopPerSecond'])} records/s\n"
            f"    ({series}{a['records']} records of {a['recordBytes']} B + 36 B key; "
            f"alone: produce {a['producedPerSecond']:.0f}/s, consume {a['consumedPerSecond']:.0f}/s)")

m = summary["machine"]
part_lines = []
for name, part in parts.items():
    part_lines.append(f"part {name}:")
    part_lines += ["    " + l for l in part.get("lines", [json.dumps(part)[:300]])]
text = "\n".join([
    f"SagaDemo benchmark  {m['nproc']} cores ({cpu}), {m['memoryGiB']} GiB, commit {commit}{' (with uncommitted changes)' if dirty else ''}"
    + (f", host from {host_dir}" if host_dir else ""),
    f"load average (1/5/15 min) at start {m['loadAverageStart']}, at end {m['loadAverageEnd']}" + (f"; note: {m['note']}" if m["note"] else ""),
    f"window {duration} after {warmup} warm-up ((b): {os.environ.get('BENCH_B_WARMUP', '40s')}); Approval:Delay 200 ms; saga record {record_bytes} B (key+value+headers); {partitions} partition(s) per topic",
    "",
    ceiling_line(),
    line("(b) embedded Kafka, in-memory state, max rate", b),
    line("(b) at half the max rate", half),
    line("(c) embedded Kafka, PostgreSQL state, max rate", c),
    *part_lines,
    "",
    f"ratio (b)/(a) = {summary['ratios']['b_over_a']}   (c)/(a) = {summary['ratios']['c_over_a']}",
    f"p99 - 200 ms at half rate = {p99_over} ms (server clock), {p99_over_client} ms (client-observed, incl. polling)",
    "",
    "targets (issue 16):",
    f"  (b)/(a) >= 0.8 ....................... {mark(t['b_over_a_ge_0_8'])}",
    f"  (c) >= 10,000 Kafka events/s ........ {mark(t['c_events_per_second_ge_10000'])}",
    f"  p99 - 200 ms <= 100 ms at half rate .. {mark(t['p99_minus_200ms_le_100ms_at_half_rate'])}",
    f"  RSS <= 1 GiB at max rate ............. {mark(t['rss_le_1GiB_at_max_rate'])}",
    f"  (b) >= 23,000 Kafka events/s (the original demo on 11 nodes) .. {mark(t['b_events_per_second_ge_23000'])}",
    "",
    f"reports: {results}/*/report.html; summary.json",
])
open(os.path.join(results, "summary.txt"), "w").write(text + "\n")
print(text)
