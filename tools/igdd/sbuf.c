// SPDX-License-Identifier: GPL-2.0
/* igdd: bounded string building, and XML escaping. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "sbuf.h"

void sb_init(struct sbuf *b, char *p, size_t max)
{
	b->p = p;
	b->len = 0;
	b->max = max;
	b->overflow = false;
	if (max)
		p[0] = '\0';
}

void sb_printf(struct sbuf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (b->overflow || b->len + 1 >= b->max) {
		b->overflow = true;
		return;
	}
	va_start(ap, fmt);
	n = vsnprintf(b->p + b->len, b->max - b->len, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= b->max - b->len) {
		b->overflow = true;
		b->p[b->len] = '\0';
		return;
	}
	b->len += n;
}

void sb_esc(struct sbuf *b, const char *s)
{
	for (; *s; s++) {
		unsigned char c = *s;

		switch (c) {
		case '&': sb_printf(b, "&amp;"); break;
		case '<': sb_printf(b, "&lt;"); break;
		case '>': sb_printf(b, "&gt;"); break;
		case '"': sb_printf(b, "&quot;"); break;
		case '\'': sb_printf(b, "&apos;"); break;
		default:
			if (c < 0x20 && c != '\t' && c != '\n' && c != '\r')
				break;
			sb_printf(b, "%c", c);
		}
	}
}
