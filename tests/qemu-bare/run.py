# SPDX-License-Identifier: MIT
"""Run exc.elf in QEMU once and judge its results.

usage: run.py QEMU ELF MODE [FIRMWARE_DIR]    MODE: ap | noap

QEMU starts with its CPU stopped (-S) and waits for the QMP client (server,
wait); the guest runs (cont) only after capabilities negotiation, before which
QMP would drop events, so GUEST_PANICKED cannot be missed.
The program ends in a disabled wait, which QEMU turns into a guest panic;
with -action panic=pause QEMU stops and sends GUEST_PANICKED carrying the
PSW.  pmemsave then copies the results area to a file, and quit ends QEMU.
Exit 0 when the PSW says "all passed" for MODE and every check of MODE
passed; QEMU is killed after TIMEOUT seconds (default 60).
"""

import json
import os
import socket
import struct
import subprocess
import sys
import tempfile
import time

RES = 0x30000
RES_SIZE = 64 * 32
MAGIC = b"S390APEX"
PSW_PASS = {"ap": 0x600DA9, "noap": 0x600D00}
MODE_WORD = {"ap": 1, "noap": 2}

# The values each check records (exc.S: v0..v6 of its record), in order.
EXC = [("interruptions", "d"), ("code", "x"), ("ilc", "d"), ("old-psw", "x"),
       ("expected-psw", "x"), ("teid", "x"), ("regs-unchanged", "d")]
EXC_NO_TEID = EXC[:5] + [None, EXC[6]]
QCI_MODE = [("cc", "d"), ("interruptions", "d"), ("bytes16-23", "x")]
FACS = [("fac0", "x"), ("fac1", "x"), ("bits-12-15-65", "x")]

# Check id (exc.S C_*): name, values; in the order the program runs them.
CHECKS_AP = [
    (1, "tapq", [("cc", "d"), ("gr1", "x"), ("gr2", "x"), ("interruptions", "d")]),
    (2, "stfle-ap-facilities", FACS),
    (3, "qci", [("cc", "d"), ("apm", "x"), ("aqm", "x"), ("adm", "x"), ("bytes0-7", "x"),
                ("interruptions", "d")]),
    (27, "qci-31-bit-address", QCI_MODE),
    (28, "qci-24-bit-address", QCI_MODE),
    (29, "qci-24-bit-wrap", QCI_MODE),
    (30, "qci-prefixed", [("cc", "d"), ("interruptions", "d"), ("abs-prefix-area", "x"),
                          ("abs-low", "x")]),
    (4, "qci-addressing", EXC_NO_TEID),
    (5, "qci-addressing-across-end", EXC[:5] + [("below-end", "x"), EXC[6]]),
    (6, "nqap-addressing", EXC[:5] + [("status-after", "x"), EXC[6]]),
    (7, "nqap-type50", [("cc", "d"), ("gr1", "x"), ("interruptions", "d")]),
    (8, "reply-ready", [("status", "x"), ("tapqs", "d")]),
    (9, "dqap-addressing", EXC[:5] + [("status-after", "x"), EXC[6]]),
    (19, "qci-low-address-protection", EXC),
    (26, "qci-dat-primary", [("cc", "d"), ("apm", "x"), ("interruptions", "d")]),
    (24, "qci-secondary-space", EXC),
    (25, "qci-home-space", EXC),
    (10, "qci-page-translation", EXC),
    (11, "nqap-page-translation", EXC),
    (31, "nqap-page-translation-across", EXC),
    (12, "dqap-protection", EXC),
    (18, "qci-protection-across-page", EXC),
    (13, "reply-kept", [("status", "x")]),
    (14, "dqap-reply", [("cc", "d"), ("gr1", "x"), ("reply", "x"), ("gr4", "x"),
                        ("gr5", "x"), ("gr7", "x"), ("status-after", "x")]),
    (15, "pqap-privileged", EXC_NO_TEID),
    (16, "nqap-privileged", EXC[:5] + [("status-after", "x"), EXC[6]]),
    (17, "dqap-privileged", EXC_NO_TEID),
]
CHECKS_NOAP = [
    (20, "pqap-operation", EXC_NO_TEID),
    (21, "nqap-operation", EXC_NO_TEID),
    (22, "dqap-operation", EXC_NO_TEID),
    (23, "stfle-no-ap-facilities", FACS),
]
CHECKS = {"ap": CHECKS_AP, "noap": CHECKS_NOAP}


class Qmp:
    def __init__(self, path, deadline, proc):
        self.deadline = deadline
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        while True:
            try:
                self.sock.connect(path)
                break
            except (FileNotFoundError, ConnectionRefusedError):
                if proc.poll() is not None:
                    raise EOFError("QEMU exited with status %d" % proc.returncode)
                if time.monotonic() > deadline:
                    raise TimeoutError("no QMP socket")
                time.sleep(0.05)
        self.buf = b""
        self.events = []
        self.read()  # greeting
        self.cmd("qmp_capabilities")

    def read(self):
        while b"\n" not in self.buf:
            left = self.deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("QEMU did not answer in time")
            self.sock.settimeout(left)
            data = self.sock.recv(65536)
            if not data:
                raise EOFError("QEMU closed QMP")
            self.buf += data
        line, self.buf = self.buf.split(b"\n", 1)
        return json.loads(line)

    def cmd(self, name, **args):
        msg = {"execute": name}
        if args:
            msg["arguments"] = args
        self.sock.sendall(json.dumps(msg).encode() + b"\n")
        while True:
            r = self.read()
            if "event" in r:
                self.events.append(r)
                continue
            if "error" in r:
                raise RuntimeError("%s: %s" % (name, r["error"]))
            return r["return"]

    def event(self, names):
        while True:
            for e in self.events:
                if e["event"] in names:
                    self.events.remove(e)
                    return e
            r = self.read()
            if "event" in r:
                self.events.append(r)


