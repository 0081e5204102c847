#!/usr/bin/env python3
"""Prints the benchmark's table from a results folder: rows.tsv names the runs; each run NAME-rN left
NAME-rN.time (/usr/bin/time -v), NAME-rN.rc, and for Caravan the report folder named in NAME-rN.err."""
import json
import os
import re
import statistics
import sys

results, repeat = sys.argv[1], int(sys.argv[2])
MIB = 1024 * 1024


def wall_seconds(text):
    m = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (\S+)", text)
    parts = [float(p) for p in m.group(1).split(":")]
    secs = 0.0
    for p in parts:
        secs = secs * 60 + p
    return secs


def run_facts(name):
    path = os.path.join(results, name)
    if not os.path.exists(path + ".time"):
        return None
    text = open(path + ".time").read()
    facts = {
        "wall": wall_seconds(text),
        "rss": int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", text).group(1)) / 1024,
        "rc": open(path + ".rc").read().strip(),
        "inrun": None,
        "report": None,
    }
    cpu = {}
    if os.path.exists(path + ".cpu"):
        cpu = dict(kv.split("=") for kv in open(path + ".cpu").read().split())
    hz = float(cpu.get("hz", 100))
    client = float(re.search(r"User time \(seconds\): ([\d.]+)", text).group(1)) + \
        float(re.search(r"System time \(seconds\): ([\d.]+)", text).group(1))
    facts["client_cpu"] = client
    facts["server_cpu"] = int(cpu.get("server", 0)) / hz
    facts["other_cpu"] = max(0.0, int(cpu.get("busy", 0)) / hz - client - facts["server_cpu"])
    err = open(path + ".err", errors="replace").read() if os.path.exists(path + ".err") else ""
    m = re.search(r"report in (\S+)", err)
    if m and os.path.exists(os.path.join(m.group(1), "report.json")):
        report = json.load(open(os.path.join(m.group(1), "report.json")))
        facts["inrun"] = report["seconds"]
        facts["report"] = report
    return facts


rows = []
for line in open(os.path.join(results, "rows.tsv")):
    scenario, tool, name, items, nbytes, note = line.rstrip("\n").split("\t")
    runs = [f for f in (run_facts("%s-r%d" % (name, r)) for r in range(1, repeat + 1)) if f]
    if not runs:
        continue
    wall = statistics.median(r["wall"] for r in runs)
    inrun = [r["inrun"] for r in runs if r["inrun"] is not None]
    rows.append({
        "scenario": scenario, "tool": tool, "name": name, "items": int(items), "bytes": int(nbytes),
        "note": note, "wall": wall, "walls": ["%.2f%s" % (r["wall"], "*" if r["other_cpu"] > 2.0 else "") for r in runs], "rss": max(r["rss"] for r in runs),
        "rc": ",".join(sorted(set(r["rc"] for r in runs))),
        "inrun": statistics.median(inrun) if inrun else None,
        "client_cpu": statistics.median(r["client_cpu"] for r in runs),
        "server_cpu": statistics.median(r["server_cpu"] for r in runs),
        "other_cpu": max(r["other_cpu"] for r in runs),
        "report": runs[0]["report"],
    })

print()
print("| # | tool | items | wall s | files/s | MiB/s | peak RSS MiB | exit | Caravan's own s "
      "| client CPU s | S3Proxy CPU s | other CPU s | what ran |")
print("|---|------|------:|-------:|--------:|------:|-------------:|-----:|----------------:"
      "|-------------:|--------------:|------------:|----------|")
for r in rows:
    fps = format(round(r["items"] / r["wall"]), ",") if r["wall"] and r["items"] > 1 else "-"
    mibs = "%.1f" % (r["bytes"] / MIB / r["wall"]) if r["bytes"] and r["wall"] else "-"
    walls = r["walls"][0] if len(r["walls"]) == 1 else "%.2f (%s)" % (r["wall"], " ".join(r["walls"]))
    inrun = "%.2f" % r["inrun"] if r["inrun"] is not None else "-"
    print("| %s | %s | %s | %s | %s | %s | %.0f | %s | %s | %.1f | %.1f | %.1f | %s |" % (
        r["scenario"], r["tool"], format(r["items"], ","), walls, fps, mibs, r["rss"],
        r["rc"], inrun, r["client_cpu"], r["server_cpu"], r["other_cpu"], r["note"]))

by = {r["name"]: r for r in rows}
print()
print("wall s: median of the runs (each run in brackets when more than one); Caravan's own s: the seconds in its "
      "report (JVM start and the ledger's close excluded); client CPU: user+sys of the tool's process; "
      "other CPU: the most busy time any of the runs saw from every other process on the machine (near 0 when "
      "nothing else ran; a run marked * saw more than 2 s of it, so its wall time is suspect).")
print()
print("Goals (wall time, JVM start included; 'Caravan's own s' is the run's report, JVM and Camel start excluded):")


def goal(label, value, target, more):
    ok = value >= target
    print("- %s: %.2fx (goal >= %gx): %s%s" % (label, value, target, "met" if ok else "NOT met", more))


if "s1-rclone" in by and "s1-caravan" in by:
    c, r = by["s1-caravan"], by["s1-rclone"]
    extra = ""
    if c["inrun"]:
        extra = "; on Caravan's own seconds %.2fx" % (r["wall"] / c["inrun"])
    goal("1. copy throughput, Caravan / rclone", r["wall"] / c["wall"], 1.25, extra)
