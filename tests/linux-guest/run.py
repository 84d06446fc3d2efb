#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Boot the Linux guest test in QEMU and judge its marker lines.

Starts QEMU with the kernel and initramfs (mkinitramfs.sh), streams the guest
console to a log and to stdout, answers each `S390AP-INJECT TEXT` line by
sending `s390ap_inject TEXT` to QEMU's HMP monitor and writing an
acknowledgement line (`S390AP-ACK ok` or `S390AP-ACK fail WHY`) to the console,
collects the RESULT / BENCH / LISTING lines and exits 0 only if every result
this machine file calls for is PASS and the guest reached S390AP-DONE.
The marker protocol is described in tests/linux-guest/README.md.
"""

import argparse
import json
import os
import queue
import shutil
import re
import shlex
import socket
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
MARK = re.compile(r"S390AP-([A-Z-]+)(?: (.*))?$")
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b[()][A-Za-z0-9]")

# ---- what the machine file calls for ----------------------------------------------

# docs/scenario.md: without `machine empty` the description starts from the
# default machine.
DEFAULT_ADAPTERS = {0x03: "accel", 0x04: "cca", 0x05: "ep11"}
DEFAULT_USAGE = {0x06, 0x07, 0x47}


def parse_number(tok):
    return int(tok, 0)


def parse_machine(path):
    """Adapters (apid -> properties) and usage domains of a machine description."""
    adapters = {a: {"mode": m} for a, m in DEFAULT_ADAPTERS.items()}
    usage = set(DEFAULT_USAGE)
    with open(path, encoding="utf-8") as f:
        for lineno, raw in enumerate(f, 1):
            words = raw.split("#", 1)[0].split()
            if not words:
                continue
            try:
                if words[:2] == ["machine", "empty"]:
                    adapters, usage = {}, set()
                elif words[0] == "adapter":
                    adapters[parse_number(words[1])] = dict(zip(words[2::2], words[3::2]))
                elif words[0] == "domain":
                    kinds = set(words[2:])
                    if not kinds or "usage" in kinds:
                        usage.add(parse_number(words[1]))
            except (ValueError, IndexError) as e:
                sys.exit(f"run.py: {path}:{lineno}: cannot read '{raw.strip()}': {e}")
    return adapters, usage


def card_type(props):
    """What zcrypt's card `type` attribute shows: CEXn plus A, C or P by mode."""
    t = props.get("type", "CEX8").upper()
    if t.isdigit() or t.startswith("0X"):
        t = f"CEX{parse_number(t) - 6}"  # AP types 10..14 are CEX4..CEX8
    return t + {"accel": "A", "cca": "C", "ep11": "P"}.get(props.get("mode", "accel"), "?")


def machine_checks(adapters, usage, results):
    """Host-side checks of what the guest saw against the machine file."""
    out = {}
    queues = sum(1 for p in adapters.values() for d in usage
                 if d < parse_number(p.get("domains", "85")))
    verdict, detail = results.get("ap-bindings", ("MISSING", ""))
    m = re.match(r"(\d+)/(\d+)", detail)
    if verdict != "PASS" or not m:
        out["host-queue-count"] = ("FAIL", f"no ap-bindings count to compare ({verdict})")
    elif int(m.group(1)) != queues:
        out["host-queue-count"] = ("FAIL", f"the guest bound {m.group(1)} queues, the machine "
                                           f"file describes {queues}")
    else:
        out["host-queue-count"] = ("PASS", f"{queues} queues")
    verdict, detail = results.get("zcrypt-dev", ("MISSING", ""))
    seen = dict(re.findall(r"\b([0-9a-f]{2}):(\S+?):online=", detail))
    want = {f"{a:02x}": card_type(p) for a, p in adapters.items()}
    if verdict != "PASS":
        out["host-card-types"] = ("FAIL", f"no zcrypt-dev card list to compare ({verdict})")
    elif seen != want:
        out["host-card-types"] = ("FAIL", f"the guest sees {sorted(seen.items())}, the machine "
                                          f"file describes {sorted(want.items())}")
    else:
        out["host-card-types"] = ("PASS", " ".join(f"{a}:{t}" for a, t in sorted(want.items())))
    return out


