#!/usr/bin/env python3
"""The soak's RSS verdict (part "soak" of scripts/benchmark.sh, soak_rss_verdict in overload-lib.sh).

soak-rss.py NAME REPORT.json OUT.json: prints one summary line and writes the figures to OUT.json.

The goal (issue 13) is "RSS after the first minute grows by less than 10 %". RSS saws up and down with the GC's
cycles (by 20-30 MiB, 8-11 % of the base, at 479/s), so growth is measured like with like: the lowest RSS of the second
minute against the lowest of the last minute (troughs), the highest against the highest (crests); the verdict is on the
larger of the two. Until the fifth session the verdict was on the lowest RSS at 60-70 s against the highest after it, a
trough against a crest, which exceeds 10 % with no growth at all once the swing does; that figure is still reported,
marked as including the swing. The least-squares trend of the per-minute lows and highs, which one late crest or trough
does not move much, comes with them.
"""
import json
import sys

name, report_path, out_path = sys.argv[1:4]
report = json.load(open(report_path))
rss = [(p["second"], p["targetRssMiB"]) for p in report["series"] if p.get("targetRssMiB") is not None]
totals, run = report["totals"], report["run"]
head = (f"{name}: {run['rate']}/s for {int(run['windowSeconds'])} s | completed {totals['completed']} "
        f"failed {totals['failed']} never finished {totals['timedOut']} shed answers {totals['shed']}")
base_window = [m for s, m in rss if 60 <= s < 70]
if not base_window:
    print(f"{name}: RSS not measured (run shorter than 70 s)")
    sys.exit()

pct = lambda a, b: int((b - a) / a * 1000) / 10
base = min(base_window)
after = [m for s, m in rss if s >= 60]
peak, end = max(after), rss[-1][1]
goal = pct(base, peak)

# Whole minutes from the first minute's end: [60, 120), [120, 180), ...; a last partial minute of under 30 s (the drain)
# joins the minute before it.
final = max(s for s, _ in rss)
minutes = []
for start in range(60, final + 1, 60):
    values = [m for s, m in rss if start <= s < start + 60]
    if values:
        minutes.append(values)
if len(minutes) > 1 and len(minutes[-1]) < 30:
    minutes[-2].extend(minutes.pop())
lows, highs = [min(v) for v in minutes], [max(v) for v in minutes]


def slope(values):
    n = len(values)
    if n < 2:
        return 0.0
    mean_x, mean_y = (n - 1) / 2, sum(values) / n
    return sum((x - mean_x) * (y - mean_y) for x, y in enumerate(values)) / sum((x - mean_x) ** 2 for x in range(n))


trough, crest = pct(lows[0], lows[-1]), pct(highs[0], highs[-1])
like = max(trough, crest)
figures = {
    "goalGrowthPercent": like, "goalMet": like < 10,
    "troughGrowthPercent": trough, "crestGrowthPercent": crest,
    "lowsByMinuteMiB": [round(v, 1) for v in lows], "highsByMinuteMiB": [round(v, 1) for v in highs],
    "lowsTrendMiBPerMinute": round(slope(lows), 2), "highsTrendMiBPerMinute": round(slope(highs), 2),
    "baseMiB": base, "peakMiB": peak, "endMiB": end, "troughToCrestPercent": goal,
}
json.dump(figures, open(out_path, "w"), indent=2)
print(f"{head} | RSS growth after the first minute, same GC phase, second minute to last: lows "
      f"{int(lows[0])} -> {int(lows[-1])} MiB ({trough} %), highs {int(highs[0])} -> {int(highs[-1])} MiB ({crest} %): "
      f"{like} % (goal < 10 %: {'met' if like < 10 else 'MISSED'}); trend {figures['lowsTrendMiBPerMinute']} / "
      f"{figures['highsTrendMiBPerMinute']} MiB a minute (lows / highs); lowest at 60-70 s {int(base)} MiB to the highest "
      f"after {int(peak)} MiB: {goal} % (the GC's swing included); end {int(end)} MiB; by minute, lows "
      + " ".join(str(int(v)) for v in lows) + ", highs " + " ".join(str(int(v)) for v in highs))
