// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of igdd's NAT-PMP/PCP server (pcp.c) over the real mapping
 * layer (mapping.c) and the fake kernel (fake-nl.c): every answer is
 * checked byte for byte, and the kernel's table after it.
 */
#include <arpa/inet.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fake-nl.h"
#include "pcp.h"

static unsigned int passed, failed;

void igd_log(int prio, const char *fmt, ...)
{
	(void)prio;
	(void)fmt;
}

#define T0 1000		/* pcp_init() time */
#define NOW 1005	/* request time: epoch 5 */

static void check(bool ok, const char *fmt, ...)
{
	va_list ap;

	if (ok) {
		passed++;
		return;
	}
	failed++;
	printf("FAIL: ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

/* Hex digits to bytes; spaces ignored, "..." not allowed. */
static size_t unhex(const char *s, uint8_t *out, size_t max)
{
	size_t n = 0;
	int hi = -1;

	for (; *s; s++) {
		int v;

		if (*s == ' ' || *s == '\n')
			continue;
		if (*s >= '0' && *s <= '9')
			v = *s - '0';
		else if (*s >= 'a' && *s <= 'f')
			v = *s - 'a' + 10;
		else
			abort();
		if (hi < 0) {
			hi = v;
		} else {
			if (n == max)
				abort();
			out[n++] = (uint8_t)(hi << 4 | v);
			hi = -1;
		}
	}
	if (hi >= 0)
		abort();
	return n;
}

static void dump(const uint8_t *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		printf("%02x%s", p[i], i % 4 == 3 ? " " : "");
	printf("\n");
}

/* The answer @got (@n bytes) must be exactly @hex. */
static void expect(const char *name, const uint8_t *got, size_t n,
		   const char *hex)
{
	uint8_t want[1200];
	size_t wn = unhex(hex, want, sizeof(want));

	if (n == wn && !memcmp(got, want, n)) {
		passed++;
		return;
	}
	failed++;
	printf("FAIL: %s: got %zu bytes, want %zu\n  got:  ", name, n, wn);
	dump(got, n);
	printf("  want: ");
	dump(want, wn);
}

static struct sockaddr_in client;
static struct in_addr server;
static uint8_t resp[1200];

static void set_client(const char *a, uint16_t port)
{
	memset(&client, 0, sizeof(client));
	client.sin_family = AF_INET;
	inet_pton(AF_INET, a, &client.sin_addr);
	client.sin_port = htons(port);
}

static size_t ask(const uint8_t *q, size_t len)
{
	memset(resp, 0xee, sizeof(resp));
	return pcp_handle(q, len, &client, &server, resp, sizeof(resp), NOW);
}

static size_t askhex(const char *hex)
{
	uint8_t q[1200];
	size_t n = unhex(hex, q, sizeof(q));

	return ask(q, n);
}

static void setup(bool natpmp, bool pcp, bool third)
{
	struct pcp_conf c = {
		.natpmp = natpmp, .pcp = pcp, .allow_third_party = third,
		.min_lifetime = 60, .max_lifetime = 86400,
	};

	fake_reset();
	pcp_init(&c, T0);
	set_client("192.168.1.2", 40001);
	inet_pton(AF_INET, "192.168.1.1", &server);
}

/* ------------------------------------------------------------------ */

/* Client header for 192.168.1.2: ::ffff:c0a8:0102 */
#define CLI "00000000 00000000 0000ffff c0a80102"
#define EXT "00000000 00000000 0000ffff cb007101"
#define ZERO16 "00000000 00000000 00000000 00000000"
#define NONCE1 "01020304 05060708 090a0b0c"
#define NONCE2 "a1a2a3a4 a5a6a7a8 a9aaabac"
#define EPOCH "00000005"
#define RESV12 "00000000 00000000 00000000"

static void test_natpmp_addr(void)
{
	size_t n;

	setup(true, true, false);
	n = askhex("0000");
	expect("natpmp addr", resp, n, "0080 0000" EPOCH "cb007101");
	n = askhex("0000 0000 0000");	/* longer: the tail is ignored */
	expect("natpmp addr long", resp, n, "0080 0000" EPOCH "cb007101");
	fake.nat_down = true;
	n = askhex("0000");
	expect("natpmp addr nat down", resp, n, "0080 0003" EPOCH "00000000");
	fake.nat_down = false;
	n = askhex("00");
	check(n == 0, "natpmp 1 byte: no answer (%zu)", n);
	n = askhex("0080");
	check(n == 0, "natpmp answer opcode: ignored (%zu)", n);
	n = askhex("00ff 0000");
	check(n == 0, "natpmp opcode 255: ignored (%zu)", n);
	/* the epoch counts from pcp_init(), and from pcp_epoch_reset() */
	n = pcp_handle((const uint8_t *)"\0\0", 2, &client, &server, resp,
		       sizeof(resp), T0 + 70000);
	expect("natpmp epoch", resp, n, "0080 0000 00011170 cb007101");
	pcp_epoch_reset(NOW - 2);
	n = askhex("0000");
	expect("natpmp epoch reset", resp, n, "0080 0000 00000002 cb007101");
	/* a clock going back restarts the epoch rather than wrapping */
	pcp_epoch_reset(NOW + 100);
	n = askhex("0000");
	expect("natpmp clock back", resp, n, "0080 0000 00000000 cb007101");
}

static void test_natpmp_map(void)
{
	struct igd_map *m;
	size_t n;

	setup(true, true, false);
	/* UDP 5000 -> suggested 6000, 3600 s */
	n = askhex("0001 0000 1388 1770 00000e10");
	expect("natpmp map udp", resp, n,
	       "0081 0000" EPOCH "1388 1770 00000e10");
	m = fake_find(IPPROTO_UDP, 6000);
	check(m && m->owner == IGD_OWNER_NATPMP && m->lease == 3600 &&
	      m->int_port == htons(5000) && m->cookie_len == 0 &&
	      m->int_addr.s_addr == client.sin_addr.s_addr,
	      "natpmp map udp in the table");
	/* refresh with another suggestion: the same mapping, new lifetime */
	n = askhex("0001 0000 1388 1771 00001c20");
	expect("natpmp refresh", resp, n,
	       "0081 0000" EPOCH "1388 1770 00001c20");
	check(fake.n == 1 && fake_find(IPPROTO_UDP, 6000)->lease == 7200,
	      "natpmp refresh: one mapping, lease 7200 (%u)", fake.n);
	/* TCP, no suggestion: the inside port */
	n = askhex("0002 0000 1389 0000 00000e10");
	expect("natpmp map tcp", resp, n,
	       "0082 0000" EPOCH "1389 1389 00000e10");
	check(fake_find(IPPROTO_TCP, 5001) != NULL, "natpmp tcp in table");
	/* lifetimes clamped to [60, 86400] */
	n = askhex("0001 0000 2000 2000 00000001");
	expect("natpmp min lifetime", resp, n,
	       "0081 0000" EPOCH "2000 2000 0000003c");
	n = askhex("0001 0000 2001 2001 ffffffff");
	expect("natpmp max lifetime", resp, n,
	       "0081 0000" EPOCH "2001 2001 00015180");
	/* the mapping layer's lease cap is what is reported */
	fake_policy(true, 0, 0, 100);
	n = askhex("0001 0000 2002 2002 00000e10");
	expect("natpmp lease cap", resp, n,
	       "0081 0000" EPOCH "2002 2002 00000064");
	fake_policy(true, 0, 0, 604800);
	/* a request longer than 12 bytes: the tail is ignored */
	n = askhex("0001 0000 2003 2003 00000e10 deadbeef");
	expect("natpmp long map", resp, n,
	       "0081 0000" EPOCH "2003 2003 00000e10");
	/* truncated map requests: dropped */
	n = askhex("0001 0000 2004 2004 0000");
	check(n == 0, "natpmp truncated map dropped (%zu)", n);
	n = askhex("0002");
	check(n == 0, "natpmp 2-byte map dropped (%zu)", n);
}

static void test_natpmp_conflicts(void)
{
	struct igd_map *m;
	size_t n;

	setup(true, true, false);
	/* the suggested port is held by UPnP for another host: another port */
	fake_put(IGD_OWNER_UPNP, IPPROTO_UDP, "192.168.1.3", 7000, 7000, 0);
	n = askhex("0001 0000 1b58 1b58 00000e10");
	expect("natpmp port held by upnp", resp, n,
	       "0081 0000" EPOCH "1b58 9c40 00000e10");
	m = fake_find(IPPROTO_UDP, 7000);
	check(m && m->owner == IGD_OWNER_UPNP &&
	      m->int_addr.s_addr == htonl(0xc0a80103),
	      "natpmp left the upnp mapping alone");
	/* ... and by the administrator */
	fake_put(IGD_OWNER_ADMIN, IPPROTO_TCP, "192.168.1.9", 8080, 8080, 0);
	n = askhex("0002 0000 1f90 1f90 00000e10");
	expect("natpmp port held by admin", resp, n,
	       "0082 0000" EPOCH "1f90 9c40 00000e10");
	/* the client's own inside port mapped by UPnP: refused, kept */
	fake_put(IGD_OWNER_UPNP, IPPROTO_UDP, "192.168.1.2", 9000, 9001, 0);
	n = askhex("0001 0000 2328 2328 00000e10");
	expect("natpmp inside port held by upnp", resp, n,
	       "0081 0002" EPOCH "2328 0000 00000000");
	n = askhex("0001 0000 2328 0000 00000000");
	expect("natpmp delete of upnp mapping refused", resp, n,
	       "0081 0002" EPOCH "2328 0000 00000000");
	check(fake_find(IPPROTO_UDP, 9001) != NULL, "upnp mapping kept");
	/* ... or by PCP */
	fake_put(IGD_OWNER_PCP, IPPROTO_UDP, "192.168.1.2", 9100, 9100, 0);
	n = askhex("0001 0000 238c 238c 00000e10");
	expect("natpmp inside port held by pcp", resp, n,
	       "0081 0002" EPOCH "238c 0000 00000000");
	/* policy: ports below 1024 are refused */
	n = askhex("0002 0000 0050 0050 00000e10");
	expect("natpmp port 80 refused", resp, n,
	       "0082 0002" EPOCH "0050 0000 00000000");
	/* suggested external port below 1024: another one */
	n = askhex("0002 0000 2710 0050 00000e10");
	expect("natpmp ext 80 -> inside port", resp, n,
	       "0082 0000" EPOCH "2710 2710 00000e10");
	/* every port of the host: refused */
	n = askhex("0001 0000 0000 1388 00000e10");
	expect("natpmp inside port 0", resp, n,
	       "0081 0002" EPOCH "0000 0000 00000000");
}

static void test_natpmp_errors(void)
{
	unsigned int adds;
	size_t n;

	setup(true, true, false);
	fake_policy(true, 1, 0, 604800);
	n = askhex("0001 0000 1388 1388 00000e10");
	expect("natpmp first under cap", resp, n,
	       "0081 0000" EPOCH "1388 1388 00000e10");
	n = askhex("0001 0000 1389 1389 00000e10");
	expect("natpmp quota", resp, n,
	       "0081 0004" EPOCH "1389 0000 00000000");
	/* but the renewal of the one it has still works */
	n = askhex("0001 0000 1388 1388 00000e10");
	expect("natpmp renew at cap", resp, n,
	       "0081 0000" EPOCH "1388 1388 00000e10");
	fake_policy(true, 0, 0, 604800);
	adds = fake.adds;
	fake.nat_down = true;
	n = askhex("0001 0000 1390 1390 00000e10");
	expect("natpmp nat down", resp, n,
	       "0081 0003" EPOCH "1390 0000 00000000");
	fake.nat_down = false;
	fake.io_fail = true;
	n = askhex("0002 0000 1390 1390 00000e10");
	expect("natpmp io error", resp, n,
	       "0082 0003" EPOCH "1390 0000 00000000");
	fake.io_fail = false;
	check(fake.adds == adds, "no mapping made on errors");
	/* table full */
	while (fake.n < FAKE_MAX)
		fake_put(IGD_OWNER_ADMIN, IPPROTO_TCP, "192.168.1.9",
			 (uint16_t)(20000 + fake.n), (uint16_t)(20000 + fake.n), 0);
	n = askhex("0001 0000 1391 1391 00000e10");
	expect("natpmp no resources", resp, n,
	       "0081 0004" EPOCH "1391 0000 00000000");
	/* unsupported opcodes: the request back, opcode | 128, result 5 */
	n = askhex("0003");
	expect("natpmp opcode 3 short", resp, n, "0083 0005");
	n = askhex("0003 0000 1234 5678 9abc def0");
	expect("natpmp opcode 3", resp, n, "0083 0005 1234 5678 9abc def0");
	n = askhex("007f 1111 2222");
	expect("natpmp opcode 127", resp, n, "00ff 0005 2222");
}

static void test_natpmp_delete(void)
{
	size_t n;

	setup(true, true, false);
	askhex("0001 0000 1388 1388 00000e10");
	askhex("0001 0000 1389 1389 00000e10");
	askhex("0002 0000 1388 1388 00000e10");
	set_client("192.168.1.3", 5351);
	askhex("0001 0000 138a 138a 00000e10");
	set_client("192.168.1.2", 40001);
	fake_put(IGD_OWNER_UPNP, IPPROTO_UDP, "192.168.1.2", 6000, 6000, 0);
	check(fake.n == 5, "natpmp delete setup: 5 mappings (%u)", fake.n);
	/* delete one: answer with external port 0, lifetime 0 */
	n = askhex("0001 0000 1389 0000 00000000");
	expect("natpmp delete", resp, n, "0081 0000" EPOCH "1389 0000 00000000");
	check(!fake_find(IPPROTO_UDP, 5001) && fake.n == 4, "natpmp deleted");
	/* again: not an error */
	n = askhex("0001 0000 1389 0000 00000000");
	expect("natpmp delete absent", resp, n,
	       "0081 0000" EPOCH "1389 0000 00000000");
	/* add one more UDP, then delete all of the client's UDP ones */
	askhex("0001 0000 138b 138b 00000e10");
	n = askhex("0001 0000 0000 0000 00000000");
	expect("natpmp delete all udp", resp, n,
	       "0081 0000" EPOCH "0000 0000 00000000");
	check(!fake_find(IPPROTO_UDP, 5000) && !fake_find(IPPROTO_UDP, 5003),
	      "natpmp udp mappings gone");
	check(fake_find(IPPROTO_TCP, 5000) && fake_find(IPPROTO_UDP, 5002) &&
	      fake_find(IPPROTO_UDP, 6000) && fake.n == 3,
	      "natpmp delete all kept tcp, other host, upnp (%u)", fake.n);
	/* delete all while the NAT is down: network failure */
	fake.nat_down = true;
	n = askhex("0002 0000 0000 0000 00000000");
	expect("natpmp delete all nat down", resp, n,
	       "0082 0003" EPOCH "0000 0000 00000000");
	fake.nat_down = false;
}

static void test_versions(void)
{
	size_t n;

	/* both on: version 1 gets PCP UNSUPP_VERSION carrying version 2 */
	setup(true, true, false);
	n = askhex("0101");
	expect("version 1", resp, n,
	       "0281 0001 00000708" EPOCH RESV12);
	n = askhex("0301 0000 00000e10" CLI);
	expect("version 3", resp, n,
	       "0281 0001 00000708" EPOCH RESV12);
	n = askhex("ff00 0000 00000000" CLI ZERO16 ZERO16);
	expect("version 255 long", resp, n,
	       "0280 0001 00000708" EPOCH RESV12);
	/* NAT-PMP off: a NAT-PMP request gets PCP UNSUPP_VERSION */
	setup(false, true, false);
	n = askhex("0000");
	expect("natpmp off", resp, n, "0280 0001 00000708" EPOCH RESV12);
	n = askhex("0001 0000 1388 1388 00000e10");
	expect("natpmp off map", resp, n, "0281 0001 00000708" EPOCH RESV12);
	check(fake.n == 0, "natpmp off: nothing mapped");
	/* PCP off: a PCP request gets the NAT-PMP "unsupported version" */
	setup(true, false, false);
	n = askhex("0201 0000 00000e10" CLI NONCE1 "11000000 1388 1388" EXT);
	expect("pcp off", resp, n, "0080 0001" EPOCH);
	n = askhex("0101");
	expect("pcp off, version 1", resp, n, "0080 0001" EPOCH);
	check(fake.n == 0, "pcp off: nothing mapped");
	/* both off: silence */
	setup(false, false, false);
	n = askhex("0000");
	check(n == 0, "both off: no answer to natpmp (%zu)", n);
	n = askhex("0200 0000 00000000" CLI);
	check(n == 0, "both off: no answer to pcp (%zu)", n);
}

static void test_addressing(void)
{
	uint8_t q[2] = { 0, 0 };
	size_t n;

	setup(true, true, false);
	set_client("224.0.0.1", 5350);
	check(ask(q, 2) == 0, "multicast source: no answer");
	set_client("255.255.255.255", 5350);
	check(ask(q, 2) == 0, "broadcast source: no answer");
	set_client("0.0.0.0", 5350);
	check(ask(q, 2) == 0, "0.0.0.0 source: no answer");
	set_client("192.168.1.2", 0);
	check(ask(q, 2) == 0, "source port 0: no answer");
	set_client("192.168.1.2", 5350);
	inet_pton(AF_INET, "224.0.0.1", &server);
	check(ask(q, 2) == 0, "to a multicast group: no answer");
	inet_pton(AF_INET, "192.168.1.1", &server);
	check(ask(q, 2) == 12, "unicast: answer");
	/* no room: no answer, no overflow */
	n = pcp_handle(q, 2, &client, &server, resp, 11, NOW);
	check(n == 0, "resp_max 11 for addr: nothing (%zu)", n);
	n = pcp_handle((const uint8_t *)"\0\1\0\0\0\1\0\1\0\0\0\1", 12,
		       &client, &server, resp, 15, NOW);
	check(n == 0 && fake.n == 0, "resp_max 15 for map: nothing (%zu)", n);
	n = pcp_handle(q, 2, NULL, &server, resp, sizeof(resp), NOW);
	check(n == 0, "no client: nothing");
}

static void test_announce(void)
{
	uint8_t buf[64];
	size_t n;

	setup(true, true, false);
	n = pcp_announce_natpmp(buf, sizeof(buf), NOW);
	expect("announce natpmp", buf, n, "0080 0000" EPOCH "cb007101");
	n = pcp_announce_pcp(buf, sizeof(buf), NOW);
	expect("announce pcp", buf, n, "0280 0000 00000000" EPOCH RESV12);
	pcp_epoch_reset(NOW);
	n = pcp_announce_pcp(buf, sizeof(buf), NOW);
	expect("announce pcp after reset", buf, n,
	       "0280 0000 00000000 00000000" RESV12);
	check(pcp_announce_pcp(buf, 23, NOW) == 0, "announce pcp: no room");
	check(pcp_announce_natpmp(buf, 11, NOW) == 0, "announce natpmp: no room");
	fake.nat_down = true;
	n = pcp_announce_natpmp(buf, sizeof(buf), NOW);
	expect("announce natpmp nat down", buf, n,
	       "0080 0003 00000000 00000000");
	/* ANNOUNCE request: success, lifetime 0, epoch */
	fake.nat_down = false;
	setup(true, true, false);
	n = askhex("0200 0000 00000000" CLI);
	expect("pcp announce", resp, n, "0280 0000 00000000" EPOCH RESV12);
	n = askhex("0200 0000 00000000" CLI "c8000004 01020304");
	expect("pcp announce optional option", resp, n,
	       "0280 0000 00000000" EPOCH RESV12);
	n = askhex("0200 0000 00000000" CLI "02000000");
	expect("pcp announce prefer_failure", resp, n,
	       "0280 0006 00000708" EPOCH RESV12 "02000000");
	n = askhex("0200 0000 00000000 00000000 00000000 0000ffff c0a80109");
	expect("pcp announce address mismatch", resp, n,
	       "0280 000c 00000708" EPOCH RESV12);
}

#define MAPQ(life, nonce, proto_port_sug, sugip) \
	"0201 0000 " life CLI nonce proto_port_sug sugip

static void test_pcp_map(void)
{
	struct igd_map *m;
	size_t n;

	setup(true, true, false);
	/* UDP 5000, suggested 6000, 3600 s */
	n = askhex(MAPQ("00000e10", NONCE1, "11000000 1388 1770", ZERO16));
	expect("pcp map", resp, n,
	       "0281 0000 00000e10" EPOCH RESV12 NONCE1 "11000000 1388 1770" EXT);
	m = fake_find(IPPROTO_UDP, 6000);
	check(m && m->owner == IGD_OWNER_PCP && m->cookie_len == 12 &&
	      !memcmp(m->cookie, "\1\2\3\4\5\6\7\10\11\12\13\14", 12) &&
	      m->lease == 3600 && m->int_port == htons(5000),
	      "pcp mapping in the table with its nonce");
	/* renewal: same nonce, another suggestion; same port, new lifetime */
	n = askhex(MAPQ("00001c20", NONCE1, "11000000 1388 1771",
			"00000000 00000000 0000ffff 01020304"));
	expect("pcp renew", resp, n,
	       "0281 0000 00001c20" EPOCH RESV12 NONCE1 "11000000 1388 1770" EXT);
	check(fake.n == 1 && fake_find(IPPROTO_UDP, 6000)->lease == 7200,
	      "pcp renew: one mapping, lease 7200");
	/* another nonce: NOT_AUTHORIZED, the request copied */
	n = askhex(MAPQ("00000e10", NONCE2, "11000000 1388 1770", ZERO16));
	expect("pcp other nonce", resp, n,
	       "0281 0002 00000708" EPOCH RESV12 NONCE2 "11000000 1388 1770" ZERO16);
	n = askhex(MAPQ("00000000", NONCE2, "11000000 1388 0000", ZERO16));
	expect("pcp delete other nonce", resp, n,
	       "0281 0002 00000708" EPOCH RESV12 NONCE2 "11000000 1388 0000" ZERO16);
	check(fake_find(IPPROTO_UDP, 6000) != NULL, "still mapped");
	/* reserved bytes of the request are not echoed */
	n = askhex(MAPQ("00000e10", NONCE1, "11ffffff 1388 1770", ZERO16));
	expect("pcp reserved zeroed", resp, n,
	       "0281 0000 00000e10" EPOCH RESV12 NONCE1 "11000000 1388 1770" EXT);
	/* delete with the nonce: lifetime 0 */
	n = askhex(MAPQ("00000000", NONCE1, "11000000 1388 0000", ZERO16));
	expect("pcp delete", resp, n,
	       "0281 0000 00000000" EPOCH RESV12 NONCE1 "11000000 1388 1770" EXT);
	check(fake.n == 0, "pcp deleted");
	n = askhex(MAPQ("00000000", NONCE1, "11000000 1388 0000", ZERO16));
	expect("pcp delete absent", resp, n,
	       "0281 0000 00000000" EPOCH RESV12 NONCE1 "11000000 1388 0000" ZERO16);
	/* TCP, no suggestion, suggested address ::ffff:0.0.0.0 */
	n = askhex(MAPQ("00000e10", NONCE2, "06000000 1389 0000",
			"00000000 00000000 0000ffff 00000000"));
	expect("pcp map tcp", resp, n,
	       "0281 0000 00000e10" EPOCH RESV12 NONCE2 "06000000 1389 1389" EXT);
	/* lifetimes clamped */
	n = askhex(MAPQ("00000001", NONCE2, "06000000 138a 0000", ZERO16));
	expect("pcp min lifetime", resp, n,
	       "0281 0000 0000003c" EPOCH RESV12 NONCE2 "06000000 138a 138a" EXT);
	n = askhex(MAPQ("7fffffff", NONCE2, "06000000 138b 0000", ZERO16));
	expect("pcp max lifetime", resp, n,
	       "0281 0000 00015180" EPOCH RESV12 NONCE2 "06000000 138b 138b" EXT);
	/* a suggested external address we do not have: ignored */
	n = askhex(MAPQ("00000e10", NONCE2, "06000000 138c 138c",
			"00000000 00000000 0000ffff c6336401"));
	expect("pcp other suggested address", resp, n,
	       "0281 0000 00000e10" EPOCH RESV12 NONCE2 "06000000 138c 138c" EXT);
	/* delete all of this host's TCP mappings with NONCE2 (port 0) */
	fake_put(IGD_OWNER_PCP, IPPROTO_TCP, "192.168.1.2", 5200, 5200, 0);
	n = askhex(MAPQ("00000000", NONCE2, "06000000 0000 0000", ZERO16));
	expect("pcp delete all", resp, n,
	       "0281 0000 00000000" EPOCH RESV12 NONCE2 "06000000 0000 0000" ZERO16);
	check(fake.n == 1 && fake_find(IPPROTO_TCP, 5200),
	      "pcp delete all: only the nonce's (%u left)", fake.n);
}

static void test_pcp_conflicts(void)
{
	size_t n;

	setup(true, true, false);
	/* suggested port held by UPnP: another one */
	fake_put(IGD_OWNER_UPNP, IPPROTO_UDP, "192.168.1.3", 7000, 7000, 0);
	n = askhex(MAPQ("00000e10", NONCE1, "11000000 1b58 1b58", ZERO16));
	expect("pcp port held", resp, n,
	       "0281 0000 00000e10" EPOCH RESV12 NONCE1 "11000000 1b58 9c40" EXT);
	/* ... with PREFER_FAILURE: CANNOT_PROVIDE_EXTERNAL, 30 s */
	n = askhex(MAPQ("00000e10", NONCE1, "11000000 1b59 1b58", ZERO16)
		   "02000000");
	expect("pcp prefer_failure held", resp, n,
	       "0281 000b 0000001e" EPOCH RESV12 NONCE1 "11000000 1b59 1b58"
	       ZERO16 "02000000");
	check(!fake_find(IPPROTO_UDP, 7001), "nothing half made");
	/* ... held by the administrator */
	fake_put(IGD_OWNER_ADMIN, IPPROTO_UDP, "192.168.1.9", 7100, 7100, 0);
	n = askhex(MAPQ("00000e10", NONCE1, "11000000 1bbc 1bbc", ZERO16)
		   "02000000");
	expect("pcp prefer_failure admin", resp, n,
	       "0281 000b 0000001e" EPOCH RESV12 NONCE1 "11000000 1bbc 1bbc"
	       ZERO16 "02000000");
	/* PREFER_FAILURE with a free port: granted, option echoed */
	n = askhex(MAPQ("00000e10", NONCE1, "11000000 1bbd 1bbd", ZERO16)
		   "02000000");
	expect("pcp prefer_failure ok", resp, n,
	       "0281 0000 00000e10" EPOCH RESV12 NONCE1 "11000000 1bbd 1bbd"
	       EXT "02000000");
	/* PREFER_FAILURE, an address we do not have */
	n = askhex(MAPQ("00000e10", NONCE1, "11000000 1bbe 1bbe",
			"00000000 00000000 0000ffff c6336401") "02000000");
	expect("pcp prefer_failure address", resp, n,
	       "0281 000b 0000001e" EPOCH RESV12 NONCE1 "11000000 1bbe 1bbe"
	       "00000000 00000000 0000ffff c6336401 02000000");
	/* PREFER_FAILURE, an IPv6 suggestion */
	n = askhex(MAPQ("00000e10", NONCE1, "11000000 1bbf 1bbf",
			"20010db8 00000000 00000000 00000001") "02000000");
	expect("pcp prefer_failure ipv6", resp, n,
	       "0281 000b 0000001e" EPOCH RESV12 NONCE1 "11000000 1bbf 1bbf"
	       "20010db8 00000000 00000000 00000001 02000000");
	/* PREFER_FAILURE, our own address suggested: fine */
	n = askhex(MAPQ("00000e10", NONCE1, "11000000 1bc0 1bc0", EXT)
		   "02000000");
	expect("pcp prefer_failure own address", resp, n,
	       "0281 0000 00000e10" EPOCH RESV12 NONCE1 "11000000 1bc0 1bc0"
	       EXT "02000000");
	/* PREFER_FAILURE, a port below 1024: policy says no */
	n = askhex(MAPQ("00000e10", NONCE1, "11000000 1bc1 0050", ZERO16)
		   "02000000");
	expect("pcp prefer_failure port 80", resp, n,
	       "0281 0002 00000708" EPOCH RESV12 NONCE1 "11000000 1bc1 0050"
	       ZERO16 "02000000");
	/* the inside endpoint held by NAT-PMP or UPnP: NOT_AUTHORIZED */
	fake_put(IGD_OWNER_NATPMP, IPPROTO_TCP, "192.168.1.2", 8000, 8000, 0);
	n = askhex(MAPQ("00000e10", NONCE1, "06000000 1f40 0000", ZERO16));
	expect("pcp inside held by natpmp", resp, n,
	       "0281 0002 00000708" EPOCH RESV12 NONCE1 "06000000 1f40 0000" ZERO16);
	n = askhex(MAPQ("00000000", NONCE1, "06000000 1f40 0000", ZERO16));
	expect("pcp delete natpmp's", resp, n,
	       "0281 0002 00000708" EPOCH RESV12 NONCE1 "06000000 1f40 0000" ZERO16);
	check(fake_find(IPPROTO_TCP, 8000) != NULL, "natpmp mapping kept");
	fake_put(IGD_OWNER_ADMIN, IPPROTO_TCP, "192.168.1.2", 8001, 8001, 0);
	n = askhex(MAPQ("00000000", NONCE1, "06000000 1f41 0000", ZERO16));
	expect("pcp delete admin's", resp, n,
	       "0281 0002 00000708" EPOCH RESV12 NONCE1 "06000000 1f41 0000" ZERO16);
	check(fake_find(IPPROTO_TCP, 8001) != NULL, "admin mapping kept");
	/* inside port below 1024 */
	n = askhex(MAPQ("00000e10", NONCE1, "06000000 0016 0000", ZERO16));
	expect("pcp inside port 22", resp, n,
	       "0281 0002 00000708" EPOCH RESV12 NONCE1 "06000000 0016 0000" ZERO16);
}

static void test_pcp_errors(void)
{
	unsigned int adds;
	size_t n;

	setup(true, true, false);
	/* protocol 0 (all): unsupported; with a port: malformed */
	n = askhex(MAPQ("00000e10", NONCE1, "00000000 0000 0000", ZERO16));
	expect("pcp proto 0", resp, n,
	       "0281 0009 00000708" EPOCH RESV12 NONCE1 "00000000 0000 0000" ZERO16);
	n = askhex(MAPQ("00000e10", NONCE1, "00000000 1388 0000", ZERO16));
	expect("pcp proto 0 port", resp, n,
	       "0281 0003 00000708" EPOCH RESV12 NONCE1 "00000000 1388 0000" ZERO16);
	n = askhex(MAPQ("00000e10", NONCE1, "84000000 1388 0000", ZERO16));
	expect("pcp sctp", resp, n,
	       "0281 0009 00000708" EPOCH RESV12 NONCE1 "84000000 1388 0000" ZERO16);
	/* all ports with a lifetime: refused */
	n = askhex(MAPQ("00000e10", NONCE1, "11000000 0000 0000", ZERO16));
	expect("pcp all ports", resp, n,
	       "0281 0002 00000708" EPOCH RESV12 NONCE1 "11000000 0000 0000" ZERO16);
	/* client address field */
	n = askhex("0201 0000 00000e10 00000000 00000000 0000ffff c0a80103"
		   NONCE1 "11000000 1388 0000" ZERO16);
	expect("pcp address mismatch", resp, n,
	       "0281 000c 00000708" EPOCH RESV12 NONCE1 "11000000 1388 0000" ZERO16);
	n = askhex("0201 0000 00000e10 20010db8 00000000 00000000 00000001"
		   NONCE1 "11000000 1388 0000" ZERO16);
	expect("pcp ipv6 client", resp, n,
	       "0281 000c 00000708" EPOCH RESV12 NONCE1 "11000000 1388 0000" ZERO16);
	n = askhex("0201 0000 00000e10 00000000 00000000 0000fffe c0a80102"
		   NONCE1 "11000000 1388 0000" ZERO16);
	expect("pcp bad v4-mapped prefix", resp, n,
	       "0281 000c 00000708" EPOCH RESV12 NONCE1 "11000000 1388 0000" ZERO16);
	/* opcodes */
	n = askhex("0202 0000 00000e10" CLI NONCE1 "11000000 1388 1388" ZERO16
		   "1388 0000" ZERO16);
	expect("pcp peer", resp, n,
	       "0282 0004 00000708" EPOCH RESV12 NONCE1 "11000000 1388 1388" ZERO16
	       "1388 0000" ZERO16);
	n = askhex("0203 0000 00000000" CLI);
	expect("pcp opcode 3", resp, n, "0283 0004 00000708" EPOCH RESV12);
	n = askhex("027f 0000 00000000" CLI);
	expect("pcp opcode 127", resp, n, "02ff 0004 00000708" EPOCH RESV12);
	/* a response (R bit): dropped */
	n = askhex("0281 0000 00000000" CLI);
	check(n == 0, "pcp R bit dropped (%zu)", n);
	n = askhex("0280");
	check(n == 0, "pcp 2-byte R bit dropped (%zu)", n);
	/* sizes */
	n = askhex("0201");
	expect("pcp 2 bytes", resp, n, "0281 0003 00000708" EPOCH RESV12);
	n = askhex("0201 0000 00000e10" "00000000 00000000 0000ffff c0a801");
	expect("pcp 23 bytes", resp, n, "0281 0003 00000708" EPOCH RESV12);
	n = askhex("0200 0000 00000000" CLI "00");
	expect("pcp 25 bytes", resp, n, "0280 0003 00000708" EPOCH RESV12);
	n = askhex(MAPQ("00000e10", NONCE1, "11000000 1388 0000",
			"00000000 00000000 0000ffff"));
	expect("pcp short map", resp, n,
	       "0281 0003 00000708" EPOCH RESV12 NONCE1 "11000000 1388 0000"
	       "00000000 00000000 0000ffff");
	{
		uint8_t big[1104];

		memset(big, 0, sizeof(big));
		big[0] = 2;
		big[1] = 1;
		n = ask(big, sizeof(big));
		check(n == 1100 && resp[0] == 2 && resp[1] == 0x81 &&
		      resp[3] == 3, "pcp 1104 bytes: malformed, 1100 back (%zu)", n);
		big[1] = 0;
		n = ask(big, 1100);	/* address mismatch, full size */
		check(n == 1100 && resp[3] == 12, "pcp 1100 bytes: %zu %u", n,
		      resp[3]);
		n = pcp_handle(big, 1100, &client, &server, resp, 1099, NOW);
		check(n == 0, "pcp 1100 bytes, no room: nothing");
	}
	/* the mapping layer's errors */
	adds = fake.adds;
	fake_policy(true, 1, 0, 604800);
	fake_put(IGD_OWNER_UPNP, IPPROTO_UDP, "192.168.1.2", 9999, 9999, 0);
	n = askhex(MAPQ("00000e10", NONCE1, "11000000 1388 0000", ZERO16));
	expect("pcp quota", resp, n,
	       "0281 000a 0000001e" EPOCH RESV12 NONCE1 "11000000 1388 0000" ZERO16);
	fake_policy(true, 0, 0, 604800);
	fake.nat_down = true;
	n = askhex(MAPQ("00000e10", NONCE1, "11000000 1388 0000", ZERO16));
	expect("pcp nat down", resp, n,
	       "0281 0007 0000001e" EPOCH RESV12 NONCE1 "11000000 1388 0000" ZERO16);
	fake.nat_down = false;
	fake.io_fail = true;
	n = askhex(MAPQ("00000e10", NONCE1, "11000000 1388 0000", ZERO16));
	expect("pcp io", resp, n,
	       "0281 0008 0000001e" EPOCH RESV12 NONCE1 "11000000 1388 0000" ZERO16);
	fake.io_fail = false;
	check(fake.adds == adds, "pcp errors made nothing");
	while (fake.n < FAKE_MAX)
		fake_put(IGD_OWNER_ADMIN, IPPROTO_TCP, "192.168.1.9",
			 (uint16_t)(20000 + fake.n), (uint16_t)(20000 + fake.n), 0);
	n = askhex(MAPQ("00000e10", NONCE1, "11000000 1388 0000", ZERO16));
	expect("pcp no resources", resp, n,
	       "0281 0008 0000001e" EPOCH RESV12 NONCE1 "11000000 1388 0000" ZERO16);
}

static void test_pcp_options(void)
{
	struct igd_map *m;
	size_t n;

	setup(true, true, false);
#define Q MAPQ("00000e10", NONCE1, "11000000 1388 0000", ZERO16)
#define E(res, life) "0281 00" res " " life EPOCH RESV12 NONCE1 \
	"11000000 1388 0000" ZERO16
	/* THIRD_PARTY refused when not allowed */
	n = askhex(Q "01000010 00000000 00000000 0000ffff c0a80103");
	expect("third party refused", resp, n,
	       E("02", "00000708") "01000010 00000000 00000000 0000ffff c0a80103");
	check(fake.n == 0, "third party: nothing mapped");
	/* malformed THIRD_PARTY even when refused */
	n = askhex(Q "0100000c 00000000 00000000 0000ffff");
	expect("third party length 12", resp, n,
	       E("06", "00000708") "0100000c 00000000 00000000 0000ffff");
	n = askhex(Q "01000010 20010db8 00000000 00000000 00000001");
	expect("third party ipv6", resp, n,
	       E("06", "00000708") "01000010 20010db8 00000000 00000000 00000001");
	/* FILTER: unsupported; malformed length first */
	n = askhex(Q "03000014 00800000" ZERO16);
	expect("filter", resp, n, E("05", "00000708") "03000014 00800000" ZERO16);
	n = askhex(Q "03000010" ZERO16);
	expect("filter length 16", resp, n, E("06", "00000708") "03000010" ZERO16);
	/* PREFER_FAILURE: with data, twice */
	n = askhex(Q "02000004 00000000");
	expect("prefer_failure length 4", resp, n,
	       E("06", "00000708") "02000004 00000000");
	n = askhex(Q "02000000 02000000");
	expect("prefer_failure twice", resp, n,
	       E("06", "00000708") "02000000 02000000");
	/* unknown options: mandatory refused, optional ignored */
	n = askhex(Q "32000000");
	expect("unknown mandatory option", resp, n, E("05", "00000708") "32000000");
	n = askhex(Q "00000000");
	expect("option 0", resp, n, E("05", "00000708") "00000000");
	n = askhex(Q "c8000003 61626300");
	expect("unknown optional option", resp, n,
	       "0281 0000 00000e10" EPOCH RESV12 NONCE1 "11000000 1388 1388" EXT);
	askhex(MAPQ("00000000", NONCE1, "11000000 1388 0000", ZERO16));
	/* option lengths past the end */
	n = askhex(Q "c800ffff");
	expect("option length 65535", resp, n, E("06", "00000708") "c800ffff");
	n = askhex(Q "c8000004");
	expect("option data missing", resp, n, E("06", "00000708") "c8000004");
	n = askhex(Q "c8000005 00000000");
	expect("option padding missing", resp, n,
	       E("06", "00000708") "c8000005 00000000");
	n = askhex(Q "c8000000 c8000008 00000000");
	expect("second option short", resp, n,
	       E("06", "00000708") "c8000000 c8000008 00000000");
	check(fake.n == 0, "option errors: nothing mapped");
	/* THIRD_PARTY allowed: the client acts for .3 even in secure mode */
	setup(true, true, true);
	n = askhex(Q "01000010 00000000 00000000 0000ffff c0a80103");
	expect("third party allowed", resp, n,
	       "0281 0000 00000e10" EPOCH RESV12 NONCE1 "11000000 1388 1388" EXT
	       "01000010 00000000 00000000 0000ffff c0a80103");
	m = fake_find(IPPROTO_UDP, 5000);
	check(m && m->int_addr.s_addr == htonl(0xc0a80103) &&
	      m->owner == IGD_OWNER_PCP, "third party mapping for .3");
	/* both options, reserved byte of the option not echoed */
	n = askhex(MAPQ("00000e10", NONCE1, "11000000 1389 1389", ZERO16)
		   "0277 0000 01000010 00000000 00000000 0000ffff c0a80103");
	expect("third party + prefer_failure", resp, n,
	       "0281 0000 00000e10" EPOCH RESV12 NONCE1 "11000000 1389 1389" EXT
	       "01000010 00000000 00000000 0000ffff c0a80103 02000000");
	/* THIRD_PARTY twice */
	n = askhex(Q "01000010 00000000 00000000 0000ffff c0a80103"
		   "01000010 00000000 00000000 0000ffff c0a80103");
	expect("third party twice", resp, n,
	       E("06", "00000708") "01000010 00000000 00000000 0000ffff c0a80103"
	       "01000010 00000000 00000000 0000ffff c0a80103");
	/* a refresh of .3's mapping by .2 as third party: same nonce, fine */
	n = askhex(Q "01000010 00000000 00000000 0000ffff c0a80103");
	expect("third party renew", resp, n,
	       "0281 0000 00000e10" EPOCH RESV12 NONCE1 "11000000 1388 1388" EXT
	       "01000010 00000000 00000000 0000ffff c0a80103");
	/* secure mode (the default) does not stand in its way */
	check(igd_policy_secure(), "the mapping layer is in secure mode");
	n = askhex(MAPQ("00000e10", NONCE1, "11000000 138a 138a", ZERO16)
		   "01000010 00000000 00000000 0000ffff c0a80103");
	expect("third party in secure mode", resp, n,
	       "0281 0000 00000e10" EPOCH RESV12 NONCE1 "11000000 138a 138a" EXT
	       "01000010 00000000 00000000 0000ffff c0a80103");
	m = fake_find(IPPROTO_UDP, 5002);
	check(m && m->int_addr.s_addr == htonl(0xc0a80103),
	      "third party in secure mode: mapping for .3");
	/* THIRD_PARTY 0.0.0.0: a bad argument */
	n = askhex(MAPQ("00000e10", NONCE1, "11000000 138b 0000", ZERO16)
		   "01000010 00000000 00000000 0000ffff 00000000");
	expect("third party 0.0.0.0", resp, n,
	       "0281 0003 00000708" EPOCH RESV12 NONCE1 "11000000 138b 0000" ZERO16
	       "01000010 00000000 00000000 0000ffff 00000000");
	/* delete .3's mapping through THIRD_PARTY */
	n = askhex(MAPQ("00000000", NONCE1, "11000000 1388 0000", ZERO16)
		   "01000010 00000000 00000000 0000ffff c0a80103");
	expect("third party delete", resp, n,
	       "0281 0000 00000000" EPOCH RESV12 NONCE1 "11000000 1388 1388" EXT
	       "01000010 00000000 00000000 0000ffff c0a80103");
	check(!fake_find(IPPROTO_UDP, 5000), "third party deleted");
#undef Q
#undef E
}

/* Random and mutated datagrams: no crash, answers bounded and well formed. */
static void test_random(void)
{
	static const char *const seeds[] = {
		"0000",
		"0001 0000 1388 1388 00000e10",
		"0002 0000 0000 0000 00000000",
		MAPQ("00000e10", NONCE1, "11000000 1388 1770", ZERO16),
		MAPQ("00000e10", NONCE1, "11000000 1388 1770", ZERO16)
			"01000010 00000000 00000000 0000ffff c0a80103 02000000",
		("0200 0000 00000000" CLI),
	};
	uint32_t rnd = 12345;
	unsigned int i, bad = 0;

	setup(true, true, true);
	fake_policy(false, 0, 0, 604800);
	for (i = 0; i < 200000; i++) {
		uint8_t q[1200];
		size_t len, n, k;

		rnd = rnd * 1103515245 + 12345;
		len = unhex(seeds[(rnd >> 16) % 6], q, sizeof(q));
		for (k = 0; k < 1 + (rnd >> 8) % 4; k++) {
			rnd = rnd * 1103515245 + 12345;
			switch ((rnd >> 12) % 4) {
			case 0:
				q[(rnd >> 16) % len] = (uint8_t)(rnd >> 3);
				break;
			case 1:
				len = (rnd >> 16) % (len + 1);
				break;
			case 2:
				if (len + 4 < sizeof(q)) {
					memcpy(q + len, &rnd, 4);
					len += 4;
				}
				break;
			case 3:
				q[(rnd >> 16) % len] ^= 0x80;
				break;
			}
			if (!len)
				len = 1;
		}
		n = ask(q, len);
		if (n > 1100 || (q[0] == 2 && n && (n % 4 || n < 24)) ||
		    (n && resp[0] != 0 && resp[0] != 2) ||
		    (n && !(resp[1] & 0x80)))
			bad++;
		if (fake.n == FAKE_MAX)
			fake_reset(), fake_policy(false, 0, 0, 604800);
	}
	check(bad == 0, "random datagrams: %u bad answers", bad);
}

int main(void)
{
	test_natpmp_addr();
	test_natpmp_map();
	test_natpmp_conflicts();
	test_natpmp_errors();
	test_natpmp_delete();
	test_versions();
	test_addressing();
	test_announce();
	test_pcp_map();
	test_pcp_conflicts();
	test_pcp_errors();
	test_pcp_options();
	test_random();
	printf("%u passed, %u failed\n", passed, failed);
	return failed ? 1 : 0;
}
