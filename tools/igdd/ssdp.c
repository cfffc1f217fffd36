// SPDX-License-Identifier: GPL-2.0
/*
 * igdd: a small bounded SSDP parser. SSDP is HTTP-like over UDP but not
 * HTTP (no body, "*" target, multicast); the parser accepts exactly what
 * UDA 1.1 says a search is, a line at a time, without copying more than
 * SSDP_ST_MAX bytes of anything.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "ssdp.h"

#define SSDP_HDRS_MAX 32
#define SSDP_LINE_MAX 512

#define URN_DEV "urn:schemas-upnp-org:device:"
#define URN_SVC "urn:schemas-upnp-org:service:"

static const char *const dev_types[SSDP_NTREES][SSDP_NDEVS] = {
	{ URN_DEV "InternetGatewayDevice:1", URN_DEV "WANDevice:1",
	  URN_DEV "WANConnectionDevice:1" },
	{ URN_DEV "InternetGatewayDevice:2", URN_DEV "WANDevice:2",
	  URN_DEV "WANConnectionDevice:2" },
};

/* The services, with the device that holds them. */
static const struct {
	const char *type;
	uint8_t dev;
} svc_types[SSDP_NTREES][2] = {
	{ { URN_SVC "WANCommonInterfaceConfig:1", SSDP_DEV_WAN },
	  { URN_SVC "WANIPConnection:1", SSDP_DEV_WANCONN } },
	{ { URN_SVC "WANCommonInterfaceConfig:1", SSDP_DEV_WAN },
	  { URN_SVC "WANIPConnection:2", SSDP_DEV_WANCONN } },
};

static bool is_token_char(char c)
{
	return isalnum((unsigned char)c) || strchr("!#$%&'*+-.^_`|~", c);
}

/* Trim blanks at both ends of [*s, *s + *n). */
static void trim(const char **s, size_t *n)
{
	while (*n && (**s == ' ' || **s == '\t')) {
		(*s)++;
		(*n)--;
	}
	while (*n && ((*s)[*n - 1] == ' ' || (*s)[*n - 1] == '\t'))
		(*n)--;
}

static bool eq(const char *s, size_t n, const char *lit)
{
	return n == strlen(lit) && !memcmp(s, lit, n);
}

static bool ieq(const char *s, size_t n, const char *lit)
{
	return n == strlen(lit) && !strncasecmp(s, lit, n);
}

enum ssdp_kind ssdp_parse(const char *buf, size_t len, struct ssdp_search *s)
{
	bool search, have_man = false, have_st = false, have_mx = false,
	     have_host = false;
	size_t pos = 0, nhdr = 0;
	unsigned long mx = 0;

