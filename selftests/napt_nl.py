#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Raw generic netlink client for the napt selftests.

Sends hand-built (and deliberately broken) napt requests and checks the
kernel's answer: the errno and the extended-ack message.  Stdlib only.

  napt_nl.py IFINDEX     run the malformed-request checks, then a seeded
                         fuzz of random requests; prints TAP-like lines
"""
import errno
import os
import random
import socket
import struct
import sys

NETLINK_GENERIC = 16
NETLINK_EXT_ACK = 11
NETLINK_CAP_ACK = 10
SOL_NETLINK = 270
NLM_F_REQUEST, NLM_F_ACK, NLM_F_DUMP = 1, 4, 0x300
NLMSG_ERROR, NLMSG_DONE = 2, 3
GENL_ID_CTRL, CTRL_CMD_GETFAMILY = 16, 3
CTRL_ATTR_FAMILY_ID, CTRL_ATTR_FAMILY_NAME = 1, 2
NLMSGERR_ATTR_MSG = 1
NLA_F_NESTED = 1 << 15

# uapi/linux/napt.h
(CMD_UP, CMD_SET, CMD_DOWN, CMD_GET_CONFIG, CMD_GET_MAPS, CMD_FLUSH_MAPS,
 CMD_GET_STATS, CMD_ADD_MAP, CMD_DEL_MAP) = range(1, 10)
(A_RUNNING, A_EXT_IFINDEX, A_EXT_ADDRS, A_INT_NETS, A_PORT_MIN, A_PORT_MAX,
 A_TIMEOUT_UDP, A_TIMEOUT_TCP_EST, A_TIMEOUT_TCP_TRANS, A_TIMEOUT_ICMP,
 A_BEHAVIOURS, A_FLAGS, A_MAX_MAPS, A_MAX_SESSIONS, A_NMAPS, A_NSESSIONS,
 A_MAP, A_STATS) = range(1, 19)
A_MARK_STATIC, A_MARK_STATIC_MASK, A_EXT_IFNAME = 24, 25, 26
PREFIX_A_ADDR, PREFIX_A_LEN = 1, 2
BEHAV_A_PROTO, BEHAV_A_MAPPING, BEHAV_A_FILTERING = 1, 2, 3
MAP_A_PROTO, MAP_A_TYPE, MAP_A_INT_ADDR, MAP_A_INT_PORT = 1, 2, 3, 4
MAP_A_EXT_PORT, MAP_A_REPLACE, MAP_A_OWNER, MAP_A_COOKIE = 6, 18, 19, 20


def attr(atype, payload):
    hdr = struct.pack("=HH", 4 + len(payload), atype)
    return hdr + payload + b"\0" * ((4 - len(payload) % 4) % 4)


def u8(t, v): return attr(t, struct.pack("=B", v))
def u16(t, v): return attr(t, struct.pack("=H", v))
def u32(t, v): return attr(t, struct.pack("=I", v))
def be32(t, a): return attr(t, socket.inet_aton(a))
def nest(t, *parts): return attr(t | NLA_F_NESTED, b"".join(parts))
def be16(t, v): return attr(t, struct.pack(">H", v))


def attrs(p):
    """The attributes of payload @p as {type: bytes}."""
    out, off = {}, 0
    while off + 4 <= len(p):
        alen, atype = struct.unpack_from("=HH", p, off)
        if alen < 4:
            break
        out[atype & ~NLA_F_NESTED] = p[off + 4:off + alen]
        off += (alen + 3) & ~3
    return out


def prefix(addr, plen):
    return nest(1, be32(PREFIX_A_ADDR, addr), u8(PREFIX_A_LEN, plen))


class Genl:
    def __init__(self):
        self.sk = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW,
                                NETLINK_GENERIC)
        self.sk.setsockopt(SOL_NETLINK, NETLINK_EXT_ACK, 1)
        self.sk.setsockopt(SOL_NETLINK, NETLINK_CAP_ACK, 1)
        self.sk.bind((0, 0))
        self.seq = 1
        self.family = self.resolve("napt")

    def raw(self, msg_type, cmd, attrs, flags=NLM_F_REQUEST | NLM_F_ACK,
            reserved=0, length=None):
        body = struct.pack("=BBH", cmd, 1, reserved) + attrs
        self.seq += 1
        n = 16 + len(body) if length is None else length
        self.sk.send(struct.pack("=IHHII", n, msg_type, flags, self.seq, 0)
                     + body)
        return self.replies()

    def replies(self):
        """Return (errno, extack message, [payloads])."""
        out = []
        while True:
            data = self.sk.recv(65536)
            off = 0
            while off + 16 <= len(data):
                ln, typ, flags, _, _ = struct.unpack_from("=IHHII", data, off)
                if ln < 16:
                    return (-1, "bad reply", out)
                if typ == NLMSG_ERROR:
                    err = -struct.unpack_from("=i", data, off + 16)[0]
                    msg = ""
                    # nlmsgerr (error + original header) then TLVs
                    t = off + 16 + 4 + 16
                    while t + 4 <= off + ln:
                        alen, atype = struct.unpack_from("=HH", data, t)
                        if alen < 4:
                            break
                        if atype == NLMSGERR_ATTR_MSG:
                            msg = data[t + 4:t + alen].split(b"\0")[0].decode()
                        t += (alen + 3) & ~3
                    return (err, msg, out)
                if typ == NLMSG_DONE:
                    return (0, "", out)
                out.append(data[off + 16:off + ln])
                off += (ln + 3) & ~3

    def resolve(self, name):
        self.family = GENL_ID_CTRL
        err, _, out = self.raw(GENL_ID_CTRL, CTRL_CMD_GETFAMILY,
                               attr(CTRL_ATTR_FAMILY_NAME,
                                    name.encode() + b"\0"))
        if err or not out:
            sys.exit("napt family not found: %s" % os.strerror(err))
        off = 4
        p = out[0]
        while off + 4 <= len(p):
            alen, atype = struct.unpack_from("=HH", p, off)
            if atype == CTRL_ATTR_FAMILY_ID:
                return struct.unpack_from("=H", p, off + 4)[0]
            off += (alen + 3) & ~3
        sys.exit("no family id")

    def req(self, cmd, attrs=b"", **kw):
        return self.raw(self.family, cmd, attrs, **kw)


FAILED = 0


def expect(name, got, want_err, want_msg=None):
    global FAILED
    err, msg, _ = got
    ok = err == want_err and (want_msg is None or want_msg in msg)
    print("%s %s (errno %d %s, extack '%s')" %
          ("ok" if ok else "not ok", name, err,
           errno.errorcode.get(err, ""), msg))
    if not ok:
        FAILED += 1
        print("#   expected errno %d%s" % (
            want_err, "" if want_msg is None else " and '%s'" % want_msg))


def main():
    global FAILED
    ifindex = int(sys.argv[1])
    g = Genl()
    good_if = u32(A_EXT_IFINDEX, ifindex)
    good_net = nest(A_INT_NETS, prefix("10.0.0.0", 8))
    g.req(CMD_DOWN)

    expect("up without ext-if", g.req(CMD_UP, good_net),
           errno.EINVAL, "external interface is required")
    expect("up without int-net", g.req(CMD_UP, good_if),
           errno.EINVAL, "internal prefixes are required")
    expect("up with unknown ifindex",
           g.req(CMD_UP, u32(A_EXT_IFINDEX, 99999) + good_net),
           errno.ENODEV, "no such external interface")
    expect("prefix with host bits",
           g.req(CMD_UP, good_if + nest(A_INT_NETS, prefix("10.0.0.1", 8))),
           errno.EINVAL, "host bits")
    expect("prefix length 33",
           g.req(CMD_UP, good_if + nest(A_INT_NETS, prefix("10.0.0.0", 33))),
           errno.ERANGE)
    expect("port min above max",
           g.req(CMD_UP, good_if + good_net + u16(A_PORT_MIN, 2000) +
                 u16(A_PORT_MAX, 1000)),
           errno.EINVAL, "port range")
    expect("port 0", g.req(CMD_UP, good_if + good_net + u16(A_PORT_MIN, 0)),
           errno.ERANGE)
    expect("timeout 0",
           g.req(CMD_UP, good_if + good_net + u32(A_TIMEOUT_UDP, 0)),
           errno.ERANGE)
    expect("timeout above a week",
           g.req(CMD_UP, good_if + good_net + u32(A_TIMEOUT_UDP, 604801)),
           errno.ERANGE)
    expect("unknown attribute",
           g.req(CMD_UP, good_if + good_net + u32(200, 1)), errno.EINVAL)
    expect("read-only attribute",
           g.req(CMD_UP, good_if + good_net + u8(A_RUNNING, 1)),
           errno.EINVAL)
    expect("u32 attribute too short",
           g.req(CMD_UP, attr(A_EXT_IFINDEX, b"\1\0") + good_net),
           errno.EINVAL, "invalid attribute length")
    expect("unknown flag bit",
           g.req(CMD_UP, good_if + good_net +
                 attr(A_FLAGS, struct.pack("=II", 1 << 20, 1 << 20))),
           errno.EINVAL)
    expect("behaviour for protocol 47",
           g.req(CMD_UP, good_if + good_net +
                 nest(A_BEHAVIOURS, nest(1, u8(BEHAV_A_PROTO, 47),
                                         u8(BEHAV_A_MAPPING, 1)))),
           errno.EINVAL, "protocol")
    expect("mapping behaviour 9",
           g.req(CMD_UP, good_if + good_net +
                 nest(A_BEHAVIOURS, nest(1, u8(BEHAV_A_MAPPING, 9)))),
           errno.ERANGE)
    expect("external address 0.0.0.0",
           g.req(CMD_UP, good_if + good_net +
                 nest(A_EXT_ADDRS, be32(1, "0.0.0.0"))),
           errno.EINVAL, "unicast")
    expect("17 external addresses",
           g.req(CMD_UP, good_if + good_net +
                 nest(A_EXT_ADDRS, *[be32(1, "198.51.100.%d" % i)
                                     for i in range(1, 18)])),
           errno.E2BIG)
    expect("17 internal prefixes",
           g.req(CMD_UP, good_if +
                 nest(A_INT_NETS, *[prefix("10.%d.0.0" % i, 16)
                                    for i in range(17)])),
           errno.E2BIG)
    expect("max-maps 0",
           g.req(CMD_UP, good_if + good_net + u32(A_MAX_MAPS, 0)),
           errno.ERANGE)
    expect("reserved header field set",
           g.req(CMD_UP, good_if + good_net, reserved=7), errno.EINVAL,
           "reserved")
    expect("attribute longer than the message",
           g.req(CMD_UP, struct.pack("=HH", 200, A_EXT_IFINDEX) +
                 b"\0" * 4), errno.EINVAL)
    expect("set while down", g.req(CMD_SET, u32(A_TIMEOUT_UDP, 5)),
           errno.ENOENT, "down")
    expect("stats while down", g.req(CMD_GET_STATS), errno.ENOENT)
    expect("unknown command", g.req(99), errno.EOPNOTSUPP)

    expect("up", g.req(CMD_UP, good_if + good_net), 0)
    expect("up twice", g.req(CMD_UP, good_if + good_net), errno.EEXIST,
           "already up")
    expect("set max-maps while up", g.req(CMD_SET, u32(A_MAX_MAPS, 10)),
           errno.EBUSY, "fixed")
    expect("set bad port range",
           g.req(CMD_SET, u16(A_PORT_MIN, 3000) + u16(A_PORT_MAX, 2000)),
           errno.EINVAL, "port range")
    expect("flush with bad type",
           g.req(CMD_FLUSH_MAPS, nest(A_MAP, u8(MAP_A_TYPE, 9))),
           errno.ERANGE)
    expect("set good timeout", g.req(CMD_SET, u32(A_TIMEOUT_UDP, 5)), 0)

    # mark-static: the mark within its mask, u32s only
    expect("mark outside its mask",
           g.req(CMD_SET, u32(A_MARK_STATIC, 0x101) +
                 u32(A_MARK_STATIC_MASK, 0xff00)),
           errno.EINVAL, "outside its mask")
    expect("mark as u16", g.req(CMD_SET, u16(A_MARK_STATIC, 1)),
           errno.EINVAL)
    expect("mark within its mask",
           g.req(CMD_SET, u32(A_MARK_STATIC, 0x100) +
                 u32(A_MARK_STATIC_MASK, 0xff00)), 0)
    got = g.req(CMD_GET_CONFIG)
    c = attrs(got[2][0][4:]) if got[2] else {}
    ok = (c.get(A_MARK_STATIC) == struct.pack("=I", 0x100) and
          c.get(A_MARK_STATIC_MASK) == struct.pack("=I", 0xff00))
    print("%s get-config shows the mark and its mask" %
          ("ok" if ok else "not ok"))
    FAILED += 0 if ok else 1
    expect("mark alone (mask: all bits)",
           g.req(CMD_SET, u32(A_MARK_STATIC, 0xffffffff)), 0)
    expect("mark off (mask 0)",
           g.req(CMD_SET, u32(A_MARK_STATIC_MASK, 0)), 0)

    # ext-if by name: a valid name, not with an index; a name no device
    # has is accepted (waiting), and shown as such
    expect("ifname and ifindex",
           g.req(CMD_SET, attr(A_EXT_IFNAME, b"lo\0") + good_if),
           errno.EINVAL, "not both")
    for bad in (b"a/b\0", b"..\0", b"\0", b"a b\0", b"x" * 16 + b"\0",
                b"eth0", b"x" * 300 + b"\0"):
        expect("ifname %r" % bad[:20], g.req(CMD_SET, attr(A_EXT_IFNAME, bad)),
               errno.EINVAL)
    expect("ifname of no device", g.req(CMD_SET,
           attr(A_EXT_IFNAME, b"nosuch0\0")), 0)
    got = g.req(CMD_GET_CONFIG)
    c = attrs(got[2][0][4:]) if got[2] else {}
    ok = (c.get(A_EXT_IFNAME, b"").rstrip(b"\0") == b"nosuch0" and
          c.get(A_EXT_IFINDEX) == struct.pack("=I", 0))
    print("%s get-config: waiting for nosuch0 (ifindex 0)" %
          ("ok" if ok else "not ok"))
    FAILED += 0 if ok else 1
    expect("back by index", g.req(CMD_SET, good_if), 0)
    got = g.req(CMD_GET_CONFIG)
    c = attrs(got[2][0][4:]) if got[2] else {}
    ok = (A_EXT_IFNAME not in c and
          c.get(A_EXT_IFINDEX) == struct.pack("=I", ifindex))
    print("%s get-config: by index again, no name" %
          ("ok" if ok else "not ok"))
    FAILED += 0 if ok else 1

    # Static mappings' owner and cookie: strict policy, and what is given
    # comes back as given.
    def static(*extra):
        return nest(A_MAP, u8(MAP_A_PROTO, 17), be32(MAP_A_INT_ADDR, "10.0.0.2"),
                    be16(MAP_A_INT_PORT, 7000), be16(MAP_A_EXT_PORT, 7000),
                    *extra)
    expect("owner 4", g.req(CMD_ADD_MAP, static(u8(MAP_A_OWNER, 4))),
           errno.ERANGE)
    expect("owner as u16", g.req(CMD_ADD_MAP, static(u16(MAP_A_OWNER, 1))),
           errno.EINVAL)
    expect("empty cookie", g.req(CMD_ADD_MAP, static(attr(MAP_A_COOKIE, b""))),
           errno.ERANGE, "binary attribute size out of range")
    expect("17-byte cookie",
           g.req(CMD_ADD_MAP, static(attr(MAP_A_COOKIE, bytes(17)))),
           errno.ERANGE, "binary attribute size out of range")
    cookie = bytes(range(0xf0, 0x100))
    got = g.req(CMD_ADD_MAP, static(u8(MAP_A_OWNER, 3),
                                    attr(MAP_A_COOKIE, cookie)))
    expect("owner 3 and a 16-byte cookie", got, 0)
    m = attrs(attrs(got[2][0][4:])[A_MAP]) if got[2] else {}
    ok = m.get(MAP_A_OWNER) == b"\3" and m.get(MAP_A_COOKIE) == cookie
    print("%s add reply holds owner and cookie as given (%r)" %
          ("ok" if ok else "not ok", m.get(MAP_A_COOKIE)))
    FAILED += 0 if ok else 1
    got = g.req(CMD_ADD_MAP, static(attr(MAP_A_REPLACE, b""),
                                    attr(MAP_A_COOKIE, b"\x2a")))
    m = attrs(attrs(got[2][0][4:])[A_MAP]) if got[2] else {}
    ok = (got[0] == 0 and m.get(MAP_A_OWNER) == b"\0" and
          m.get(MAP_A_COOKIE) == b"\x2a")
    print("%s replace renews owner (admin when not given) and cookie (%r)" %
          ("ok" if ok else "not ok", m))
    FAILED += 0 if ok else 1
    g.req(CMD_FLUSH_MAPS)

    # Seeded fuzz: random commands with random attribute soup.  Any errno
    # is fine; the kernel must neither crash nor WARN (panic_on_warn).
    rnd = random.Random(4787)
    for _ in range(3000):
        cmd = rnd.choice([CMD_SET, CMD_GET_CONFIG, CMD_FLUSH_MAPS,
                          CMD_GET_STATS, rnd.randrange(0, 12)])
        blob = b""
        for _ in range(rnd.randrange(0, 6)):
            t = rnd.randrange(0, 28)
            if t in (A_EXT_IFINDEX, A_MAX_MAPS, A_EXT_IFNAME):
                continue	# keep the instance configured
            if rnd.random() < 0.3:
                t |= NLA_F_NESTED
            payload = bytes(rnd.randrange(256)
                            for _ in range(rnd.randrange(0, 24)))
            blob += attr(t, payload)
        if rnd.random() < 0.1 and blob:
            blob = blob[:rnd.randrange(len(blob))]
        g.req(cmd, blob)
    err, _, out = g.req(CMD_GET_CONFIG)
    ok = err == 0 and out
    print("%s fuzz: 3000 random requests, napt still answers" %
          ("ok" if ok else "not ok"))
    FAILED += 0 if ok else 1
    g.req(CMD_DOWN)
    return 1 if FAILED else 0


if __name__ == "__main__":
    sys.exit(main())
