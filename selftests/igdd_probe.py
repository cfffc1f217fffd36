#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Probes of igdd for selftests/igdd_upnp.sh.

  igdd_probe.py search IFADDR WAIT ST...    M-SEARCH for each ST (own socket)
        to the multicast group from IFADDR; print each answer's headers as
        "I|ST|USN|LOCATION|..." (I: the index of the ST asked); exit 1 when
        none came
  igdd_probe.py unicast-search ADDR [WAIT [IFADDR]]   M-SEARCH ssdp:all to
        ADDR:1900 and to the group (from IFADDR); exit 0 if an answer came
  igdd_probe.py http-get HOST PORT PATH [HOSTHDR]   print "STATUS" (or
        "none" when the connection is refused, reset or silent)
  igdd_probe.py malformed LANADDR PORT       bad SSDP, HTTP and SOAP; print a
        line per failed expectation; exit 1 if any
  igdd_probe.py flood IFADDR N               N searches at once; print the
        number of answers (2 per search answered)
  igdd_probe.py byebye IFADDR SECONDS        listen to the SSDP group; print
        the NTS of every NOTIFY, exit 0 once an ssdp:byebye came
"""
import select
import socket
import sys
import time

GROUP = "239.255.255.250"
WAN1 = "urn:schemas-upnp-org:service:WANIPConnection:1"
WAN2 = "urn:schemas-upnp-org:service:WANIPConnection:2"


def msearch(st, mx=1):
    return ("M-SEARCH * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\n"
            "MAN: \"ssdp:discover\"\r\nMX: %d\r\nST: %s\r\n\r\n" % (mx, st)).encode()


def headers(data):
    h = {}
    for line in data.decode("latin-1").split("\r\n")[1:]:
        if ":" in line:
            k, v = line.split(":", 1)
            h[k.strip().upper()] = v.strip()
    return h


def collect(s, wait):
    out = []
    end = time.time() + wait
    while True:
        left = end - time.time()
        if left <= 0:
            return out
        s.settimeout(left)
        try:
            data, _ = s.recvfrom(4096)
        except (socket.timeout, OSError):
            return out
        out.append(data)


def udp_sock(ifaddr=None):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    if ifaddr:
        s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF,
                     socket.inet_aton(ifaddr))
        s.bind((ifaddr, 0))
    return s


def search(ifaddr, wait, sts):
    """One socket per ST, all sent at once; answers as "I|ST|USN|..."."""
    socks = []
    for st in sts:
        s = udp_sock(ifaddr)
        s.sendto(msearch(st), (GROUP, 1900))
        socks.append(s)
    end = time.time() + wait
    got = [[] for _ in socks]
    while True:
        left = end - time.time()
        if left <= 0:
            break
        ready, _, _ = select.select(socks, [], [], left)
        for s in ready:
            got[socks.index(s)].append(s.recv(4096))
    n = 0
    for i, answers in enumerate(got):
        for d in answers:
            h = headers(d)
            n += 1
            print("%d|" % i + "|".join([h.get(k, "-") for k in (
                "ST", "USN", "LOCATION", "CACHE-CONTROL", "EXT", "SERVER",
                "BOOTID.UPNP.ORG", "CONFIGID.UPNP.ORG")]))
    return 0 if n else 1


def unicast_search(addr, wait=3.0, ifaddr=None):
    s = udp_sock(ifaddr)
    m = msearch("ssdp:all").replace(b"239.255.255.250:1900",
                                    (addr + ":1900").encode())
    s.sendto(m, (addr, 1900))
    s.sendto(msearch("ssdp:all"), (GROUP, 1900))
    return 0 if collect(s, wait) else 1


def http(host, port, raw, timeout=5.0):
    """Send raw bytes, return the status code as a string, or 'none'."""
    try:
        c = socket.create_connection((host, port), timeout=timeout)
    except OSError:
        return "none"
    try:
        c.sendall(raw)
        data = b""
        while b"\r\n" not in data:
            part = c.recv(4096)
            if not part:
                break
            data += part
    except OSError:
        return "none"
    finally:
        c.close()
    if not data.startswith(b"HTTP/1."):
        return "none"
    return data.split(b" ")[1].decode()


def http_full(host, port, raw, timeout=5.0):
    c = socket.create_connection((host, port), timeout=timeout)
    c.sendall(raw)
    data = b""
    try:
        while True:
            part = c.recv(65536)
            if not part:
                break
            data += part
    except OSError:
        pass
    c.close()
    return data


def get(host, port, path, hosthdr):
    return http(host, port, ("GET %s HTTP/1.1\r\nHost: %s\r\nConnection: close"
                             "\r\n\r\n" % (path, hosthdr)).encode())


def soap(service, action, args):
    body = ('<?xml version="1.0"?>\r\n<s:Envelope xmlns:s="http://schemas.'
            'xmlsoap.org/soap/envelope/" s:encodingStyle="http://schemas.'
            'xmlsoap.org/soap/encoding/"><s:Body><u:%s xmlns:u="%s">' %
            (action, service)).encode()
    for k, v in args:
        body += b"<" + k.encode() + b">" + v + b"</" + k.encode() + b">"
    body += ("</u:%s></s:Body></s:Envelope>\r\n" % action).encode()
    return body


def post(host, port, path, body, action, service, hosthdr=None, extra=b""):
    hosthdr = hosthdr or "%s:%d" % (host, port)
    req = ("POST %s HTTP/1.1\r\nHost: %s\r\nContent-Type: text/xml\r\n"
           "SOAPAction: \"%s#%s\"\r\nContent-Length: %d\r\nConnection: close"
           "\r\n" % (path, hosthdr, service, action, len(body))).encode()
    return http_full(host, port, req + extra + b"\r\n" + body)


def upnp_code(resp):
    if b"<errorCode>" not in resp:
        return resp.split(b" ")[1].decode() if resp.startswith(b"HTTP/1.") else "none"
    return resp.split(b"<errorCode>")[1].split(b"<")[0].decode()


def malformed(lan, port):
    bad = []
    hp = "%s:%d" % (lan, port)

    def expect(what, got, want):
        if got not in want:
            bad.append("%s: got %s, expected %s" % (what, got, "/".join(want)))

    # SSDP: garbage, truncated, oversized, binary, huge MX, no MAN
    s = udp_sock(lan.rsplit(".", 1)[0] + ".2")
    for d in (b"\x00\xff" * 40, b"M-SEARCH * HTTP/1.1\r\nST: ssdp:all",
              msearch("ssdp:all")[:-2] + b"X" * 3000 + b"\r\n\r\n",
              b"M-SEARCH * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\n"
              b"MAN: \"ssdp:discover\"\r\nMX: 99999999999999\r\nST: ssdp:all\r\n\r\n",
              b"M-SEARCH * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\nMX: 1\r\n"
              b"ST: ssdp:all\r\n\r\n",
              msearch("\xff\xfe".encode("latin-1").decode("latin-1"))):
        s.sendto(d, (GROUP, 1900))
        s.sendto(d, (lan, 1900))
    if collect(s, 1.5):
        bad.append("SSDP: a malformed M-SEARCH was answered")

    # HTTP: Host header (DNS rebinding), none, oversized headers, bad method
    expect("Host: evil.example", get(lan, port, "/rootDesc.xml", "evil.example"), ["403"])
    expect("Host: name with our port", get(lan, port, "/rootDesc.xml",
                                           "igd.example:%d" % port), ["403"])
    expect("Host: another port", get(lan, port, "/rootDesc.xml", lan + ":1"), ["403"])
    expect("no Host", http(lan, port, b"GET /rootDesc.xml HTTP/1.1\r\n"
                           b"Connection: close\r\n\r\n"), ["400"])
    expect("huge header", http(lan, port, ("GET /rootDesc.xml HTTP/1.1\r\nHost: %s"
                                           "\r\nX: %s\r\n\r\n" % (hp, "a" * 40000)).encode()),
           ["400", "413", "431", "none"])
    expect("truncated request line", http(lan, port, b"GET /rootDe"), ["none", "400"])
    expect("garbage", http(lan, port, b"\x16\x03\x01\x00\xff" + b"\x00" * 300 + b"\r\n\r\n"),
           ["400", "none"])
    expect("good GET", get(lan, port, "/rootDesc.xml", hp), ["200"])

    # SOAP
    path, svc = "/ctl/IPConn", WAN1
    add = [("NewRemoteHost", b""), ("NewExternalPort", b"31000"),
           ("NewProtocol", b"TCP"), ("NewInternalPort", b"31000"),
           ("NewInternalClient", lan.rsplit(".", 1)[0].encode() + b".2"),
           ("NewEnabled", b"1"), ("NewPortMappingDescription", b"x"),
           ("NewLeaseDuration", b"60")]

    def with_arg(name, val):
        return [(k, val if k == name else v) for k, v in add]

    body = soap(svc, "AddPortMapping", add)
    expect("truncated SOAP", upnp_code(post(lan, port, path, body[:len(body) // 2],
                                             "AddPortMapping", svc)), ["402"])
    expect("oversized SOAP", upnp_code(post(lan, port, path, body + b" " * 9000,
                                             "AddPortMapping", svc)), ["413", "none"])
    expect("invalid UTF-8", upnp_code(post(lan, port, path, soap(
        svc, "AddPortMapping", with_arg("NewPortMappingDescription", b"\xc3\x28\xff")),
        "AddPortMapping", svc)), ["402"])
    expect("huge port", upnp_code(post(lan, port, path, soap(
        svc, "AddPortMapping", with_arg("NewExternalPort", b"99999999999999999999999")),
        "AddPortMapping", svc)), ["402"])
    expect("port 65536", upnp_code(post(lan, port, path, soap(
        svc, "AddPortMapping", with_arg("NewInternalPort", b"65536")),
        "AddPortMapping", svc)), ["402"])
    expect("negative lease", upnp_code(post(lan, port, path, soap(
        svc, "AddPortMapping", with_arg("NewLeaseDuration", b"-1")),
        "AddPortMapping", svc)), ["402"])
    expect("protocol ICMP", upnp_code(post(lan, port, path, soap(
        svc, "AddPortMapping", with_arg("NewProtocol", b"ICMP")),
        "AddPortMapping", svc)), ["402"])
    expect("a host name as client", upnp_code(post(lan, port, path, soap(
        svc, "AddPortMapping", with_arg("NewInternalClient", b"localhost")),
        "AddPortMapping", svc)), ["402"])
    expect("missing argument", upnp_code(post(lan, port, path, soap(
        svc, "AddPortMapping", add[:3]), "AddPortMapping", svc)), ["402"])
    expect("element in an argument", upnp_code(post(lan, port, path, soap(
        svc, "AddPortMapping", with_arg("NewProtocol", b"<a>TCP</a>")),
        "AddPortMapping", svc)), ["402"])
    expect("entity bomb", upnp_code(post(lan, port, path,
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">'
        b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]><x>&b;</x>',
        "AddPortMapping", svc)), ["402"])
    expect("unknown action", upnp_code(post(lan, port, path, soap(
        svc, "FormatDisk", []), "FormatDisk", svc)), ["401"])
    expect("SOAPAction disagrees", upnp_code(post(lan, port, path, body,
        "DeletePortMapping", svc)), ["401"])
    expect("v2 action on the v1 URL", upnp_code(post(lan, port, path, soap(
        svc, "GetListOfPortMappings", []), "GetListOfPortMappings", svc)), ["401"])
    expect("SOAP with a bad Host", upnp_code(post(lan, port, path, body,
        "AddPortMapping", svc, hosthdr="rebind.example")), ["403"])
    expect("ForceTermination", upnp_code(post(lan, port, path, soap(
        svc, "ForceTermination", []), "ForceTermination", svc)), ["606"])
    expect("GetGenericPortMappingEntry 70000", upnp_code(post(lan, port, path, soap(
        svc, "GetGenericPortMappingEntry", [("NewPortMappingIndex", b"70000")]),
        "GetGenericPortMappingEntry", svc)), ["402"])
    expect("DeletePortMappingRange start > end", upnp_code(post(lan, port, "/ctl/IPConn2",
        soap(WAN2, "DeletePortMappingRange", [
            ("NewStartPort", b"2000"), ("NewEndPort", b"1000"),
            ("NewProtocol", b"TCP"), ("NewManage", b"0")]),
        "DeletePortMappingRange", WAN2)), ["733"])
    expect("GetListOfPortMappings NewManage=1 in secure mode", upnp_code(post(
        lan, port, "/ctl/IPConn2", soap(WAN2, "GetListOfPortMappings", [
            ("NewStartPort", b"1"), ("NewEndPort", b"65535"),
            ("NewProtocol", b"TCP"), ("NewManage", b"1"),
            ("NewNumberOfPorts", b"0")]),
        "GetListOfPortMappings", WAN2)), ["606"])
    r = post(lan, port, "/ctl/IPConn", soap(svc, "AddPortMapping", with_arg(
        "NewPortMappingDescription", b"&lt;b&gt;&amp;\xc3\xa9")), "AddPortMapping", svc)
    expect("AddPortMapping with markup in the description", upnp_code(r), ["200"])
    r = post(lan, port, "/ctl/IPConn", soap(svc, "GetSpecificPortMappingEntry", [
        ("NewRemoteHost", b""), ("NewExternalPort", b"31000"),
        ("NewProtocol", b"TCP")]), "GetSpecificPortMappingEntry", svc)
    if b"<NewPortMappingDescription>&lt;b&gt;&amp;\xc3\xa9</NewPortMappingDescription>" not in r:
        bad.append("description not echoed escaped: %r" % r[-400:])
    r = post(lan, port, "/ctl/IPConn", soap(svc, "DeletePortMapping", [
        ("NewRemoteHost", b""), ("NewExternalPort", b"31000"),
        ("NewProtocol", b"TCP")]), "DeletePortMapping", svc)
    expect("DeletePortMapping", upnp_code(r), ["200"])
    for line in bad:
        print(line)
    return 1 if bad else 0


def flood(ifaddr, n, wait=3.0):
    """n searches for upnp:rootdevice at once; print how many answers came."""
    s = udp_sock(ifaddr)
    for _ in range(n):
        s.sendto(msearch("upnp:rootdevice"), (GROUP, 1900))
    print(len(collect(s, wait)))
    return 0


def byebye(ifaddr, seconds):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("0.0.0.0", 1900))
    mreq = socket.inet_aton(GROUP) + socket.inet_aton(ifaddr)
    s.setsockopt(socket.IPPROTO_IP, socket.IP_ADD_MEMBERSHIP, mreq)
    print("listening", flush=True)
    end = time.time() + seconds
    while True:
        left = end - time.time()
        if left <= 0:
            return 1
        s.settimeout(left)
        try:
            d = s.recv(4096)
        except (socket.timeout, OSError):
            return 1
        if d.startswith(b"NOTIFY"):
            nts = headers(d).get("NTS", "-")
            print(nts, flush=True)
            if nts == "ssdp:byebye":
                return 0


def main(a):
    if a[0] == "search":
        return search(a[1], float(a[2]), a[3:])
    if a[0] == "unicast-search":
        return unicast_search(a[1], float(a[2]) if len(a) > 2 else 3.0,
                              a[3] if len(a) > 3 else None)
    if a[0] == "http-get":
        print(get(a[1], int(a[2]), a[3], a[4] if len(a) > 4 else "%s:%s" % (a[1], a[2])))
        return 0
    if a[0] == "malformed":
        return malformed(a[1], int(a[2]))
    if a[0] == "flood":
        return flood(a[1], int(a[2]))
    if a[0] == "byebye":
        return byebye(a[1], float(a[2]))
    print(__doc__)
    return 2


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except Exception as e:  # a broken probe must not read as "no answer"
        print("igdd_probe.py: %r" % e)
        sys.exit(2)
