#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Send one bare TCP SYN and wait for the ICMP error that answers it.

  napt_synhold.py [-w SECS] [-r FILE] SRC SPORT DST DPORT

Sends a SYN SRC:SPORT -> DST:DPORT over a raw socket (no TCP socket of
this host knows it), touches FILE (if given) once it is sent, then waits
up to SECS (default 12) for an ICMP destination unreachable that quotes
it. Prints "unreach TYPE/CODE FROM after S.SS" (seconds since the send)
or "none after S.SS". Exit status 0 either way, 2 on bad usage.
"""
import os
import select
import socket
import struct
import sys
import time

sys.dont_write_bytecode = True
from napt_steps import syn_segment  # noqa: E402


def main(argv):
    wait, ready = 12.0, None
    args = argv[1:]
    while args and args[0] in ("-w", "-r") and len(args) > 1:
        if args[0] == "-w":
            wait = float(args[1])
        else:
            ready = args[1]
        args = args[2:]
    if len(args) != 4:
        print(__doc__, file=sys.stderr)
        return 2
    src, sport, dst, dport = args[0], int(args[1]), args[2], int(args[3])

    icmp = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
    raw = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_TCP)
    raw.bind((src, 0))
    seq = int.from_bytes(os.urandom(4), "big")
    raw.sendto(syn_segment(src, sport, dst, dport, seq), (dst, 0))
    t0 = time.monotonic()
    if ready:
        open(ready, "w").close()
    while True:
        left = t0 + wait - time.monotonic()
        if left <= 0 or not select.select([icmp], [], [], left)[0]:
            print("none after %.2f" % (time.monotonic() - t0))
            return 0
        data, (frm, _) = icmp.recvfrom(65535)
        ihl = (data[0] & 15) * 4
        m = data[ihl:]
        if len(m) < 8 + 20 + 8 or m[0] != 3:
            continue
        q = m[8:]
        qihl = (q[0] & 15) * 4
        if len(q) < qihl + 8 or q[9] != socket.IPPROTO_TCP:
            continue
        qs, qd = struct.unpack("!HH", q[qihl:qihl + 4])
        if (socket.inet_ntoa(q[12:16]), qs, socket.inet_ntoa(q[16:20]),
                qd) == (src, sport, dst, dport):
            print("unreach %d/%d %s after %.2f" %
                  (m[0], m[1], frm, time.monotonic() - t0))
            return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
