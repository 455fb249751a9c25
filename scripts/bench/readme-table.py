#!/usr/bin/env python3
"""Regenerates the README's Performance table from one benchmark run's summary.json (so the table is never edited by hand).
Usage: scripts/bench/readme-table.py results/benchmark-<time>/summary.json [README.md]
Replaces what lies between the two benchmark-table markers in the README; prints the table when no README has them."""
import json, shlex, sys

BEGIN = "<!-- benchmark-table:begin (scripts/bench/readme-table.py writes this part from summary.json; do not edit) -->"
END = "<!-- benchmark-table:end -->"


def n(v, digits=0):
    return "n/a" if v is None else f"{v:,.{digits}f}"


def verdict(ok, goal):
    return f"{goal}: not run" if ok is None else f"{goal}: met" if ok else f"{goal}: **missed**"


def latency(run):
    s = run["serverLatencyMs"]
    return f"{n(s['p50'])} / {n(s['p95'])} / {n(s['p99'])} ms"


def table(summary):
    m, a, b, half, c = (summary[k] for k in ("machine", "a_ceiling", "b_memory_max", "b_memory_half_rate", "c_postgres_max"))
    t, settings = summary["targets"], summary["settings"]
    rows = []
    if a.get("loopPerSecond") is not None:
        spread = f", median of {a['repeats']} runs, spread {a['loopSpread'] * 100:.0f}%" if a.get("repeats") else ""
        rows.append((f"(a) plain Confluent produce+consume, {a['recordBytes'] + 36} B records, {a['partitions']} partition(s)",
                     f"{n(a['loopPerSecond'])} records/s{spread}", ""))
    if b:
        rows.append((f"(b) Kafka events/s, in-memory state, max rate ({b['concurrency']} in flight)",
                     f"{n(b['kafkaEventsPerSecond'])}/s ({n(b['sagasPerSecond'])} sagas/s, {b['completed']:,} completed, {b['failed']} failed)",
                     "(the original demo: 23,000 on 11 nodes)"))
        rows.append(("(b)/(a)", n(summary["ratios"]["b_over_a"], 3), verdict(t["b_over_a_ge_0_8"], ">= 0.8")))
        rows.append(("(b) POST-to-completed p50 / p95 / p99 at max rate", latency(b), ""))
        rows.append(("peak RSS of the all-in-one process at max rate", f"{n(b['hostPeakRssMiB'])} MiB", verdict(t["rss_le_1GiB_at_max_rate"], "<= 1 GiB")))
    if half:
        over = summary["p99MinusApprovalDelayAtHalfRateMs"]["server"]
        rows.append((f"p99 POST-to-completed minus the 200 ms delay, at half the max rate ({n(half['rate'])}/s open loop)",
                     f"{n(over)} ms (p50 / p95 / p99 {latency(half)})", verdict(t["p99_minus_200ms_le_100ms_at_half_rate"], "<= 100 ms")))
    if c:
        rows.append((f"(c) Kafka events/s, PostgreSQL, max rate ({c['concurrency']} in flight)",
                     f"{n(c['kafkaEventsPerSecond'])}/s ({n(c['sagasPerSecond'])} sagas/s, p50 / p95 / p99 {latency(c)})",
                     verdict(t["c_events_per_second_ge_10000"], ">= 10,000")))
    for name, part in summary.get("parts", {}).items():
        rows += [tuple(r) for r in part.get("readmeRows", [])] or [(f"part {name}", "see summary.txt", "")]

    note = f" **{m['note']}**." if m.get("note") else ""
    command = " ".join(f"{k}={shlex.quote(v)}" for k, v in sorted(summary.get("benchSettings", {}).items()) if v and k != "BENCH_NOTE")
    lines = [
        f"Measured {m.get('date') or '?'} on {m['nproc']} cores ({m['cpu']}), {m['memoryGiB']} GiB, commit {m['commit']}"
        f"{' with uncommitted changes' if m.get('uncommittedChanges') else ''}; load average (1/5/15 min) "
        f"{m.get('loadAverageStart')} at the start, {m.get('loadAverageEnd')} at the end.{note} "
        f"Command: `{(command + ' ') if command else ''}scripts/benchmark.sh` ({settings['duration']} windows after {settings['warmup']} warm-up"
        f"{', (b) after ' + settings['bWarmup'] if settings.get('bWarmup') else ''}).",
        "",
        "| figure | value | target |",
        "|---|---|---|",
        *[f"| {f} | {v} | {g} |" for f, v, g in rows],
    ]
    return "\n".join(lines)


def main():
    summary = json.load(open(sys.argv[1]))
    generated = table(summary)
    readme_path = sys.argv[2] if len(sys.argv) > 2 else None
    if readme_path is None:
        print(generated)
        return
    readme = open(readme_path).read()
    if BEGIN not in readme or END not in readme:
        sys.exit(f"{readme_path} has no benchmark-table markers")
    head, rest = readme.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    open(readme_path, "w").write(head + BEGIN + "\n" + generated + "\n" + END + tail)
    print(f"{readme_path}: Performance table regenerated from {sys.argv[1]}")


main()
