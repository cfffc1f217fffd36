// SPDX-License-Identifier: GPL-2.0
/*
 * igdd unit tests: the configuration parser, the SSDP parser and answers,
 * the SOAP parser and actions, and the mapping policy, over a fake
 * netlink layer (the igd_nl_* functions below keep a table in memory
 * with the kernel's rules for static mappings).
 *
 * Prints "N passed, N failed" last; exits 1 if any failed.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>

#include "conf.h"
#include "http.h"
#include "mapping.h"
#include "nl.h"
#include "ratelimit.h"
#include "sbuf.h"
#include "soap.h"
#include "ssdp.h"

static int passed, failed;

#define CHECK(cond, ...) do {						\
	if (cond) {							\
		passed++;						\
	} else {							\
		failed++;						\
		printf("FAIL %s:%d: ", __FILE__, __LINE__);		\
		printf(__VA_ARGS__);					\
		printf("\n");						\
	}								\
} while (0)

void igd_log(int prio, const char *fmt, ...)
{
	(void)prio;
	(void)fmt;
}

#include "fake-nl.h"

static struct in_addr A(const char *s)
{
	struct in_addr a;

	inet_pton(AF_INET, s, &a);
	return a;
}

static void reset(void)
{
	fake_reset();
}

static struct igd_map *put(enum igd_owner o, uint8_t proto, const char *ia,
			   uint16_t ip, uint16_t ep)
{
	struct igd_map *m = &fake.maps[fake.n++];

	memset(m, 0, sizeof(*m));
	m->ext_addr = fake.ext[0];
	m->owner = o;
	m->proto = proto;
	m->int_addr = A(ia);
	m->int_port = htons(ip);
	m->ext_port = htons(ep);
	m->lease = m->expires = 100;
	return m;
}

/* ---- configuration ---- */

static void conf_err(const char *text, const char *want)
{
	struct igd_conf c;
	char err[200] = "";
	int r = igd_conf_parse(text, strlen(text), &c, err, sizeof(err));

	CHECK(r == -1 && strstr(err, want), "config '%s': %d '%s', want '%s'",
	      text, r, err, want);
}

static void test_conf(void)
{
	static const char good[] =
		"# igdd\n"
		"lan-if br0\n"
		"lan-if br1   # second\n"
		"wan-if wan0\r\n"
		"http-port 5000\n"
		"secure-mode no\n"
		"allow 1024-65535 192.168.1.0/24 1024-65535\n"
		"deny 0-65535 0.0.0.0/0 0-65535\n"
		"max-per-client 8\n"
		"max-lease 3600\n"
		"natpmp off\n"
		"pcp yes\n"
		"third-party yes\n"
		"uuid 01234567-89ab-cdef-0123-456789abcdef\n"
		"friendly-name My  gateway <1>\n"
		"\n";
	struct igd_conf c;
	char err[200] = "";

	CHECK(!igd_conf_parse(good, strlen(good), &c, err, sizeof(err)),
	      "good config: %s", err);
	CHECK(c.nlan == 2 && !strcmp(c.lan_if[1], "br1") &&
	      !strcmp(c.wan_if, "wan0") && c.http_port == 5000 &&
	      !c.policy.secure && c.policy.nrules == 2 &&
	      c.policy.rules[0].allow && c.policy.rules[0].plen == 24 &&
	      c.policy.rules[0].ext_min == 1024 && !c.policy.rules[1].allow &&
	      c.policy.max_per_client == 8 && c.policy.max_lease == 3600 &&
	      !c.natpmp && c.pcp && c.third_party && c.have_uuid,
	      "good config values");
	CHECK(!strcmp(c.friendly_name, "My  gateway <1>"), "friendly name '%s'",
	      c.friendly_name);
	CHECK(!igd_conf_parse("", 0, &c, err, sizeof(err)) && c.policy.secure &&
	      c.natpmp && c.pcp && !c.third_party && c.policy.max_lease == 604800,
	      "defaults");
	conf_err("lan-if br0\nbogus 1\n", "line 2: unknown directive 'bogus'");
	conf_err("http-port 65536\n", "line 1: http-port");
	conf_err("http-port -1\n", "line 1: http-port");
	conf_err("http-port 99999999999999999999\n", "line 1: http-port");
	conf_err("\n\nallow 2000-1000 10.0.0.0/8 1-2\n", "line 3: bad external port range");
	conf_err("allow 1 10.0.0.1/8 1\n", "bad address/prefix");
	conf_err("allow 1 10.0.0.0/33 1\n", "bad address/prefix");
	conf_err("allow 1 host.example 1\n", "bad address/prefix");
	conf_err("deny 1 10.0.0.0/8\n", "takes 3 arguments");
	conf_err("secure-mode maybe\n", "yes or no");
	conf_err("max-lease 0\n", "max-lease");
	conf_err("max-lease 604801\n", "max-lease");
	conf_err("uuid 0123\n", "uuid");
	conf_err("lan-if a/b\n", "bad interface name");
	conf_err("lan-if 0123456789abcdefg\n", "bad interface name");
	conf_err("lan-if a\nlan-if b\nlan-if c\nlan-if d\nlan-if e\n", "line 5");
	conf_err("friendly-name caf\xc3\xa9\n", "friendly-name");
	conf_err("wan-if a b\n", "takes 1 argument");
	{
		char big[700];

		memset(big, 'a', sizeof(big));
		big[sizeof(big) - 1] = '\0';
		conf_err(big, "line 1: line longer");
	}
	{
		static const char nul[] = "lan-if br0\nwan-if w\0x\n";

		CHECK(igd_conf_parse(nul, sizeof(nul) - 1, &c, err, sizeof(err)) &&
		      strstr(err, "line 2"), "NUL byte: '%s'", err);
	}
}

/* ---- SSDP ---- */

static const char uuids[SSDP_NTREES][SSDP_NDEVS][37] = {
	{ "00000000-0000-0000-0000-000000000001",
	  "00000000-0000-0000-0000-000000000002",
	  "00000000-0000-0000-0000-000000000003" },
	{ "00000000-0000-0000-0000-000000000004",
	  "00000000-0000-0000-0000-000000000005",
	  "00000000-0000-0000-0000-000000000006" },
};

static int parse_str(const char *s, struct ssdp_search *r)
{
	return ssdp_parse(s, strlen(s), r);
}

