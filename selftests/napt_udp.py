#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Send one UDP datagram and print the first reply (selftest helper).

  napt_udp.py [-s SPORT] [-t TIMEOUT] [-f FILE] ADDR PORT
  napt_udp.py --serve ADDR PORT

With --serve, answer every datagram with "ADDR:PORT", the source seen.

The payload is "ask" or the content of FILE.  Exit 0 and print the reply,
or exit 1 when none came within TIMEOUT seconds (default 10: guests under TCG on a loaded machine are slow).
"""
import argparse
import socket
import sys

p = argparse.ArgumentParser()
p.add_argument("-s", "--sport", type=int, default=0)
p.add_argument("-t", "--timeout", type=float, default=10.0)
p.add_argument("-f", "--file")
p.add_argument("--serve", action="store_true")
p.add_argument("addr")
p.add_argument("port", type=int)
a = p.parse_args()

if a.serve:
    srv = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind((a.addr, a.port))
    while True:
        _, peer = srv.recvfrom(65536)
        srv.sendto(("%s:%d\n" % peer).encode(), peer)

data = open(a.file, "rb").read() if a.file else b"ask\n"
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("0.0.0.0", a.sport))
s.settimeout(a.timeout)
s.sendto(data, (a.addr, a.port))
try:
    reply, _ = s.recvfrom(65536)
except socket.timeout:
    sys.exit(1)
sys.stdout.buffer.write(reply.rstrip(b"\n"))
