// SPDX-License-Identifier: GPL-2.0
/*
 * igdd: SOAP actions of WANIPConnection:1 and :2 and
 * WANCommonInterfaceConfig:1 (UPnP IGD:1 and IGD:2 specifications).
 *
 * Parsing is expat's, with namespaces, no DTD (a DOCTYPE stops the parse:
 * no entity expansion at all), bounded depth, argument count and lengths.
 * Every value written back is XML-escaped.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <syslog.h>
#include <arpa/inet.h>
#include <expat.h>
#include <linux/napt.h>

#include "mapping.h"
#include "soap.h"

#define NS_ENV "http://schemas.xmlsoap.org/soap/envelope/"
#define URN_SVC "urn:schemas-upnp-org:service:"
#define LEASE_V2_MAX 604800
#define LIST_MAX_ENTRIES 1000

const char *soap_service_type(enum soap_service svc)
{
	switch (svc) {
	case SOAP_SVC_IPCONN1: return URN_SVC "WANIPConnection:1";
	case SOAP_SVC_IPCONN2: return URN_SVC "WANIPConnection:2";
	case SOAP_SVC_CIF: return URN_SVC "WANCommonInterfaceConfig:1";
	}
	return "";
}

/* ---- parsing ---- */

struct pstate {
	XML_Parser p;
	struct soap_req *r;
	int depth;
	int body_depth;		/* depth of Body, 0 before it */
	bool in_header;
	bool have_action;
	bool in_arg;
	size_t vlen;
	int err;
};

static void stop(struct pstate *s, int err)
{
	if (!s->err)
		s->err = err;
	XML_StopParser(s->p, XML_FALSE);
}

/* Split "uri local" (expat's namespace form, separator ' '). */
static const char *local_name(const char *name, size_t *urilen)
{
	const char *sp = strrchr(name, ' ');

	if (!sp) {
		*urilen = 0;
		return name;
	}
	*urilen = sp - name;
	return sp + 1;
}

static bool ns_is(const char *name, const char *uri, const char *local)
{
	size_t ul;
	const char *l = local_name(name, &ul);

	return ul == strlen(uri) && !memcmp(name, uri, ul) && !strcmp(l, local);
}

static void XMLCALL on_start(void *ud, const XML_Char *name,
			     const XML_Char **attrs)
{
	struct pstate *s = ud;
	struct soap_req *r = s->r;
	size_t ul;
	const char *l;

	(void)attrs;
	s->depth++;
	if (s->depth > 8) {
		stop(s, SOAP_E_XML);
		return;
	}
	if (s->depth == 1) {
		if (!ns_is(name, NS_ENV, "Envelope"))
			stop(s, SOAP_E_XML);
		return;
	}
	if (s->in_header)
		return;
	if (s->depth == 2) {
		if (ns_is(name, NS_ENV, "Header") && !s->body_depth) {
			s->in_header = true;
		} else if (ns_is(name, NS_ENV, "Body") && !s->body_depth) {
			s->body_depth = 2;
		} else {
			stop(s, SOAP_E_XML);
		}
		return;
	}
	if (s->depth == 3) {
		if (s->have_action) {
			stop(s, SOAP_E_XML);
			return;
		}
		l = local_name(name, &ul);
		if (ul >= sizeof(r->ns) || strlen(l) >= sizeof(r->action)) {
			stop(s, SOAP_E_XML);
			return;
		}
		memcpy(r->ns, name, ul);
		r->ns[ul] = '\0';
		strcpy(r->action, l);
		s->have_action = true;
		return;
	}
	if (s->depth == 4) {
		unsigned int i;

		l = local_name(name, &ul);
		if (r->nargs >= SOAP_ARGS_MAX || strlen(l) >= SOAP_NAME_MAX) {
			stop(s, SOAP_E_ARGS);
			return;
		}
		for (i = 0; i < r->nargs; i++) {
			if (!strcmp(r->args[i].name, l)) {
				stop(s, SOAP_E_ARGS);
				return;
			}
		}
		strcpy(r->args[r->nargs].name, l);
		r->args[r->nargs].val[0] = '\0';
		s->vlen = 0;
		s->in_arg = true;
		return;
	}
	/* an argument with element content */
	stop(s, SOAP_E_ARGS);
}

