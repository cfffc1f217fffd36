#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""One UDP socket running a script of steps (napt behaviour selftests).

  napt_beh_udp.py [-a ADDR] [-s PORT] [-t TIMEOUT] [-w WAIT] STEP...

The socket is bound to ADDR:PORT (default 0.0.0.0, any port) with
SO_REUSEADDR.  Every datagram received is printed as one line
"SRC_ADDR:SRC_PORT TEXT", flushed at once.  Steps, in order:

  send:ADDR:PORT[:TEXT]  send TEXT (default "ask") to ADDR:PORT
  ask:ADDR:PORT          send "ask", then as recv
  recv                   wait up to TIMEOUT s (default 5) for a datagram
  echo                   as recv, then answer "echo TEXT" to its source
  until:TEXT             as recv, repeated until a datagram says TEXT
  drain:SECS             print what arrives within SECS seconds
  note:TEXT              print TEXT
  wait:PATH              wait up to WAIT s (default 30) for PATH to exist

A receive that times out prints "timeout" and exits 1.
"""
import socket
import sys

sys.dont_write_bytecode = True
from napt_steps import endpoint, out, step_args, wait_step  # noqa: E402


def main():
    a = step_args(__doc__)

    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((a.addr, a.sport))
    s.settimeout(a.timeout)

    def recv():
        try:
            data, src = s.recvfrom(65536)
        except socket.timeout:
            out("timeout")
            sys.exit(1)
        text = data.decode(errors="replace").rstrip("\n")
        out(f"{src[0]}:{src[1]} {text}")
        return src, text

    for step in a.steps:
        op, _, arg = step.partition(":")
        if op == "send":
            addr, port, *text = arg.split(":", 2)
            s.sendto((text[0] if text else "ask").encode(),
                     (addr, int(port)))
        elif op == "ask":
            s.sendto(b"ask", endpoint(arg))
            recv()
        elif op == "recv":
            recv()
        elif op == "echo":
            src, text = recv()
            s.sendto(f"echo {text}".encode(), src)
        elif op == "until":
            while recv()[1] != arg:
                pass
        elif op == "drain":
            s.settimeout(float(arg))
            try:
                while True:
                    data, src = s.recvfrom(65536)
                    out(f"{src[0]}:{src[1]} {data.decode(errors='replace')}")
            except socket.timeout:
                pass
            s.settimeout(a.timeout)
        elif op == "note":
            out(arg)
        elif op == "wait":
            wait_step(arg, a.wait)
        else:
            sys.exit(f"unknown step {step}")


if __name__ == "__main__":
    main()
