#!/usr/bin/env python3
"""Samples a host's operation counters every 0.5 s while the benchmark part "burst" (burst.sh) runs, until the burst is
over (the file STOP exists) and completions have not moved for QUIET seconds, or DRAIN seconds after the burst.
It creates STOP.ready once it has read the counters before the burst (burst.sh starts wrk then): a scrape during the
burst can take seconds, so a base read after wrk started would miss its first creates.
Writes OUT (JSON): per sample the seconds since the start and the user-create operations created, completed and failed
(sagademo_operations_created_total / sagademo_operations_completed_total{type="user-create"}), minus those before the start.
usage: burst-watch.py METRICS-URL STOP-FILE OUT.json [QUIET=10] [DRAIN=300]"""
import json, os, re, sys, time, urllib.request

url, stop, out = sys.argv[1:4]
quiet = float(sys.argv[4]) if len(sys.argv) > 4 else 10
drain = float(sys.argv[5]) if len(sys.argv) > 5 else 300
line = re.compile(r'^sagademo_operations_(created|completed)_total\{([^}]*)\}\s+([0-9.eE+-]+)')

def counts():
    text = urllib.request.urlopen(url, timeout=10).read().decode()
    c = {"created": 0.0, "completed": 0.0, "failed": 0.0}
    for m in (line.match(l) for l in text.splitlines()):
        if not m or 'type="user-create"' not in m.group(2):
            continue
        if m.group(1) == "created":
            c["created"] += float(m.group(3))
        elif 'status="failed"' in m.group(2):
            c["failed"] += float(m.group(3))
        else:
            c["completed"] += float(m.group(3))
    return c

base = counts()
open(stop + ".ready", "w").close()
start = time.monotonic()
samples, burst_end, last_change, last = [], None, start, None
while True:
    now = time.monotonic()
    c = {k: v - base[k] for k, v in counts().items()}
    samples.append({"second": round(now - start, 2), **c})
    if last is not None and (c["completed"], c["failed"]) != (last["completed"], last["failed"]):
        last_change = now
    last = c
    if burst_end is None and os.path.exists(stop):
        burst_end = now
    if burst_end is not None and (now - last_change >= quiet and now - burst_end >= quiet or now - burst_end >= drain):
        break
    time.sleep(0.5)
json.dump({"burstSeconds": round(burst_end - start, 2), "lastChangeSecond": round(last_change - start, 2),
           "samples": samples}, open(out, "w"), indent=1)
