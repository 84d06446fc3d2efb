#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""A stand-in for qemu-system-s390x that plays a passing guest, to test run.py.

It takes QEMU's command line, serves an HMP-like monitor on the -monitor unix
socket (echoes each command, answers `s390ap_list` with a line, and an error
for any command containing "refuse"), and prints the markers a guest that
passes everything would print for the plan on the -append line, waiting for an
acknowledgement line on stdin after each S390AP-INJECT.

    python3 run.py --qemu fake_qemu.py --kernel - --initrd - --kat KAT \
        --machine irq.machine --mode irq          # must PASS

Environment: FAKE_KAT the vector file (for the kat-* names; required),
FAKE_REFUSE=1 asks for one injection the monitor refuses, FAKE_HANG=1 never
prints S390AP-DONE (run.py must then time out and fail).
"""

import os
import re
import socket
import sys
import threading
import time

import run  # the machine file parser


def serve_monitor(srv):
    conn, _ = srv.accept()
    conn.sendall(b"QEMU 7.2 monitor - type 'help' for more information\r\n(qemu) ")
    buf = b""
    while True:
        data = conn.recv(256)
        if not data:
            return
        buf += data
        while b"\n" in buf:
            line, buf = buf.split(b"\n", 1)
            conn.sendall(line + b"\r\n")
            text = line.decode()
            if text.startswith("s390ap_list"):
                conn.sendall(b"03.0006 CEX8A Accelerator online\r\n")
            elif "refuse" in text:
                conn.sendall(b"Error: injection refused\r\n")
            conn.sendall(b"(qemu) ")


def main():
    args = sys.argv[1:]
    sock = args[args.index("-monitor") + 1].split(":", 1)[1].split(",")[0]
    plan = dict(w.split("=", 1) for w in args[args.index("-append") + 1].split()
                if w.startswith("s390ap.") and "=" in w)
    srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    srv.bind(sock)
    srv.listen(1)
    threading.Thread(target=serve_monitor, args=(srv,), daemon=True).start()

    def out(text):
        print(text, flush=True)

    def inject(text):
        out("S390AP-INJECT " + text)
        return sys.stdin.readline().strip()

    def result(name, detail="fake"):
        out(f"S390AP-RESULT {name} PASS {detail}")

    # what a guest on the machine of -device s390ap,config=FILE would see
    config = re.search(r"config=([^,\s]+)", " ".join(args))
    adapters, usage = run.parse_machine(config.group(1)) if config else ({}, set())
    queues = len(adapters) * len(usage)
    cards = " ".join(f"{a:02x}:{run.card_type(p)}:online=1" for a, p in sorted(adapters.items()))

    out("S390AP-BOOT kernel=fake mode=" + plan.get("s390ap.mode", "?"))
    if plan.get("s390ap.probe-inject") == "1":
        inject("probe")
        result("inject-probe")
    for name in ("ap-bus", "modules", "ap-interrupts", "queue-interrupts"):
        result(name)
    result("ap-bindings", f"{queues}/{queues} (complete)")
    result("zcrypt-dev", "/dev/z90crypt; " + cards)
    out("S390AP-LISTING-BEGIN lszcrypt")
    out("CARD.DOMAIN TYPE  MODE")
    out("S390AP-LISTING-END")
    with open(os.environ["FAKE_KAT"], encoding="ascii") as f:
        for line in f:
            if line.strip() and not line.startswith("#"):
                result("kat-" + line.split()[1])
    if plan.get("s390ap.rng") == "1":
        result("rng")
    card = plan.get("s390ap.chkstop", "none")
    if card != "none":
        inject(f"checkstop {card}")
        result("checkstop-sysfs")
        result("checkstop-load")
        inject(f"checkstop {card} off")
        inject(f"configure {card} on")
        result("checkstop-recover")
    if os.environ.get("FAKE_REFUSE"):
        inject("refuse this")
    apqn = plan.get("s390ap.lose", "none")
    if apqn != "none":
        inject(f"lose {apqn}")
        result("lose")
    busy = plan.get("s390ap.busy", "none")
    if busy != "none":
        inject("busy " + busy.replace(":", " "))
        result("busy")
    if plan.get("s390ap.bench", "0") != "0":
        out("S390AP-BENCH rsa2048-me ops=1 seconds=1.00 ops_per_s=1.0")
        result("bench")
    if os.environ.get("FAKE_HANG"):
        time.sleep(3600)
    out("S390AP-DONE")


if __name__ == "__main__":
    main()
