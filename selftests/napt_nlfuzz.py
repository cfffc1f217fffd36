#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Random generic netlink requests to the napt family (selftest helper of
napt_nlfuzz.sh).

  napt_nlfuzz.py SEED COUNT IFINDEX [up]

Sends COUNT requests built from SEED in the namespace it runs in: every
command (and unknown ones), with NLM_F_DUMP on some, random attributes of
every type the policies know and some they do not, with the right or a
wrong payload length, nested to three levels, lists of prefixes and
addresses, static mappings; some messages cut short or claiming more than
they hold. With "up", one request in twenty is a valid NAPT_CMD_UP on
IFINDEX (an idle namespace comes up and goes down under the fuzz);
without it, no request names an interface, so a running instance keeps
running unless a DOWN stops it. No request sets the limits (tables of up
to 2^24 buckets are not for a test guest).

Any answer is fine; none may be missing (each request gets its ack or
its dump's end within 10 s), and a last GET_CONFIG must succeed. Prints
the errnos seen, as JSON.
"""
import errno
import json
import os
import random
import socket
import struct
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from napt_nl import (A_EXT_IFINDEX, A_INT_NETS, A_MAP, A_MAX_MAPS,  # noqa: E402
                     A_MAX_SESSIONS, CMD_GET_CONFIG, CMD_UP, NLA_F_NESTED,
                     NLM_F_ACK, NLM_F_DUMP, NLM_F_REQUEST, Genl, attr, nest,
                     prefix, u32)

seed, count, ifindex = (int(a) for a in sys.argv[1:4])
allow_up = len(sys.argv) > 4 and sys.argv[4] == "up"
rnd = random.Random(seed)

# attribute types of the top level and of NAPT_A_MAP that napt knows
TOP = list(range(0, 26))
MAP = list(range(0, 24))
NESTED_TOP = (3, 4, 11, 17, 18)    # EXT_ADDRS, INT_NETS, BEHAVIOURS, MAP, STATS


def value():
    """A payload: a well-formed integer or address, or random bytes."""
    k = rnd.randrange(7)
    if k == 0:
        return struct.pack("=B", rnd.randrange(256))
    if k == 1:
        return struct.pack("=H", rnd.choice((0, 1, 80, 1023, 1024, 65535,
                                             rnd.randrange(65536))))
    if k == 2:
        return struct.pack("=I", rnd.choice((0, 1, 2, 65536, 0xffffffff,
                                             rnd.randrange(1 << 32))))
    if k == 3:
        return socket.inet_aton(rnd.choice(("10.0.0.2", "192.168.1.2",
                                            "203.0.113.1", "0.0.0.0",
                                            "255.255.255.255", "127.0.0.1",
                                            "224.0.0.1")))
    if k == 4:
        return b"\0" * rnd.randrange(0, 9)
    if k == 5:
        return rnd.choice((b"web\0", b"x" * 200 + b"\0", b"no nul"))
    return bytes(rnd.randrange(256) for _ in range(rnd.randrange(0, 40)))


def attrs(types, depth, n=None):
    """Random attributes of @types, nested up to @depth levels."""
    out = b""
    for _ in range(rnd.randrange(0, 6) if n is None else n):
        t = rnd.choice(types)
        if types is TOP and t in (A_MAX_MAPS, A_MAX_SESSIONS):
            continue    # tables of up to 2^24 buckets: not in this guest
        if types is TOP and not allow_up and t == A_EXT_IFINDEX:
            continue    # the running instance keeps its interface
        if depth and (t in NESTED_TOP or rnd.random() < 0.15):
            inner = MAP if t == A_MAP else list(range(0, 8))
            out += nest(t, attrs(inner, depth - 1))
        elif t == A_INT_NETS and rnd.random() < 0.5:
            out += nest(t, *[prefix(rnd.choice(("10.0.0.0", "10.1.2.3",
                                                "0.0.0.0")),
                                    rnd.randrange(0, 40))
                             for _ in range(rnd.randrange(0, 20))])
        else:
            a = attr(t, value())
            if rnd.random() < 0.1:
                a = struct.pack("=HH", len(a), t | NLA_F_NESTED) + a[4:]
            out += a
    return out


def request(g):
    """One random request and its answer."""
    cmd = rnd.choice(list(range(0, 13)) + [2, 4, 5, 6, 8, 9] * 2)
    flags = NLM_F_REQUEST | NLM_F_ACK
    if rnd.random() < 0.2:
        flags |= NLM_F_DUMP
    body = attrs(TOP, 3)
    if allow_up and rnd.random() < 0.05:
        cmd, flags = CMD_UP, NLM_F_REQUEST | NLM_F_ACK
        body = (u32(A_EXT_IFINDEX, ifindex) +
                nest(A_INT_NETS, prefix("10.0.0.0", 8)) +
                attrs(TOP, 1, rnd.randrange(0, 3)))
    if body and rnd.random() < 0.08:
        # a message that is shorter, or claims to be longer, than it is:
        # the rest is parsed as messages of their own, or the whole is
        # dropped without an answer
        length = 16 + 4 + rnd.choice((rnd.randrange(len(body)),
                                      len(body) + rnd.randrange(1, 64)))
        hdr = struct.pack("=BBH", cmd, 1, 0)
        g.seq += 1
        g.sk.send(struct.pack("=IHHII", length, g.family, flags, g.seq, 0) +
                  hdr + body)
        return "bent"
    g.seq += 1
    g.sk.send(struct.pack("=IHHII", 16 + 4 + len(body), g.family, flags,
                          g.seq, 0) + struct.pack("=BBH", cmd, 1, 0) + body)
    return answer(g)


def answer(g):
    """The errno of the answer to request g.seq (0 for a dump's end);
    messages of earlier requests are passed over."""
    while True:
        data = g.sk.recv(1 << 17)
        off = 0
        while off + 16 <= len(data):
            ln, typ, _, seq, _ = struct.unpack_from("=IHHII", data, off)
            if ln < 16:
                break
            if seq == g.seq and typ == 2:       # NLMSG_ERROR
                return -struct.unpack_from("=i", data, off + 16)[0]
            if seq == g.seq and typ == 3:       # NLMSG_DONE
                return 0
            off += (ln + 3) & ~3


def drain(g):
    """Read what answers to bent messages left."""
    g.sk.setblocking(False)
    try:
        while g.sk.recv(65536):
            pass
    except (BlockingIOError, OSError):
        pass
    g.sk.settimeout(10)


def main():
    g = Genl()
    g.sk.settimeout(10)
    seen = {}
    for _ in range(count):
        try:
            err = request(g)
        except socket.timeout:
            print("no answer to a request", file=sys.stderr)
            return 1
        except OSError as e:
            err = e.errno
        if err == "bent":
            name = "bent"
            drain(g)
        else:
            name = errno.errorcode.get(err, str(err)) if err else "ok"
        seen[name] = seen.get(name, 0) + 1
    time.sleep(0.5)     # late answers to bent messages, then none
    drain(g)
    err, _, out = g.req(CMD_GET_CONFIG)
    print(json.dumps({"requests": count, "answers": seen,
                      "get_config": err}))
    return 0 if err == 0 and out else 1


if __name__ == "__main__":
    sys.exit(main())
