#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Hostile frames against a napt gateway (selftest helper of napt_hostile.sh).

  napt_hostile.py wan SRC DST UDP_PORT TCP_PORT ICMP_ID INSIDE ROUNDS
  napt_hostile.py lan SRC DST UDP_PORT TCP_PORT ICMP_ID REMOTE ROUNDS
  napt_hostile.py sniff IFACE STOPFILE FORBIDDEN_PREFIX

sniff: records every IPv4 frame arriving on IFACE until STOPFILE exists,
then prints, as JSON, how many there were and those a gateway must never
have sent on: an L4 header cut short or with a length that lies, an IP
header that is not one, or an address in FORBIDDEN_PREFIX (a.b.c.d/n: the
inside network, which must not leak out) in the header or in the packet
an ICMP error quotes.

wan: from the internet (SRC) to the gateway's external address DST, aimed
at real mappings (UDP_PORT, TCP_PORT, the ICMP identifier ICMP_ID); ICMP
errors quote the packets the mappings send to SRC.  INSIDE is the inside
host behind those mappings (errors quoting it, as a leaked inside address
would be, are sent too).

lan: from an inside host (SRC) out through the gateway to REMOTE, and to
the external address DST (hairpin attempts) on the same mapped ports.

Every frame is one that a NAT must refuse or pass without harm: truncated
L4 headers, bad TCP data offsets, UDP lengths that lie, IP options,
overlapping and tiny fragments, ICMP errors quoting cut, bent or nested
headers, random bytes.  Sent ROUNDS times over through a raw socket (the
kernel fills in nothing: every header is as built here).  Prints, as JSON,
how many frames of each kind were sent and how many were malformed beyond
doubt at L4 (a gateway that translates them would forward garbage).
"""
import ipaddress
import json
import os
import random
import select
import socket
import struct
import sys


def sniff(iface, stopfile, forbidden):
    """The sniff mode: record, then judge every IPv4 frame."""
    net = ipaddress.ip_network(forbidden)
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(0x0800))
    s.bind((iface, 0))
    print("ready", flush=True)
    frames = []
    while not os.path.exists(stopfile):
        r, _, _ = select.select([s], [], [], 0.2)
        if r:
            frames.append(s.recv(65535)[14:])

    def leaks(b):
        return any(ipaddress.ip_address(b[o:o + 4]) in net for o in (12, 16))

    bad = []
    for b in frames:
        why = None
        ihl = (b[0] & 15) * 4
        tot = struct.unpack("!H", b[2:4])[0]
        proto, frag = b[9], struct.unpack("!H", b[6:8])[0] & 0x3fff
        l4 = b[ihl:tot]
        if b[0] >> 4 != 4 or ihl < 20 or tot > len(b):
            why = "not an IPv4 header"
        elif leaks(b):
            why = "inside address in the header"
        elif frag:
            pass   # a fragment the gateway made (or passed): no L4 to judge
        elif proto == 17 and (len(l4) < 8 or
                              not 8 <= struct.unpack("!H", l4[4:6])[0] <= len(l4)):
            why = "UDP header cut or its length a lie"
        elif proto == 6 and (len(l4) < 20 or not 5 <= l4[12] >> 4 or
                             (l4[12] >> 4) * 4 > len(l4)):
            why = "TCP header cut or its data offset a lie"
        elif proto == 1 and len(l4) < 8:
            why = "ICMP header cut"
        elif proto == 1 and l4[0] in (3, 4, 5, 11, 12) and len(l4) >= 28 and \
                leaks(l4[8:]):
            why = "inside address quoted in an ICMP error"
        if why:
            bad.append({"why": why, "frame": b[:64].hex()})
    print(json.dumps({"frames": len(frames), "bad": bad}))


if sys.argv[1] == "sniff":
    sniff(*sys.argv[2:5])
    sys.exit(0)

from scapy.all import (ICMP, IP, IPOption_NOP, IPOption_RR,  # noqa: E402
                       IPOption_Timestamp, TCP, UDP, Raw, fragment, raw)

mode, src, dst = sys.argv[1:4]
uport, tport, icmp_id = (int(a) for a in sys.argv[4:7])
other = sys.argv[7]
rounds = int(sys.argv[8])
rng = random.Random(4242)
sent = {}
# L4-malformed frames that napt must drop as malformed going out (lan)
malformed_out = 0
# ICMP errors from the inside quoting what napt cannot translate (lan)
icmperr_out = 0

sock = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
sock.setsockopt(socket.IPPROTO_IP, socket.IP_HDRINCL, 1)


def send(kind, pkt):
    """Send @pkt (scapy IP, or bytes of a whole IP packet) as is."""
    b = pkt if isinstance(pkt, bytes) else raw(pkt)
    daddr = socket.inet_ntoa(b[16:20])
    try:
        sock.sendto(b, (daddr, 0))
    except OSError:
        pass  # the kernel refused to send it: as good as dropped
    sent[kind] = sent.get(kind, 0) + 1


def ip(d=dst, **kw):
    return IP(src=src, dst=d, **kw)


def cut(pkt, n):
    """@pkt's bytes cut to @n, the IP total length and checksum fixed."""
    b = bytearray(raw(pkt)[:n])
    b[2:4] = struct.pack("!H", n)
    b[10:12] = b"\0\0"
    s = sum(struct.unpack("!%dH" % ((b[0] & 15) * 2), bytes(b[:(b[0] & 15) * 4])))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    b[10:12] = struct.pack("!H", ~s & 0xffff)
    return bytes(b)