static void XMLCALL on_end(void *ud, const XML_Char *name)
{
	struct pstate *s = ud;

	(void)name;
	if (s->depth == 2 && s->in_header)
		s->in_header = false;
	if (s->depth == 4 && s->in_arg && !s->in_header) {
		s->in_arg = false;
		s->r->nargs++;
	}
	s->depth--;
}

static void XMLCALL on_text(void *ud, const XML_Char *t, int len)
{
	struct pstate *s = ud;
	struct soap_arg *a;

	if (!s->in_arg || s->depth != 4 || s->in_header)
		return;
	a = &s->r->args[s->r->nargs];
	if (len < 0 || s->vlen + len >= SOAP_VAL_MAX) {
		stop(s, SOAP_E_ARGS);
		return;
	}
	memcpy(a->val + s->vlen, t, len);
	s->vlen += len;
	a->val[s->vlen] = '\0';
}

static void XMLCALL on_doctype(void *ud, const XML_Char *name,
			       const XML_Char *sysid, const XML_Char *pubid,
			       int has_internal_subset)
{
	(void)name; (void)sysid; (void)pubid; (void)has_internal_subset;
	stop(ud, SOAP_E_XML);
}

int soap_parse(const char *body, size_t len, struct soap_req *r)
{
	struct pstate s = { .r = r };
	enum XML_Status st;

	memset(r, 0, sizeof(*r));
	if (len > SOAP_BODY_MAX)
		return SOAP_E_XML;
	s.p = XML_ParserCreateNS(NULL, ' ');
	if (!s.p)
		return SOAP_E_XML;
	XML_SetUserData(s.p, &s);
	XML_SetElementHandler(s.p, on_start, on_end);
	XML_SetCharacterDataHandler(s.p, on_text);
	XML_SetStartDoctypeDeclHandler(s.p, on_doctype);
	XML_SetParamEntityParsing(s.p, XML_PARAM_ENTITY_PARSING_NEVER);
	st = XML_Parse(s.p, body, (int)len, XML_TRUE);
	XML_ParserFree(s.p);
	if (s.err)
		return s.err;
	if (st != XML_STATUS_OK || !s.have_action)
		return SOAP_E_XML;
	return SOAP_OK;
}

/* ---- responses ---- */

static void envelope_start(struct sbuf *b)
{
	sb_printf(b, "<?xml version=\"1.0\"?>\r\n"
		  "<s:Envelope xmlns:s=\"" NS_ENV "\" "
		  "s:encodingStyle=\"http://schemas.xmlsoap.org/soap/encoding/\">"
		  "<s:Body>");
}

static void envelope_end(struct sbuf *b)
{
	sb_printf(b, "</s:Body></s:Envelope>\r\n");
}

static const char *upnp_errstr(int code)
{
	switch (code) {
	case 401: return "Invalid Action";
	case 402: return "Invalid Args";
	case 501: return "Action Failed";
	case 600: return "Argument Value Invalid";
	case 601: return "Argument Value Out of Range";
	case 606: return "Action not authorized";
	case 713: return "SpecifiedArrayIndexInvalid";
	case 714: return "NoSuchEntryInArray";
	case 715: return "WildCardNotPermittedInSrcIP";
	case 716: return "WildCardNotPermittedInExtPort";
	case 718: return "ConflictInMappingEntry";
	case 724: return "SamePortValuesRequired";
	case 726: return "RemoteHostOnlySupportsWildcard";
	case 727: return "ExternalPortOnlySupportsWildcard";
	case 728: return "NoPortMapsAvailable";
	case 729: return "ConflictWithOtherMechanisms";
	case 730: return "PortMappingNotFound";
	case 732: return "WildCardNotPermittedInIntPort";
	case 733: return "InconsistentParameters";
	}
	return "Error";
}

