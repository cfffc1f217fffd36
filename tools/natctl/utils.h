/* SPDX-License-Identifier: GPL-2.0 */
/*
 * natctl: error reporting and argument parsing helpers.
 *
 * The get_*() and keyword() helpers validate one command-line argument;
 * on a bad one they print "natctl: ..." and exit with EXIT_USAGE, so the
 * command parsers can stay linear. Nothing here talks to the kernel.
 */
#ifndef NATCTL_UTILS_H
#define NATCTL_UTILS_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>
#include <netinet/in.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#define EXIT_USAGE 2

#define __printf(a, b) __attribute__((format(printf, a, b)))
#define __noreturn __attribute__((noreturn))

void error(const char *fmt, ...) __printf(1, 2);
/*
 * The place in a batch file (natctl -b) that error() and usage_err()
 * name from now on, "natctl: FILE:LINE: ..."; a NULL @file: none.
 */
void error_set_loc(const char *file, unsigned int line);
void usage_err(const char *fmt, ...) __printf(1, 2) __noreturn;

bool matches(const char *arg, const char *keyword);

/*
 * Look @arg up in a table whose elements begin with a "const char *name"
 * (NULL names are holes): an exact match wins, otherwise @arg must be the
 * prefix of exactly one name. The error reads "@ctx: unknown @noun ..."
 * (@ctx may be NULL).
 */
size_t __keyword(const char *ctx, const char *noun, const char *arg,
		 const void *tab, size_t n, size_t size);
#define keyword(ctx, noun, arg, tab) \
	__keyword(ctx, noun, arg, tab, ARRAY_SIZE(tab), sizeof((tab)[0]))

/* The argument after @argv[0] (the keyword), or a usage error. */
const char *need_arg(int argc, char **argv);

uint32_t get_u32(const char *what, const char *arg, uint32_t min,
		 uint32_t max);
bool get_on_off(const char *what, const char *arg);
void get_port_range(const char *what, const char *arg, uint16_t *lo,
		    uint16_t *hi);
in_addr_t get_addr(const char *what, const char *arg);
/* ADDR:PORT, the port 1 to 65535 (host byte order in *@port). */
void get_addr_port(const char *what, const char *arg, in_addr_t *addr,
		   uint16_t *port);
void get_prefix(const char *what, const char *arg, in_addr_t *addr,
		uint8_t *len);
void check_ifname(const char *what, const char *arg);
void check_netns_name(const char *arg);
/*
 * Free text for the kernel: at most @max bytes of UTF-8 without control
 * characters (C0, DEL, C1). The error does not echo @arg.
 */
void check_text(const char *what, const char *arg, size_t max);

/*
 * The length (1 to 4) of the well-formed UTF-8 sequence at @s, with its
 * code point in *@cp; 0 if @s does not start with one (a NUL byte after
 * the first is never part of one).
 */
size_t utf8_seq(const char *s, uint32_t *cp);
/* U+0000..U+001F, U+007F..U+009F */
bool is_control(uint32_t cp);

/*
 * Iterate over the comma-separated items of a list argument: copies the
 * next item of *@list into @buf and advances *@list. Empty items and
 * items longer than @size - 1 are usage errors.
 */
bool next_item(const char *what, const char **list, char *buf, size_t size);

/* Dotted-quad text of a network byte order address, in @buf. */
const char *addr_str(in_addr_t addr, char buf[INET_ADDRSTRLEN]);

#endif /* NATCTL_UTILS_H */