def fmt(v, f):
    return "%d" % v if f == "d" else "0x%x" % v


def judge(mode, psw_addr, res):
    ok = True
    if res[:8] != MAGIC:
        print("exc: FAIL results area: no magic (the program did not start)")
        return False
    mode_word, passed, first_fail, final = struct.unpack_from(">4Q", res, 8)
    for cid, name, fields in CHECKS[mode]:
        rec = struct.unpack_from(">8Q", res, 64 * cid)
        status = {0: "NOT-RUN", 1: "PASS", 2: "FAIL"}.get(rec[0], "BAD")
        vals = " ".join("%s=%s" % (f[0], fmt(v, f[1]))
                        for f, v in zip(fields, rec[1:]) if f is not None)
        print("exc: %s %s %s" % (status, name, vals))
        ok = ok and rec[0] == 1
    want_mode = MODE_WORD[mode]
    if mode_word != want_mode:
        print("exc: FAIL mode: the program found %s, expected %s" %
              ({1: "the AP facility", 2: "no AP facility"}.get(mode_word, "nothing"), mode))
        ok = False
    if psw_addr != PSW_PASS[mode]:
        print("exc: FAIL final PSW address 0x%x (0x%x = all passed; 0xbad0NN = check NN "
              "failed first; 0xdead0N = unexpected interruption)" % (psw_addr, PSW_PASS[mode]))
        ok = False
    print("exc: %s mode %s: %d checks passed, PSW address 0x%x" %
          ("PASS" if ok else "FAIL", mode, passed, psw_addr))
    return ok


def main():
    if len(sys.argv) < 4 or sys.argv[3] not in PSW_PASS:
        print(__doc__, file=sys.stderr)
        return 2
    qemu, elf, mode = sys.argv[1:4]
    fwdir = sys.argv[4] if len(sys.argv) > 4 else ""
    timeout = float(os.environ.get("TIMEOUT", "60"))
    tmp = tempfile.mkdtemp(prefix="s390ap-bare-")
    sock = os.path.join(tmp, "qmp.sock")
    dump = os.path.join(tmp, "results.bin")
    log = os.path.join(tmp, "qemu.log")
    args = [qemu, "-M", "s390-ccw-virtio", "-accel", "tcg", "-m", "64M", "-smp", "1",
            "-nodefaults", "-no-user-config", "-display", "none",
            "-kernel", elf, "-action", "panic=pause", "-S",
            "-qmp", "unix:%s,server=on,wait=on" % sock]
    if fwdir:
        args += ["-L", fwdir]
    if mode == "ap":
        args += ["-device", "s390ap"]
    # the whole run, QEMU's state dump on a timeout included, fits in TIMEOUT
    end = time.monotonic() + timeout
    deadline = end - min(3.0, timeout / 10)
    with open(log, "wb") as out:
        proc = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=out,
                                stderr=subprocess.STDOUT)
    ok = False
    qmp = None
    try:
        qmp = Qmp(sock, deadline, proc)
        qmp.cmd("cont")
        try:
            e = qmp.event(("GUEST_PANICKED", "SHUTDOWN"))
        except TimeoutError:
            # where the guest is stuck, for the log
            qmp.deadline = end
            qmp.cmd("stop")
            regs = qmp.cmd("human-monitor-command", **{"command-line": "info registers"})
            print("exc: guest state at the timeout:\n" + regs.strip())
            raise
        if e["event"] != "GUEST_PANICKED":
            print("exc: FAIL QEMU shut down instead of a disabled wait: %s" % e)
        else:
            info = e["data"].get("info", {})
            psw_addr = info.get("psw-addr", -1)
            print("exc: mode %s: disabled wait, PSW 0x%016x 0x%016x" %
                  (mode, info.get("psw-mask", 0), psw_addr))
            qmp.cmd("pmemsave", val=RES, size=RES_SIZE, filename=dump)
            with open(dump, "rb") as f:
                ok = judge(mode, psw_addr, f.read())
        try:
            qmp.cmd("quit")
        except (EOFError, OSError):
            pass
    except (TimeoutError, EOFError, OSError, RuntimeError) as err:
        print("exc: FAIL mode %s: %s" % (mode, err))
    finally:
        try:
            proc.wait(timeout=max(0.1, end - time.monotonic()))
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    if not ok:
        with open(log, "rb") as f:
            text = f.read().decode(errors="replace").strip()
        if text:
            print("exc: QEMU output:\n" + text)
    for name in (sock, dump, log):
        if os.path.exists(name):
            os.unlink(name)
    os.rmdir(tmp)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