static int fault(struct sbuf *b, int code)
{
	sb_init(b, b->p, b->max);
	envelope_start(b);
	sb_printf(b, "<s:Fault><faultcode>s:Client</faultcode>"
		  "<faultstring>UPnPError</faultstring><detail>"
		  "<UPnPError xmlns=\"urn:schemas-upnp-org:control-1-0\">"
		  "<errorCode>%d</errorCode><errorDescription>%s"
		  "</errorDescription></UPnPError></detail></s:Fault>",
		  code, upnp_errstr(code));
	envelope_end(b);
	return 500;
}

struct resp {
	struct sbuf *b;
	const char *action;
	enum soap_service svc;
};

static void resp_start(struct resp *rs)
{
	envelope_start(rs->b);
	sb_printf(rs->b, "<u:%sResponse xmlns:u=\"%s\">", rs->action,
		  soap_service_type(rs->svc));
}

static void resp_arg(struct resp *rs, const char *name, const char *val)
{
	sb_printf(rs->b, "<%s>", name);
	sb_esc(rs->b, val);
	sb_printf(rs->b, "</%s>", name);
}

static void resp_argu(struct resp *rs, const char *name, unsigned long long v)
{
	sb_printf(rs->b, "<%s>%llu</%s>", name, v, name);
}

static int resp_end(struct resp *rs)
{
	sb_printf(rs->b, "</u:%sResponse>", rs->action);
	envelope_end(rs->b);
	if (rs->b->overflow)
		return fault(rs->b, 501);
	return 200;
}

/* ---- argument checks ---- */

static const char *arg(const struct soap_req *r, const char *name)
{
	unsigned int i;

	for (i = 0; i < r->nargs; i++)
		if (!strcmp(r->args[i].name, name))
			return r->args[i].val;
	return NULL;
}

/* Leading/trailing blanks are tolerated around numbers and addresses. */
static void strip(const char *v, char *out, size_t max)
{
	size_t n;

	while (*v && isspace((unsigned char)*v))
		v++;
	n = strlen(v);
	while (n && isspace((unsigned char)v[n - 1]))
		n--;
	if (n >= max)
		n = max - 1;
	memcpy(out, v, n);
	out[n] = '\0';
}

/* An unsigned decimal of at most @max; -1 for anything else (a huge number too). */
static int get_uint(const struct soap_req *r, const char *name,
		    unsigned long max, unsigned long *out)
{
	const char *v = arg(r, name);
	char buf[24];
	unsigned long long x = 0;
	size_t i;

	if (!v)
		return -1;
	strip(v, buf, sizeof(buf));
	if (!buf[0] || strlen(buf) > 10)
		return -1;
	for (i = 0; buf[i]; i++) {
		if (!isdigit((unsigned char)buf[i]))
			return -1;
		x = x * 10 + (buf[i] - '0');
	}
	if (x > max)
		return -1;
	*out = x;
	return 0;
}

static int get_port(const struct soap_req *r, const char *name, uint16_t *p)
{
	unsigned long v;

	if (get_uint(r, name, 65535, &v))
		return -1;
	*p = v;
	return 0;
}

static int get_proto(const struct soap_req *r, uint8_t *proto)
{
	const char *v = arg(r, "NewProtocol");
	char buf[8];

	if (!v)
		return -1;
	strip(v, buf, sizeof(buf));
	if (!strcasecmp(buf, "TCP"))
		*proto = IPPROTO_TCP;
	else if (!strcasecmp(buf, "UDP"))
		*proto = IPPROTO_UDP;
	else
		return -1;
	return 0;
}