	memset(s, 0, sizeof(*s));
	if (len > SSDP_MAX_MSG || len < 4)
		return SSDP_MALFORMED;
	/* the request line, up to the first CRLF (a bare LF is accepted) */
	{
		const char *nl = memchr(buf, '\n', len);
		size_t l;

		if (!nl)
			return SSDP_MALFORMED;
		l = nl - buf;
		if (l && buf[l - 1] == '\r')
			l--;
		pos = nl - buf + 1;
		if (eq(buf, l, "M-SEARCH * HTTP/1.1"))
			search = true;
		else if (eq(buf, l, "NOTIFY * HTTP/1.1") ||
			 (l >= 12 && !memcmp(buf, "HTTP/1.1 ", 9)))
			search = false;
		else
			return SSDP_MALFORMED;
	}
	for (;;) {
		const char *line = buf + pos, *nl, *colon, *v;
		size_t l, nlen, vlen;

		if (pos >= len)
			return SSDP_MALFORMED;	/* no empty line at the end */
		nl = memchr(line, '\n', len - pos);
		if (!nl)
			return SSDP_MALFORMED;
		l = nl - line;
		pos += l + 1;
		if (l && line[l - 1] == '\r')
			l--;
		if (!l)
			break;
		if (l > SSDP_LINE_MAX || ++nhdr > SSDP_HDRS_MAX)
			return SSDP_MALFORMED;
		if (memchr(line, '\0', l))
			return SSDP_MALFORMED;
		colon = memchr(line, ':', l);
		if (!colon || colon == line)
			return SSDP_MALFORMED;
		nlen = colon - line;
		for (size_t i = 0; i < nlen; i++)
			if (!is_token_char(line[i]))
				return SSDP_MALFORMED;
		v = colon + 1;
		vlen = l - nlen - 1;
		trim(&v, &vlen);
		for (size_t i = 0; i < vlen; i++)
			if ((unsigned char)v[i] < 0x20 && v[i] != '\t')
				return SSDP_MALFORMED;
		if (!search)
			continue;
		if (ieq(line, nlen, "MAN")) {
			if (have_man)
				return SSDP_MALFORMED;
			have_man = true;
			if (!eq(v, vlen, "\"ssdp:discover\""))
				return SSDP_MALFORMED;
		} else if (ieq(line, nlen, "ST")) {
			if (have_st || !vlen || vlen > SSDP_ST_MAX)
				return SSDP_MALFORMED;
			have_st = true;
			memcpy(s->st, v, vlen);
			s->st[vlen] = '\0';
		} else if (ieq(line, nlen, "MX")) {
			if (have_mx || !vlen || vlen > 4)
				return SSDP_MALFORMED;
			have_mx = true;
			mx = 0;
			for (size_t i = 0; i < vlen; i++) {
				if (!isdigit((unsigned char)v[i]))
					return SSDP_MALFORMED;
				mx = mx * 10 + (v[i] - '0');
			}
		} else if (ieq(line, nlen, "HOST")) {
			if (have_host)
				return SSDP_MALFORMED;
			have_host = true;
			s->multicast = eq(v, vlen, SSDP_ADDR ":1900") ||
				       eq(v, vlen, SSDP_ADDR);
		}
	}
	if (pos != len) {
		/* no body in SSDP; tolerate only trailing CR/LF padding */
		for (; pos < len; pos++)
			if (buf[pos] != '\r' && buf[pos] != '\n')
				return SSDP_MALFORMED;
	}
	if (!search)
		return SSDP_IGNORE;
	if (!have_man || !have_st || !have_host)
		return SSDP_MALFORMED;
	if (s->multicast && !have_mx)
		return SSDP_MALFORMED;	/* UDA 1.1: required when multicast */
	s->mx = mx > SSDP_MX_MAX ? SSDP_MX_MAX : mx;
	return SSDP_SEARCH;
}

static int add(struct ssdp_target *t, int n, int max, uint8_t tree,
	       uint8_t dev, const char *nt, bool uuid_only)
{
	if (n >= max)
		return n;
	t[n].tree = tree;
	t[n].dev = dev;
	t[n].uuid_only = uuid_only;
	snprintf(t[n].nt, sizeof(t[n].nt), "%s", nt);
	return n + 1;
}

int ssdp_targets(const char *st,
		 const char uuids[SSDP_NTREES][SSDP_NDEVS][37],
		 struct ssdp_target *t, int max)
{
	bool all = !st || !strcmp(st, "ssdp:all");
	char buf[64];
	int n = 0, tr, d, i;

	for (tr = 0; tr < SSDP_NTREES; tr++) {
		if (all || !strcmp(st, "upnp:rootdevice"))
			n = add(t, n, max, tr, SSDP_DEV_ROOT, "upnp:rootdevice", false);
		for (d = 0; d < SSDP_NDEVS; d++) {
			snprintf(buf, sizeof(buf), "uuid:%s", uuids[tr][d]);
			if (all || !strcmp(st, buf))
				n = add(t, n, max, tr, d, buf, true);
			if (all || !strcmp(st, dev_types[tr][d]))
				n = add(t, n, max, tr, d, dev_types[tr][d], false);
		}
		for (i = 0; i < 2; i++) {
			/*
			 * WANCommonInterfaceConfig:1 is in both trees: answer
			 * a search for it from the IGD:1 tree only, so that a
			 * v1 client is never led to the IGD:2 description.
			 */
			if (!all && tr == SSDP_TREE_IGD2 && i == 0)
				continue;
			if (all || !strcmp(st, svc_types[tr][i].type))
				n = add(t, n, max, tr, svc_types[tr][i].dev,
					svc_types[tr][i].type, false);
		}
	}
	return n;
}

int ssdp_usn(const struct ssdp_target *t,
	     const char uuids[SSDP_NTREES][SSDP_NDEVS][37], char *buf,
	     size_t max)
{
	if (t->uuid_only)
		return snprintf(buf, max, "uuid:%s", uuids[t->tree][t->dev]);
	return snprintf(buf, max, "uuid:%s::%s", uuids[t->tree][t->dev], t->nt);
}