def plan(args):
    """The kernel command line words and the results to expect."""
    adapters, usage = parse_machine(args.machine)
    modes = {a: p.get("mode", "accel") for a, p in adapters.items()}
    accel = sorted(a for a, m in modes.items() if m == "accel")
    has_cca = "cca" in modes.values() and bool(usage)
    dom = min(usage) if usage else None

    chkstop = args.chkstop
    if chkstop is None:
        chkstop = f"{accel[0]:02x}" if len(accel) >= 2 and usage else "none"
    lose = args.lose
    if lose is None:
        if accel and dom is not None:
            # not the checkstop test's card: that one has been through enough
            card = accel[-1]
            lose = f"{card:02x}.{dom:04x}"
        else:
            lose = "none"

    busy = args.busy
    if busy is None:
        # the last accelerator's last usage domain, busy for half a second of
        # virtual time: the request meets RC 05 and the driver must get past it
        busy = (f"{accel[-1]:02x}.{max(usage):04x}:500000000" if accel and usage
                else "none")
    args.busy = busy
    words = [f"s390ap.mode={args.mode}", f"s390ap.rng={1 if has_cca else 0}",
             f"s390ap.chkstop={chkstop}", f"s390ap.lose={lose}", f"s390ap.busy={args.busy}",
             f"s390ap.bench={args.bench}"]
    if args.probe_inject:
        words.append("s390ap.probe-inject=1")

    expected = ["ap-bus", "modules", "ap-bindings", "ap-interrupts", "queue-interrupts",
                "zcrypt-dev"]
    expected += [f"kat-{name}" for name in kat_names(args.kat)]
    if has_cca:
        expected.append("rng")
    if chkstop != "none":
        expected += ["checkstop-sysfs", "checkstop-load", "checkstop-recover",
                     "deconfig-sysfs", "deconfig-load", "deconfig-recover"]
    if lose != "none":
        expected.append("lose")
    if args.busy != "none":
        if not re.fullmatch(r"[0-9a-fA-F]{1,2}\.[0-9a-fA-F]{1,4}:\d+", args.busy):
            sys.exit("run.py: --busy AA.DDDD:CYCLES")
        expected.append("busy")
    if args.bench > 0:
        expected += ["bench-me-pub-2048", "bench-crt-2048"]
    if args.probe_inject:
        expected.insert(0, "inject-probe")
    expected += ["host-queue-count", "host-card-types"]
    return words, expected, adapters, usage


def kat_names(path):
    names = []
    with open(path, encoding="ascii") as f:
        for line in f:
            words = line.split()
            if words and not words[0].startswith("#"):
                names.append(words[1])
    return names


# ---- the HMP monitor ------------------------------------------------------------------


class Monitor:
    """QEMU's human monitor on a unix socket: one command, its text back."""

    PROMPT = b"(qemu) "

    def __init__(self, path, wait=15.0):
        deadline = time.monotonic() + wait
        while True:
            try:
                self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                self.sock.connect(path)
                break
            except OSError:
                self.sock.close()
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        self.buf = b""
        self._read_to_prompt(30.0)  # the banner

    def _read_to_prompt(self, timeout):
        deadline = time.monotonic() + timeout
        while self.PROMPT not in self.buf:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("no monitor prompt")
            self.sock.settimeout(left)
            chunk = self.sock.recv(4096)
            if not chunk:
                raise ConnectionError("monitor closed")
            self.buf += chunk
        text, _, self.buf = self.buf.partition(self.PROMPT)
        return text.decode("utf-8", "replace")

    def command(self, line, timeout=30.0):
        self.sock.sendall(line.encode() + b"\n")
        text = ANSI.sub("", self._read_to_prompt(timeout)).replace("\r", "")
        lines = [ln for ln in text.split("\n") if ln.strip()]
        # HMP echoes what it was sent
        if lines and lines[0].strip().endswith(line.strip()):
            lines = lines[1:]
        return "\n".join(lines)

    def close(self):
        self.sock.close()


def monitor_failed(reply):
    low = reply.lower()
    return "unknown command" in low or low.startswith("error") or "\nerror" in low


# ---- listings ---------------------------------------------------------------------------


