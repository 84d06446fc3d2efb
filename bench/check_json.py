#!/usr/bin/env python3
"""Check apbench --json output: it parses, names W1..W5, every workload ran
and carries the documented fields (docs/bench.md).  No timing thresholds:
speed targets live in the bench, not in the tests.

usage: check_json.py FILE
"""
import json
import math
import sys

NAMES = ("W1", "W2", "W3", "W4", "W5")
REQUIRED = ("name", "ops_per_sec", "ns_per_op", "vs_baseline")
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