static int get_bool(const struct soap_req *r, const char *name, bool *b)
{
	const char *v = arg(r, name);
	char buf[8];

	if (!v)
		return -1;
	strip(v, buf, sizeof(buf));
	if (!strcmp(buf, "1") || !strcasecmp(buf, "true") || !strcasecmp(buf, "yes"))
		*b = true;
	else if (!strcmp(buf, "0") || !strcasecmp(buf, "false") || !strcasecmp(buf, "no"))
		*b = false;
	else
		return -1;
	return 0;
}

/* An IPv4 literal, or "" (wildcard, only when @wild_ok). No names. */
static int get_addr(const struct soap_req *r, const char *name, bool wild_ok,
		    struct in_addr *a)
{
	const char *v = arg(r, name);
	char buf[INET_ADDRSTRLEN + 1];

	if (!v)
		return -1;
	strip(v, buf, sizeof(buf));
	if (strlen(v) > 40)
		return -1;
	if (!buf[0] || !strcmp(buf, "*") || !strcmp(buf, "0.0.0.0")) {
		if (!wild_ok)
			return -1;
		a->s_addr = 0;
		return 0;
	}
	return inet_pton(AF_INET, buf, a) == 1 ? 0 : -1;
}

static const char *proto_name(uint8_t p)
{
	return p == IPPROTO_TCP ? "TCP" : "UDP";
}

static void addr_str(struct in_addr a, char *buf)
{
	if (!a.s_addr)
		buf[0] = '\0';
	else
		inet_ntop(AF_INET, &a, buf, INET_ADDRSTRLEN);
}

/* Cut @s to fit @max bytes with its NUL, at a UTF-8 character boundary. */
static void copy_utf8(char *dst, const char *s, size_t max)
{
	size_t n = strlen(s);

	if (n >= max) {
		n = max - 1;
		while (n && ((unsigned char)s[n] & 0xc0) == 0x80)
			n--;
	}
	memcpy(dst, s, n);
	dst[n] = '\0';
}

/* ---- WANIPConnection ---- */

static int map_err(enum soap_service svc, enum igd_err e)
{
	bool v2 = svc == SOAP_SVC_IPCONN2;

	switch (e) {
	case IGD_OK: return 0;
	case IGD_ERR_INVAL: return 402;
	case IGD_ERR_DENIED: return 606;
	case IGD_ERR_CONFLICT: return 718;
	case IGD_ERR_OTHER_OWNER: return v2 ? 729 : 718;
	case IGD_ERR_NOENT: return 714;
	case IGD_ERR_QUOTA:
	case IGD_ERR_NO_PORT: return v2 ? 728 : 501;
	case IGD_ERR_NAT_DOWN:
	case IGD_ERR_IO: return 501;
	}
	return 501;
}

static int do_add(enum soap_service svc, const struct soap_req *r,
		  const struct soap_env *env, struct resp *rs, bool any)
{
	struct igd_client c = { .addr = env->client, .proto = IGD_OWNER_UPNP,
				.authorised = env->authorised };
	struct igd_map m = { 0 };
	uint16_t ext, in;
	unsigned long lease;
	const char *desc;
	bool enabled;
	enum igd_err e;

	if (get_addr(r, "NewRemoteHost", true, &m.remote) ||
	    get_port(r, "NewExternalPort", &ext) || get_proto(r, &m.proto) ||
	    get_port(r, "NewInternalPort", &in) ||
	    get_addr(r, "NewInternalClient", false, &m.int_addr) ||
	    get_bool(r, "NewEnabled", &enabled) ||
	    get_uint(r, "NewLeaseDuration", 0xffffffffUL, &lease))
		return fault(rs->b, 402);
	desc = arg(r, "NewPortMappingDescription");
	if (!desc)
		return fault(rs->b, 402);
	if (!enabled)
		return fault(rs->b, 402);	/* disabled entries are not kept */
	if (!in)
		return fault(rs->b, svc == SOAP_SVC_IPCONN2 ? 732 : 402);
	if (!ext && !any)
		return fault(rs->b, 716);	/* both versions define it */
	/* v2: 0 means the longest lease; both versions are capped by the policy */
	if (lease > LEASE_V2_MAX)
		lease = LEASE_V2_MAX;
	m.lease = lease;
	m.ext_port = htons(ext);
	m.int_port = htons(in);
	copy_utf8(m.desc, desc, sizeof(m.desc));
	e = igd_map_add(&c, &m, IGD_ADD_REPLACE | (any ? IGD_ADD_ANY_PORT : 0));
	if (e) {
		char ia[INET_ADDRSTRLEN];

		addr_str(m.int_addr, ia);
		igd_log(LOG_INFO, "%s %s %u -> %s:%u for %s refused: %s",
			rs->action, proto_name(m.proto), ext, ia, in,
			inet_ntoa(env->client), igd_map_strerror(e));
		return fault(rs->b, map_err(svc, e));
	}
	resp_start(rs);
	if (any)
		resp_argu(rs, "NewReservedPort", ntohs(m.ext_port));
	return resp_end(rs);
}