static void test_ssdp(void)
{
	struct ssdp_target t[SSDP_TARGETS_MAX];
	struct ssdp_search s;
	char usn[200];
	int n;

	CHECK(parse_str("M-SEARCH * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\n"
			"MAN: \"ssdp:discover\"\r\nMX: 2\r\nST: ssdp:all\r\n\r\n",
			&s) == SSDP_SEARCH && !strcmp(s.st, "ssdp:all") &&
	      s.mx == 2 && s.multicast, "a good M-SEARCH");
	CHECK(parse_str("M-SEARCH * HTTP/1.1\r\nhost:239.255.255.250:1900\r\n"
			"man:\"ssdp:discover\"\r\nmx:120\r\nst:upnp:rootdevice\r\n\r\n",
			&s) == SSDP_SEARCH && s.mx == SSDP_MX_MAX,
	      "lower-case headers, MX bounded");
	CHECK(parse_str("M-SEARCH * HTTP/1.1\r\nHOST: 192.168.1.1:1900\r\n"
			"MAN: \"ssdp:discover\"\r\nST: ssdp:all\r\n\r\n",
			&s) == SSDP_SEARCH && !s.multicast, "unicast without MX");
	CHECK(parse_str("M-SEARCH * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\n"
			"MAN: \"ssdp:discover\"\r\nST: ssdp:all\r\n\r\n",
			&s) == SSDP_MALFORMED, "multicast without MX");
	CHECK(parse_str("M-SEARCH * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\n"
			"MX: 1\r\nST: ssdp:all\r\n\r\n", &s) == SSDP_MALFORMED,
	      "no MAN");
	CHECK(parse_str("M-SEARCH * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\n"
			"MAN: \"ssdp:discover\"\r\nMX: 1x\r\nST: ssdp:all\r\n\r\n",
			&s) == SSDP_MALFORMED, "MX not a number");
	CHECK(parse_str("M-SEARCH * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\n"
			"MAN: \"ssdp:discover\"\r\nMX: 99999\r\nST: ssdp:all\r\n\r\n",
			&s) == SSDP_MALFORMED, "huge MX");
	CHECK(parse_str("M-SEARCH * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\n"
			"MAN: \"ssdp:discover\"\r\nMX: 1\r\nST: ssdp:all\r\n",
			&s) == SSDP_MALFORMED, "truncated (no empty line)");
	CHECK(parse_str("M-SEARCH * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\n"
			"MAN: \"ssdp:discover\"\r\nMX: 1\r\nST: a\r\nST: b\r\n\r\n",
			&s) == SSDP_MALFORMED, "two ST");
	CHECK(parse_str("NOTIFY * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\n"
			"NT: upnp:rootdevice\r\nNTS: ssdp:alive\r\n\r\n",
			&s) == SSDP_IGNORE, "NOTIFY ignored");
	CHECK(parse_str("GET / HTTP/1.1\r\n\r\n", &s) == SSDP_MALFORMED, "GET");
	CHECK(ssdp_parse("M-SEARCH * HTTP/1.1\r\nST\0: x\r\n\r\n", 30, &s) ==
	      SSDP_MALFORMED, "NUL in a header");
	{
		char big[SSDP_MAX_MSG + 10];

		memset(big, 'a', sizeof(big));
		CHECK(ssdp_parse(big, sizeof(big), &s) == SSDP_MALFORMED, "oversized");
	}
	{
		char st[400];

		snprintf(st, sizeof(st), "M-SEARCH * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\n"
			 "MAN: \"ssdp:discover\"\r\nMX: 1\r\nST: %0200d\r\n\r\n", 0);
		CHECK(parse_str(st, &s) == SSDP_MALFORMED, "ST too long");
	}

	n = ssdp_targets("ssdp:all", uuids, t, SSDP_TARGETS_MAX);
	CHECK(n == 18, "ssdp:all: %d targets", n);
	n = ssdp_targets(NULL, uuids, t, SSDP_TARGETS_MAX);
	CHECK(n == 18, "NOTIFY: %d targets", n);
	n = ssdp_targets("upnp:rootdevice", uuids, t, SSDP_TARGETS_MAX);
	CHECK(n == 2 && t[0].tree == 0 && t[1].tree == 1 &&
	      t[0].dev == SSDP_DEV_ROOT, "rootdevice: %d", n);
	n = ssdp_targets("urn:schemas-upnp-org:device:InternetGatewayDevice:1",
			 uuids, t, SSDP_TARGETS_MAX);
	CHECK(n == 1 && t[0].tree == SSDP_TREE_IGD1, "IGD:1: %d", n);
	ssdp_usn(&t[0], uuids, usn, sizeof(usn));
	CHECK(!strcmp(usn, "uuid:00000000-0000-0000-0000-000000000001::"
		      "urn:schemas-upnp-org:device:InternetGatewayDevice:1"),
	      "USN %s", usn);
	n = ssdp_targets("urn:schemas-upnp-org:service:WANIPConnection:1",
			 uuids, t, SSDP_TARGETS_MAX);
	CHECK(n == 1 && t[0].tree == SSDP_TREE_IGD1 &&
	      t[0].dev == SSDP_DEV_WANCONN, "WANIPConnection:1: %d", n);
	n = ssdp_targets("urn:schemas-upnp-org:service:WANCommonInterfaceConfig:1",
			 uuids, t, SSDP_TARGETS_MAX);
	CHECK(n == 1 && t[0].tree == SSDP_TREE_IGD1, "WANCommonIFC:1: %d", n);
	n = ssdp_targets("urn:schemas-upnp-org:service:WANIPConnection:2",
			 uuids, t, SSDP_TARGETS_MAX);
	CHECK(n == 1 && t[0].tree == SSDP_TREE_IGD2, "WANIPConnection:2: %d", n);
	n = ssdp_targets("uuid:00000000-0000-0000-0000-000000000005", uuids, t,
			 SSDP_TARGETS_MAX);
	ssdp_usn(&t[0], uuids, usn, sizeof(usn));
	CHECK(n == 1 && !strcmp(usn, "uuid:00000000-0000-0000-0000-000000000005"),
	      "uuid search: %d %s", n, usn);
	CHECK(!ssdp_targets("urn:schemas-upnp-org:device:MediaServer:1", uuids,
			    t, SSDP_TARGETS_MAX), "other types: none");
}

/* ---- SOAP ---- */

#define ENV_START "<?xml version=\"1.0\"?><s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Body>"
#define ENV_END "</s:Body></s:Envelope>"
#define IP1 "urn:schemas-upnp-org:service:WANIPConnection:1"
#define IP2 "urn:schemas-upnp-org:service:WANIPConnection:2"

static char out[SOAP_BODY_MAX * 10];

/* Run one action; the HTTP status, the body in out. */
static int call(enum soap_service svc, const char *client, const char *xml)
{
	struct soap_env env = { .client = A(client), .authorised = false,
				.uptime = 7 };
	struct soap_req r;
	struct sbuf b;
	int perr = soap_parse(xml, strlen(xml), &r);

	sb_init(&b, out, sizeof(out));
	return soap_handle(svc, &r, perr, &env, &b);
}

static int code(void)
{
	const char *p = strstr(out, "<errorCode>");

	return p ? atoi(p + 11) : 0;
}

static char xbuf[4096];

static const char *add_xml(const char *ns, const char *action, const char *rem,
			   const char *ext, const char *proto, const char *in,
			   const char *client, const char *desc,
			   const char *lease)
{
	snprintf(xbuf, sizeof(xbuf), ENV_START "<u:%s xmlns:u=\"%s\">"
		 "<NewRemoteHost>%s</NewRemoteHost><NewExternalPort>%s</NewExternalPort>"
		 "<NewProtocol>%s</NewProtocol><NewInternalPort>%s</NewInternalPort>"
		 "<NewInternalClient>%s</NewInternalClient><NewEnabled>1</NewEnabled>"
		 "<NewPortMappingDescription>%s</NewPortMappingDescription>"
		 "<NewLeaseDuration>%s</NewLeaseDuration></u:%s>" ENV_END,
		 action, ns, rem, ext, proto, in, client, desc, lease, action);
	return xbuf;
}

