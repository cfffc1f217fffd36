#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""TCP steps for the napt behaviour selftests (stdlib only).

  napt_beh_tcp.py [-a ADDR] [-s PORT] [-t TIMEOUT] [-w WAIT] STEP...

Sockets are bound to ADDR:PORT (default 0.0.0.0, any port) with
SO_REUSEADDR.  Output lines are flushed at once.  Steps, in order:

  ask:ADDR:PORT[:TEXT]   a connection of its own: send the line TEXT
                         (default "ask"), print "PEER_ADDR:PEER_PORT REPLY"
                         with the first line the server sent, close
  connect:ADDR:PORT      open "the" connection, retrying (connection
                         refused) until TIMEOUT s passed, so that two
                         ends connecting to each other meet (simultaneous
                         open); print "established LOCAL PEER"
  send:TEXT              send the line TEXT on it
  recv                   print the next line it carries, or "eof", or
                         "reset" (RST received)
  rst                    close it with a RST (SO_LINGER 0)
  note:TEXT              print TEXT
  wait:PATH              wait up to WAIT s (default 30) for PATH to exist
  syn:SADDR:SPORT:DADDR:DPORT
                         send one bare SYN from a raw socket

A failure prints "refused", "timeout" or "error: ..." and exits 1.
"""
import errno
import os
import random
import select
import socket
import struct
import sys
import time

sys.dont_write_bytecode = True
from napt_steps import endpoint, out, step_args, syn_segment, wait_step  # noqa: E402


def fail(line):
    out(line)
    sys.exit(1)


def name(ep):
    return f"{ep[0]}:{ep[1]}"


class Lines:
    """Line reader over a connected socket."""

    def __init__(self, sock):
        self.sock = sock
        self.buf = b""

    def line(self):
        """The next line, None at the end of the stream."""
        while b"\n" not in self.buf:
            data = self.sock.recv(4096)
            if not data:
                if self.buf:
                    data, self.buf = self.buf, b""
                    return data.decode(errors="replace")
                return None
            self.buf += data
        data, self.buf = self.buf.split(b"\n", 1)
        return data.decode(errors="replace")


def new_socket(a):
    c = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    c.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    c.bind((a.addr, a.sport))
    return c


def ask(a, arg):
    addr, port, *text = arg.split(":", 2)
    c = new_socket(a)
    c.settimeout(a.timeout)
    try:
        c.connect((addr, int(port)))
        c.sendall(((text[0] if text else "ask") + "\n").encode())
        reply = Lines(c).line()
    except ConnectionRefusedError:
        fail("refused")
    except socket.timeout:
        fail("timeout")
    except OSError as e:
        fail(f"error: {e}")
    c.close()
    out(f"{addr}:{port} {reply if reply is not None else ''}")


def connect(a, dst):
    """Connect, retrying while refused: the peer may not be ready yet."""
    deadline = time.monotonic() + a.timeout
    while True:
        c = new_socket(a)
        c.setblocking(False)
        err = c.connect_ex(dst)
        if err not in (0, errno.EINPROGRESS):
            fail(f"error: {os.strerror(err)}")
        left = deadline - time.monotonic()
        _, w, _ = select.select([], [c], [], max(left, 0))
        if not w:
            fail("timeout")
        err = c.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
        if err == 0:
            c.setblocking(True)
            c.settimeout(a.timeout)
            out(f"established {name(c.getsockname())} "
                f"{name(c.getpeername())}")
            return c
        c.close()
        if err != errno.ECONNREFUSED or time.monotonic() > deadline:
            fail("refused" if err == errno.ECONNREFUSED
                 else f"error: {os.strerror(err)}")
        time.sleep(0.1)


def syn(arg):
    sa, sp, da, dp = arg.split(":")
    hdr = syn_segment(sa, int(sp), da, int(dp), random.getrandbits(32))
    r = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_TCP)
    r.bind((sa, 0))
    r.sendto(hdr, (da, 0))
    r.close()


def main():
    a = step_args(__doc__)

    conn = lines = None
    for step in a.steps:
        op, _, arg = step.partition(":")
        if op == "ask":
            ask(a, arg)
        elif op == "connect":
            conn = connect(a, endpoint(arg))
            lines = Lines(conn)
        elif op == "send":
            conn.sendall((arg + "\n").encode())
        elif op == "recv":
            try:
                line = lines.line()
                out("eof" if line is None else line)
            except ConnectionResetError:
                out("reset")
            except socket.timeout:
                fail("timeout")
        elif op == "rst":
            conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                            struct.pack("ii", 1, 0))
            conn.close()
        elif op == "note":
            out(arg)
        elif op == "wait":
            wait_step(arg, a.wait)
        elif op == "syn":
            syn(arg)
        else:
            sys.exit(f"unknown step {step}")


if __name__ == "__main__":
    main()
