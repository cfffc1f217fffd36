#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""One datagram from a connected UDP socket, and what came back (selftest
helper for napt_limits.sh).

  napt_lim_unreach.py SPORT DADDR DPORT [TIMEOUT]

Sends "ask" from port SPORT to DADDR:DPORT and waits TIMEOUT seconds
(default 5) for the answer.  Prints one JSON object:

  result  "reply:TEXT", the name of the errno recv() failed with (a
          connected socket learns of ICMP errors that way), or "timeout"
  icmp    the ICMP errors a raw socket saw meanwhile that quote a UDP
          datagram from SPORT: src, dst (outer), type, code, and the quoted
          qsrc, qsport, qdst, qdport
"""
import errno
import json
import socket
import struct
import sys
import time


def quoted_errors(raw, sport):
    out = []
    while True:
        try:
            pkt = raw.recv(65535)
        except BlockingIOError:
            return out
        ihl = (pkt[0] & 15) * 4
        icmp = pkt[ihl:]
        if icmp[0] not in (3, 4, 5, 11, 12) or len(icmp) < 8 + 20 + 4:
            continue
        q = icmp[8:]
        qihl = (q[0] & 15) * 4
        if q[9] != socket.IPPROTO_UDP or len(q) < qihl + 4:
            continue
        qsport, qdport = struct.unpack("!HH", q[qihl:qihl + 4])
        if qsport != sport:
            continue
        out.append({"src": socket.inet_ntoa(pkt[12:16]),
                    "dst": socket.inet_ntoa(pkt[16:20]),
                    "type": icmp[0], "code": icmp[1],
                    "qsrc": socket.inet_ntoa(q[12:16]), "qsport": qsport,
                    "qdst": socket.inet_ntoa(q[16:20]), "qdport": qdport})


def main():
    sport, daddr, dport = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
    timeout = float(sys.argv[4]) if len(sys.argv) > 4 else 5.0

    raw = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
    raw.setblocking(False)
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("0.0.0.0", sport))
    s.connect((daddr, dport))
    s.settimeout(timeout)
    s.send(b"ask\n")
    try:
        result = "reply:" + s.recv(65536).decode(errors="replace").strip()
    except socket.timeout:
        result = "timeout"
    except OSError as e:
        result = errno.errorcode.get(e.errno, str(e.errno))
    if result != "timeout":
        time.sleep(0.5)		# the raw copy may trail the socket's error
    print(json.dumps({"result": result, "icmp": quoted_errors(raw, sport)}))


main()
