#!/usr/bin/env python3
"""Summarises a JFR recording (PROFILE=1 makes one per Caravan run) with the JDK's `jfr` tool:
where the CPU samples fall (top frames, and the io.caravan / library frames they pass through), and
where threads wait (monitor enter, park, socket read) by the first io.caravan frame.

  jfr_top.py FILE.jfr [N]
"""
import collections
import re
import subprocess
import sys

path = sys.argv[1]
n = int(sys.argv[2]) if len(sys.argv) > 2 else 15


def events(kind):
    out = subprocess.run(["jfr", "print", "--events", kind, "--stack-depth", "64", path],
                         capture_output=True, text=True, check=True).stdout
    for block in re.split(r"\n(?=jdk\.\w+ \{)", out):
        if "stackTrace = [" not in block:
            continue
        frames = re.findall(r"^\s+([\w$.<>/]+)\(.*?\)\s+line:", block, re.M)
        dur = re.search(r"duration = ([\d.]+) (\w+)", block)
        seconds = 0.0
        if dur:
            v, unit = float(dur.group(1)), dur.group(2)
            seconds = v * {"s": 1, "ms": 1e-3, "us": 1e-6, "ns": 1e-9}.get(unit, 0)
        thread = re.search(r'sampledThread = "([^"]*)"|eventThread = "([^"]*)"', block)
        yield frames, seconds, (thread.group(1) or thread.group(2)) if thread else "?"


def bucket(frames):
    """The most telling frame: the first one in io.caravan, else the first non-JDK one."""
    for f in frames:
        if f.startswith("io.caravan."):
            return f
    for f in frames:
        if not f.startswith(("java.", "jdk.", "sun.")):
            return f
    return frames[0] if frames else "?"


def area(frames):
    text = " ".join(frames)
    for key, label in [("org.h2.", "H2 ledger"), ("com.zaxxer.hikari", "H2 ledger (pool)"),
                       ("software.amazon.awssdk", "AWS SDK / HTTP"), ("org.apache.http", "AWS SDK / HTTP"),
                       ("probeContentType", "Files.probeContentType"), ("FolderWalker", "folder listing"),
                       ("org.apache.camel", "Camel routing"), ("ch.qos.logback", "logging")]:
        if key in text:
            return label
    return "other (" + (frames[0] if frames else "?") + ")"


samples = list(events("jdk.ExecutionSample"))
print("CPU samples: %d" % len(samples))
for title, key in [("top frames", lambda f: f[0] if f else "?"), ("by area", area), ("by Caravan frame", bucket)]:
    c = collections.Counter(key(f) for f, _, _ in samples)
    print("\n%s:" % title)
    for k, v in c.most_common(n):
        print("  %5.1f%%  %s" % (100.0 * v / max(1, len(samples)), k))

for kind in ["jdk.JavaMonitorEnter", "jdk.ThreadPark", "jdk.SocketRead"]:
    ev = list(events(kind))
    if not ev:
        continue
    total = sum(s for _, s, _ in ev)
    print("\n%s: %d events (>= the JFR threshold), %.1f s in all; by area / Caravan frame:" % (kind, len(ev), total))
    c = collections.Counter()
    for f, s, _ in ev:
        c[area(f) + "  <-  " + bucket(f)] += s
    for k, v in c.most_common(n):
        print("  %7.2f s  %s" % (v, k))