static const char *simple_xml(const char *ns, const char *action,
			      const char *args)
{
	snprintf(xbuf, sizeof(xbuf), ENV_START "<u:%s xmlns:u=\"%s\">%s</u:%s>"
		 ENV_END, action, ns, args, action);
	return xbuf;
}

static void test_soap_parse(void)
{
	struct soap_req r;
	const char *x;
	char many[4096];
	int i, n;

	x = simple_xml(IP1, "GetExternalIPAddress", "");
	CHECK(soap_parse(x, strlen(x), &r) == SOAP_OK &&
	      !strcmp(r.action, "GetExternalIPAddress") && !strcmp(r.ns, IP1) &&
	      !r.nargs, "empty action");
	x = simple_xml(IP1, "X", "<A>1</A><B>&lt;&amp;</B>");
	CHECK(soap_parse(x, strlen(x), &r) == SOAP_OK && r.nargs == 2 &&
	      !strcmp(r.args[1].val, "<&"), "args, entities");
	x = simple_xml(IP1, "X", "<A>1</A><A>2</A>");
	CHECK(soap_parse(x, strlen(x), &r) == SOAP_E_ARGS, "duplicate arg");
	x = simple_xml(IP1, "X", "<A><B>1</B></A>");
	CHECK(soap_parse(x, strlen(x), &r) == SOAP_E_ARGS, "nested arg");
	n = snprintf(many, sizeof(many), ENV_START "<u:X xmlns:u=\"" IP1 "\">");
	for (i = 0; i < 20; i++)
		n += snprintf(many + n, sizeof(many) - n, "<A%d>1</A%d>", i, i);
	snprintf(many + n, sizeof(many) - n, "</u:X>" ENV_END);
	CHECK(soap_parse(many, strlen(many), &r) == SOAP_E_ARGS, "20 args");
	x = "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY a \"b\">]>"
	    "<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\">"
	    "<s:Body><u:X xmlns:u=\"a\"><A>&a;</A></u:X></s:Body></s:Envelope>";
	CHECK(soap_parse(x, strlen(x), &r) == SOAP_E_XML, "DOCTYPE refused");
	x = simple_xml(IP1, "X", "<A>\xc3\x28</A>");
	CHECK(soap_parse(x, strlen(x), &r) == SOAP_E_XML, "invalid UTF-8");
	x = simple_xml(IP1, "X", "<A>1</A>");
	CHECK(soap_parse(x, strlen(x) - 10, &r) == SOAP_E_XML, "truncated");
	x = "<Envelope><Body><X/></Body></Envelope>";
	CHECK(soap_parse(x, strlen(x), &r) == SOAP_E_XML, "no SOAP namespace");
	x = ENV_START ENV_END;
	CHECK(soap_parse(x, strlen(x), &r) == SOAP_E_XML, "no action");
	{
		char big[SOAP_VAL_MAX + 200];

		memset(big, 'a', sizeof(big));
		memcpy(big, "<A>", 3);
		strcpy(big + SOAP_VAL_MAX + 10, "</A>");
		x = simple_xml(IP1, "X", big);
		CHECK(soap_parse(x, strlen(x), &r) == SOAP_E_ARGS, "value too long");
	}
}

