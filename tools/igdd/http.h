/* SPDX-License-Identifier: GPL-2.0 */
/*
 * igdd: what an HTTP request must be before igdd acts on it, as pure
 * functions of its headers (the server in server.c asks them; the unit
 * tests and fuzz/fuzz_http.c call them directly).
 *
 * Every request must name this LAN's address in Host (with igdd's port
 * or none): a name, or another address, is a DNS-rebinding page's. A
 * control POST (a SOAP action that can open a port) must also be one
 * that a web page cannot send without the browser asking first: it
 * carries SOAPACTION (a header no "simple" cross-origin request has,
 * so a browser would preflight it with OPTIONS, which igdd refuses), a
 * SOAP Content-Type (text/xml or application/soap+xml, never the
 * text/plain, form or multipart types a page may send unasked), and no
 * Origin of another site.
 */
#ifndef IGDD_HTTP_H
#define IGDD_HTTP_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* What the checks need of the LAN the request came in on. */
struct igd_http_lan {
	struct in_addr addr;	/* igdd's address there */
	uint16_t port;		/* igdd's HTTP port (host order) */
};

enum igd_http_verdict {
	IGD_HTTP_OK,
	IGD_HTTP_NO_HOST,	/* 400: no Host */
	IGD_HTTP_BAD_HOST,	/* 403: a name or another address (rebinding) */
	IGD_HTTP_BAD_ORIGIN,	/* 403: sent by a page of another site */
	IGD_HTTP_BAD_TYPE,	/* 415: not a SOAP Content-Type */
	IGD_HTTP_NO_ACTION,	/* 400: no (or a malformed) SOAPACTION */
	IGD_HTTP_TOO_LARGE,	/* 413: Content-Length beyond @max */
};

/** igd_http_host_ok() - @host (NULL: absent) names @l's address, with its port or none */
bool igd_http_host_ok(const struct igd_http_lan *l, const char *host);

/**
 * igd_http_check_post() - the headers of a control POST
 * @l: the LAN it came in on
 * @host, @origin, @ctype, @soapaction, @clen: the headers (NULL: absent)
 * @max: the largest body accepted
 *
 * Return: IGD_HTTP_OK, or why it is refused (the first reason found, in
 * the order of enum igd_http_verdict).
 */
enum igd_http_verdict igd_http_check_post(const struct igd_http_lan *l,
					  const char *host, const char *origin,
					  const char *ctype,
					  const char *soapaction,
					  const char *clen, size_t max);

/**
 * igd_http_soapaction_is() - whether SOAPACTION @h ("urn:...#Action",
 * quoted or not) names @action, the action the body holds
 */
bool igd_http_soapaction_is(const char *h, const char *action);

/** igd_http_status() - the HTTP status of a refusal */
unsigned int igd_http_status(enum igd_http_verdict v);

/** igd_http_reason() - a short text for the answer and the logs */
const char *igd_http_reason(enum igd_http_verdict v);

#endif /* IGDD_HTTP_H */
