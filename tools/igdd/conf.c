// SPDX-License-Identifier: GPL-2.0
/*
 * igdd: a strict parser of igdd.conf(5). One directive per line, words
 * separated by blanks, '#' starts a comment; anything unknown or out of
 * range is an error naming the line.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>

#include "conf.h"

#define MAX_WORDS 8
#define LINE_MAX_LEN 512

void igd_conf_defaults(struct igd_conf *c)
{
	memset(c, 0, sizeof(*c));
	c->http_port = 0;
	c->policy.secure = true;
	c->policy.max_per_client = 64;
	/* all of UPnP, NAT-PMP and PCP: well below napt's default max-maps */
	c->policy.max_daemon = 1024;
	c->policy.max_lease = 604800;
	c->natpmp = true;
	c->pcp = true;
	c->min_lifetime = 120;
	c->notify_interval = 900;
	snprintf(c->friendly_name, sizeof(c->friendly_name), "napt gateway");
}

bool igd_uuid_valid(const char *s)
{
	int i;

	for (i = 0; i < 36; i++) {
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (s[i] != '-')
				return false;
		} else if (!isxdigit((unsigned char)s[i])) {
			return false;
		}
	}
	return s[36] == '\0';
}

static int parse_uint(const char *s, unsigned long min, unsigned long max,
		      unsigned long *out)
{
	char *end;
	unsigned long v;

	if (!isdigit((unsigned char)s[0]) || strlen(s) > 10)
		return -1;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *end || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

/* "N" or "N-M", 0..65535, N <= M */
static int parse_range(const char *s, uint16_t *lo, uint16_t *hi)
{
	char buf[16], *dash;
	unsigned long a, b;

	if (strlen(s) >= sizeof(buf))
		return -1;
	strcpy(buf, s);
	dash = strchr(buf, '-');
	if (dash)
		*dash++ = '\0';
	if (parse_uint(buf, 0, 65535, &a))
		return -1;
	b = a;
	if (dash && parse_uint(dash, 0, 65535, &b))
		return -1;
	if (a > b)
		return -1;
	*lo = a;
	*hi = b;
	return 0;
}

static int parse_prefix(const char *s, struct in_addr *a, uint8_t *plen)
{
	char buf[INET_ADDRSTRLEN + 4], *slash;
	unsigned long l = 32;
	uint32_t mask;

	if (strlen(s) >= sizeof(buf))
		return -1;
	strcpy(buf, s);
	slash = strchr(buf, '/');
	if (slash) {
		*slash++ = '\0';
		if (parse_uint(slash, 0, 32, &l))
			return -1;
	}
	if (inet_pton(AF_INET, buf, a) != 1)
		return -1;
	mask = l ? htonl(~0U << (32 - l)) : 0;
	if (a->s_addr & ~mask)
		return -1;	/* host bits set: most likely a typo */
	*plen = l;
	return 0;
}

static int parse_bool(const char *s, bool *b)
{
	if (!strcmp(s, "yes") || !strcmp(s, "on") || !strcmp(s, "1"))
		*b = true;
	else if (!strcmp(s, "no") || !strcmp(s, "off") || !strcmp(s, "0"))
		*b = false;
	else
		return -1;
	return 0;
}

static int fail(char *err, size_t errlen, unsigned int line, const char *fmt,
		...)
{
	va_list ap;
	int n;

	n = snprintf(err, errlen, "line %u: ", line);
	if (n < 0 || (size_t)n >= errlen)
		return -1;
	va_start(ap, fmt);
	vsnprintf(err + n, errlen - n, fmt, ap);
	va_end(ap);
	return -1;
}

static int ifname_ok(const char *s)
{
	size_t i, n = strlen(s);

	if (!n || n >= IF_NAMESIZE)
		return 0;
	for (i = 0; i < n; i++)
		if (!isgraph((unsigned char)s[i]) || s[i] == '/' || s[i] == ':')
			return 0;
	return 1;
}

/* The rest of a line after the keyword, for friendly-name: printable ASCII. */
static int parse_name(const char *s, char *out, size_t max)
{
	size_t n = strlen(s), i;

	if (!n || n >= max)
		return -1;
	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || (unsigned char)s[i] > 0x7e)
			return -1;
	memcpy(out, s, n + 1);
	return 0;
}

