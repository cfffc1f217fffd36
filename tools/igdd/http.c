// SPDX-License-Identifier: GPL-2.0
/*
 * igdd: the checks every HTTP request and every control POST must pass
 * (see http.h).
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "http.h"

bool igd_http_host_ok(const struct igd_http_lan *l, const char *host)
{
	char want[INET_ADDRSTRLEN + 8];
	size_t al;

	if (!host)
		return false;
	inet_ntop(AF_INET, &l->addr, want, sizeof(want));
	al = strlen(want);
	if (strncmp(host, want, al))
		return false;
	if (!host[al])
		return true;
	snprintf(want, sizeof(want), ":%u", l->port);
	return !strcmp(host + al, want);
}

/*
 * An Origin is "scheme://host[:port]" or "null" (an opaque origin: a
 * sandboxed page, a file, a redirect): only igdd's own, as a browser
 * writes it for a page it served (its description pages), is accepted.
 */
static bool origin_ok(const struct igd_http_lan *l, const char *origin)
{
	char want[INET_ADDRSTRLEN + 16], a[INET_ADDRSTRLEN];

	if (!origin)
		return true;	/* not from a browser, or a same-origin GET */
	inet_ntop(AF_INET, &l->addr, a, sizeof(a));
	if (l->port == 80) {
		snprintf(want, sizeof(want), "http://%s", a);
		if (!strcmp(origin, want))
			return true;
	}
	snprintf(want, sizeof(want), "http://%s:%u", a, l->port);
	return !strcmp(origin, want);
}

/* The media type of a Content-Type, before any parameter, is @type. */
static bool media_type_is(const char *ctype, const char *type)
{
	size_t n = strlen(type);

	while (*ctype == ' ' || *ctype == '\t')
		ctype++;
	if (strncasecmp(ctype, type, n))
		return false;
	ctype += n;
	while (*ctype == ' ' || *ctype == '\t')
		ctype++;
	return !*ctype || *ctype == ';';
}

/* "urn:...#Action", quoted or not: *@action, *@len name the action. */
static bool soapaction_split(const char *h, const char **action, size_t *len)
{
	const char *hash;
	size_t l = strlen(h);

	if (l >= 2 && h[0] == '"' && h[l - 1] == '"') {
		h++;
		l -= 2;
	}
	hash = memchr(h, '#', l);
	if (!hash || hash == h || hash + 1 == h + l)
		return false;
	*action = hash + 1;
	*len = h + l - hash - 1;
	return true;
}

bool igd_http_soapaction_is(const char *h, const char *action)
{
	const char *a;
	size_t n;

	if (!h || !action || !soapaction_split(h, &a, &n))
		return false;
	return n == strlen(action) && !strncmp(a, action, n);
}

enum igd_http_verdict igd_http_check_post(const struct igd_http_lan *l,
					  const char *host, const char *origin,
					  const char *ctype,
					  const char *soapaction,
					  const char *clen, size_t max)
{
	const char *a;
	size_t n;

	if (!host)
		return IGD_HTTP_NO_HOST;
	if (!igd_http_host_ok(l, host))
		return IGD_HTTP_BAD_HOST;
	if (!origin_ok(l, origin))
		return IGD_HTTP_BAD_ORIGIN;
	if (!ctype || (!media_type_is(ctype, "text/xml") &&
		       !media_type_is(ctype, "application/soap+xml")))
		return IGD_HTTP_BAD_TYPE;
	if (!soapaction || !soapaction_split(soapaction, &a, &n))
		return IGD_HTTP_NO_ACTION;
	if (clen) {
		char *end;
		unsigned long v;

		if (strlen(clen) > 6)
			return IGD_HTTP_TOO_LARGE;
		v = strtoul(clen, &end, 10);
		if (*end || v > max)
			return IGD_HTTP_TOO_LARGE;
	}
	return IGD_HTTP_OK;
}

unsigned int igd_http_status(enum igd_http_verdict v)
{
	switch (v) {
	case IGD_HTTP_OK:
		return 200;
	case IGD_HTTP_NO_HOST:
	case IGD_HTTP_NO_ACTION:
		return 400;
	case IGD_HTTP_BAD_HOST:
	case IGD_HTTP_BAD_ORIGIN:
		return 403;
	case IGD_HTTP_BAD_TYPE:
		return 415;
	case IGD_HTTP_TOO_LARGE:
		return 413;
	}
	return 400;
}

const char *igd_http_reason(enum igd_http_verdict v)
{
	switch (v) {
	case IGD_HTTP_OK:
		return "ok";
	case IGD_HTTP_NO_HOST:
		return "no Host";
	case IGD_HTTP_BAD_HOST:
		return "bad Host";
	case IGD_HTTP_BAD_ORIGIN:
		return "cross-site request";
	case IGD_HTTP_BAD_TYPE:
		return "not a SOAP Content-Type";
	case IGD_HTTP_NO_ACTION:
		return "no SOAPACTION";
	case IGD_HTTP_TOO_LARGE:
		return "too large";
	}
	return "bad request";
}
