#!/usr/bin/env python3
"""Per-hop timings of the user saga, from what the running host already records.

Usage: hops.py BOOTSTRAP TARGET_URL [RECORDS_PER_TOPIC] [APPROVAL_DELAY_MS]

Each saga's records share its key (the operation id), and every record carries its producer's CreateTime, so the gap
between two consecutive records of one saga is one hop: the producer's linger and acknowledged produce of the first,
the consumer's fetch (and fetch wait) and the handler that produced the second. The operation's createdAt and updatedAt
(GET /operations) frame the first hop (POST to user-create) and the last (user-create-response to completed).
Prints p50 / p95 / p99 of each hop in milliseconds, and of their sum minus the approval delay.
"""
import json
import subprocess
import sys
import urllib.request
from datetime import datetime

CHAIN = ["user-create", "user-approve", "user-approve-received", "user-approve-response", "user-store",
         "user-store-response", "user-create-response"]


def records(bootstrap, topic, count):
    out = subprocess.run(["kcat", "-C", "-b", bootstrap, "-t", topic, "-o", f"-{count}", "-e", "-q", "-f", "%k %T\n"],
                         capture_output=True, text=True, timeout=60).stdout
    for line in out.splitlines():
        key, _, ts = line.partition(" ")
        if ts.isdigit():
            yield key, int(ts)


def operations(target, wanted):
    found, offset = {}, 0
    while len(found) < wanted and offset is not None:
        with urllib.request.urlopen(f"{target}/operations?status=completed&limit=200&offset={offset}") as response:
            page = json.load(response)
        for item in page["items"]:
            found[item["id"]] = (ms(item["createdAt"]), ms(item["updatedAt"]))
        offset = page.get("nextOffset")
    return found


def ms(text):
    return datetime.fromisoformat(text).timestamp() * 1000


def percentile(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))] if values else float("nan")


def main():
    bootstrap, target = sys.argv[1], sys.argv[2].rstrip("/")
    count = int(sys.argv[3]) if len(sys.argv) > 3 else 2000
    delay = float(sys.argv[4]) if len(sys.argv) > 4 else 200
    stamps = {}
    for topic in CHAIN:
        for key, ts in records(bootstrap, topic, count):
            stamps.setdefault(key, {})[topic] = ts
    ops = operations(target, count)
    names = ["POST -> " + CHAIN[0]] + [f"{a} -> {b}" for a, b in zip(CHAIN, CHAIN[1:])] + [CHAIN[-1] + " -> completed"]
    hops = {name: [] for name in names}
    totals = []
    for key, seen in stamps.items():
        if key not in ops or any(t not in seen for t in CHAIN):
            continue
        created, completed = ops[key]
        points = [created] + [seen[t] for t in CHAIN] + [completed]
        gaps = [b - a for a, b in zip(points, points[1:])]
        gaps[3] -= delay  # user-approve-received -> user-approve-response holds the approval delay
        for name, gap in zip(names, gaps):
            hops[name].append(gap)
        totals.append(sum(gaps))
    print(f"{len(totals)} sagas; hop p50 / p95 / p99 ms (approval delay of {delay:.0f} ms taken out)")
    for name in names + ["sum (POST -> completed minus the delay)"]:
        values = hops.get(name, totals)
        print(f"  {name:50} {percentile(values, 50):7.1f} {percentile(values, 95):7.1f} {percentile(values, 99):7.1f}")


if __name__ == "__main__":
    main()
