#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Attacks on igdd for selftests/igdd_hostile.sh.

  igdd_hostile.py spoof-pcp SRC GW PORT
        (from the internet) a PCP MAP and a NAT-PMP MAP for UDP PORT, each
        with the LAN host SRC as source and as PCP client, to GW:5351,
        five times; print "sent N"
  igdd_hostile.py csrf GW PORT
        the requests a web page makes a browser send (fetch() with
        mode "no-cors", an HTML form), each an AddPortMapping of TCP 18800;
        print "KIND STATUS" per request
  igdd_hostile.py flood GW SECONDS SPOOF_PREFIX
        as fast as it can for SECONDS: PCP and NAT-PMP MAP requests from
        this host, each for another port, or (SPOOF_PREFIX a.b.c) NAT-PMP
        MAP requests with forged sources a.b.c.2-254; print "sent N"
  igdd_hostile.py ssdp-spoof VICTIM VPORT GW N SPOOF_PREFIX
        N unicast M-SEARCH ssdp:all to GW:1900 with VICTIM:VPORT as source,
        interleaved with 4N from forged sources of SPOOF_PREFIX (which would
        evict the victim's slot of a naive limiter); print "sent N"
  igdd_hostile.py count-udp PORT SECONDS
        count the datagrams arriving on UDP PORT for SECONDS; print N
  igdd_hostile.py announce SECONDS OLD
        wait for a NAT-PMP announcement (224.0.0.1:5350) of an external
        address other than OLD (igdd repeats an announcement ten times
        over two minutes, RFC 6886 3.2.1: those of OLD, from an earlier
        start or reload, may still come); print "old N" (how many of OLD
        came first), then the address, or "none"
"""
import random
import socket
import struct
import sys
import threading
import time


def v4mapped(addr):
    return b"\0" * 10 + b"\xff\xff" + socket.inet_aton(addr)


def pcp_map(client, port, nonce):
    return (struct.pack("!BBHI", 2, 1, 0, 600) + v4mapped(client) + nonce +
            struct.pack("!B3xHH", 17, port, port) + b"\0" * 16)


def natpmp_map(port):
    return struct.pack("!BBHHHI", 0, 1, 0, port, port, 600)


def raw_sender():
    s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
    s.setsockopt(socket.IPPROTO_IP, socket.IP_HDRINCL, 1)
    return s


def udp_frame(src, sport, dst, dport, payload):
    """A whole IPv4/UDP datagram (UDP checksum 0: none)."""
    ulen = 8 + len(payload)
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + ulen, random.randrange(65536),
                     0, 64, 17, 0, socket.inet_aton(src), socket.inet_aton(dst))
    s = sum(struct.unpack("!10H", ip))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    ip = ip[:10] + struct.pack("!H", ~s & 0xffff) + ip[12:]
    return ip + struct.pack("!HHHH", sport, dport, ulen, 0) + payload


def spoof_pcp(src, gw, port):
    s, n, port = raw_sender(), 0, int(port)
    for _ in range(5):
        for p in (pcp_map(src, port, bytes(range(12))), natpmp_map(port + 1)):
            s.sendto(udp_frame(src, 5350, gw, 5351, p), (gw, 0))
            n += 1
        time.sleep(0.2)
    print("sent", n)


SOAP = ('<?xml version="1.0"?><s:Envelope xmlns:s="http://schemas.xmlsoap.org/'
        'soap/envelope/"><s:Body><u:AddPortMapping xmlns:u="urn:schemas-upnp-org:'
        'service:WANIPConnection:1"><NewRemoteHost></NewRemoteHost>'
        '<NewExternalPort>18800</NewExternalPort><NewProtocol>TCP</NewProtocol>'
        '<NewInternalPort>8800</NewInternalPort><NewInternalClient>192.168.1.2'
        '</NewInternalClient><NewEnabled>1</NewEnabled>'
        '<NewPortMappingDescription>csrf</NewPortMappingDescription>'
        '<NewLeaseDuration>0</NewLeaseDuration></u:AddPortMapping></s:Body>'
        '</s:Envelope>')


def http(gw, port, headers, body):
    c = socket.create_connection((gw, port), timeout=20)
    req = "POST /ctl/IPConn HTTP/1.1\r\n" + "".join(
        "%s: %s\r\n" % h for h in headers) + \
        "Content-Length: %d\r\nConnection: close\r\n\r\n" % len(body) + body
    c.sendall(req.encode())
    data = b""
    while True:
        d = c.recv(4096)
        if not d:
            break
        data += d
    c.close()
    return data.split(b" ", 2)[1].decode() if data.startswith(b"HTTP/") else "none"


def csrf(gw, port):
    host = ("Host", "%s:%s" % (gw, port))
    ua = ("User-Agent", "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0")
    # fetch(url, {method: "POST", mode: "no-cors", body: soap}) from a page
    # of another site: a "simple" request, sent without a preflight
    print("fetch", http(gw, port, [host, ua, ("Accept", "*/*"),
                                   ("Origin", "http://evil.example"),
                                   ("Referer", "http://evil.example/"),
                                   ("Content-Type", "text/plain;charset=UTF-8"),
                                   ("Sec-Fetch-Mode", "no-cors")], SOAP))
    # the same from a browser or proxy that sends no Origin
    print("plain", http(gw, port, [host, ua, ("Content-Type",
                                               "text/plain;charset=UTF-8")], SOAP))
    # an HTML form posting the envelope as a field
    print("form", http(gw, port, [host, ua, ("Origin", "null"),
                                  ("Content-Type",
                                   "application/x-www-form-urlencoded")], SOAP))
    # a page that gets SOAPACTION sent must have passed a preflight: here
    # it would still carry its Origin
    print("preflighted", http(gw, port, [
        host, ua, ("Origin", "http://evil.example"),
        ("Content-Type", 'text/xml; charset="utf-8"'),
        ("SOAPACTION", '"urn:schemas-upnp-org:service:WANIPConnection:1#AddPortMapping"')],
        SOAP))


def soap_flood(gw, port, secs, workers=8):
    """GetExternalIPAddress as fast as WORKERS threads, one connection after
    another each, go: together well above igdd's 32 a second even in a slow
    guest, so its limiter must answer 429."""
    body = ('<?xml version="1.0"?><s:Envelope xmlns:s="http://schemas.xmlsoap.org/'
            'soap/envelope/"><s:Body><u:GetExternalIPAddress xmlns:u="urn:schemas-'
            'upnp-org:service:WANIPConnection:1"/></s:Body></s:Envelope>')
    hdr = [("Host", "%s:%s" % (gw, port)), ("Content-Type", 'text/xml; charset="utf-8"'),
           ("SOAPACTION", '"urn:schemas-upnp-org:service:WANIPConnection:1'
            '#GetExternalIPAddress"')]
    codes, lock, start = {}, threading.Lock(), time.monotonic()
    end = [start + float(secs)]

    def worker():
        while time.monotonic() < end[0]:
            try:
                c = http(gw, port, hdr, body)
            except OSError:
                c = "error"
            with lock:
                codes[c] = codes.get(c, 0) + 1
                if c == "429" and codes[c] == 1:	# eight seconds more of it
                    end[0] = min(end[0], time.monotonic() + 8)

    threads = [threading.Thread(target=worker) for _ in range(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    print(" ".join("%s=%d" % kv for kv in sorted(codes.items())),
          "secs=%d" % (time.monotonic() - start + 1))


def flood(gw, secs, prefix):
    own = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    own.setblocking(False)
    raw = raw_sender()
    own.connect((gw, 5351))
    me = own.getsockname()[0]
    end, n, port = time.monotonic() + float(secs), 0, 20000
    while time.monotonic() < end:
        port = 20000 + (port + 1) % 20000
        if prefix == "none":
            for p in (pcp_map(me, port, struct.pack("!12s", b"flood%07d" % n)),
                      natpmp_map(port)):
                try:
                    own.send(p)
                except OSError:
                    pass
        else:
            src = "%s.%d" % (prefix, random.randrange(2, 255))
            raw.sendto(udp_frame(src, 5350, gw, 5351, natpmp_map(port)),
                       (gw, 0))
        n += 2 if prefix == "none" else 1
        if n % 64 == 0:
            try:
                while own.recv(2048):
                    pass
            except OSError:
                pass
    print("sent", n)


def ssdp_spoof(victim, vport, gw, n, prefix):
    raw = raw_sender()
    # unicast (HOST the gateway): answered at once, not after MX
    msg = (b"M-SEARCH * HTTP/1.1\r\nHOST: %s:1900\r\n"
           b"MAN: \"ssdp:discover\"\r\nST: ssdp:all\r\n\r\n" % gw.encode())
    sent = 0
    for i in range(int(n)):
        raw.sendto(udp_frame(victim, int(vport), gw, 1900, msg), (gw, 0))
        sent += 1
        for _ in range(4):
            src = "%s.%d" % (prefix, random.randrange(2, 255))
            raw.sendto(udp_frame(src, random.randrange(1024, 65536), gw, 1900,
                                 msg), (gw, 0))
            sent += 1
        time.sleep(0.02)
    print("sent", sent)


def count_udp(port, secs):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("0.0.0.0", int(port)))
    s.settimeout(0.2)
    end, n = time.monotonic() + float(secs), 0
    print("ready", flush=True)
    while time.monotonic() < end:
        try:
            s.recv(4096)
            n += 1
        except socket.timeout:
            pass
    print(n)


def announce(secs, old):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("224.0.0.1", 5350))
    print("ready", flush=True)
    end, n_old = time.monotonic() + float(secs), 0
    while time.monotonic() < end:
        s.settimeout(max(end - time.monotonic(), 0.01))
        try:
            d = s.recv(64)
        except socket.timeout:
            break
        # NAT-PMP: version 0, opcode 128 (the answer to "address"), result 0
        if len(d) == 12 and d[0] == 0 and d[1] == 128 and d[2:4] == b"\0\0":
            addr = socket.inet_ntoa(d[8:12])
            if addr == old:
                n_old += 1
                continue
            print("old", n_old)
            print(addr)
            return
    print("old", n_old)
    print("none")


cmd, args = sys.argv[1], sys.argv[2:]
{"spoof-pcp": spoof_pcp, "csrf": csrf, "flood": flood, "soap-flood": soap_flood,
 "ssdp-spoof": ssdp_spoof, "count-udp": count_udp,
 "announce": announce}[cmd](*args)
