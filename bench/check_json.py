#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Check apbench --json output: it parses, names W1..W5, the guest workloads
(W6, W7, W8), the guest-3 workloads under vSIE (W10, W11, W11nc), the scaling workloads (W2wait, W2halt, W4events, Wallq) and the
matrix rows (W9n1, W9n16, W9n64, W9, W6mx1, W6mx256), every workload ran and carries the documented fields (docs/bench.md).  No timing thresholds: speed targets live
in the bench, not in the tests.

usage: check_json.py FILE
"""
import json
import math
import sys

NAMES = ("W1", "W2", "W3", "W4", "W5", "W6", "W7", "W8", "W10", "W11", "W11nc", "W2wait",
         "W2halt", "W4events", "Wallq", "W9n1", "W9n16", "W9n64", "W9", "W6mx1", "W6mx256")
GUESTS = ("W6", "W7", "W8", "W6mx1", "W6mx256")
# guest-2 runs guest-3 with its own SIE: guest-2's SIE entries and
# interceptions, guest-3's SIE entries (vsie_entries)
VSIE = ("W10", "W11", "W11nc")
# the configuration-change rows: mdevs (one VM each); no emulated program
MATRIX = {"W9n1": 1, "W9n16": 16, "W9n64": 64, "W9": 256}
TAPQ_MX = {"W6mx1": 1, "W6mx256": 256}
REQUIRED = ("name", "ops_per_sec", "ns_per_op", "vs_baseline", "vcpus", "pending_events",
            "rss_before_kib", "rss_after_kib", "rss_growth_kib", "sie_entries",
            "interceptions", "pqap_hook_calls", "vsie_entries", "mdevs", "crycb_updates")
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
        counts = ("iterations", "ops") if name in MATRIX else COUNTS
        for key in ("ops_per_sec", "ns_per_op") + counts:
            positive(wl, key)
        if name not in MATRIX:
            positive(wl, "insns_per_sec")
        if wl["vs_baseline"] is not None:
            positive(wl, "vs_baseline")
    if "vs_hercules" not in by_name["W1"]:
        fail("W1: no 'vs_hercules' (null when hercules is not installed)")
    for name in NAMES[1:]:  # W1, W8, W11 and the W9 rows run no AP instruction
        if name not in ("W8", "W11", "W11nc") and name not in MATRIX:
            positive(by_name[name], "ap_insns")
            positive(by_name[name], "ap_ops_per_sec")

    # The guests: W6 interprets every TAPQ (one SIE entry, one interception:
    # the final DIAG 0x44); W7 intercepts every AQIC to the hook; W8 every
    # DIAG 0x9C.  Nobody else enters SIE.
    for name in NAMES:
        wl = by_name[name]
        if name not in VSIE and wl["vsie_entries"]:
            fail(f"{name}: guest-3 SIE entries on a workload without vSIE")
        if name in VSIE:
            continue
        if name not in GUESTS:
            if wl["sie_entries"] or wl["interceptions"] or wl["pqap_hook_calls"]:
                fail(f"{name}: SIE figures on a workload without a guest")
            continue
        if wl["sie_entries"] != wl["interceptions"]:
            fail(f"{name}: {wl['sie_entries']} SIE entries, {wl['interceptions']} "
                 "interceptions: every entry should end in one")
    for name in ("W6",) + tuple(TAPQ_MX):
        if by_name[name]["sie_entries"] != 1 or by_name[name]["pqap_hook_calls"] != 0:
            fail(f"{name}: the TAPQs must be interpreted, not intercepted")
    if by_name["W7"]["pqap_hook_calls"] != by_name["W7"]["ops"]:
        fail("W7: one PQAP hook call per AQIC round trip expected")
    if by_name["W7"]["sie_entries"] != by_name["W7"]["ops"] + 1:
        fail("W7: one SIE entry per round trip (and the first) expected")
    if by_name["W8"]["sie_entries"] != by_name["W8"]["ops"] + 1:
        fail("W8: one SIE entry per DIAG 0x9C (and the first) expected")
    for name in ("W6", "W10"):
        if "vs_W2" not in by_name[name]:
            fail(f"{name}: no 'vs_W2'")
        if by_name[name]["vs_W2"] is not None:
            positive(by_name[name], "vs_W2")

    # vSIE: W10 is one SIE of guest-3 whose TAPQs are all interpreted
    # (guest-2: two entries; its SIE, guest-3's DIAG 0x44 and its own DIAG
    # 0x44 intercepted); W11 / W11nc one guest-3 SIE per round trip (guest-2:
    # an entry after each, two interceptions each and its final DIAG).
    w10 = by_name["W10"]
    if w10["vsie_entries"] != 1 or w10["sie_entries"] != 2 or w10["interceptions"] != 3:
        fail("W10: one guest-3 SIE entry, two guest-2 entries and three interceptions expected")
    if w10["pqap_hook_calls"] != 0:
        fail("W10: the TAPQs must be interpreted, not intercepted")
    for name in ("W11", "W11nc"):
        wl = by_name[name]
        if wl["vsie_entries"] != wl["ops"]:
            fail(f"{name}: one guest-3 SIE entry per round trip expected")
        if wl["sie_entries"] != wl["ops"] + 1 or wl["interceptions"] != 2 * wl["ops"] + 1:
            fail(f"{name}: guest-2's SIE entries / interceptions do not match its round trips")
    if "vs_W11nc" not in by_name["W11"]:
        fail("W11: no 'vs_W11nc'")
    if by_name["W11"]["vs_W11nc"] is not None:
        positive(by_name["W11"], "vs_W11nc")

    # The matrix rows: N mdevs open; every configuration change wrote each
    # guest's CRYCB exactly once; a vCPU on each VM up to the system's 64.
    for name, n in list(MATRIX.items()) + list(TAPQ_MX.items()):
        if by_name[name]["mdevs"] != n:
            fail(f"{name}: mdevs = {by_name[name]['mdevs']!r}, expected {n}")
    for name, n in MATRIX.items():
        wl = by_name[name]
        if wl["crycb_updates"] != wl["ops"] * n:
            fail(f"{name}: {wl['crycb_updates']!r} CRYCB updates for {wl['ops']} changes "
                 f"of {n} mdevs: one per mdev per change expected")
        if wl["vcpus"] != min(n, 64):
            fail(f"{name}: vcpus = {wl['vcpus']!r}, expected {min(n, 64)}")
        if wl["insns"] != 0 or wl["ap_insns"] != 0:
            fail(f"{name}: emulated instructions counted, none expected")
    for name in NAMES:
        if name not in MATRIX and name not in TAPQ_MX:
            if by_name[name]["mdevs"] != 0 or by_name[name]["crycb_updates"] != 0:
                fail(f"{name}: mdev figures on a workload without a matrix")
    for name in TAPQ_MX:
        if by_name[name]["crycb_updates"] != 0:
            fail(f"{name}: crycb_updates are the W9 rows' alone")

    for name in ("W1", "W2", "W3", "W4", "W5", "W6", "W7", "W8", "W4events") + VSIE + \
            tuple(TAPQ_MX):
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
    allq = by_name["Wallq"]
    if allq["rss_before_kib"] is not None:  # null where /proc/self/status is missing
        positive(allq, "rss_before_kib")
        positive(allq, "rss_after_kib")
        if allq["rss_growth_kib"] != allq["rss_after_kib"] - allq["rss_before_kib"]:
            fail("Wallq: rss_growth_kib is not rss_after_kib - rss_before_kib")
    for name in NAMES:
        if name != "Wallq" and by_name[name]["rss_growth_kib"] is not None:
            fail(f"{name}: rss figures are Wallq's alone")

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