def l4_garbage(d):
    """The L4 attacks, to destination @d (mapped ports on DST, or REMOTE)."""
    global malformed_out
    out = d != dst
    hp = 40000 if out else uport   # lan: the inside host's source port
    for n in range(20, 28):         # UDP header cut anywhere
        send("udp_cut", cut(ip(d) / UDP(sport=hp, dport=uport), n))
        malformed_out += out
    for n in range(20, 40, 3):      # TCP header cut anywhere
        send("tcp_cut", cut(ip(d) / TCP(sport=hp, dport=tport, flags="A"), n))
        malformed_out += out
    for off in (0, 1, 4):           # TCP data offset below 5
        send("tcp_doff_low", ip(d) / TCP(sport=hp, dport=tport, dataofs=off,
                                        flags="A"))
        malformed_out += out
    for off in (6, 15):             # data offset beyond the packet
        send("tcp_doff_high", ip(d) / TCP(sport=hp, dport=tport, dataofs=off,
                                         flags="PA"))
        malformed_out += out
    for ln in (0, 7, 9, 500, 65535):  # UDP length lies
        send("udp_len_lie", ip(d) / UDP(sport=hp, dport=uport, len=ln) /
             Raw(b"x" * 8))
        malformed_out += out
    for n in range(20, 28):         # ICMP echo reply cut
        send("icmp_cut", cut(ip(d) / ICMP(type=0 if not out else 8,
                                          id=icmp_id), n))
        malformed_out += out
    # IP options on packets of the mappings (legal; the NAT may pass them)
    for opts in ([IPOption_NOP()] * 4, [IPOption_RR()],
                 [IPOption_Timestamp(flg=0)], [IPOption_NOP()] * 40):
        send("ip_options", ip(d, options=opts) / UDP(sport=hp, dport=uport) /
             Raw(b"options"))
    # bad IP header lengths: ihl below 5 or beyond the packet
    for ihl in (1, 4, 15):
        b = bytearray(raw(ip(d) / UDP(sport=hp, dport=uport) / Raw(b"ihl")))
        b[0] = 0x40 | ihl
        send("ip_ihl", bytes(b))
    # random bytes after a sane IP header, each protocol
    for proto in (6, 17, 1):
        for _ in range(10):
            send("random_l4", ip(d, proto=proto) /
                 Raw(bytes(rng.randrange(256) for _ in range(rng.randrange(1, 64)))))


def fragments(d):
    """Overlapping, tiny, incomplete and oversize fragment trains."""
    hp = 40000 if d != dst else uport
    pkt = ip(d, id=rng.randrange(65536)) / UDP(sport=hp, dport=uport) / \
        Raw(b"F" * 64)
    # tiny: the first fragment holds 8 bytes, the UDP header alone
    for f in fragment(pkt, fragsize=8):
        send("frag_tiny", f)
    # overlapping: the second one rewrites the first one's ports
    pkt.id = rng.randrange(65536)
    f1, f2 = fragment(pkt, fragsize=32)[:2]
    f2.frag = 0
    send("frag_overlap", f1)
    send("frag_overlap", f2)
    # a train that never ends (the last fragment missing)
    pkt.id = rng.randrange(65536)
    for f in fragment(pkt, fragsize=16)[:-1]:
        send("frag_incomplete", f)
    # a fragment at the end of the 64 KiB space
    send("frag_oversize", ip(d, id=rng.randrange(65536), flags="MF",
                             frag=8189) / Raw(b"Z" * 64))


