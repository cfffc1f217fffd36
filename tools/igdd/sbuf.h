/* SPDX-License-Identifier: GPL-2.0 */
/* igdd: bounded string building, and XML escaping. */
#ifndef IGDD_SBUF_H
#define IGDD_SBUF_H

#include <stdbool.h>
#include <stddef.h>

struct sbuf {
	char *p;
	size_t len, max;	/* p[len] is always '\0'; max counts it */
	bool overflow;		/* something did not fit */
};

void sb_init(struct sbuf *b, char *p, size_t max);
void sb_printf(struct sbuf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* append @s XML-escaped (& < > " '); control bytes other than tab, LF, CR are dropped */
void sb_esc(struct sbuf *b, const char *s);

#endif /* IGDD_SBUF_H */
