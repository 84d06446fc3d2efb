#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Known-answer vectors for the guest's zctest (tests/linux-guest/zctest.c).

Reads the fixed test keys (kat-keys.txt next to this file), makes deterministic
messages, computes every expected result with pow() and writes the vector file
the guest program reads:

    # comment
    me  NAME LEN MSG EXP MOD EXPECTED
    crt NAME LEN MSG P Q DP DQ U EXPECTED

LEN is the ioctl's inputdatalength (the modulus length in bytes); every other
field is big-endian hex laid out as zcrypt's ioctls want it: MSG, EXP, MOD and
EXPECTED LEN bytes; for ICARSACRT the larger prime P, DP = d mod (P-1) and
U = Q^-1 mod P LEN/2 + 8 bytes (eight leading zero bytes the driver skips), Q
and DQ = d mod (Q-1) LEN/2 bytes.

usage: kat.py [--keys FILE] [--check-openssl] OUTPUT
  --check-openssl  also hand each key to `openssl pkey -check` (dp, dq and
                   qinv consistent with p, q and d) and each private-key case
                   to `openssl pkeyutl` with no padding (the same answer)
"""

import argparse
import hashlib
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))


def fail(msg):
    print("kat.py: " + msg, file=sys.stderr)
    sys.exit(1)


def read_keys(path):
    """The key blocks of kat-keys.txt as a list of dicts."""
    keys = []
    cur = None
    with open(path, encoding="ascii") as f:
        for lineno, raw in enumerate(f, 1):
            line = raw.split("#", 1)[0].strip()
            if not line:
                continue
            words = line.split()
            if words[0] == "key":
                if len(words) != 3:
                    fail(f"{path}:{lineno}: key NAME BITS")
                cur = {"name": words[1], "bits": int(words[2])}
                keys.append(cur)
            elif words[0] in ("n", "e", "d", "p", "q") and len(words) == 2 and cur:
                cur[words[0]] = int(words[1], 16)
            else:
                fail(f"{path}:{lineno}: unexpected '{line}'")
    for k in keys:
        for f in ("n", "e", "d", "p", "q"):
            if f not in k:
                fail(f"key {k['name']}: no {f}")
    return keys


def check_key(k):
    n, e, d, p, q = k["n"], k["e"], k["d"], k["p"], k["q"]
    if p * q != n:
        fail(f"key {k['name']}: p*q != n")
    if n.bit_length() != k["bits"]:
        fail(f"key {k['name']}: n has {n.bit_length()} bits, not {k['bits']}")
    if (e * d) % ((p - 1) * (q - 1) // gcd(p - 1, q - 1)) != 1:
        fail(f"key {k['name']}: e*d != 1 mod lcm(p-1, q-1)")


def gcd(a, b):
    while b:
        a, b = b, a % b
    return a


def crt_params(k):
    """p > q (the larger prime goes into the ioctl's longer np_prime field)."""
    p, q, d = k["p"], k["q"], k["d"]
    if p < q:
        p, q = q, p
    return p, q, d % (p - 1), d % (q - 1), pow(q, -1, p)


def message(name, n):
    """A deterministic number below n, about as long as n."""
    length = (n.bit_length() + 7) // 8
    stream = b""
    counter = 0
    while len(stream) < length:
        stream += hashlib.sha256(f"s390ap-kat {name} {counter}".encode()).digest()
        counter += 1
    return int.from_bytes(stream[:length], "big") % n


def hexfield(value, nbytes):
    if value < 0 or value.bit_length() > 8 * nbytes:
        fail(f"value does not fit {nbytes} bytes")
    return value.to_bytes(nbytes, "big").hex()


def cases(keys):
    """(kind, name, fields...) per case; the values for the checks beside."""
    out = []
    for k in keys:
        n, e, d = k["n"], k["e"], k["d"]
        bits = k["bits"]
        mlen = (bits + 7) // 8
        if mlen % 2:
            fail(f"key {k['name']}: ICARSACRT needs an even modulus length")
        half = mlen // 2
        m = message(k["name"], n)
        c = pow(m, e, n)
        out.append(("me", f"me-pub-{bits}", mlen,
                    [hexfield(m, mlen), hexfield(e, mlen), hexfield(n, mlen), hexfield(c, mlen)],
                    None))
        out.append(("me", f"me-priv-{bits}", mlen,
                    [hexfield(c, mlen), hexfield(d, mlen), hexfield(n, mlen), hexfield(m, mlen)],
                    (k, c, m)))
        p, q, dp, dq, u = crt_params(k)
        # Garner's recombination must give what the plain exponentiation gives
        m1, m2 = pow(c, dp, p), pow(c, dq, q)
        if m2 + ((u * (m1 - m2)) % p) * q != m:
            fail(f"key {k['name']}: CRT parameters do not reconstruct c^d mod n")
        out.append(("crt", f"crt-{bits}", mlen,
                    [hexfield(c, mlen), hexfield(p, half + 8), hexfield(q, half),
                     hexfield(dp, half + 8), hexfield(dq, half), hexfield(u, half + 8),
                     hexfield(m, mlen)],
                    (k, c, m)))
    return out


# ---- the optional check with openssl ---------------------------------------------


def der_len(n):
    if n < 0x80:
        return bytes([n])
    b = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(b)]) + b


