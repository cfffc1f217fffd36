#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Send one UDP datagram with a zero (absent) checksum through a raw
socket (selftest helper): napt_rawudp.py SADDR SPORT DADDR DPORT PAYLOAD"""
import socket
import struct
import sys

saddr, sport, daddr, dport, payload = sys.argv[1:]
data = payload.encode()
udp = struct.pack("!HHHH", int(sport), int(dport), 8 + len(data), 0) + data
s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_UDP)
s.bind((saddr, 0))
s.sendto(udp, (daddr, 0))
