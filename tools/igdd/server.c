// SPDX-License-Identifier: GPL-2.0
/*
 * igdd: the HTTP server of each LAN (see server.h). The request checks
 * are http.c's, the descriptions desc.c's, the SOAP actions soap.c's.
 */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <microhttpd.h>

#include "desc.h"
#include "http.h"
#include "igdd.h"
#include "mapping.h"
#include "ratelimit.h"
#include "sbuf.h"
#include "server.h"
#include "soap.h"
#include "ssdp.h"

#define HTTP_CONN_MAX 32
#define HTTP_CONN_PER_IP 4
#define HTTP_TIMEOUT 10		/* s per connection */
#define HTTP_MEM_LIMIT (16 * 1024)	/* headers of one request */

struct hconn {
	size_t len;
	bool too_big;
	char body[SOAP_BODY_MAX + 1];
};

static enum MHD_Result reply(struct MHD_Connection *c, unsigned int status,
			     const char *type, const char *body, size_t len)
{
	struct MHD_Response *r;
	enum MHD_Result ret;

	r = MHD_create_response_from_buffer(len, (void *)body,
					    MHD_RESPMEM_MUST_COPY);
	if (!r)
		return MHD_NO;
	if (type)
		MHD_add_response_header(r, "Content-Type", type);
	MHD_add_response_header(r, "Server", server_string());
	MHD_add_response_header(r, "EXT", "");
	ret = MHD_queue_response(c, status, r);
	MHD_destroy_response(r);
	return ret;
}

static enum MHD_Result reply_text(struct MHD_Connection *c,
				  unsigned int status, const char *text)
{
	return reply(c, status, "text/plain", text, strlen(text));
}

static struct igd_http_lan http_lan(const struct lan *l)
{
	return (struct igd_http_lan){ .addr = l->addr, .port = l->http_port };
}

static const char *header(struct MHD_Connection *c, const char *name)
{
	return MHD_lookup_connection_value(c, MHD_HEADER_KIND, name);
}

static enum MHD_Result on_accept(void *cls, const struct sockaddr *addr,
				 socklen_t len)
{
	const struct lan *l = cls;
	const struct sockaddr_in *sin = (const void *)addr;

	if (len < sizeof(*sin) || sin->sin_family != AF_INET)
		return MHD_NO;
	if ((sin->sin_addr.s_addr & l->mask.s_addr) !=
	    (l->addr.s_addr & l->mask.s_addr))
		return MHD_NO;
	return MHD_YES;
}

static int svc_of_url(const char *url)
{
	if (!strcmp(url, CTL_IPCONN1))
		return SOAP_SVC_IPCONN1;
	if (!strcmp(url, CTL_IPCONN2))
		return SOAP_SVC_IPCONN2;
	if (!strcmp(url, CTL_CIF) || !strcmp(url, CTL_CIF2))
		return SOAP_SVC_CIF;
	return -1;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c,
				  const char *url, const char *method,
				  const char *version, const char *upload,
				  size_t *upload_size, void **ptr)
{
	struct lan *l = cls;
	struct hconn *h = *ptr;
	const union MHD_ConnectionInfo *ci;
	int svc;

	(void)version;
	if (!h) {
		struct igd_http_lan hl = http_lan(l);
		enum igd_http_verdict v;

		if (!header(c, MHD_HTTP_HEADER_HOST))
			return reply_text(c, MHD_HTTP_BAD_REQUEST, "no Host\n");
		if (!igd_http_host_ok(&hl, header(c, MHD_HTTP_HEADER_HOST))) {
			/* DNS rebinding: a name, or another address */
			igd_log(LOG_INFO, "HTTP: bad Host header for %s", url);
			return reply_text(c, MHD_HTTP_FORBIDDEN, "bad Host\n");
		}
		if (!strcmp(method, "SUBSCRIBE") || !strcmp(method, "UNSUBSCRIBE"))
			return reply_text(c, MHD_HTTP_NOT_IMPLEMENTED,
					  "no eventing\n");
		if (!strcmp(method, "GET") || !strcmp(method, "HEAD")) {
			const char *s = desc_scpd(url);
			static char buf[8192];
			struct sbuf b;

			if (s)
				return reply(c, MHD_HTTP_OK, "text/xml; charset=\"utf-8\"",
					     s, strlen(s));
			if (!strcmp(url, DESC_ROOT1) || !strcmp(url, DESC_ROOT2)) {
				sb_init(&b, buf, sizeof(buf));
				desc_root(&b, strcmp(url, DESC_ROOT1) ?
					  SSDP_TREE_IGD2 : SSDP_TREE_IGD1,
					  l->base,
					  (const char (*)[SSDP_NDEVS][37])g.uuids,
					  g.conf.friendly_name);
				if (b.overflow)
					return reply_text(c, 500, "error\n");
				return reply(c, MHD_HTTP_OK,
					     "text/xml; charset=\"utf-8\"",
					     b.p, b.len);
			}
			return reply_text(c, MHD_HTTP_NOT_FOUND, "not found\n");
		}
		if (strcmp(method, "POST"))
			return reply_text(c, MHD_HTTP_METHOD_NOT_ALLOWED,
					  "method not allowed\n");
		if (svc_of_url(url) < 0)
			return reply_text(c, MHD_HTTP_NOT_FOUND, "not found\n");
		/* what a web page cannot send without a preflight */
		v = igd_http_check_post(&hl, header(c, MHD_HTTP_HEADER_HOST),
					header(c, MHD_HTTP_HEADER_ORIGIN),
					header(c, MHD_HTTP_HEADER_CONTENT_TYPE),
					header(c, "SOAPACTION"),
					header(c, MHD_HTTP_HEADER_CONTENT_LENGTH),
					SOAP_BODY_MAX);
		if (v) {
			igd_log(LOG_INFO, "HTTP: %s refused: %s", url,
				igd_http_reason(v));
			return reply_text(c, igd_http_status(v),
					  igd_http_reason(v));
		}
		h = calloc(1, sizeof(*h));
		if (!h)
			return MHD_NO;
		*ptr = h;
		return MHD_YES;
	}
	if (*upload_size) {
		if (h->len + *upload_size > SOAP_BODY_MAX)
			return MHD_NO;	/* chunked and too long: close */
		memcpy(h->body + h->len, upload, *upload_size);
		h->len += *upload_size;
		*upload_size = 0;
		return MHD_YES;
	}
	/* the whole body is here */
	{
		static char out[SOAP_BODY_MAX * 10];
		struct soap_env env = { 0 };
		struct soap_req r;
		struct sbuf b;
		int perr, status;

		ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
		if (!ci || ci->client_addr->sa_family != AF_INET)
			return MHD_NO;
		env.client = ((const struct sockaddr_in *)ci->client_addr)->sin_addr;
		if (!igd_rl_take(&g.rl_http, env.client, 1, now_ms())) {
			igd_log(LOG_DEBUG, "HTTP: rate limit for %s",
				inet_ntoa(env.client));
			return reply_text(c, MHD_HTTP_TOO_MANY_REQUESTS,
					  "too many requests\n");
		}
		env.authorised = !igd_policy_secure();
		env.uptime = (now_ms() - g.start) / 1000;
		svc = svc_of_url(url);
		perr = soap_parse(h->body, h->len, &r);
		if (perr == SOAP_E_XML)
			igd_log(LOG_INFO, "HTTP: malformed SOAP from %s",
				inet_ntoa(env.client));
		if (!perr && !igd_http_soapaction_is(header(c, "SOAPACTION"),
						     r.action))
			perr = SOAP_E_ACTION;
		sb_init(&b, out, sizeof(out));
		status = soap_handle(svc, &r, perr, &env, &b);
		igd_log(LOG_DEBUG, "SOAP %s from %s: %d", r.action,
			inet_ntoa(env.client), status);
		return reply(c, status, "text/xml; charset=\"utf-8\"", b.p, b.len);
	}
}