static int directive(struct igd_conf *c, char **w, int n, const char *rest,
		     unsigned int line, char *err, size_t errlen)
{
	const char *k = w[0];
	unsigned long v;

#define NEED(cnt) do { if (n != (cnt)) return fail(err, errlen, line, \
	"'%s' takes %d argument%s", k, (cnt) - 1, (cnt) == 2 ? "" : "s"); } while (0)
	if (!strcmp(k, "lan-if")) {
		NEED(2);
		if (!ifname_ok(w[1]))
			return fail(err, errlen, line, "bad interface name");
		if (c->nlan >= IGD_LAN_MAX)
			return fail(err, errlen, line, "more than %d lan-if", IGD_LAN_MAX);
		strcpy(c->lan_if[c->nlan++], w[1]);
	} else if (!strcmp(k, "wan-if")) {
		NEED(2);
		if (!ifname_ok(w[1]))
			return fail(err, errlen, line, "bad interface name");
		strcpy(c->wan_if, w[1]);
	} else if (!strcmp(k, "http-port")) {
		NEED(2);
		if (parse_uint(w[1], 0, 65535, &v))
			return fail(err, errlen, line, "http-port: 0..65535 expected");
		c->http_port = v;
	} else if (!strcmp(k, "secure-mode") || !strcmp(k, "natpmp") ||
		   !strcmp(k, "pcp") || !strcmp(k, "third-party")) {
		bool *b = !strcmp(k, "secure-mode") ? &c->policy.secure :
			  !strcmp(k, "natpmp") ? &c->natpmp :
			  !strcmp(k, "pcp") ? &c->pcp : &c->third_party;
		NEED(2);
		if (parse_bool(w[1], b))
			return fail(err, errlen, line, "%s: yes or no expected", k);
	} else if (!strcmp(k, "allow") || !strcmp(k, "deny")) {
		struct igd_rule *r;

		NEED(4);
		if (c->policy.nrules >= IGD_RULES_MAX)
			return fail(err, errlen, line, "more than %d rules", IGD_RULES_MAX);
		r = &c->policy.rules[c->policy.nrules];
		r->allow = k[0] == 'a';
		if (parse_range(w[1], &r->ext_min, &r->ext_max))
			return fail(err, errlen, line, "bad external port range '%s'", w[1]);
		if (parse_prefix(w[2], &r->addr, &r->plen))
			return fail(err, errlen, line, "bad address/prefix '%s'", w[2]);
		if (parse_range(w[3], &r->int_min, &r->int_max))
			return fail(err, errlen, line, "bad internal port range '%s'", w[3]);
		c->policy.nrules++;
	} else if (!strcmp(k, "max-per-client")) {
		NEED(2);
		if (parse_uint(w[1], 0, 65535, &v))
			return fail(err, errlen, line, "max-per-client: 0..65535 expected");
		c->policy.max_per_client = v;
	} else if (!strcmp(k, "max-mappings")) {
		NEED(2);
		if (parse_uint(w[1], 0, 1 << 24, &v))
			return fail(err, errlen, line, "max-mappings: 0..16777216 expected");
		c->policy.max_daemon = v;
	} else if (!strcmp(k, "max-lease")) {
		NEED(2);
		if (parse_uint(w[1], 1, 604800, &v))
			return fail(err, errlen, line, "max-lease: 1..604800 expected");
		c->policy.max_lease = v;
	} else if (!strcmp(k, "min-lifetime")) {
		NEED(2);
		if (parse_uint(w[1], 1, 604800, &v))
			return fail(err, errlen, line, "min-lifetime: 1..604800 expected");
		c->min_lifetime = v;
	} else if (!strcmp(k, "notify-interval")) {
		NEED(2);
		if (parse_uint(w[1], 30, 86400, &v))
			return fail(err, errlen, line, "notify-interval: 30..86400 expected");
		c->notify_interval = v;
	} else if (!strcmp(k, "uuid")) {
		NEED(2);
		if (!igd_uuid_valid(w[1]))
			return fail(err, errlen, line, "uuid: 8-4-4-4-12 hex digits expected");
		strcpy(c->uuid, w[1]);
		c->have_uuid = true;
	} else if (!strcmp(k, "user")) {
		size_t l;

		NEED(2);
		l = strlen(w[1]);
		if (l >= sizeof(c->user) ||
		    strspn(w[1], "abcdefghijklmnopqrstuvwxyz"
			   "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.") != l ||
		    w[1][0] == '-')
			return fail(err, errlen, line, "user: a user name expected");
		strcpy(c->user, w[1]);
	} else if (!strcmp(k, "friendly-name")) {
		if (n < 2 || parse_name(rest, c->friendly_name, sizeof(c->friendly_name)))
			return fail(err, errlen, line,
				    "friendly-name: 1..%d printable ASCII characters expected",
				    IGD_NAME_MAX);
	} else {
		return fail(err, errlen, line, "unknown directive '%.32s'", k);
	}