static void test_soap_actions(void)
{
	int st;

	reset();
	st = call(SOAP_SVC_IPCONN1, "192.168.1.2",
		  add_xml(IP1, "AddPortMapping", "", "18000", "TCP", "8000",
			  "192.168.1.2", "a&amp;b&lt;", "600"));
	CHECK(st == 200 && fake.n == 1 && fake.maps[0].owner == IGD_OWNER_UPNP &&
	      !strcmp(fake.maps[0].desc, "a&b<") && fake.maps[0].lease == 600,
	      "AddPortMapping: %d %s", st, out);
	st = call(SOAP_SVC_IPCONN1, "192.168.1.2",
		  add_xml(IP1, "AddPortMapping", "", "18000", "TCP", "8000",
			  "192.168.1.2", "again", "0"));
	CHECK(st == 200 && fake.n == 1 && fake.maps[0].lease == 604800 &&
	      !strcmp(fake.maps[0].desc, "again"),
	      "AddPortMapping again renews, lease 0 -> 604800: %d %u", st,
	      fake.maps[0].lease);
	st = call(SOAP_SVC_IPCONN1, "192.168.1.3",
		  add_xml(IP1, "AddPortMapping", "", "18000", "TCP", "8000",
			  "192.168.1.3", "x", "60"));
	CHECK(st == 500 && code() == 718, "taken by another client: %d", code());
	st = call(SOAP_SVC_IPCONN1, "192.168.1.2",
		  add_xml(IP1, "AddPortMapping", "", "18001", "TCP", "8000",
			  "192.168.1.3", "x", "60"));
	CHECK(st == 500 && code() == 606 && fake.n == 1, "secure mode: %d", code());
	st = call(SOAP_SVC_IPCONN1, "192.168.1.2",
		  add_xml(IP1, "AddPortMapping", "", "80", "TCP", "8000",
			  "192.168.1.2", "x", "60"));
	CHECK(code() == 606 && fake.n == 1, "port 80 default deny: %d", code());
	st = call(SOAP_SVC_IPCONN2, "192.168.1.2",
		  add_xml(IP2, "AddPortMapping", "", "0", "TCP", "8000",
			  "192.168.1.2", "x", "60"));
	CHECK(code() == 716, "v2 wildcard ext port: %d", code());
	call(SOAP_SVC_IPCONN1, "192.168.1.2",
	     add_xml(IP1, "AddPortMapping", "", "0", "TCP", "8000",
		     "192.168.1.2", "x", "60"));
	CHECK(code() == 716, "v1 wildcard ext port: %d", code());
	st = call(SOAP_SVC_IPCONN2, "192.168.1.2",
		  add_xml(IP2, "AddPortMapping", "", "5000", "TCP", "0",
			  "192.168.1.2", "x", "60"));
	CHECK(code() == 732, "v2 wildcard int port: %d", code());
	call(SOAP_SVC_IPCONN1, "192.168.1.2",
	     add_xml(IP1, "AddPortMapping", "", "5000", "TCPX", "5000",
		     "192.168.1.2", "x", "60"));
	CHECK(code() == 402, "protocol TCPX: %d", code());
	call(SOAP_SVC_IPCONN1, "192.168.1.2",
	     add_xml(IP1, "AddPortMapping", "", "5000", "TCP", "5000",
		     "gw.example", "x", "60"));
	CHECK(code() == 402, "a name as internal client: %d", code());
	call(SOAP_SVC_IPCONN1, "192.168.1.2",
	     add_xml(IP1, "AddPortMapping", "", "5000", "TCP", "5000",
		     "192.168.1.2", "x", "4294967296"));
	CHECK(code() == 402, "lease above ui4: %d", code());
	call(SOAP_SVC_IPCONN1, "192.168.1.2",
	     add_xml(IP1, "AddPortMapping", "", "5000", "TCP", "5000",
		     "192.168.1.2", "x", "99999999999999999999999"));
	CHECK(code() == 402, "huge lease: %d", code());

	/* another mechanism's port */
	put(IGD_OWNER_ADMIN, IPPROTO_UDP, "192.168.1.9", 4000, 4000);
	call(SOAP_SVC_IPCONN2, "192.168.1.2",
	     add_xml(IP2, "AddPortMapping", "", "4000", "UDP", "4000",
		     "192.168.1.2", "x", "60"));
	CHECK(code() == 729, "v2 admin's port: %d", code());
	call(SOAP_SVC_IPCONN1, "192.168.1.2",
	     add_xml(IP1, "AddPortMapping", "", "4000", "UDP", "4000",
		     "192.168.1.2", "x", "60"));
	CHECK(code() == 718, "v1 admin's port: %d", code());
	st = call(SOAP_SVC_IPCONN2, "192.168.1.2",
		  add_xml(IP2, "AddAnyPortMapping", "", "4000", "UDP", "4000",
			  "192.168.1.2", "x", "60"));
	CHECK(st == 200 && strstr(out, "<NewReservedPort>") &&
	      !strstr(out, "<NewReservedPort>4000<") &&
	      fake.n == 3 && fake.maps[2].int_addr.s_addr == A("192.168.1.2").s_addr,
	      "AddAnyPortMapping takes another port: %s", out);
	call(SOAP_SVC_IPCONN1, "192.168.1.2",
	     simple_xml(IP1, "DeletePortMapping", "<NewRemoteHost></NewRemoteHost>"
			"<NewExternalPort>4000</NewExternalPort><NewProtocol>UDP</NewProtocol>"));
	CHECK(code() == 718, "v1 delete of the admin's mapping: %d", code());

	/* listing */
	st = call(SOAP_SVC_IPCONN1, "192.168.1.2",
		  simple_xml(IP1, "GetGenericPortMappingEntry",
			     "<NewPortMappingIndex>0</NewPortMappingIndex>"));
	CHECK(st == 200 && strstr(out, "<NewExternalPort>18000</NewExternalPort>") &&
	      strstr(out, "<NewPortMappingDescription>again</NewPortMappingDescription>"),
	      "GetGenericPortMappingEntry 0: %s", out);
	call(SOAP_SVC_IPCONN1, "192.168.1.2",
	     simple_xml(IP1, "GetGenericPortMappingEntry",
			"<NewPortMappingIndex>3</NewPortMappingIndex>"));
	CHECK(code() == 713, "index 3 of 3: %d", code());
	call(SOAP_SVC_IPCONN1, "192.168.1.2",
	     simple_xml(IP1, "GetGenericPortMappingEntry",
			"<NewPortMappingIndex>x</NewPortMappingIndex>"));
	CHECK(code() == 402, "index x: %d", code());
	strcpy(fake.maps[0].desc, "<&\">");
	st = call(SOAP_SVC_IPCONN1, "192.168.1.2",
		  simple_xml(IP1, "GetSpecificPortMappingEntry",
			     "<NewRemoteHost></NewRemoteHost><NewExternalPort>18000"
			     "</NewExternalPort><NewProtocol>TCP</NewProtocol>"));
	CHECK(st == 200 && strstr(out, "<NewPortMappingDescription>&lt;&amp;&quot;&gt;"
				  "</NewPortMappingDescription>") &&
	      strstr(out, "<NewInternalClient>192.168.1.2</NewInternalClient>"),
	      "GetSpecificPortMappingEntry escapes: %s", out);
	call(SOAP_SVC_IPCONN1, "192.168.1.2",
	     simple_xml(IP1, "GetSpecificPortMappingEntry",
			"<NewRemoteHost></NewRemoteHost><NewExternalPort>18009"
			"</NewExternalPort><NewProtocol>TCP</NewProtocol>"));
	CHECK(code() == 714, "no such entry: %d", code());
	st = call(SOAP_SVC_IPCONN2, "192.168.1.2",
		  simple_xml(IP2, "GetListOfPortMappings",
			     "<NewStartPort>1</NewStartPort><NewEndPort>65535</NewEndPort>"
			     "<NewProtocol>TCP</NewProtocol><NewManage>0</NewManage>"
			     "<NewNumberOfPorts>0</NewNumberOfPorts>"));
	CHECK(st == 200 && strstr(out, "&lt;p:NewExternalPort&gt;18000&lt;/p:NewExternalPort&gt;") &&
	      strstr(out, "&lt;p:NewDescription&gt;&amp;lt;&amp;amp;&amp;quot;&amp;gt;"),
	      "GetListOfPortMappings: %s", out);
	call(SOAP_SVC_IPCONN2, "192.168.1.2",
	     simple_xml(IP2, "GetListOfPortMappings",
			"<NewStartPort>1</NewStartPort><NewEndPort>65535</NewEndPort>"
			"<NewProtocol>TCP</NewProtocol><NewManage>1</NewManage>"
			"<NewNumberOfPorts>0</NewNumberOfPorts>"));
	CHECK(code() == 606, "NewManage in secure mode: %d", code());
	call(SOAP_SVC_IPCONN2, "192.168.1.3",
	     simple_xml(IP2, "GetListOfPortMappings",
			"<NewStartPort>1</NewStartPort><NewEndPort>65535</NewEndPort>"
			"<NewProtocol>TCP</NewProtocol><NewManage>0</NewManage>"
			"<NewNumberOfPorts>0</NewNumberOfPorts>"));
	CHECK(code() == 730, "another client's list is empty: %d", code());
	call(SOAP_SVC_IPCONN1, "192.168.1.2",
	     simple_xml(IP1, "GetListOfPortMappings", ""));
	CHECK(code() == 401, "v2 action on v1: %d", code());

	/* a long list ends before the entry that does not fit, well formed */
	{
		unsigned int i, n0 = fake.n;

		for (i = 0; fake.n < FAKE_MAX; i++)
			strcpy(put(IGD_OWNER_UPNP, IPPROTO_TCP, "192.168.1.2",
				   20000 + i, 20000 + i)->desc,
			       "&&&&&&&&&&&&&&&&&&&&&&&&&&&&&&&&&&&&&&&&&&&&&&&&&&&&&&&&&&&&&&&&"
			       "&&&&&&&&&&&&&&&&&&&&&&&&&&&&&&&&&&&&&&&&&&&&&&&&&&&&&&&&&&&&&&");
		st = call(SOAP_SVC_IPCONN2, "192.168.1.2",
			  simple_xml(IP2, "GetListOfPortMappings",
				     "<NewStartPort>1</NewStartPort><NewEndPort>65535</NewEndPort>"
				     "<NewProtocol>TCP</NewProtocol><NewManage>0</NewManage>"
				     "<NewNumberOfPorts>0</NewNumberOfPorts>"));
		CHECK(st == 200 && strstr(out, "&lt;/p:PortMappingList&gt;</NewPortListing>"),
		      "a long GetListOfPortMappings: %d, %zu bytes", st, strlen(out));
		fake.n = n0;
	}

	/* deleting */
	call(SOAP_SVC_IPCONN1, "192.168.1.3",
	     simple_xml(IP1, "DeletePortMapping", "<NewRemoteHost></NewRemoteHost>"
			"<NewExternalPort>18000</NewExternalPort><NewProtocol>TCP</NewProtocol>"));
	CHECK(code() == 606 && fake.n == 3, "delete another's: %d", code());
	call(SOAP_SVC_IPCONN2, "192.168.1.2",
	     simple_xml(IP2, "DeletePortMappingRange",
			"<NewStartPort>2000</NewStartPort><NewEndPort>1000</NewEndPort>"
			"<NewProtocol>TCP</NewProtocol><NewManage>0</NewManage>"));
	CHECK(code() == 733, "range start > end: %d", code());
	st = call(SOAP_SVC_IPCONN2, "192.168.1.2",
		  simple_xml(IP2, "DeletePortMappingRange",
			     "<NewStartPort>1</NewStartPort><NewEndPort>65535</NewEndPort>"
			     "<NewProtocol>UDP</NewProtocol><NewManage>0</NewManage>"));
	CHECK(st == 200 && fake.n == 2, "DeletePortMappingRange: own UDP only: %d %u",
	      st, fake.n);
	call(SOAP_SVC_IPCONN2, "192.168.1.2",
	     simple_xml(IP2, "DeletePortMappingRange",
			"<NewStartPort>1</NewStartPort><NewEndPort>65535</NewEndPort>"
			"<NewProtocol>UDP</NewProtocol><NewManage>0</NewManage>"));
	CHECK(code() == 730, "nothing left: %d", code());
	st = call(SOAP_SVC_IPCONN1, "192.168.1.2",
		  simple_xml(IP1, "DeletePortMapping", "<NewRemoteHost></NewRemoteHost>"
			     "<NewExternalPort>18000</NewExternalPort><NewProtocol>TCP</NewProtocol>"));
	CHECK(st == 200 && fake.n == 1, "DeletePortMapping: %d", st);
	call(SOAP_SVC_IPCONN1, "192.168.1.2",
	     simple_xml(IP1, "DeletePortMapping", "<NewRemoteHost></NewRemoteHost>"
			"<NewExternalPort>18000</NewExternalPort><NewProtocol>TCP</NewProtocol>"));
	CHECK(code() == 714, "delete again: %d", code());

	/* specific remote host */
	st = call(SOAP_SVC_IPCONN2, "192.168.1.2",
		  add_xml(IP2, "AddPortMapping", "198.51.100.7", "18100", "UDP",
			  "8100", "192.168.1.2", "r", "60"));
	CHECK(st == 200 && fake.maps[fake.n - 1].remote.s_addr == A("198.51.100.7").s_addr,
	      "specific remote: %d", st);
	call(SOAP_SVC_IPCONN2, "192.168.1.2",
	     add_xml(IP2, "AddPortMapping", "bad", "18100", "UDP",
		     "8100", "192.168.1.2", "r", "60"));
	CHECK(code() == 402, "remote 'bad': %d", code());

	/* the other actions */
	st = call(SOAP_SVC_IPCONN1, "192.168.1.2",
		  simple_xml(IP1, "GetExternalIPAddress", ""));
	CHECK(st == 200 && strstr(out, "<NewExternalIPAddress>203.0.113.1<"),
	      "GetExternalIPAddress: %s", out);
	st = call(SOAP_SVC_IPCONN1, "192.168.1.2", simple_xml(IP1, "GetStatusInfo", ""));
	CHECK(st == 200 && strstr(out, "<NewConnectionStatus>Connected<") &&
	      strstr(out, "<NewUptime>7<"), "GetStatusInfo: %s", out);
	st = call(SOAP_SVC_IPCONN1, "192.168.1.2", simple_xml(IP1, "GetNATRSIPStatus", ""));
	CHECK(st == 200 && strstr(out, "<NewNATEnabled>1<"), "GetNATRSIPStatus");
	st = call(SOAP_SVC_IPCONN1, "192.168.1.2", simple_xml(IP1, "GetConnectionTypeInfo", ""));
	CHECK(st == 200 && strstr(out, "IP_Routed"), "GetConnectionTypeInfo");
	call(SOAP_SVC_IPCONN1, "192.168.1.2", simple_xml(IP1, "ForceTermination", ""));
	CHECK(code() == 606, "ForceTermination: %d", code());
	call(SOAP_SVC_IPCONN1, "192.168.1.2", simple_xml(IP1, "RequestConnection", ""));
	CHECK(code() == 606, "RequestConnection: %d", code());
	call(SOAP_SVC_IPCONN1, "192.168.1.2", simple_xml("urn:x", "GetStatusInfo", ""));
	CHECK(code() == 401, "wrong namespace: %d", code());
	st = call(SOAP_SVC_CIF, "192.168.1.2",
		  simple_xml("urn:schemas-upnp-org:service:WANCommonInterfaceConfig:1",
			     "GetTotalBytesSent", ""));
	CHECK(st == 200 && strstr(out, "<NewTotalBytesSent>5<"),
	      "GetTotalBytesSent wraps at 2^32: %s", out);
	st = call(SOAP_SVC_CIF, "192.168.1.2",
		  simple_xml("urn:schemas-upnp-org:service:WANCommonInterfaceConfig:1",
			     "GetTotalPacketsReceived", ""));
	CHECK(st == 200 && strstr(out, "<NewTotalPacketsReceived>42<"),
	      "GetTotalPacketsReceived: %s", out);
	st = call(SOAP_SVC_CIF, "192.168.1.2",
		  simple_xml("urn:schemas-upnp-org:service:WANCommonInterfaceConfig:1",
			     "GetCommonLinkProperties", ""));
	CHECK(st == 200 && strstr(out, "<NewPhysicalLinkStatus>Up<"),
	      "GetCommonLinkProperties");
	inet_pton(AF_INET, "100.64.0.2", &fake.ext[0]);	/* behind a carrier-grade NAT */
	st = call(SOAP_SVC_IPCONN1, "192.168.1.2", simple_xml(IP1, "GetStatusInfo", ""));
	CHECK(st == 200 && strstr(out, "<NewConnectionStatus>Connected<") &&
	      strstr(out, "ERROR_IP_CONFIGURATION"), "double NAT: %s", out);
	st = call(SOAP_SVC_IPCONN1, "192.168.1.2", simple_xml(IP1, "GetExternalIPAddress", ""));
	CHECK(st == 200 && strstr(out, "<NewExternalIPAddress>100.64.0.2<"),
	      "double NAT: the private address is given: %s", out);
	st = call(SOAP_SVC_IPCONN1, "192.168.1.2",
		  add_xml(IP1, "AddPortMapping", "", "18200", "TCP", "8200",
			  "192.168.1.2", "x", "60"));
	CHECK(st == 200, "double NAT: mappings still work: %d", code());
	inet_pton(AF_INET, "203.0.113.1", &fake.ext[0]);
	fake.nat_down = true;
	call(SOAP_SVC_IPCONN1, "192.168.1.2",
	     add_xml(IP1, "AddPortMapping", "", "18000", "TCP", "8000",
		     "192.168.1.2", "x", "60"));
	CHECK(code() == 501, "napt down: %d", code());
	st = call(SOAP_SVC_IPCONN1, "192.168.1.2", simple_xml(IP1, "GetStatusInfo", ""));
	CHECK(st == 200 && strstr(out, "Disconnected"), "GetStatusInfo when down");
	CHECK(call(SOAP_SVC_IPCONN1, "192.168.1.2", "<x") == 500 && code() == 402,
	      "garbage: 402");
}