static void on_completed(void *cls, struct MHD_Connection *c, void **ptr,
			 enum MHD_RequestTerminationCode toe)
{
	(void)cls; (void)c; (void)toe;
	free(*ptr);
	*ptr = NULL;
}

static void mhd_log(void *cls, const char *fmt, va_list ap)
{
	char buf[256];

	(void)cls;
	vsnprintf(buf, sizeof(buf), fmt, ap);
	igd_log(LOG_DEBUG, "HTTP: %s", buf);
}

int http_start(struct lan *l, uint16_t port)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_addr = l->addr,
				  .sin_port = htons(port) };
	const union MHD_DaemonInfo *di;
	char a[INET_ADDRSTRLEN];

	l->mhd = MHD_start_daemon(MHD_USE_EPOLL | MHD_USE_ERROR_LOG,
				  port, on_accept, l, on_request, l,
				  MHD_OPTION_SOCK_ADDR, &sa,
				  MHD_OPTION_CONNECTION_LIMIT, HTTP_CONN_MAX,
				  MHD_OPTION_PER_IP_CONNECTION_LIMIT, HTTP_CONN_PER_IP,
				  MHD_OPTION_CONNECTION_TIMEOUT, HTTP_TIMEOUT,
				  MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)HTTP_MEM_LIMIT,
				  MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL,
				  MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL,
				  MHD_OPTION_END);
	if (!l->mhd) {
		igd_log(LOG_ERR, "HTTP: cannot listen on %s:%u",
			inet_ntoa(l->addr), port);
		return -1;
	}
	di = MHD_get_daemon_info(l->mhd, MHD_DAEMON_INFO_BIND_PORT);
	l->http_port = di && di->port ? di->port : port;
	inet_ntop(AF_INET, &l->addr, a, sizeof(a));
	snprintf(l->base, sizeof(l->base), "http://%s:%u", a, l->http_port);
	return 0;
}

int http_poll_fd(const struct lan *l)
{
	const union MHD_DaemonInfo *di =
		MHD_get_daemon_info(l->mhd, MHD_DAEMON_INFO_EPOLL_FD);

	return di ? di->epoll_fd : -1;
}

uint64_t http_next(const struct lan *l, uint64_t now, uint64_t next)
{
	MHD_UNSIGNED_LONG_LONG to;

	if (MHD_get_timeout(l->mhd, &to) == MHD_YES && now + to < next)
		next = now + to;
	return next;
}

void http_run(struct lan *l)
{
	MHD_run(l->mhd);
}

void http_stop(struct lan *l)
{
	MHD_stop_daemon(l->mhd);
}