static int do_del(enum soap_service svc, const struct soap_req *r,
		  const struct soap_env *env, struct resp *rs)
{
	struct igd_client c = { .addr = env->client, .proto = IGD_OWNER_UPNP,
				.authorised = env->authorised };
	struct in_addr remote;
	uint8_t proto;
	uint16_t ext;
	enum igd_err e;

	if (get_addr(r, "NewRemoteHost", true, &remote) ||
	    get_port(r, "NewExternalPort", &ext) || get_proto(r, &proto))
		return fault(rs->b, 402);
	if (!ext)
		return fault(rs->b, 714);
	/* no address in UPnP: the client's own mapping on that port */
	e = igd_map_del(&c, proto, (struct in_addr){ 0 }, htons(ext), remote);
	if (e)
		return fault(rs->b, map_err(svc, e));
	resp_start(rs);
	return resp_end(rs);
}

static void entry_args(struct resp *rs, const struct igd_map *m, bool all)
{
	char a[INET_ADDRSTRLEN];

	if (all) {
		addr_str(m->remote, a);
		resp_arg(rs, "NewRemoteHost", a);
		resp_argu(rs, "NewExternalPort", ntohs(m->ext_port));
		resp_arg(rs, "NewProtocol", proto_name(m->proto));
	}
	resp_argu(rs, "NewInternalPort", ntohs(m->int_port));
	addr_str(m->int_addr, a);
	resp_arg(rs, "NewInternalClient", a);
	resp_arg(rs, "NewEnabled", "1");
	resp_arg(rs, "NewPortMappingDescription", m->desc);
	resp_argu(rs, "NewLeaseDuration", m->lease ? m->expires : 0);
}

struct nth_ctx {
	unsigned long want, i;
	struct igd_map m;
	bool found;
};

static int nth_cb(const struct igd_map *m, void *arg)
{
	struct nth_ctx *n = arg;

	if (m->proto != IPPROTO_UDP && m->proto != IPPROTO_TCP)
		return 0;
	if (n->i++ == n->want) {
		n->m = *m;
		n->found = true;
		return 1;
	}
	return 0;
}

static int do_generic(enum soap_service svc, const struct soap_req *r,
		      struct resp *rs)
{
	struct nth_ctx n = { 0 };
	enum igd_err e;

	if (get_uint(r, "NewPortMappingIndex", 0xffff, &n.want))
		return fault(rs->b, 402);
	e = igd_map_list(nth_cb, &n);
	if (e)
		return fault(rs->b, map_err(svc, e));
	if (!n.found)
		return fault(rs->b, 713);
	resp_start(rs);
	entry_args(rs, &n.m, true);
	return resp_end(rs);
}

static int do_specific(enum soap_service svc, const struct soap_req *r,
		       struct resp *rs)
{
	struct in_addr remote;
	struct igd_map m;
	uint8_t proto;
	uint16_t ext;
	enum igd_err e;