/* ---- the mapping policy ---- */

static void test_policy(void)
{
	struct igd_client c = { .addr = A("192.168.1.2"), .proto = IGD_OWNER_UPNP };
	struct igd_client other = { .addr = A("192.168.1.3"), .proto = IGD_OWNER_PCP };
	struct igd_policy p = { .secure = true, .max_lease = 100,
				.max_per_client = 2, .nrules = 2 };
	struct igd_map m;
	enum igd_err e;

	p.rules[0] = (struct igd_rule){ .allow = false, .ext_min = 6000, .ext_max = 6999,
					.addr = A("0.0.0.0"), .plen = 0,
					.int_min = 0, .int_max = 65535 };
	p.rules[1] = (struct igd_rule){ .allow = true, .ext_min = 80, .ext_max = 80,
					.addr = A("192.168.1.0"), .plen = 24,
					.int_min = 8080, .int_max = 8080 };
	reset();
	igd_policy_set(&p);
	CHECK(!igd_policy_allows(6500, A("192.168.1.2"), 6500), "deny rule");
	CHECK(igd_policy_allows(80, A("192.168.1.2"), 8080), "allow rule below 1024");
	CHECK(!igd_policy_allows(80, A("10.0.0.2"), 8080), "allow rule: other prefix");
	CHECK(!igd_policy_allows(1023, A("192.168.1.2"), 5000), "default: ext < 1024");
	CHECK(!igd_policy_allows(5000, A("192.168.1.2"), 1023), "default: int < 1024");
	CHECK(igd_policy_allows(5000, A("192.168.1.2"), 5000), "default allow");

	memset(&m, 0, sizeof(m));
	m.proto = IPPROTO_UDP;
	m.int_addr = c.addr;
	m.int_port = htons(5000);
	m.ext_port = htons(5000);
	e = igd_map_add(&c, &m, 0);
	CHECK(!e && m.lease == 100 && m.owner == IGD_OWNER_UPNP,
	      "lease 0 -> the cap: %s %u", igd_map_strerror(e), m.lease);
	m.lease = 50;
	m.ext_port = htons(5001);
	CHECK(!igd_map_add(&c, &m, 0) && m.lease == 50, "second");
	m.ext_port = htons(5002);
	CHECK(igd_map_add(&c, &m, 0) == IGD_ERR_QUOTA, "per-client cap");
	m.ext_port = htons(5001);
	CHECK(igd_map_add(&c, &m, IGD_ADD_REPLACE) == IGD_OK, "renew under the cap");
	m.ext_port = htons(6500);
	CHECK(igd_map_add(&c, &m, 0) == IGD_ERR_DENIED, "deny rule");
	m.ext_port = htons(5000);
	m.int_addr = other.addr;
	CHECK(igd_map_add(&c, &m, 0) == IGD_ERR_DENIED, "secure mode");
	c.authorised = true;	/* PCP THIRD_PARTY, allowed by the config */
	m.int_port = htons(5100);
	m.ext_port = htons(5100);
	m.lease = 50;
	CHECK(igd_map_add(&c, &m, 0) == IGD_OK &&
	      m.int_addr.s_addr == other.addr.s_addr,
	      "secure mode, authorised client: for another host");
	CHECK(igd_map_del(&c, IPPROTO_UDP, A("0.0.0.0"), htons(5100), A("0.0.0.0")) == IGD_OK,
	      "authorised client deletes it");
	c.authorised = false;
	m.int_port = htons(5000);
	m.ext_port = htons(5000);
	m.int_addr = other.addr;
	m.int_port = htons(7000);
	CHECK(igd_map_add(&other, &m, 0) == IGD_ERR_OTHER_OWNER,
	      "PCP on UPnP's port: other owner");
	CHECK(igd_map_add(&other, &m, IGD_ADD_ANY_PORT) == IGD_OK &&
	      m.ext_port != htons(5000), "PCP any port: %u", ntohs(m.ext_port));
	CHECK(igd_map_del(&other, IPPROTO_UDP, A("0.0.0.0"), htons(5000), A("0.0.0.0")) ==
	      IGD_ERR_DENIED, "delete another host's");
	other.authorised = true;
	CHECK(igd_map_del(&other, IPPROTO_UDP, A("0.0.0.0"), htons(5000), A("0.0.0.0")) ==
	      IGD_OK, "authorised delete");
	CHECK(igd_map_del(&c, IPPROTO_UDP, A("0.0.0.0"), htons(5000), A("0.0.0.0")) ==
	      IGD_ERR_NOENT, "gone");
	m.proto = 1;
	CHECK(igd_map_add(&c, &m, 0) == IGD_ERR_INVAL, "ICMP");
	m.proto = IPPROTO_TCP;
	m.int_addr = A("224.0.0.1");
	c.addr = m.int_addr;
	CHECK(igd_map_add(&c, &m, 0) == IGD_ERR_INVAL, "multicast inside address");
	fake.nat_down = true;
	CHECK(igd_ext_addr(&m.ext_addr) == IGD_ERR_NAT_DOWN, "napt down");
}