def quote(q, n=None):
    """The first @n bytes (all by default) of the quoted packet @q."""
    b = raw(q)
    return b if n is None else b[:n]


def icmp_errors():
    """ICMP errors about the real mappings, with bent quotes (wan)."""
    # what the mappings send: DST:port -> SRC
    qudp = IP(src=dst, dst=src) / UDP(sport=uport, dport=5000)
    qtcp = IP(src=dst, dst=src) / TCP(sport=tport, dport=5001, flags="S")
    qecho = IP(src=dst, dst=src) / ICMP(type=8, id=icmp_id)
    for q in (qudp, qtcp, qecho):
        for n in (0, 4, 10, 19, 20, 21, 24, 27):    # quote cut short
            send("icmperr_cut", ip() / ICMP(type=3, code=3) / Raw(quote(q, n)))
        b = bytearray(quote(q))                     # bent quoted headers
        for ihl in (0, 4, 15):
            c = bytearray(b)
            c[0] = 0x40 | ihl
            send("icmperr_bent", ip() / ICMP(type=11, code=0) / Raw(bytes(c)))
        c = bytearray(b)
        c[0] = 0x65                                 # version 6
        send("icmperr_bent", ip() / ICMP(type=3, code=1) / Raw(bytes(c)))
        c = bytearray(b)
        c[10] ^= 0xff                               # quoted IP checksum
        send("icmperr_badsum", ip() / ICMP(type=3, code=3) / Raw(bytes(c)))
        e = ip() / ICMP(type=3, code=3) / Raw(quote(q))
        e = bytearray(raw(e))
        e[22] ^= 0x55                               # ICMP checksum
        send("icmperr_badsum", bytes(e))
        # a quoted fragment (offset set): not about a mapping's packet
        c = bytearray(b)
        c[6:8] = struct.pack("!H", 0x2001)
        send("icmperr_bent", ip() / ICMP(type=3, code=4) / Raw(bytes(c)))
    # nested: an error quoting an error that quotes a mapping's packet
    inner = IP(src=dst, dst=src) / ICMP(type=3, code=3) / Raw(quote(qudp))
    send("icmperr_nested", ip() / ICMP(type=3, code=3) / Raw(quote(inner)))
    send("icmperr_nested", ip() / ICMP(type=11, code=0) /
         Raw(quote(inner, 28)))
    # quoting the inside host as if its address had leaked
    leak = IP(src=other, dst=src) / UDP(sport=uport, dport=5000)
    send("icmperr_inside", ip() / ICMP(type=3, code=3) / Raw(quote(leak)))
    # an error to the external address quoting another source entirely
    send("icmperr_foreign", ip() / ICMP(type=3, code=3) /
         Raw(quote(IP(src="198.51.100.9", dst=src) / UDP(sport=uport, dport=9))))


def lan_icmp_errors():
    """ICMP errors from the inside host about packets that came in."""
    global icmperr_out
    # what came in: REMOTE:5000 -> SRC:40000 (translated from DST:40000)
    q = IP(src=other, dst=src) / UDP(sport=5000, dport=40000)
    for n in (0, 4, 19, 20, 24):
        send("lan_icmperr_cut", ip(other) / ICMP(type=3, code=3) /
             Raw(quote(q, n)))
        icmperr_out += 1
    b = bytearray(quote(q))
    b[0] = 0x4f
    send("lan_icmperr_bent", ip(other) / ICMP(type=3, code=3) / Raw(bytes(b)))
    icmperr_out += 1
    # hairpin: to the external address, about a hairpinned packet, bent
    h = IP(src=dst, dst=src) / UDP(sport=uport, dport=40000)
    for n in (0, 10, 20, 27):
        send("hairpin_icmperr_cut", ip() / ICMP(type=3, code=3) /
             Raw(quote(h, n)))


for _ in range(rounds):
    if mode == "wan":
        l4_garbage(dst)
        fragments(dst)
        icmp_errors()
    else:
        l4_garbage(other)       # out through the gateway
        l4_garbage(dst)         # hairpin attempts at the mapped ports
        fragments(other)
        fragments(dst)
        lan_icmp_errors()

print(json.dumps({"sent": sent, "total": sum(sent.values()),
                  "malformed_out": malformed_out, "icmperr_out": icmperr_out}))