def der_int(v):
    b = v.to_bytes(v.bit_length() // 8 + 1, "big")  # a leading 0 keeps it positive
    return b"\x02" + der_len(len(b)) + b


def rsa_private_der(k):
    """PKCS#1 RSAPrivateKey with our CRT numbers, for openssl to check."""
    p, q, dp, dq, u = crt_params(k)
    body = b"".join(der_int(v) for v in (0, k["n"], k["e"], k["d"], p, q, dp, dq, u))
    return b"\x30" + der_len(len(body)) + body


def check_with_openssl(keys, all_cases):
    with tempfile.TemporaryDirectory() as tmp:
        for k in keys:
            path = os.path.join(tmp, k["name"] + ".der")
            with open(path, "wb") as f:
                f.write(rsa_private_der(k))
            r = subprocess.run(["openssl", "pkey", "-inform", "DER", "-in", path, "-check",
                                "-noout"], capture_output=True, text=True)
            if r.returncode != 0 or "valid" not in (r.stdout + r.stderr).lower():
                fail(f"openssl pkey -check on {k['name']}: {r.stdout}{r.stderr}")
            print(f"kat.py: openssl: key {k['name']} valid")
        for kind, name, mlen, _, extra in all_cases:
            if extra is None:
                continue
            k, c, m = extra
            key = os.path.join(tmp, k["name"] + ".der")
            r = subprocess.run(["openssl", "pkeyutl", "-decrypt", "-keyform", "DER", "-inkey",
                                key, "-pkeyopt", "rsa_padding_mode:none"],
                               input=c.to_bytes(mlen, "big"), capture_output=True)
            if r.returncode != 0 or r.stdout != m.to_bytes(mlen, "big"):
                fail(f"openssl pkeyutl disagrees on {name}: {r.stderr.decode(errors='replace')}")
            print(f"kat.py: openssl: {name} ({kind}) agrees")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--keys", default=os.path.join(HERE, "kat-keys.txt"))
    ap.add_argument("--check-openssl", action="store_true")
    ap.add_argument("output")
    args = ap.parse_args()

    keys = read_keys(args.keys)
    for k in keys:
        check_key(k)
    all_cases = cases(keys)
    if args.check_openssl:
        check_with_openssl(keys, all_cases)

    lines = ["# s390ap known-answer vectors for zctest, written by kat.py; see kat.py for the"
             " format"]
    for kind, name, mlen, fields, _ in all_cases:
        lines.append(" ".join([kind, name, str(mlen)] + fields))
    tmp = args.output + ".tmp"
    with open(tmp, "w", encoding="ascii") as f:
        f.write("\n".join(lines) + "\n")
    os.replace(tmp, args.output)
    print(f"kat.py: {len(all_cases)} cases written to {args.output}")


if __name__ == "__main__":
    main()