/* ---- security: no mapping its owner did not ask for ---- */

struct count_cb_ctx {
	unsigned int n;
};

static int count_all(const struct igd_map *m, void *arg)
{
	(void)m;
	((struct count_cb_ctx *)arg)->n++;
	return 0;
}

static void test_security(void)
{
	struct igd_client a = { .addr = A("192.168.1.2"), .proto = IGD_OWNER_UPNP };
	struct igd_client gw = { .addr = A("192.168.1.1"), .proto = IGD_OWNER_UPNP };
	struct igd_map *mb, m;
	unsigned int i, dumped;
	int st;

	/*
	 * Two external addresses, one port: A's mapping on the first, B's on
	 * the second. Each delete names exactly the mapping it checked.
	 */
	reset();
	inet_pton(AF_INET, "203.0.113.2", &fake.ext[1]);
	fake.next = 2;
	put(IGD_OWNER_UPNP, IPPROTO_UDP, "192.168.1.2", 5000, 5000);
	mb = put(IGD_OWNER_UPNP, IPPROTO_UDP, "192.168.1.3", 5000, 5000);
	mb->ext_addr = fake.ext[1];
	st = call(SOAP_SVC_IPCONN1, "192.168.1.3",
		  simple_xml(IP1, "DeletePortMapping", "<NewRemoteHost></NewRemoteHost>"
			     "<NewExternalPort>5000</NewExternalPort><NewProtocol>UDP</NewProtocol>"));
	CHECK(st == 200 && fake.n == 1 &&
	      fake.maps[0].int_addr.s_addr == A("192.168.1.2").s_addr,
	      "B's delete of port 5000 removed B's mapping, not A's: %d, %u left", st, fake.n);
	st = call(SOAP_SVC_IPCONN1, "192.168.1.3",
		  simple_xml(IP1, "DeletePortMapping", "<NewRemoteHost></NewRemoteHost>"
			     "<NewExternalPort>5000</NewExternalPort><NewProtocol>UDP</NewProtocol>"));
	CHECK(code() == 606 && fake.n == 1, "B may not delete A's: %d, %u left",
	      code(), fake.n);
	CHECK(igd_map_del(&a, IPPROTO_UDP, A("0.0.0.0"), htons(5000), A("0.0.0.0")) ==
	      IGD_OK && fake.n == 0, "A deletes its own");

	/*
	 * The re-check after an add (the kernel chose a port the rules
	 * refuse) removes the mapping just made, on its address: not B's on
	 * the other address with the same port.
	 */
	reset();
	inet_pton(AF_INET, "203.0.113.2", &fake.ext[1]);
	fake.next = 2;
	fake_policy(true, 0, 0, 604800);
	{
		struct igd_policy p = { .secure = true, .max_lease = 604800,
					.nrules = 1 };

		p.rules[0] = (struct igd_rule){ .allow = false,
			.ext_min = 40000, .ext_max = 40000, .addr = A("0.0.0.0"),
			.int_min = 0, .int_max = 65535 };
		igd_policy_set(&p);
	}
	put(IGD_OWNER_UPNP, IPPROTO_UDP, "192.168.1.9", 7000, 7000);
	mb = put(IGD_OWNER_UPNP, IPPROTO_UDP, "192.168.1.3", 7001, 40000);
	mb->ext_addr = fake.ext[1];
	memset(&m, 0, sizeof(m));
	m.proto = IPPROTO_UDP;
	m.int_addr = A("192.168.1.2");
	m.int_port = htons(7000);
	m.ext_port = htons(7000);	/* busy: the fake takes 40000, refused */
	CHECK(igd_map_add(&a, &m, IGD_ADD_ANY_PORT) == IGD_ERR_NO_PORT,
	      "a refused port chosen by the kernel");
	CHECK(fake.n == 2 && fake_find(IPPROTO_UDP, 40000) &&
	      fake_find(IPPROTO_UDP, 40000)->int_addr.s_addr == A("192.168.1.3").s_addr,
	      "B's mapping on the other address kept, ours gone: %u", fake.n);

	/* the gateway itself as the inside host: refused, in every protocol */
	reset();
	st = call(SOAP_SVC_IPCONN1, "192.168.1.1",
		  add_xml(IP1, "AddPortMapping", "", "2222", "TCP", "22",
			  "192.168.1.1", "ssh", "60"));
	CHECK(code() == 606 && fake.n == 0, "the gateway's own address: %d", code());
	memset(&m, 0, sizeof(m));
	m.proto = IPPROTO_TCP;
	m.int_addr = A("192.168.1.1");
	m.int_port = htons(8080);
	CHECK(igd_map_add(&gw, &m, 0) == IGD_ERR_DENIED && fake.n == 0,
	      "a local process for the gateway's address");

	/*
	 * The daemon's cap: hosts by the dozen (a LAN attacker varies its
	 * source) cannot take more than max-mappings; renewals still work;
	 * the administrator's mappings do not count.
	 */
	reset();
	fake_policy(false, 0, 3, 604800);
	put(IGD_OWNER_ADMIN, IPPROTO_TCP, "192.168.1.9", 22, 2222);
	for (i = 0; i < 5; i++) {
		struct igd_client h = { .proto = IGD_OWNER_NATPMP };
		char addr[32];

		snprintf(addr, sizeof(addr), "192.168.1.%u", 100 + i);
		h.addr = A(addr);
		memset(&m, 0, sizeof(m));
		m.proto = IPPROTO_UDP;
		m.int_addr = h.addr;
		m.int_port = htons(9000 + i);
		m.ext_port = htons(9000 + i);
		CHECK(igd_map_add(&h, &m, 0) == (i < 3 ? IGD_OK : IGD_ERR_QUOTA),
		      "host %u of 5 with max-mappings 3", i);
	}
	CHECK(fake.n == 4, "3 + the admin's: %u", fake.n);
	memset(&m, 0, sizeof(m));
	m.proto = IPPROTO_UDP;
	m.int_addr = A("192.168.1.100");
	m.int_port = m.ext_port = htons(9000);
	{
		struct igd_client h = { .addr = m.int_addr, .proto = IGD_OWNER_NATPMP };

		CHECK(igd_map_add(&h, &m, IGD_ADD_REPLACE) == IGD_OK,
		      "a renewal at the cap");
	}

	/*
	 * No request dumps the whole table: with 40 mappings of other hosts,
	 * adding, renewing and deleting one's own sees only one's own and
	 * those on the port asked for.
	 */
	reset();
	fake_policy(true, 4, 100, 604800);
	for (i = 0; i < 40; i++) {
		char addr[32];

		snprintf(addr, sizeof(addr), "192.168.1.%u", 100 + i);
		put(IGD_OWNER_UPNP, IPPROTO_TCP, addr, 10000 + i, 10000 + i);
	}
	fake.dumped = 0;
	memset(&m, 0, sizeof(m));
	m.proto = IPPROTO_UDP;
	m.int_addr = A("192.168.1.2");
	m.int_port = m.ext_port = htons(6000);
	CHECK(igd_map_add(&a, &m, 0) == IGD_OK, "add");
	CHECK(igd_map_add(&a, &m, IGD_ADD_REPLACE) == IGD_OK, "renew");
	CHECK(igd_map_del(&a, IPPROTO_UDP, A("0.0.0.0"), htons(6000), A("0.0.0.0")) ==
	      IGD_OK, "delete");
	dumped = fake.dumped;
	CHECK(dumped <= 4, "%u mappings sent by the kernel for 3 requests", dumped);
	{
		struct count_cb_ctx cc = { 0 };

		CHECK(igd_map_list_host(A("192.168.1.100"), 0, count_all, &cc) ==
		      IGD_OK && cc.n == 1, "one host's mappings: %u", cc.n);
	}
}