	if (get_addr(r, "NewRemoteHost", true, &remote) ||
	    get_port(r, "NewExternalPort", &ext) || get_proto(r, &proto))
		return fault(rs->b, 402);
	if (!ext)
		return fault(rs->b, 714);
	e = igd_map_get(proto, htons(ext), remote, &m);
	if (!e && m.remote.s_addr != remote.s_addr)
		e = IGD_ERR_NOENT;
	if (e)
		return fault(rs->b, map_err(svc, e));
	resp_start(rs);
	entry_args(rs, &m, false);
	return resp_end(rs);
}

struct range_ctx {
	uint8_t proto;
	uint16_t lo, hi;		/* host order */
	bool all;			/* NewManage and authorised */
	struct in_addr client;
	unsigned int n, max;
	struct igd_map *maps;
};

static int range_cb(const struct igd_map *m, void *arg)
{
	struct range_ctx *c = arg;
	uint16_t p = ntohs(m->ext_port);

	if (m->proto != c->proto || p < c->lo || p > c->hi)
		return 0;
	if (!c->all && m->int_addr.s_addr != c->client.s_addr)
		return 0;
	if (m->owner == IGD_OWNER_ADMIN && !c->all)
		return 0;
	if (c->n >= c->max)
		return 1;
	c->maps[c->n++] = *m;
	return 0;
}

/* Common arguments of DeletePortMappingRange and GetListOfPortMappings. */
static int range_args(const struct soap_req *r, const struct soap_env *env,
		      struct range_ctx *c)
{
	bool manage;

	if (get_port(r, "NewStartPort", &c->lo) ||
	    get_port(r, "NewEndPort", &c->hi) || get_proto(r, &c->proto) ||
	    get_bool(r, "NewManage", &manage))
		return 402;
	if (c->lo > c->hi)
		return 733;
	if (manage && !env->authorised)
		return 606;
	c->all = manage;
	c->client = env->client;
	return 0;
}

static int do_del_range(const struct soap_req *r, const struct soap_env *env,
			struct resp *rs)
{
	static struct igd_map maps[LIST_MAX_ENTRIES];
	struct igd_client cl = { .addr = env->client, .proto = IGD_OWNER_UPNP,
				 .authorised = env->authorised };
	struct range_ctx c = { .maps = maps, .max = LIST_MAX_ENTRIES };
	unsigned int i, done = 0;
	enum igd_err e;
	int code;

	code = range_args(r, env, &c);
	if (code)
		return fault(rs->b, code);
	e = igd_map_list(range_cb, &c);
	if (e)
		return fault(rs->b, map_err(SOAP_SVC_IPCONN2, e));
	for (i = 0; i < c.n; i++)
		if (!igd_map_del(&cl, maps[i].proto, maps[i].ext_addr,
				 maps[i].ext_port, maps[i].remote))
			done++;
	if (!done)
		return fault(rs->b, 730);
	resp_start(rs);
	return resp_end(rs);
}

static int do_list(const struct soap_req *r, const struct soap_env *env,
		   struct resp *rs)
{
	static struct igd_map maps[LIST_MAX_ENTRIES];
	/* escaped once more in the response (about 1.5x; an overflow gives 501) */
	static char xml[SOAP_BODY_MAX * 3];
	struct range_ctx c = { .maps = maps, .max = LIST_MAX_ENTRIES };
	unsigned long want;
	struct sbuf x;
	unsigned int i;
	enum igd_err e;
	int code;

