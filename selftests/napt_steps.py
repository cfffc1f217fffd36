# SPDX-License-Identifier: GPL-2.0
"""What the napt selftests' python helpers share (imported, never run).

The helpers set sys.dont_write_bytecode before importing it, so that no
__pycache__ is left in the checkout.
"""
import argparse
import os
import socket
import struct
import sys
import time


def out(line):
    """Print one line of a helper's output, flushed at once."""
    print(line, flush=True)


def endpoint(text):
    """ADDR:PORT -> (ADDR, PORT)."""
    addr, port = text.split(":", 1)
    return addr, int(port)


def step_args(doc):
    """The options and steps of napt_beh_udp.py and napt_beh_tcp.py."""
    p = argparse.ArgumentParser(description=doc.split("\n", 1)[0])
    p.add_argument("-a", "--addr", default="0.0.0.0")
    p.add_argument("-s", "--sport", type=int, default=0)
    p.add_argument("-t", "--timeout", type=float, default=5.0)
    p.add_argument("-w", "--wait", type=float, default=30.0)
    p.add_argument("steps", nargs="+")
    return p.parse_args()


def wait_step(path, secs):
    """The wait:PATH step: on time-out, print "no PATH" and exit 1."""
    deadline = time.monotonic() + secs
    while not os.path.exists(path):
        if time.monotonic() > deadline:
            out(f"no {path}")
            sys.exit(1)
        time.sleep(0.05)


def csum(data):
    """The Internet checksum (RFC 1071) of @data."""
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack(f"!{len(data) // 2}H", data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def syn_segment(src, sport, dst, dport, seq):
    """A bare TCP SYN header src:sport -> dst:dport, checksum set."""
    hdr = struct.pack("!HHIIBBHHH", sport, dport, seq, 0, 5 << 4, 0x02,
                      64240, 0, 0)
    pseudo = struct.pack("!4s4sBBH", socket.inet_aton(src),
                         socket.inet_aton(dst), 0, socket.IPPROTO_TCP,
                         len(hdr))
    return hdr[:16] + struct.pack("!H", csum(pseudo + hdr)) + hdr[18:]