/* ---- HTTP: what a request must be ---- */

static void test_http(void)
{
	struct igd_http_lan l = { .addr = A("192.168.1.1"), .port = 5000 };
	const char *host = "192.168.1.1:5000";
	const char *sa = "\"urn:schemas-upnp-org:service:WANIPConnection:1#AddPortMapping\"";
	static const struct {
		const char *host, *origin, *ctype, *soapaction, *clen;
		enum igd_http_verdict want;
		const char *what;
	} cases[] = {
		/* what upnpc (miniupnpc) and gupnp send */
		{ "192.168.1.1:5000", NULL, "text/xml; charset=\"utf-8\"",
		  "\"urn:schemas-upnp-org:service:WANIPConnection:1#AddPortMapping\"",
		  "600", IGD_HTTP_OK, "upnpc" },
		{ "192.168.1.1:5000", NULL, "application/soap+xml",
		  "urn:x#GetExternalIPAddress", NULL, IGD_HTTP_OK, "SOAP 1.2 type, unquoted action" },
		{ "192.168.1.1:5000", "http://192.168.1.1:5000", "TEXT/XML",
		  "u#A", NULL, IGD_HTTP_OK, "same origin" },
		/*
		 * The cross-site "simple" request a browser sends without a
		 * preflight (fetch(..., {method: "POST", mode: "no-cors",
		 * body: soap})): text/plain, Origin of the page, no SOAPACTION.
		 */
		{ "192.168.1.1:5000", "http://evil.example", "text/plain;charset=UTF-8",
		  NULL, "600", IGD_HTTP_BAD_ORIGIN, "browser, cross-site" },
		{ "192.168.1.1:5000", "null", "text/plain;charset=UTF-8",
		  NULL, "600", IGD_HTTP_BAD_ORIGIN, "browser, opaque origin" },
		{ "192.168.1.1:5000", "http://192.168.1.1:5001", "text/xml",
		  "u#A", NULL, IGD_HTTP_BAD_ORIGIN, "another port's page" },
		/* the same with the Origin stripped (an old browser, a proxy) */
		{ "192.168.1.1:5000", NULL, "text/plain;charset=UTF-8",
		  NULL, "600", IGD_HTTP_BAD_TYPE, "text/plain" },
		{ "192.168.1.1:5000", NULL, "application/x-www-form-urlencoded",
		  NULL, NULL, IGD_HTTP_BAD_TYPE, "an HTML form" },
		{ "192.168.1.1:5000", NULL, "multipart/form-data; boundary=x",
		  NULL, NULL, IGD_HTTP_BAD_TYPE, "a multipart form" },
		{ "192.168.1.1:5000", NULL, "text/xmlx", "u#A", NULL,
		  IGD_HTTP_BAD_TYPE, "text/xmlx" },
		{ "192.168.1.1:5000", NULL, NULL, "u#A", NULL,
		  IGD_HTTP_BAD_TYPE, "no Content-Type" },
		/* a SOAP type, but no action: not a SOAP client */
		{ "192.168.1.1:5000", NULL, "text/xml", NULL, NULL,
		  IGD_HTTP_NO_ACTION, "no SOAPACTION" },
		{ "192.168.1.1:5000", NULL, "text/xml", "\"urn:x\"", NULL,
		  IGD_HTTP_NO_ACTION, "SOAPACTION without #" },
		{ "192.168.1.1:5000", NULL, "text/xml", "\"urn:x#\"", NULL,
		  IGD_HTTP_NO_ACTION, "SOAPACTION with an empty action" },
		/* DNS rebinding: a name, or another address */
		{ "router.example:5000", NULL, "text/xml", "u#A", NULL,
		  IGD_HTTP_BAD_HOST, "a name" },
		{ "192.168.1.10:5000", NULL, "text/xml", "u#A", NULL,
		  IGD_HTTP_BAD_HOST, "an address with ours as prefix" },
		{ "192.168.1.1:50000", NULL, "text/xml", "u#A", NULL,
		  IGD_HTTP_BAD_HOST, "another port" },
		{ NULL, NULL, "text/xml", "u#A", NULL, IGD_HTTP_NO_HOST, "no Host" },
		{ "192.168.1.1:5000", NULL, "text/xml", "u#A", "1000000",
		  IGD_HTTP_TOO_LARGE, "a megabyte" },
		{ "192.168.1.1:5000", NULL, "text/xml", "u#A", "12x",
		  IGD_HTTP_TOO_LARGE, "a Content-Length that is no number" },
	};
	unsigned int i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		enum igd_http_verdict v =
			igd_http_check_post(&l, cases[i].host, cases[i].origin,
					    cases[i].ctype, cases[i].soapaction,
					    cases[i].clen, 8192);

		CHECK(v == cases[i].want, "%s: verdict %d (%s), %d expected",
		      cases[i].what, v, igd_http_reason(v), cases[i].want);
	}
	CHECK(igd_http_status(IGD_HTTP_BAD_ORIGIN) == 403 &&
	      igd_http_status(IGD_HTTP_BAD_TYPE) == 415 &&
	      igd_http_status(IGD_HTTP_NO_ACTION) == 400, "statuses");
	CHECK(igd_http_host_ok(&l, "192.168.1.1") && igd_http_host_ok(&l, host),
	      "our address, with our port or none");
	CHECK(igd_http_soapaction_is(sa, "AddPortMapping") &&
	      igd_http_soapaction_is("urn:x#AddPortMapping", "AddPortMapping"),
	      "SOAPACTION names the action");
	CHECK(!igd_http_soapaction_is(sa, "DeletePortMapping") &&
	      !igd_http_soapaction_is(sa, "AddPortMappin") &&
	      !igd_http_soapaction_is(NULL, "AddPortMapping"),
	      "SOAPACTION that names another action, or none");
}

