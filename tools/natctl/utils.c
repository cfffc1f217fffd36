// SPDX-License-Identifier: GPL-2.0
/*
 * natctl: error reporting and argument parsing helpers.
 */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <net/if.h>

#include "utils.h"

/* Unknown-keyword errors list the choices if there are at most this many. */
#define KEYWORD_LIST_MAX 8

/* Where the batch is: every error message then starts with "FILE:LINE: ". */
static const char *loc_file;
static unsigned int loc_line;

void error_set_loc(const char *file, unsigned int line)
{
	loc_file = file;
	loc_line = line;
}

static void verror(const char *fmt, va_list ap)
{
	fflush(stdout);
	fputs("natctl: ", stderr);
	if (loc_file)
		fprintf(stderr, "%s:%u: ", loc_file, loc_line);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	verror(fmt, ap);
	va_end(ap);
}

void usage_err(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	verror(fmt, ap);
	va_end(ap);
	exit(EXIT_USAGE);
}

bool matches(const char *arg, const char *keyword)
{
	size_t len = strlen(arg);

	return len && !strncmp(arg, keyword, len);
}

static const char *tab_name(const void *tab, size_t i, size_t size)
{
	return *(const char *const *)((const char *)tab + i * size);
}

/* "a, b or c" of the names of @tab (only the prefix matches if @arg). */
static void list_names(char *buf, size_t bufsz, const void *tab, size_t n,
		       size_t size, const char *arg)
{
	size_t i, len = 0, count = 0, total = 0;
	const char *name;

	for (i = 0; i < n; i++) {
		name = tab_name(tab, i, size);
		if (name && (!arg || matches(arg, name)))
			total++;
	}
	buf[0] = '\0';
	for (i = 0; i < n && len < bufsz; i++) {
		name = tab_name(tab, i, size);
		if (!name || (arg && !matches(arg, name)))
			continue;
		count++;
		len += snprintf(buf + len, bufsz - len, "%s%s",
				count == 1 ? "" :
				count == total ? " or " : ", ", name);
	}
}

size_t __keyword(const char *ctx, const char *noun, const char *arg,
		 const void *tab, size_t n, size_t size)
{
	size_t i, found = n, nfound = 0;
	const char *name;
	char list[256];

	for (i = 0; i < n; i++) {
		name = tab_name(tab, i, size);
		if (!name)
			continue;
		if (!strcmp(arg, name))
			return i;
		if (matches(arg, name)) {
			found = i;
			nfound++;
		}
	}
	if (nfound == 1)
		return found;

	if (nfound) {
		list_names(list, sizeof(list), tab, n, size, arg);
		usage_err("%s%sambiguous %s \"%s\" (could be %s)",
			  ctx ?: "", ctx ? ": " : "", noun, arg, list);
	}
	if (n <= KEYWORD_LIST_MAX) {
		list_names(list, sizeof(list), tab, n, size, NULL);
		usage_err("%s%sunknown %s \"%s\" (expected %s)",
			  ctx ?: "", ctx ? ": " : "", noun, arg, list);
	}
	usage_err("%s%sunknown %s \"%s\" (see \"natctl help\")",
		  ctx ?: "", ctx ? ": " : "", noun, arg);
}

const char *need_arg(int argc, char **argv)
{
	if (argc < 2)
		usage_err("missing value after \"%s\"", argv[0]);
	return argv[1];
}

/* Whole-string unsigned decimal, no sign, no blanks, no overflow. */
static bool str_to_u32(const char *s, uint32_t *out)
{
	unsigned long long v;
	char *end;

	if (*s < '0' || *s > '9')
		return false;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || *end || v > UINT32_MAX)
		return false;
	*out = v;
	return true;
}

uint32_t get_u32(const char *what, const char *arg, uint32_t min,
		 uint32_t max)
{
	uint32_t v;

	if (!str_to_u32(arg, &v) || v < min || v > max)
		usage_err("invalid %s \"%s\" (expected an integer from %u to %u)",
			  what, arg, min, max);
	return v;
}

bool get_on_off(const char *what, const char *arg)
{
	static const char *const on_off[] = { "off", "on" };

	return keyword(what, "value", arg, on_off);
}

void get_port_range(const char *what, const char *arg, uint16_t *lo,
		    uint16_t *hi)
{
	const char *dash = strchr(arg, '-');
	uint32_t l, h;
	char buf[8];

	if (!dash || (size_t)(dash - arg) >= sizeof(buf))
		goto bad;
	memcpy(buf, arg, dash - arg);
	buf[dash - arg] = '\0';
	if (!str_to_u32(buf, &l) || !str_to_u32(dash + 1, &h))
		goto bad;
	/* LO above HI is the kernel's to refuse (it knows the old range). */
	if (l < 1 || l > 65535 || h < 1 || h > 65535)
		usage_err("invalid %s \"%s\": ports are 1 to 65535",
			  what, arg);
	*lo = l;
	*hi = h;
	return;
bad:
	usage_err("invalid %s \"%s\" (expected LO-HI, e.g. 1024-65535)",
		  what, arg);
}

in_addr_t get_addr(const char *what, const char *arg)
{
	struct in_addr a;

	if (inet_pton(AF_INET, arg, &a) != 1)
		usage_err("invalid %s \"%s\" (expected an IPv4 address such as 192.0.2.1)",
			  what, arg);
	return a.s_addr;
}