def apsim_listing(apsim, kind, mode, machine_file):
    """What apsim prints for the machine file: the reference nobody booted."""
    what = {"lszcrypt": "print lszcrypt",
            "sysfs": "print sysfs" + (" polling" if mode == "poll" else "")}[kind]
    with tempfile.NamedTemporaryFile("w", suffix=".scn", delete=False) as f:
        f.write(what + "\n")
        scn = f.name
    try:
        out = subprocess.run([apsim, "--machine", machine_file, scn], capture_output=True,
                             text=True, timeout=60)
    finally:
        os.unlink(scn)
    if out.returncode != 0:
        raise RuntimeError(f"apsim exited {out.returncode}: {out.stderr.strip()}")
    return out.stdout


# Request counters: the only values the guest's own activity changes (the kernel
# reads its hwrng from the CCA card as soon as zcrypt registers it).
LSZCRYPT_ROW = re.compile(r"^([0-9a-f]{2}(?:\.[0-9a-f]{4})?\s.*\s)(\S+)$")


def without_counts(kind, text, history=False):
    """The listing without its request counters; with history=True also without
    each queue's `interrupt`, which after a change shows the driver's memory of its
    last AQIC rather than anything the machine can say."""
    lines = []
    for ln in text.strip("\n").split("\n"):
        path = ln.split(" ", 1)[0]
        if kind == "lszcrypt":
            ln = LSZCRYPT_ROW.sub(r"\1<count>", ln)
        elif path.endswith("/request_count") or (history and path.endswith("/interrupt")):
            ln = path + " <masked>"
        lines.append(ln)
    return lines


def diff_lines(a_name, a, b_name, b):
    out = []
    for i in range(max(len(a), len(b))):
        x = a[i] if i < len(a) else "<none>"
        y = b[i] if i < len(b) else "<none>"
        if x != y:
            out.append(f"line {i + 1}: {a_name} '{x}' {b_name} '{y}'")
    return out


def compare_listing(kind, guest_text, machine_text, machine_file, apsim, mode, later=False):
    """Compare the guest's listing (aplist.sh KIND) two ways.

    1. With the device's own listing at the same moment (`s390ap_list KIND`, the
       library's s390ap_machine_list on the live machine): at boot equal byte for
       byte, request counts included. In a later state (later=True: a card was
       checkstopped since) two values carry the guest's history and are left out:
       request counts (the kernel counts the request that met the checkstop, the
       machine only those NQAP accepted) and each queue's `interrupt` (the driver
       shows its last AQIC; the library shows what a guest booted in this state
       would). Everything else must still be equal.
    2. With apsim's listing of the same machine file (a machine nobody booted):
       equal except the request counts, which the guest's own requests raise.
    Returns (differences, notes).
    """
    diffs, notes = [], []
    if machine_text is None:
        diffs.append("the device's listing could not be read")
    else:
        if later:
            guest = without_counts(kind, guest_text, history=True)
            live = without_counts(kind, machine_text, history=True)
            notes.append("request counts and queue interrupt states not compared")
        else:
            guest = guest_text.strip("\n").split("\n")
            live = machine_text.strip("\n").split("\n")
        diffs += ["device: " + d for d in diff_lines("guest", guest, "device", live)]
    if apsim:
        try:
            ref = without_counts(kind, apsim_listing(apsim, kind, mode, machine_file))
        except (OSError, RuntimeError, subprocess.TimeoutExpired) as e:
            diffs.append(f"apsim: {e}")
        else:
            apsim_diffs = diff_lines("guest", without_counts(kind, guest_text), "apsim", ref)
            diffs += ["apsim: " + d for d in apsim_diffs]
            if not apsim_diffs:
                notes.append("equal to apsim's for the machine file but for request counts")
    else:
        notes.append("apsim not given: not compared with apsim")
    return diffs, notes


# ---- the run ----------------------------------------------------------------------------


