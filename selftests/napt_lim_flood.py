#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""New UDP flows by the thousand, without a socket each (selftest helper
for napt_limits.sh).

  napt_lim_flood.py SADDR DADDR DPORT SPORT_LO SPORT_HI ROUNDS

Builds a datagram from SADDR:PORT to DADDR:DPORT for every PORT of
SPORT_LO..SPORT_HI (checksum included) and sends them all through one raw
socket, ROUNDS times over.  Prints the number of datagrams sent.
"""
import socket
import struct
import sys
import time


def csum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff


def main():
    saddr, daddr = sys.argv[1], sys.argv[2]
    dport, lo, hi, rounds = (int(a) for a in sys.argv[3:7])
    data = b"flood\n"
    n = 8 + len(data)
    pseudo = (socket.inet_aton(saddr) + socket.inet_aton(daddr) +
              struct.pack("!BBH", 0, socket.IPPROTO_UDP, n))
    dgrams = []
    for port in range(lo, hi + 1):
        c = csum(pseudo + struct.pack("!HHHH", port, dport, n, 0) + data)
        dgrams.append(struct.pack("!HHHH", port, dport, n, c or 0xffff) + data)

    s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_UDP)
    s.bind((saddr, 0))
    sent = 0
    for _ in range(rounds):
        for d in dgrams:
            for _ in range(50):
                try:
                    s.sendto(d, (daddr, 0))
                    sent += 1
                    break
                except OSError:		# ENOBUFS: let the gateway catch up
                    time.sleep(0.01)
    print(sent)


main()