	code = range_args(r, env, &c);
	if (code)
		return fault(rs->b, code);
	if (get_uint(r, "NewNumberOfPorts", 0xffff, &want))
		return fault(rs->b, 402);
	if (want && want < c.max)
		c.max = want;
	e = igd_map_list(range_cb, &c);
	if (e)
		return fault(rs->b, map_err(SOAP_SVC_IPCONN2, e));
	if (!c.n)
		return fault(rs->b, 730);
	sb_init(&x, xml, sizeof(xml));
	sb_printf(&x, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		  "<p:PortMappingList xmlns:p=\"urn:schemas-upnp-org:gw:WANIPConnection\" "
		  "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "
		  "xsi:schemaLocation=\"urn:schemas-upnp-org:gw:WANIPConnection "
		  "http://www.upnp.org/schemas/gw/WANIPConnection-v2.xsd\">\n");
	for (i = 0; i < c.n; i++) {
		const struct igd_map *m = &maps[i];
		char a[INET_ADDRSTRLEN];
		size_t before = x.len;

		sb_printf(&x, "<p:PortMappingEntry>\n");
		addr_str(m->remote, a);
		sb_printf(&x, "<p:NewRemoteHost>%s</p:NewRemoteHost>\n", a);
		sb_printf(&x, "<p:NewExternalPort>%u</p:NewExternalPort>\n",
			  ntohs(m->ext_port));
		sb_printf(&x, "<p:NewProtocol>%s</p:NewProtocol>\n",
			  proto_name(m->proto));
		sb_printf(&x, "<p:NewInternalPort>%u</p:NewInternalPort>\n",
			  ntohs(m->int_port));
		addr_str(m->int_addr, a);
		sb_printf(&x, "<p:NewInternalClient>%s</p:NewInternalClient>\n", a);
		sb_printf(&x, "<p:NewEnabled>1</p:NewEnabled>\n<p:NewDescription>");
		sb_esc(&x, m->desc);
		sb_printf(&x, "</p:NewDescription>\n<p:NewLeaseTime>%u</p:NewLeaseTime>\n"
			  "</p:PortMappingEntry>\n", m->lease ? m->expires : 0);
		if (x.overflow) {
			/* what fits: the list ends before this entry */
			x.overflow = false;
			x.len = before;
			x.p[x.len] = '\0';
			break;
		}
	}
	sb_printf(&x, "</p:PortMappingList>");
	resp_start(rs);
	resp_arg(rs, "NewPortListing", x.p);	/* escaped once more: it is a string */
	return resp_end(rs);
}

static bool private_addr(struct in_addr a)
{
	uint32_t h = ntohl(a.s_addr);

	return (h >> 24) == 10 || (h >> 20) == (172 << 4 | 1) ||
	       (h >> 16) == (192 << 8 | 168) || (h >> 22) == (100 << 2 | 1) ||
	       (h >> 16) == (169 << 8 | 254);
}

static int do_ipconn(enum soap_service svc, const struct soap_req *r,
		     const struct soap_env *env, struct resp *rs)
{
	const char *a = r->action;
	bool v2 = svc == SOAP_SVC_IPCONN2;

	if (!strcmp(a, "AddPortMapping"))
		return do_add(svc, r, env, rs, false);
	if (!strcmp(a, "DeletePortMapping"))
		return do_del(svc, r, env, rs);
	if (!strcmp(a, "GetGenericPortMappingEntry"))
		return do_generic(svc, r, rs);
	if (!strcmp(a, "GetSpecificPortMappingEntry"))
		return do_specific(svc, r, rs);
	if (v2 && !strcmp(a, "AddAnyPortMapping"))
		return do_add(svc, r, env, rs, true);
	if (v2 && !strcmp(a, "DeletePortMappingRange"))
		return do_del_range(r, env, rs);
	if (v2 && !strcmp(a, "GetListOfPortMappings"))
		return do_list(r, env, rs);
	if (!strcmp(a, "GetExternalIPAddress")) {
		struct in_addr ext;
		char buf[INET_ADDRSTRLEN];

		if (igd_ext_addr(&ext))
			ext.s_addr = 0;
		addr_str(ext, buf);
		resp_start(rs);
		resp_arg(rs, "NewExternalIPAddress", buf);
		return resp_end(rs);
	}
	if (!strcmp(a, "GetStatusInfo")) {
		struct in_addr ext;
		bool up = !igd_ext_addr(&ext);

		resp_start(rs);
		resp_arg(rs, "NewConnectionStatus", up ? "Connected" : "Disconnected");
		/* behind another NAT: said here, and logged by the daemon */
		resp_arg(rs, "NewLastConnectionError",
			 up && private_addr(ext) ? "ERROR_IP_CONFIGURATION" : "ERROR_NONE");
		resp_argu(rs, "NewUptime", env->uptime);
		return resp_end(rs);
	}
	if (!strcmp(a, "GetConnectionTypeInfo")) {
		resp_start(rs);
		resp_arg(rs, "NewConnectionType", "IP_Routed");
		resp_arg(rs, "NewPossibleConnectionTypes", "IP_Routed");
		return resp_end(rs);
	}
	if (!strcmp(a, "GetNATRSIPStatus")) {
		resp_start(rs);
		resp_arg(rs, "NewRSIPAvailable", "0");
		resp_arg(rs, "NewNATEnabled", "1");
		return resp_end(rs);
	}
	if (!strcmp(a, "ForceTermination") || !strcmp(a, "RequestConnection") ||
	    !strcmp(a, "SetConnectionType"))
		return fault(rs->b, 606);
	return fault(rs->b, 401);
}

