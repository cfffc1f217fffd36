#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Ask again and again until answered, with timestamps (selftest helper for
napt_limits.sh).

  napt_lim_probe.py echo ADDR PORT
      Answer every datagram with its payload, a space and the source seen
      ("seq 7 203.0.113.1:20000").
  napt_lim_probe.py peer ADDR PORT
      Answer every datagram with the source seen ("203.0.113.1:40000"), as
      napt_topo.sh's napt_udp_server does, without a process per datagram.
  napt_lim_probe.py send SPORT DADDR DPORT INTERVAL TIMEOUT
      Send "seq N" (N = 0, 1, ...) from SPORT every INTERVAL seconds until
      the first answer or TIMEOUT seconds.  Prints one JSON object:
        sent   {"N": time sent, ...} (time.time(), seconds)
        reply  {"seq": N, "time": time received, "text": the answer}, or
               null
"""
import json
import select
import socket
import sys
import time


def echo(addr, port):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind((addr, int(port)))
    while True:
        data, peer = s.recvfrom(2048)
        s.sendto(data.strip() + (" %s:%d" % peer).encode(), peer)


def peer(addr, port):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind((addr, int(port)))
    while True:
        _, src = s.recvfrom(2048)
        s.sendto(("%s:%d\n" % src).encode(), src)


def send(sport, daddr, dport, interval, timeout):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("0.0.0.0", int(sport)))
    interval, end = float(interval), time.monotonic() + float(timeout)
    sent, reply, seq, next_send = {}, None, 0, 0.0
    while reply is None and time.monotonic() < end:
        now = time.monotonic()
        if now >= next_send:
            sent[str(seq)] = time.time()
            s.sendto(b"seq %d" % seq, (daddr, int(dport)))
            seq += 1
            next_send = now + interval
        r, _, _ = select.select([s], [], [], max(0.0, next_send - now))
        if r:
            try:
                data = s.recv(2048).decode()
            except OSError:
                continue	# an ICMP error reported on the socket
            reply = {"seq": int(data.split()[1]), "time": time.time(),
                     "text": data}
    print(json.dumps({"sent": sent, "reply": reply}))


{"echo": echo, "peer": peer, "send": send}[sys.argv[1]](*sys.argv[2:])
