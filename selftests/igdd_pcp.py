#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""A raw PCP (RFC 6887) / NAT-PMP (RFC 6886) client for igdd_pcp.sh.

  igdd_pcp.py [-t SECONDS] GW REQUEST...
  igdd_pcp.py [-t SECONDS] GW batch      (one REQUEST a line on stdin)

REQUEST is one of
  map PROTO INT_PORT SUG_PORT LIFETIME NONCE_HEX [--third-party ADDR]
      [--prefer-failure] [--client ADDR]
      one PCP MAP; prints "result=R lifetime=L port=P addr=A epoch=E opts=HEX"
  announce
      one PCP ANNOUNCE; prints "result=R lifetime=L epoch=E len=N op=OP version=V"
  raw HEX...
      these bytes; prints the answer in hex
  rawlen BYTE0 BYTE1 LEN
      LEN bytes (BYTE0 BYTE1 then zeros); prints "LEN FIRST4HEX"
and may start with -t SECONDS (how long to wait for this answer).
Each request prints one line, "none" when no answer came within the
timeout (default 3 s). Requests go from one ephemeral port; the PCP client
address field is the local address the kernel picks to reach GW (or
--client). Exit 0, or 1 if the last request got no answer.
"""
import argparse
import shlex
import socket
import struct
import sys

top = argparse.ArgumentParser()
top.add_argument("-t", "--timeout", type=float, default=3.0)
top.add_argument("gw")
top.add_argument("request", nargs=argparse.REMAINDER)
ta = top.parse_args()

req_p = argparse.ArgumentParser(prog="request")
req_p.add_argument("-t", "--timeout", type=float, default=ta.timeout)
req_p.add_argument("cmd", choices=["map", "announce", "raw", "rawlen"])
req_p.add_argument("args", nargs="*")
req_p.add_argument("--third-party")
req_p.add_argument("--prefer-failure", action="store_true")
req_p.add_argument("--client")

s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.connect((ta.gw, 5351))


def v4mapped(addr):
    return b"\0" * 10 + b"\xff\xff" + socket.inet_aton(addr)


def exchange(req, timeout):
    s.settimeout(timeout)
    s.send(req)
    try:
        return s.recv(2048)
    except socket.timeout:
        return None


def one(argv):
    a = req_p.parse_args(argv)
    local = a.client or s.getsockname()[0]

    def header(opcode, lifetime):
        return struct.pack(">BBHI", 2, opcode, 0, lifetime) + v4mapped(local)

    if a.cmd == "map":
        proto, iport, sport, life, nonce = a.args
        proto = {"udp": 17, "tcp": 6}.get(proto, None) or int(proto)
        req = header(1, int(life)) + bytes.fromhex(nonce)
        req += struct.pack(">B3xHH", proto, int(iport), int(sport)) + b"\0" * 16
        if a.third_party:
            req += struct.pack(">BBH", 1, 0, 16) + v4mapped(a.third_party)
        if a.prefer_failure:
            req += struct.pack(">BBH", 2, 0, 0)
        r = exchange(req, a.timeout)
        if r is None:
            return None
        if len(r) < 60 or r[0] != 2 or r[1] != 0x81:
            return "bad answer " + r.hex()
        if r[24:36] != bytes.fromhex(nonce):
            return "nonce not echoed " + r.hex()
        life, epoch = struct.unpack(">II", r[4:12])
        port = struct.unpack(">H", r[42:44])[0]
        addr = socket.inet_ntoa(r[56:60]) if r[44:56] == v4mapped("0.0.0.0")[:12] \
            else r[44:60].hex()
        return (f"result={r[3]} lifetime={life} port={port} addr={addr} "
                f"epoch={epoch} opts={r[60:].hex() or '-'}")
    if a.cmd == "announce":
        r = exchange(header(0, 0), a.timeout)
        if r is None or len(r) < 12:
            return None if r is None else "bad answer " + r.hex()
        life, epoch = struct.unpack(">II", r[4:12])
        return (f"result={r[3]} lifetime={life} epoch={epoch} len={len(r)} "
                f"op={r[1]:#x} version={r[0]}")
    if a.cmd == "raw":
        r = exchange(bytes.fromhex("".join(a.args)), a.timeout)
        return None if r is None else r.hex()
    b0, b1, n = (int(x, 0) for x in a.args)
    r = exchange(bytes([b0, b1]) + b"\0" * (n - 2), a.timeout)
    return None if r is None else f"{len(r)} {r[:4].hex()}"


if ta.request and ta.request[0] == "batch":
    lines = [shlex.split(line) for line in sys.stdin if line.strip()]
else:
    lines = [ta.request]
out = None
for argv in lines:
    out = one(argv)
    print(out if out is not None else "none", flush=True)
sys.exit(0 if out is not None else 1)