static int do_cif(const struct soap_req *r, struct resp *rs)
{
	static const struct { const char *action, *arg; int stat; } totals[] = {
		{ "GetTotalBytesSent", "NewTotalBytesSent", NAPT_STAT_OUT_BYTES },
		{ "GetTotalBytesReceived", "NewTotalBytesReceived", NAPT_STAT_IN_BYTES },
		{ "GetTotalPacketsSent", "NewTotalPacketsSent", NAPT_STAT_OUT_PKTS },
		{ "GetTotalPacketsReceived", "NewTotalPacketsReceived", NAPT_STAT_IN_PKTS },
	};
	const char *a = r->action;
	unsigned int i;

	for (i = 0; i < sizeof(totals) / sizeof(totals[0]); i++) {
		uint64_t st[NAPT_STAT_MAX + 1];

		if (strcmp(a, totals[i].action))
			continue;
		if (igd_stats(st, NAPT_STAT_MAX + 1))
			return fault(rs->b, 501);
		resp_start(rs);
		/* ui4 in the specification: the counter wraps */
		resp_argu(rs, totals[i].arg, st[totals[i].stat] & 0xffffffffULL);
		return resp_end(rs);
	}
	if (!strcmp(a, "GetCommonLinkProperties")) {
		struct in_addr ext;
		bool up = !igd_ext_addr(&ext);

		resp_start(rs);
		resp_arg(rs, "NewWANAccessType", "Ethernet");
		resp_argu(rs, "NewLayer1UpstreamMaxBitRate", 1000000000);
		resp_argu(rs, "NewLayer1DownstreamMaxBitRate", 1000000000);
		resp_arg(rs, "NewPhysicalLinkStatus", up ? "Up" : "Down");
		return resp_end(rs);
	}
	return fault(rs->b, 401);
}

int soap_handle(enum soap_service svc, const struct soap_req *r, int perr,
		const struct soap_env *env, struct sbuf *out)
{
	struct resp rs = { .b = out, .action = r->action, .svc = svc };

	/*
	 * A body that does not parse gets a UPnP fault, not a bare HTTP 400:
	 * clients such as miniupnpc take any answer without an errorCode
	 * for a success.
	 */
	if (perr == SOAP_E_ARGS || perr == SOAP_E_XML)
		return fault(out, 402);
	if (perr)
		return fault(out, 401);
	/* The action's namespace must be a service of this control URL. */
	if (svc == SOAP_SVC_CIF) {
		if (strcmp(r->ns, soap_service_type(SOAP_SVC_CIF)))
			return fault(out, 401);
		return do_cif(r, &rs);
	}
	if (strcmp(r->ns, URN_SVC "WANIPConnection:1") &&
	    strcmp(r->ns, URN_SVC "WANIPConnection:2"))
		return fault(out, 401);
	return do_ipconn(svc, r, env, &rs);
}