#undef NEED
	return 0;
}

int igd_conf_parse(const char *text, size_t len, struct igd_conf *c,
		   char *err, size_t errlen)
{
	unsigned int lineno = 0;
	size_t pos = 0;

	igd_conf_defaults(c);
	if (len > IGD_CONF_MAX_SIZE)
		return fail(err, errlen, 0, "file larger than %d bytes", IGD_CONF_MAX_SIZE);
	while (pos < len) {
		char line[LINE_MAX_LEN + 1], copy[LINE_MAX_LEN + 1], *w[MAX_WORDS], *p, *rest = NULL;
		size_t end = pos, l;
		int n = 0;

		lineno++;
		while (end < len && text[end] != '\n')
			end++;
		l = end - pos;
		if (l > LINE_MAX_LEN)
			return fail(err, errlen, lineno, "line longer than %d bytes", LINE_MAX_LEN);
		memcpy(line, text + pos, l);
		line[l] = '\0';
		pos = end + 1;
		if (memchr(line, '\0', l))
			return fail(err, errlen, lineno, "NUL byte");
		p = strchr(line, '#');
		if (p)
			*p = '\0';
		/* trailing blanks and a CR */
		l = strlen(line);
		while (l && (line[l - 1] == ' ' || line[l - 1] == '\t' || line[l - 1] == '\r'))
			line[--l] = '\0';
		memcpy(copy, line, l + 1);
		p = line;
		for (;;) {
			while (*p == ' ' || *p == '\t')
				p++;
			if (!*p)
				break;
			if (n == 1)
				rest = p;
			if (n == MAX_WORDS)
				return fail(err, errlen, lineno, "too many words");
			w[n++] = p;
			while (*p && *p != ' ' && *p != '\t')
				p++;
			if (*p)
				*p++ = '\0';
		}
		if (!n)
			continue;
		if (rest)	/* the words after the keyword, blanks kept */
			rest = copy + (rest - line);
		if (directive(c, w, n, rest, lineno, err, errlen))
			return -1;
	}
	return 0;
}

int igd_conf_load(const char *path, struct igd_conf *c, char *err,
		  size_t errlen)
{
	char *buf, sub[200];
	ssize_t r;
	size_t len = 0;
	int fd, ret;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	buf = malloc(IGD_CONF_MAX_SIZE + 1);
	if (!buf) {
		close(fd);
		snprintf(err, errlen, "%s: out of memory", path);
		return -1;
	}
	while ((r = read(fd, buf + len, IGD_CONF_MAX_SIZE + 1 - len)) > 0) {
		len += r;
		if (len > IGD_CONF_MAX_SIZE)
			break;
	}
	close(fd);
	if (r < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		free(buf);
		return -1;
	}
	ret = igd_conf_parse(buf, len, c, sub, sizeof(sub));
	if (ret)
		snprintf(err, errlen, "%s: %s", path, sub);
	free(buf);
	return ret;
}