if "s2-rclone" in by and "s2-caravan" in by:
    c, r = by["s2-caravan"], by["s2-rclone"]
    extra = ""
    if c["inrun"]:
        extra = "; on Caravan's own seconds %.2fx" % (r["wall"] / c["inrun"])
    goal("2. unchanged rerun, rclone time / Caravan time", r["wall"] / c["wall"], 5, extra)
if "s5-camel" in by and "s1-caravan" in by:
    goal("5. Camel-path copy / built-in copy (issue 19)", by["s1-caravan"]["wall"] / by["s5-camel"]["wall"], 0.8, "")
if "s5-camel-rerun" in by and "s2-rclone" in by:
    goal("5. Camel-path unchanged rerun, rclone time / Caravan time (issue 19)",
         by["s2-rclone"]["wall"] / by["s5-camel-rerun"]["wall"], 4, "")
if "so-direct" in by and "so-brokerN" in by:
    goal("scale-out, %s / 1 instance direct (issue 21)" % by["so-brokerN"]["tool"].split(", ")[1],
         by["so-direct"]["wall"] / by["so-brokerN"]["wall"], 2.5, "")
if "sql-caravan" in by and "sql-pgdump" in by:
    goal("1. PostgreSQL copy, pg_dump | psql time / Caravan time (issue 23)",
         by["sql-pgdump"]["wall"] / by["sql-caravan"]["wall"], 1.0, "")
if "sql-caravan" in by and "sql-pgcopydb" in by:
    goal("1. PostgreSQL copy, pgcopydb time / Caravan time (issue 23; ahead means > 1)",
         by["sql-pgcopydb"]["wall"] / by["sql-caravan"]["wall"], 1.0, "")
for n in sorted({k.split("-")[1] for k in by if k.startswith("lat-")}):
    if "lat-%s-caravan" % n in by and "lat-%s-rclone" % n in by:
        goal("3. latency-bound small files at %s transfers, rclone time / Caravan time (issue 23)" % n,
             by["lat-%s-rclone" % n]["wall"] / by["lat-%s-caravan" % n]["wall"], 1.5, "")
if "cutover-caravan" in by:
    c, r = by["cutover-caravan"], by.get("cutover-rclone")
    print("- 7. cutover, a final pass over %s files: Caravan %.2f s (goal <= 20 s): %s%s" % (
        format(c["items"], ","), c["wall"], "met" if c["wall"] <= 20 else "NOT met",
        "; rclone %s%.2f s" % (">" if "124" in r["rc"] else "", r["wall"]) if r else ""))
if "so-direct" in by and "so-broker1" in by:
    goal("scale-out, the broker hop: 1 worker via broker / 1 instance direct (issue 21)",
         by["so-direct"]["wall"] / by["so-broker1"]["wall"], 0.85, "")
if "s3-caravan" in by:
    c = by["s3-caravan"]
    r = by.get("s3-rclone")
    ok = c["rc"] == "0"
    print("- 3. one big file with %s: Caravan %s (exit %s), %.1f MiB/s, peak RSS %.0f MiB%s" % (
        "-Xmx256m", "completed" if ok else "DID NOT complete", c["rc"], c["bytes"] / MIB / c["wall"], c["rss"],
        "; rclone %.1f MiB/s, peak RSS %.0f MiB; Caravan / rclone throughput %.2fx" % (
            r["bytes"] / MIB / r["wall"], r["rss"], r["wall"] / c["wall"]) if r else ""))
if "s4-caravan" in by:
    c = by["s4-caravan"]
    ok = c["rc"] == "0"
    rep = c["report"]
    planned = ""
    if rep:
        planned = ", listed %s, planned new %s" % (format(rep["listed"], ","), format(rep["plan"]["new"]["items"], ","))
    print("- 4. dry run of %s empty files with -Xmx256m: Caravan %s (exit %s) in %.1f s, peak RSS %.0f MiB%s" % (
        format(c["items"], ","), "completed" if ok else "DID NOT complete", c["rc"], c["wall"], c["rss"], planned))

for sc, label in (("sf1", "Seafile initial pass"), ("sf2", "Seafile final pass with 1% new objects")):
    if sc + "-rclone" in by and sc + "-caravan" in by:
        c, r = by[sc + "-caravan"], by[sc + "-rclone"]
        print("- %s: Caravan %.1f s, rclone %.1f s: Caravan %.2fx rclone's speed" % (
            label, c["wall"], r["wall"], r["wall"] / c["wall"]))

buckets = os.path.join(results, "buckets.tsv")
if os.path.exists(buckets):
    bad = []
    n = 0
    for line in open(buckets):
        bucket, want_n, want_b, got = line.rstrip("\n").split("\t")
        n += 1
        if got != "%s %s" % (want_n, want_b):
            bad.append("%s holds %s (objects bytes), expected %s %s" % (bucket, got, want_n, want_b))
    print("- copies checked: %d buckets counted after the runs; %s" % (
        n, "all hold the expected objects and bytes" if not bad else "MISMATCH: " + "; ".join(bad)))
for r in rows:
    rep = r["report"]
    # sql's items are rows while its report counts chunks; bench/sql.sh checks its copies by checksum instead
    if rep and not rep.get("dryRun") and r["items"] and rep.get("done") is not None and r["scenario"] not in ("sql", "final"):
        want = 0 if r["scenario"] == "2" or "rerun" in r["name"] else r["items"]
        changed = re.search(r"(\d+) new or changed", r["note"])
        if r["scenario"] == "cutover" and changed:
            want = int(changed.group(1))
        if rep["done"] != want:
            print("- NOTE: %s's report says done %d, expected %d" % (r["name"], rep["done"], want))
