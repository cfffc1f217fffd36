#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""UDP traffic from many source ports (selftest helper).

  napt_flood.py DADDR DPORT SPORT_LO SPORT_HI SECONDS

Sends a datagram from each port of SPORT_LO..SPORT_HI to DADDR:DPORT, over
and over, for SECONDS: every port is a flow, so a NAT makes a mapping per
port and keeps seeing traffic on all of them.
"""
import socket
import sys
import time

daddr, dport, lo, hi, secs = sys.argv[1:]
dport, lo, hi = int(dport), int(lo), int(hi)
socks = []
for p in range(lo, hi + 1):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("0.0.0.0", p))
    s.setblocking(False)
    socks.append(s)
end = time.monotonic() + float(secs)
while time.monotonic() < end:
    for s in socks:
        try:
            s.sendto(b"x", (daddr, dport))
        except OSError:
            pass	# unreachable once the gateway is gone: keep going
