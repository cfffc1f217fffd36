#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""ICMP echo with a chosen identifier, and UDP errors, for the selftests.

  napt_ping.py [-t SECS] echo DST ID
      send one echo request with identifier ID (sequence 1) to DST over a
      raw socket; print "reply SRC ID" for the echo reply that answers it
      (identifier, sequence and payload as sent), "error TYPE/CODE SRC"
      for an ICMP error quoting it, or "timeout"

  napt_ping.py [-t SECS] udp DST PORT SPORT
      send one datagram from a UDP socket bound to SPORT and connected to
      DST:PORT; print "refused" if the kernel reports ECONNREFUSED (an
      ICMP port unreachable quoting exactly that datagram came back),
      "data SRC:PORT" if an answer came, or "timeout"

Exit status 0 whatever the outcome (the output says it), 2 on bad usage.
"""
import errno
import os
import select
import socket
import struct
import sys
import time

sys.dont_write_bytecode = True
from napt_steps import csum  # noqa: E402

PAYLOAD = b"napt-ping-" + str(os.getpid()).encode()


def echo(dst, ident, timeout):
    sk = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
    hdr = struct.pack("!BBHHH", 8, 0, 0, ident, 1)
    c = csum(hdr + PAYLOAD)
    sk.sendto(struct.pack("!BBHHH", 8, 0, c, ident, 1) + PAYLOAD, (dst, 0))
    end = time.monotonic() + timeout
    while True:
        left = end - time.monotonic()
        if left <= 0 or not select.select([sk], [], [], left)[0]:
            return "timeout"
        data, (src, _) = sk.recvfrom(65535)
        ihl = (data[0] & 15) * 4
        icmp = data[ihl:]
        if len(icmp) < 8:
            continue
        typ, code, _, rid, rseq = struct.unpack("!BBHHH", icmp[:8])
        if typ == 0:
            if (rid, rseq, icmp[8:]) == (ident, 1, PAYLOAD):
                return "reply %s %d" % (src, rid)
            continue
        if typ in (3, 4, 11, 12) and len(icmp) >= 8 + 20 + 8:
            q = icmp[8:]
            qihl = (q[0] & 15) * 4
            if q[9] != socket.IPPROTO_ICMP or len(q) < qihl + 8:
                continue
            qtyp, _, _, qid, qseq = struct.unpack("!BBHHH", q[qihl:qihl + 8])
            if (qtyp, qid, qseq) == (8, ident, 1):
                return "error %d/%d %s" % (typ, code, src)


def udp(dst, port, sport, timeout):
    sk = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sk.bind(("0.0.0.0", sport))
    sk.connect((dst, port))
    sk.send(PAYLOAD)
    end = time.monotonic() + timeout
    while True:
        left = end - time.monotonic()
        if left <= 0 or not select.select([sk], [], [], left)[0]:
            return "timeout"
        try:
            data, src = sk.recvfrom(65535)
        except OSError as e:
            if e.errno == errno.ECONNREFUSED:
                return "refused"
            raise
        return "data %s:%d" % src


def main(argv):
    timeout = 5.0
    if len(argv) > 2 and argv[1] == "-t":
        timeout = float(argv[2])
        argv = argv[:1] + argv[3:]
    if len(argv) == 4 and argv[1] == "echo":
        print(echo(argv[2], int(argv[3]), timeout))
    elif len(argv) == 5 and argv[1] == "udp":
        print(udp(argv[2], int(argv[3]), int(argv[4]), timeout))
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
