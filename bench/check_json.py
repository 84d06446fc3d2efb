#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Check apbench --json output: it parses, names W1..W5 and the scaling
workloads (W2wait, W2halt, W4events, W6), every workload ran and carries the
documented fields (docs/bench.md).  No timing thresholds: speed targets live
in the bench, not in the tests.

usage: check_json.py FILE
"""
import json
import math
import sys

NAMES = ("W1", "W2", "W3", "W4", "W5", "W2wait", "W2halt", "W4events", "W6")
REQUIRED = ("name", "ops_per_sec", "ns_per_op", "vs_baseline", "vcpus", "pending_events",
            "rss_before_kib", "rss_after_kib", "rss_growth_kib")
COUNTS = ("iterations", "ops", "insns")


def fail(msg):
    print(f"check_json: {msg}", file=sys.stderr)
    sys.exit(1)


def positive(wl, key):
    v = wl.get(key)
    if not isinstance(v, (int, float)) or isinstance(v, bool) or not math.isfinite(v) or v <= 0:
        fail(f"{wl.get('name')}: {key} = {v!r}, expected a positive number")


def main():
    if len(sys.argv) != 2:
        fail("usage: check_json.py FILE")
    with open(sys.argv[1], encoding="utf-8") as f:
        doc = json.load(f)

    if doc.get("tool") != "apbench":
        fail("not apbench output (tool != apbench)")
    workloads = doc.get("workloads")
    if not isinstance(workloads, list):
        fail("no workloads list")
    by_name = {wl.get("name"): wl for wl in workloads}
    missing = [n for n in NAMES if n not in by_name]
    if missing:
        fail(f"workloads missing: {', '.join(missing)}")

    for name in NAMES:
        wl = by_name[name]
        for key in REQUIRED:
            if key not in wl:
                fail(f"{name}: no '{key}'")
        if wl.get("ok") is not True:
            fail(f"{name}: did not run: {wl.get('error')}")
        for key in ("ops_per_sec", "ns_per_op", "insns_per_sec") + COUNTS:
            positive(wl, key)
        if wl["vs_baseline"] is not None:
            positive(wl, "vs_baseline")
    if "vs_hercules" not in by_name["W1"]:
        fail("W1: no 'vs_hercules' (null when hercules is not installed)")
    for name in NAMES[1:]:  # W1 runs no AP instruction
        positive(by_name[name], "ap_insns")
        positive(by_name[name], "ap_ops_per_sec")

    for name in ("W1", "W2", "W3", "W4", "W5", "W4events"):
        if by_name[name]["vcpus"] != 1:
            fail(f"{name}: vcpus = {by_name[name]['vcpus']!r}, expected 1")
    for name in ("W2wait", "W2halt"):
        if by_name[name]["vcpus"] != 64:
            fail(f"{name}: vcpus = {by_name[name]['vcpus']!r}, expected 64")
    events = doc.get("events")
    if not isinstance(events, int) or events <= 0:
        fail(f"events = {events!r}, expected a positive integer")
    if by_name["W4events"]["pending_events"] != events:
        fail(f"W4events: pending_events = {by_name['W4events']['pending_events']!r}, "
             f"expected {events}")
    if by_name["W4"]["pending_events"] != 0:
        fail("W4: pending_events should be 0")
    w6 = by_name["W6"]
    if w6["rss_before_kib"] is not None:  # null where /proc/self/status is missing
        positive(w6, "rss_before_kib")
        positive(w6, "rss_after_kib")
        if w6["rss_growth_kib"] != w6["rss_after_kib"] - w6["rss_before_kib"]:
            fail("W6: rss_growth_kib is not rss_after_kib - rss_before_kib")
    for name in NAMES:
        if name != "W6" and by_name[name]["rss_growth_kib"] is not None:
            fail(f"{name}: rss figures are W6's alone")

    herc = doc.get("hercules")
    vs = by_name["W1"]["vs_hercules"]
    if herc is not None and herc.get("ok"):
        positive(by_name["W1"], "vs_hercules")
    elif vs is not None:
        fail(f"W1: vs_hercules = {vs!r} without a Hercules measurement")

    print(f"check_json: {len(workloads)} workloads OK"
          f" (hercules: {'measured' if herc and herc.get('ok') else 'none'})")


if __name__ == "__main__":
    main()