def reader(stream, q):
    for raw in iter(stream.readline, b""):
        q.put(raw.decode("utf-8", "replace").rstrip("\r\n"))
    q.put(None)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--qemu", default=os.environ.get("QEMU", "qemu-system-s390x"))
    ap.add_argument("--kernel", required=True, help="vmlinuz")
    ap.add_argument("--initrd", required=True, help="initrd.gz from mkinitramfs.sh")
    ap.add_argument("--machine", required=True, help="machine description (*.machine)")
    ap.add_argument("--mode", required=True, choices=("irq", "poll"),
                    help="the interruption mode the machine file gives the guest")
    ap.add_argument("--kat", default=None, help="the vector file in the initramfs (kat.py)")
    ap.add_argument("--device-args", default="-device s390ap,config={machine}",
                    help="QEMU arguments for the AP device; {machine} is the machine file; "
                         "'' for none (default: %(default)s)")
    ap.add_argument("--firmware", default="/usr/share/qemu", help="QEMU -L directory")
    ap.add_argument("--qemu-arg", action="append", default=[], help="one more QEMU argument")
    ap.add_argument("--append", default="", help="more kernel command line")
    ap.add_argument("--chkstop", default=None, help="AA or none (default: from the machine)")
    ap.add_argument("--lose", default=None, help="AA.DDDD or none (default: from the machine)")
    ap.add_argument("--busy", default=None,
                    help="AA.DDDD:CYCLES or none: make that queue busy and send it a request "
                         "(default: the last accelerator's last usage domain, 500000000)")
    ap.add_argument("--bench", type=int, default=10, help="benchmark seconds, 0 to skip")
    ap.add_argument("--inject-command", default="s390ap_inject {text}",
                    help="the HMP command for an injection; {text} is the guest's text "
                         "(default: %(default)s)")
    ap.add_argument("--probe-inject", action="store_true",
                    help="let the guest ask for one harmless injection first")
    ap.add_argument("--timeout", type=float, default=900.0, help="seconds for the whole run")
    ap.add_argument("--log", default=None, help="console log (default: a temporary file)")
    ap.add_argument("--summary", default=None, help="write the results as JSON here")
    ap.add_argument("--quiet", action="store_true", help="do not copy the console to stdout")
    ap.add_argument("--apsim", default=os.environ.get("S390AP_APSIM"),
                    help="apsim, to compare the guest's listings with the machine file's")
    args = ap.parse_args()
    if args.kat is None:
        sys.exit("run.py: --kat is required (the vectors in the initramfs, for their names)")

    words, expected, adapters, usage = plan(args)
    tmp = tempfile.mkdtemp(prefix="s390ap-guest-")
    sock = os.path.join(tmp, "monitor.sock")
    log_path = args.log or os.path.join(tmp, "console.log")
    device = shlex.split(args.device_args.replace("{machine}", os.path.abspath(args.machine)))
    cmdline = " ".join(["console=ttysclp0", "panic=1"] + words + ([args.append] if args.append
                                                                   else []))
    cmd = [args.qemu, "-M", "s390-ccw-virtio", "-m", "512", "-display", "none",
           "-serial", "stdio", "-no-reboot", "-net", "none",
           "-kernel", args.kernel, "-initrd", args.initrd, "-append", cmdline,
           "-L", args.firmware, "-monitor", f"unix:{sock},server=on,wait=off"]
    cmd += device + args.qemu_arg

    log = open(log_path, "w", encoding="utf-8")

    def say(text):
        line = f"run.py: {text}"
        print(line, flush=True)
        log.write(line + "\n")
        log.flush()

    say("command: " + shlex.join(cmd))
    say("expecting: " + " ".join(expected))
    t0 = time.monotonic()
    proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT)
    lines = queue.Queue()
    threading.Thread(target=reader, args=(proc.stdout, lines), daemon=True).start()

    mon = None
    results = {}      # name -> (verdict, detail)
    extra_fail = []   # failures outside the expected list
    benches = []
    listings = []     # (kind, text, machine_text)
    injections = []   # (text, ok, reply)
    done = False
    listing = None
    timed_out = False

    def monitor():
        nonlocal mon
        if mon is None:
            mon = Monitor(sock)
        return mon

    while True:
        left = args.timeout - (time.monotonic() - t0)
        if left <= 0:
            timed_out = True
            break
        try:
            line = lines.get(timeout=min(left, 1.0))
        except queue.Empty:
            continue
        if line is None:
            break
        log.write(line + "\n")
        log.flush()
        if not args.quiet:
            print(line, flush=True)
        if listing is not None:
            if "S390AP-LISTING-END" in line:
                listings.append(listing)
                listing = None
            else:
                listing[1].append(line)
            continue
        m = MARK.search(line)
        if not m:
            continue
        kind, rest = m.group(1), (m.group(2) or "").strip()
        if kind == "RESULT":
            parts = rest.split(" ", 2)
            name = parts[0]
            verdict = parts[1] if len(parts) > 1 else "?"
            detail = parts[2] if len(parts) > 2 else ""
            if name in results:
                extra_fail.append(f"{name}: reported twice")
            results[name] = (verdict, detail)
        elif kind == "BENCH":
            benches.append(rest)
        elif kind == "LISTING-BEGIN":
            machine_text = None
            try:
                machine_text = monitor().command(f"s390ap_list {rest.split()[0]}")
            except (OSError, TimeoutError, ConnectionError) as e:
                say(f"s390ap_list: {e}")
            listing = (rest, [], machine_text)
        elif kind == "INJECT":
            try:
                reply = monitor().command(args.inject_command.replace("{text}", rest))
                ok = not monitor_failed(reply)
            except (OSError, TimeoutError, ConnectionError) as e:
                reply, ok = f"monitor: {e}", False
            injections.append((rest, ok, reply))
            say(f"inject '{rest}': {'ok' if ok else 'FAILED'}: {reply.strip() or '(no output)'}")
            ack = "S390AP-ACK ok" if ok else "S390AP-ACK fail " + " ".join(reply.split())[:200]
            try:
                proc.stdin.write(ack.encode() + b"\n")
                proc.stdin.flush()
            except OSError as e:
                say(f"cannot write the acknowledgement: {e}")
        elif kind == "DONE":
            done = True

    elapsed = time.monotonic() - t0
    if timed_out:
        say(f"timeout after {args.timeout:.0f}s: killing QEMU")
        proc.kill()
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        say("QEMU did not exit after the guest finished: killing it")
        proc.kill()
        proc.wait()
    if mon:
        mon.close()
    if args.log:
        shutil.rmtree(tmp, ignore_errors=True)  # only the monitor socket was there

    # ---- the verdict ----
    results.update(machine_checks(adapters, usage, results))
    failures = []
    for name in expected:
        verdict, detail = results.get(name, ("MISSING", ""))
        if verdict != "PASS":
            failures.append(f"{name} {verdict} {detail}".strip())
    for name, (verdict, detail) in results.items():
        if name not in expected and verdict != "PASS":
            failures.append(f"{name} {verdict} {detail} (not expected)")
    failures += extra_fail
    for text, ok, reply in injections:
        if not ok:
            failures.append(f"injection '{text}' failed: {reply.strip()}")
    listing_report = []
    for kind, text, machine_text in listings:
        # "KIND" at boot, "KIND LABEL" in a later state: apsim knows only the boot state
        kind, _, label = kind.partition(" ")
        diff, notes = compare_listing(kind, "\n".join(text), machine_text, args.machine,
                                      None if label else args.apsim, args.mode, bool(label))
        if label:
            kind = f"{kind} ({label})"
            notes = [n for n in notes if not n.startswith("apsim not given")]
        if diff:
            failures.append(f"listing {kind} differs: " + "; ".join(diff[:8]))
        else:
            listing_report.append(f"{kind}: {len(text)} lines, equal to the device's"
                                  + "".join(f"; {n}" for n in notes))
    if not done:
        failures.append("the guest did not reach S390AP-DONE" +
                        (" (timeout)" if timed_out else f" (QEMU exit status {proc.returncode})"))

    say(f"--- summary ({elapsed:.1f}s, QEMU exit status {proc.returncode}, log {log_path})")
    for name in expected:
        verdict, detail = results.get(name, ("MISSING", ""))
        say(f"  {verdict:7} {name} {detail}")
    for b in benches:
        say(f"  BENCH   {b}")
    for r in listing_report:
        say(f"  LISTING {r}")
    if args.summary:
        with open(args.summary, "w", encoding="utf-8") as f:
            json.dump({"mode": args.mode, "machine": args.machine, "seconds": round(elapsed, 1),
                       "done": done, "results": {k: {"verdict": v, "detail": d}
                                                 for k, (v, d) in results.items()},
                       "expected": expected, "bench": benches, "failures": failures}, f,
                      indent=1)
    if failures:
        say(f"FAIL: {len(failures)} problem(s):")
        for f_ in failures:
            say("  " + f_)
        return 1
    say(f"PASS: {len(expected)} results")
    return 0


if __name__ == "__main__":
    sys.exit(main())
