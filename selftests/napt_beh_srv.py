#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Servers for the napt behaviour selftests (stdlib only).

  napt_beh_srv.py [-r READY_FILE] ADDR:PORT...

Listens on UDP and TCP at every ADDR:PORT given, then creates READY_FILE.

UDP: a datagram "poke" or "poke ADDR:PORT" makes the server send
"poke-reply" from each of its other UDP sockets, in the order given on the
command line, then "poke-end" from the socket the poke came to, all to
ADDR:PORT (default: the poke's source).  Any other datagram is answered
with the source the server saw: "ADDR:PORT".

TCP: each connection gets one line back, "ADDR:PORT TEXT": the source the
server saw and the first line the client sent; then the server closes.
"""
import argparse
import selectors
import socket
import threading


def endpoint(text):
    addr, port = text.rsplit(":", 1)
    return addr, int(port)


def tcp_conn(conn, peer):
    conn.settimeout(5)
    buf = b""
    try:
        while b"\n" not in buf:
            data = conn.recv(4096)
            if not data:
                break
            buf += data
        line = buf.split(b"\n", 1)[0].decode(errors="replace")
        conn.sendall(f"{peer[0]}:{peer[1]} {line}\n".encode())
    except OSError:
        pass
    conn.close()


def main():
    p = argparse.ArgumentParser()
    p.add_argument("-r", "--ready")
    p.add_argument("endpoints", nargs="+", type=endpoint)
    a = p.parse_args()

    sel = selectors.DefaultSelector()
    udp = []
    for ep in a.endpoints:
        u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        u.bind(ep)
        udp.append(u)
        sel.register(u, selectors.EVENT_READ, "udp")
        t = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        t.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        t.bind(ep)
        t.listen(16)
        sel.register(t, selectors.EVENT_READ, "tcp")
    if a.ready:
        open(a.ready, "w").close()

    while True:
        for key, _ in sel.select():
            s = key.fileobj
            if key.data == "tcp":
                conn, peer = s.accept()
                threading.Thread(target=tcp_conn, args=(conn, peer),
                                 daemon=True).start()
                continue
            data, peer = s.recvfrom(65536)
            words = data.decode(errors="replace").split()
            if words and words[0] == "poke":
                to = endpoint(words[1]) if len(words) > 1 else peer
                for o in udp:
                    if o is not s:
                        o.sendto(b"poke-reply", to)
                s.sendto(b"poke-end", to)
            else:
                s.sendto(f"{peer[0]}:{peer[1]}".encode(), peer)


if __name__ == "__main__":
    main()