/* ---- rate limits ---- */

static void test_ratelimit(void)
{
	static const struct igd_rl_conf conf = {
		.burst = 4, .per_s = 2, .idle_ms = 10000,
		.overflow_burst = 2, .overflow_per_s = 1,
	};
	static struct igd_rl rl;
	uint8_t msg[15], k8[16];
	uint64_t key[2], t = 1000;
	struct in_addr victim = A("192.168.1.10"), a;
	unsigned int i, n;

	/* SipHash-2-4, the paper's vector: key 00..0f, message 00..0e */
	for (i = 0; i < 16; i++)
		k8[i] = i;
	for (i = 0; i < 15; i++)
		msg[i] = i;
	memcpy(&key[0], k8, 8);
	memcpy(&key[1], k8 + 8, 8);
	CHECK(igd_siphash(msg, 15, key) == 0xa129ca6149be45e5ULL,
	      "siphash vector: %llx",
	      (unsigned long long)igd_siphash(msg, 15, key));

	igd_rl_init(&rl, &conf, key);
	/* a burst, then nothing until the bucket refills */
	for (n = 0; igd_rl_take(&rl, victim, 1, t); n++)
		;
	CHECK(n == 4, "burst of %u, 4 expected", n);
	CHECK(!igd_rl_take(&rl, victim, 1, t + 400), "refilled too early");
	CHECK(igd_rl_take(&rl, victim, 1, t + 500), "not refilled after 0.5 s");
	CHECK(!igd_rl_take(&rl, victim, 1, t + 500), "refilled twice");
	/* a cost above what is left is refused, and takes nothing */
	CHECK(!igd_rl_take(&rl, victim, 3, t + 1000), "cost 3 with 1 left");
	CHECK(igd_rl_take(&rl, victim, 1, t + 1000), "the token left was lost");

	/*
	 * Spoofed sources by the thousand cannot evict the victim's entry
	 * nor give it a new burst: it stays empty while it is used.
	 */
	for (i = 0; i < 20000; i++) {
		a.s_addr = htonl(0x0a000000 | i);
		igd_rl_take(&rl, a, 1, t + 1000);
	}
	CHECK(!igd_rl_take(&rl, victim, 1, t + 1000),
	      "the victim got tokens back from spoofed sources");
	/* and the victim's answers stay bounded: 2 per second */
	for (n = 0, i = 0; i < 100; i++)
		n += igd_rl_take(&rl, victim, 1, t + 1000 + i * 100);
	CHECK(n >= 18 && n <= 21, "%u answers in 10 s at 2/s", n);
	/* a source unseen for the idle time gives its entry to another */
	t += 1000 + 100 * 100 + conf.idle_ms;
	for (n = 0, i = 0; i < 4 * IGD_RL_WAYS; i++) {
		a.s_addr = htonl(0xc6336400 | i);
		n += igd_rl_take(&rl, a, 1, t);
	}
	CHECK(n == 4 * IGD_RL_WAYS, "%u of %u new sources served after the idle time",
	      n, 4 * IGD_RL_WAYS);
	CHECK(rl.limited > 0, "nothing counted as limited");
}

int main(void)
{
	test_conf();
	test_ssdp();
	test_soap_parse();
	test_soap_actions();
	test_policy();
	test_security();
	test_http();
	test_ratelimit();
	printf("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