void get_addr_port(const char *what, const char *arg, in_addr_t *addr,
		   uint16_t *port)
{
	const char *colon = strrchr(arg, ':');
	char buf[INET_ADDRSTRLEN];
	struct in_addr a;
	uint32_t p;
	size_t n;

	if (!colon)
		goto bad;
	n = colon - arg;
	if (n >= sizeof(buf))
		goto bad;
	memcpy(buf, arg, n);
	buf[n] = '\0';
	if (inet_pton(AF_INET, buf, &a) != 1 || !str_to_u32(colon + 1, &p))
		goto bad;
	if (p < 1 || p > 65535)
		usage_err("invalid %s \"%s\": ports are 1 to 65535", what, arg);
	*addr = a.s_addr;
	*port = p;
	return;
bad:
	usage_err("invalid %s \"%s\" (expected ADDR:PORT such as 192.168.1.2:8080)",
		  what, arg);
}

void get_prefix(const char *what, const char *arg, in_addr_t *addr,
		uint8_t *len)
{
	const char *slash = strchr(arg, '/');
	size_t n = slash ? (size_t)(slash - arg) : strlen(arg);
	char buf[INET_ADDRSTRLEN], net[INET_ADDRSTRLEN];
	struct in_addr a;
	uint32_t l = 32;
	in_addr_t mask;

	if (n >= sizeof(buf))
		goto bad;
	memcpy(buf, arg, n);
	buf[n] = '\0';
	if (inet_pton(AF_INET, buf, &a) != 1)
		goto bad;
	if (slash && (!str_to_u32(slash + 1, &l) || l > 32))
		usage_err("invalid %s \"%s\": the prefix length must be 0 to 32",
			  what, arg);
	mask = l ? htonl(0xffffffffU << (32 - l)) : 0;
	if (a.s_addr & ~mask)
		usage_err("invalid %s \"%s\": host bits set (the network is %s/%u)",
			  what, arg, addr_str(a.s_addr & mask, net), l);
	*addr = a.s_addr;
	*len = l;
	return;
bad:
	usage_err("invalid %s \"%s\" (expected ADDR/LEN such as 192.168.1.0/24)",
		  what, arg);
}

void check_ifname(const char *what, const char *arg)
{
	size_t len = strlen(arg);

	if (!len || len >= IF_NAMESIZE || !strcmp(arg, ".") ||
	    !strcmp(arg, "..") || strpbrk(arg, "/: \t\n"))
		usage_err("invalid %s \"%s\" (not an interface name)", what, arg);
}

void check_netns_name(const char *arg)
{
	if (!*arg || strlen(arg) > NAME_MAX || !strcmp(arg, ".") ||
	    !strcmp(arg, "..") || strchr(arg, '/'))
		usage_err("invalid network namespace name \"%s\"", arg);
}

size_t utf8_seq(const char *s, uint32_t *cp)
{
	const unsigned char *p = (const unsigned char *)s;
	uint32_t c, min;
	size_t n, i;

	if (p[0] < 0x80) {
		*cp = p[0];
		return 1;
	}
	if (p[0] >= 0xc2 && p[0] <= 0xdf) {
		n = 2;
		c = p[0] & 0x1f;
		min = 0x80;
	} else if ((p[0] & 0xf0) == 0xe0) {
		n = 3;
		c = p[0] & 0x0f;
		min = 0x800;
	} else if (p[0] >= 0xf0 && p[0] <= 0xf4) {
		n = 4;
		c = p[0] & 0x07;
		min = 0x10000;
	} else {
		return 0;
	}
	for (i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		c = c << 6 | (p[i] & 0x3f);
	}
	/* overlong, a UTF-16 surrogate, or beyond Unicode */
	if (c < min || (c >= 0xd800 && c <= 0xdfff) || c > 0x10ffff)
		return 0;
	*cp = c;
	return n;
}

bool is_control(uint32_t cp)
{
	return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f);
}

void check_text(const char *what, const char *arg, size_t max)
{
	size_t len = strlen(arg), i, n;
	uint32_t cp;

	if (len > max)
		usage_err("invalid %s: %zu bytes long (at most %zu)", what, len,
			  max);
	for (i = 0; i < len; i += n) {
		n = utf8_seq(arg + i, &cp);
		if (!n)
			usage_err("invalid %s: not UTF-8 (at byte %zu)", what,
				  i + 1);
		if (is_control(cp))
			usage_err("invalid %s: control character U+%04X (at byte %zu)",
				  what, (unsigned int)cp, i + 1);
	}
}

bool next_item(const char *what, const char **list, char *buf, size_t size)
{
	const char *p = *list, *comma;
	size_t n;

	if (!p)
		return false;
	comma = strchr(p, ',');
	n = comma ? (size_t)(comma - p) : strlen(p);
	if (!n)
		usage_err("invalid %s list: empty item", what);
	if (n >= size)
		usage_err("invalid %s \"%.*s\" (too long)", what, (int)n, p);
	memcpy(buf, p, n);
	buf[n] = '\0';
	*list = comma ? comma + 1 : NULL;
	return true;
}

const char *addr_str(in_addr_t addr, char buf[INET_ADDRSTRLEN])
{
	struct in_addr a = { .s_addr = addr };

	return inet_ntop(AF_INET, &a, buf, INET_ADDRSTRLEN);
}
