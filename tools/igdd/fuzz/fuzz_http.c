// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness: an HTTP request as igdd sees it, from the request
 * line to the body. The headers (Host, Origin, Content-Type, SOAPACTION,
 * Content-Length; names case-insensitive, the first of each) go through
 * igd_http_check_post() as a control POST's do; a request that passes
 * has its body parsed and, when SOAPACTION names the body's action,
 * handled against the policy and a fake kernel (fake-nl.c) on the
 * service the URL names. Nothing may crash or leak (ASan, UBSan), and a
 * request without SOAPACTION, or with a type a web page can send, never
 * reaches the handler.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <arpa/inet.h>

#include "../desc.h"
#include "../fake-nl.h"
#include "../http.h"
#include "../soap.h"

void igd_log(int prio, const char *fmt, ...)
{
	(void)prio;
	(void)fmt;
}

/* The value of header @name in the NUL-separated lines @hdr[0..n). */
static const char *find(char **hdr, unsigned int n, const char *name)
{
	size_t l = strlen(name);
	unsigned int i;

	for (i = 0; i < n; i++)
		if (!strncasecmp(hdr[i], name, l) && hdr[i][l] == ':') {
			const char *v = hdr[i] + l + 1;

			while (*v == ' ' || *v == '\t')
				v++;
			return v;
		}
	return NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char out[SOAP_BODY_MAX * 10];
	struct igd_http_lan l = { .port = 5000 };
	char *req, *p, *eol, *body, *hdr[32], *url = NULL;
	const char *ctype, *action;
	struct soap_env env = { .uptime = 1 };
	enum igd_http_verdict v;
	unsigned int n = 0;
	struct soap_req r;
	struct sbuf b;
	size_t blen;
	int perr, st, svc;

	static bool ready;

	if (!ready || fake.n > FAKE_MAX - 8) {
		fake_reset();
		ready = true;
	}
	inet_pton(AF_INET, "192.168.1.1", &l.addr);
	inet_pton(AF_INET, "192.168.1.2", &env.client);
	req = malloc(size + 1);
	if (!req)
		return 0;
	memcpy(req, data, size);
	req[size] = '\0';
	/* request line, header lines, an empty line, the body */
	p = req;
	body = NULL;
	while ((eol = strstr(p, "\r\n"))) {
		*eol = '\0';
		if (p == eol) {
			body = eol + 2;
			break;
		}
		if (!url) {
			url = strchr(p, ' ');
			url = url ? url + 1 : p;
			if (strchr(url, ' '))
				*strchr(url, ' ') = '\0';
		} else if (n < 32) {
			hdr[n++] = p;
		}
		p = eol + 2;
	}
	if (!body)
		goto out;
	blen = size - (body - req);
	ctype = find(hdr, n, "Content-Type");
	action = find(hdr, n, "SOAPACTION");
	v = igd_http_check_post(&l, find(hdr, n, "Host"),
				find(hdr, n, "Origin"), ctype, action,
				find(hdr, n, "Content-Length"), SOAP_BODY_MAX);
	if (v != IGD_HTTP_OK)
		goto out;
	/* what passed is what a SOAP client, not a web page, sends */
	if (!action || !ctype || !strncasecmp(ctype, "text/plain", 10))
		__builtin_trap();
	if (blen > SOAP_BODY_MAX)
		goto out;
	svc = !strcmp(url, CTL_IPCONN1) ? SOAP_SVC_IPCONN1 :
	      !strcmp(url, CTL_IPCONN2) ? SOAP_SVC_IPCONN2 : SOAP_SVC_CIF;
	perr = soap_parse(body, blen, &r);
	if (!perr && !igd_http_soapaction_is(action, r.action))
		perr = SOAP_E_ACTION;
	sb_init(&b, out, sizeof(out));
	st = soap_handle(svc, &r, perr, &env, &b);
	if ((st != 200 && st != 500) || b.overflow || strlen(out) != b.len)
		__builtin_trap();
out:
	free(req);
	return 0;
}
