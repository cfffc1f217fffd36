#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""A raw PCP (RFC 6887) / NAT-PMP (RFC 6886) client for igdd_pcp.sh.

  igdd_pcp.py GW map PROTO INT_PORT SUG_PORT LIFETIME NONCE_HEX
              [--third-party ADDR] [--prefer-failure] [--client ADDR]
      one PCP MAP request; prints
      "result=R lifetime=L port=P addr=A epoch=E opts=HEX"
  igdd_pcp.py GW announce
      one PCP ANNOUNCE; prints "result=R lifetime=L epoch=E len=N"
  igdd_pcp.py GW raw HEX
      send these bytes to GW:5351; prints the answer in hex, or "none"
  igdd_pcp.py GW rawlen BYTE0 BYTE1 LEN
      send LEN bytes (BYTE0 BYTE1 then zeros); prints the answer's length
      and its first four bytes, or "none"

Requests go from an ephemeral port; the PCP client address field is the
local address the kernel picks to reach GW (or --client). Answers are
waited for -t seconds (default 3); exit 0 when one came, 1 when none.
"""
import argparse
import socket
import struct
import sys

p = argparse.ArgumentParser()
p.add_argument("-t", "--timeout", type=float, default=3.0)
p.add_argument("gw")
p.add_argument("cmd", choices=["map", "announce", "raw", "rawlen"])
p.add_argument("args", nargs="*")
p.add_argument("--third-party")
p.add_argument("--prefer-failure", action="store_true")
p.add_argument("--client")
a = p.parse_args()

s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(a.timeout)
s.connect((a.gw, 5351))
local = a.client or s.getsockname()[0]


def v4mapped(addr):
    return b"\0" * 10 + b"\xff\xff" + socket.inet_aton(addr)


def header(opcode, lifetime):
    return struct.pack(">BBHI", 2, opcode, 0, lifetime) + v4mapped(local)


def exchange(req):
    s.send(req)
    try:
        return s.recv(2048)
    except socket.timeout:
        print("none")
        sys.exit(1)


if a.cmd == "map":
    proto, iport, sport, life, nonce = a.args
    proto = {"udp": 17, "tcp": 6}.get(proto, None) or int(proto)
    req = header(1, int(life)) + bytes.fromhex(nonce)
    req += struct.pack(">B3xHH", proto, int(iport), int(sport)) + b"\0" * 16
    if a.third_party:
        req += struct.pack(">BBH", 1, 0, 16) + v4mapped(a.third_party)
    if a.prefer_failure:
        req += struct.pack(">BBH", 2, 0, 0)
    r = exchange(req)
    if len(r) < 60 or r[0] != 2 or r[1] != 0x81:
        print("bad answer " + r.hex())
        sys.exit(1)
    res = r[3]
    life, epoch = struct.unpack(">II", r[4:12])
    port = struct.unpack(">H", r[42:44])[0]
    addr = socket.inet_ntoa(r[56:60]) if r[44:56] == v4mapped("0.0.0.0")[:12] \
        else r[44:60].hex()
    if r[24:36] != bytes.fromhex(nonce):
        print("nonce not echoed " + r.hex())
        sys.exit(1)
    print(f"result={res} lifetime={life} port={port} addr={addr} "
          f"epoch={epoch} opts={r[60:].hex() or '-'}")
elif a.cmd == "announce":
    r = exchange(header(0, 0))
    life, epoch = struct.unpack(">II", r[4:12])
    print(f"result={r[3]} lifetime={life} epoch={epoch} len={len(r)} "
          f"op={r[1]:#x} version={r[0]}")
elif a.cmd == "raw":
    r = exchange(bytes.fromhex("".join(a.args)))
    print(r.hex())
else:
    b0, b1, n = (int(x, 0) for x in a.args)
    req = bytes([b0, b1]) + b"\0" * (n - 2)
    r = exchange(req)
    print(f"{len(r)} {r[:4].hex()}")
