// SPDX-License-Identifier: GPL-2.0
/*
 * igdd: the NAT-PMP (RFC 6886) and PCP (RFC 6887) server.
 *
 * One datagram in, at most one datagram out, no state but the epoch: the
 * mappings are napt static mappings reached through mapping.h, tagged
 * with their owner (NAT-PMP or PCP) and, for PCP, the mapping nonce kept
 * as the mapping's cookie. A refresh or a delete finds the mapping again by
 * its inside endpoint in the kernel's list and checks owner and nonce
 * there, so a restarted igdd keeps honouring the mappings it made.
 *
 * What is supported:
 * - NAT-PMP: external address (opcode 0), UDP and TCP mappings (1, 2),
 *   delete with lifetime 0 (internal port 0: all of the client's mappings
 *   of that protocol), result codes 0-5.
 * - PCP version 2: ANNOUNCE, MAP (UDP, TCP) with the THIRD_PARTY (only if
 *   configured) and PREFER_FAILURE options. PEER is answered
 *   UNSUPP_OPCODE, FILTER UNSUPP_OPTION (it is mandatory to process and
 *   a napt mapping cannot filter by prefix and port), protocol 0 ("all
 *   protocols") UNSUPP_PROTOCOL, an "all ports" MAP (internal port 0 with
 *   a lifetime) NOT_AUTHORIZED.
 * - Version negotiation: a PCP request of another version gets
 *   UNSUPP_VERSION carrying version 2; a NAT-PMP request gets a NAT-PMP
 *   answer when NAT-PMP is on, else UNSUPP_VERSION (whose result code
 *   a NAT-PMP client reads as its own "unsupported version").
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "mapping.h"
#include "pcp.h"

#define NATPMP_VERSION		0
#define PCP_VERSION		2

/* NAT-PMP (RFC 6886 section 3) */
#define NATPMP_OP_ADDR		0
#define NATPMP_OP_MAP_UDP	1
#define NATPMP_OP_MAP_TCP	2
#define NATPMP_OP_REPLY		0x80
enum {
	NATPMP_SUCCESS,
	NATPMP_UNSUPP_VERSION,
	NATPMP_REFUSED,
	NATPMP_NETWORK_FAILURE,
	NATPMP_NO_RESOURCES,
	NATPMP_UNSUPP_OPCODE,
};

/* PCP (RFC 6887 sections 7, 11, 12, 13, 14) */
#define PCP_HDR_LEN		24
#define PCP_MAP_LEN		36	/* opcode-specific part of MAP */
#define PCP_R_BIT		0x80
#define PCP_OP_ANNOUNCE		0
#define PCP_OP_MAP		1
#define PCP_OPT_THIRD_PARTY	1
#define PCP_OPT_PREFER_FAILURE	2
#define PCP_OPT_FILTER		3
#define PCP_OPT_OPTIONAL	128	/* codes 128-255 may be ignored */

/* RFC 6887 section 7.4 */
enum pcp_result {
	PCP_SUCCESS,
	PCP_UNSUPP_VERSION,
	PCP_NOT_AUTHORIZED,
	PCP_MALFORMED_REQUEST,
	PCP_UNSUPP_OPCODE,
	PCP_UNSUPP_OPTION,
	PCP_MALFORMED_OPTION,
	PCP_NETWORK_FAILURE,
	PCP_NO_RESOURCES,
	PCP_UNSUPP_PROTOCOL,
	PCP_USER_EX_QUOTA,
	PCP_CANNOT_PROVIDE_EXTERNAL,
	PCP_ADDRESS_MISMATCH,
	PCP_EXCESSIVE_REMOTE_PEERS,
};

/* How long an error holds (RFC 6887 section 7.2: long and short errors). */
#define PCP_LONG_ERROR		1800
#define PCP_SHORT_ERROR		30

#define PCP_DEF_MIN_LIFETIME	120
#define PCP_DEF_MAX_LIFETIME	86400

static struct pcp_conf cfg = {
	.natpmp = true, .pcp = true,
	.min_lifetime = PCP_DEF_MIN_LIFETIME,
	.max_lifetime = PCP_DEF_MAX_LIFETIME,
};
static time_t epoch_start;

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = v >> 8;
	p[1] = v;
}

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = v >> 24;
	p[1] = v >> 16;
	p[2] = v >> 8;
	p[3] = v;
}

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

static const uint8_t v4mapped_prefix[12] = {
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff
};

/* The 16-byte PCP address field @p holds ::ffff:a.b.c.d: store it in @a. */
static bool get_v4mapped(const uint8_t *p, struct in_addr *a)
{
	if (memcmp(p, v4mapped_prefix, sizeof(v4mapped_prefix)))
		return false;
	memcpy(&a->s_addr, p + 12, 4);
	return true;
}

static bool all_zero(const uint8_t *p, size_t n)
{
	while (n--)
		if (*p++)
			return false;
	return true;
}

static void put_v4mapped(uint8_t *p, struct in_addr a)
{
	memcpy(p, v4mapped_prefix, sizeof(v4mapped_prefix));
	memcpy(p + 12, &a.s_addr, 4);
}

void pcp_init(const struct pcp_conf *conf, time_t now)
{
	cfg = *conf;
	if (!cfg.min_lifetime)
		cfg.min_lifetime = PCP_DEF_MIN_LIFETIME;
	if (!cfg.max_lifetime)
		cfg.max_lifetime = PCP_DEF_MAX_LIFETIME;
	if (cfg.min_lifetime > cfg.max_lifetime)
		cfg.min_lifetime = cfg.max_lifetime;
	epoch_start = now;
}

void pcp_epoch_reset(time_t now)
{
	epoch_start = now;
}

/* Seconds since the start of the epoch; a clock that went back restarts it. */
static uint32_t epoch(time_t now)
{
	if (now < epoch_start)
		epoch_start = now;
	return (uint32_t)(now - epoch_start);
}

static uint32_t clamp_lifetime(uint32_t l)
{
	if (l < cfg.min_lifetime)
		return cfg.min_lifetime;
	if (l > cfg.max_lifetime)
		return cfg.max_lifetime;
	return l;
}

/* ------------------------------------------------------------------ */
/* Finding a client's mapping by its inside endpoint                   */

struct find_ctx {
	uint8_t proto;
	struct in_addr addr;
	uint16_t port;		/* network order; 0: the first of any port */
	int owner;		/* -1: any owner */
	bool found;
	struct igd_map m;
};

static int find_cb(const struct igd_map *m, void *arg)
{
	struct find_ctx *f = arg;

	if (m->proto != f->proto || m->int_addr.s_addr != f->addr.s_addr)
		return 0;
	if (f->port && m->int_port != f->port)
		return 0;
	if (f->owner >= 0 && m->owner != (enum igd_owner)f->owner)
		return 0;
	f->m = *m;
	f->found = true;
	return 1;
}

/*
 * find_inside() - the static mapping of @proto @addr:@port (@owner -1: any)
 * Return: IGD_OK with @out filled, IGD_ERR_NOENT, or the listing's error.
 */
static enum igd_err find_inside(uint8_t proto, struct in_addr addr,
				uint16_t port, int owner, struct igd_map *out)
{
	struct find_ctx f = {
		.proto = proto, .addr = addr, .port = port, .owner = owner,
	};
	enum igd_err e;

	/* the kernel sends this host's mappings only */
	e = igd_map_list_host(addr, proto, find_cb, &f);
	if (e)
		return e;
	if (!f.found)
		return IGD_ERR_NOENT;
	*out = f.m;
	return IGD_OK;
}

/*
 * The mappings of one host and protocol that one request removes at once
 * (NAT-PMP internal port 0, PCP internal port 0 with its nonce). The
 * list is gathered first and removed after, so that no removal happens
 * while the kernel dump runs; a host with more than this many mappings
 * is served by repeated requests.
 */
#define PCP_DEL_BATCH 64

struct del_ctx {
	uint8_t proto;
	struct in_addr addr;
	enum igd_owner owner;
	const uint8_t *nonce;	/* PCP: only the mappings with this cookie */
	unsigned int n;
	uint16_t ports[PCP_DEL_BATCH];
	struct in_addr addrs[PCP_DEL_BATCH], remotes[PCP_DEL_BATCH];
};

static int del_cb(const struct igd_map *m, void *arg)
{
	struct del_ctx *d = arg;

	if (m->proto != d->proto || m->int_addr.s_addr != d->addr.s_addr ||
	    m->owner != d->owner)
		return 0;
	if (d->nonce && (m->cookie_len != 12 || memcmp(m->cookie, d->nonce, 12)))
		return 0;
	d->ports[d->n] = m->ext_port;
	d->addrs[d->n] = m->ext_addr;
	d->remotes[d->n] = m->remote;
	return ++d->n == PCP_DEL_BATCH;
}

static enum igd_err del_all(const struct igd_client *c, struct del_ctx *d)
{
	enum igd_err e = igd_map_list_host(d->addr, d->proto, del_cb, d);
	unsigned int i;

	for (i = 0; !e && i < d->n; i++) {
		e = igd_map_del(c, d->proto, d->addrs[i], d->ports[i],
				d->remotes[i]);
		if (e == IGD_ERR_NOENT)	/* expired meanwhile */
			e = IGD_OK;
	}
	return e;
}

/* ------------------------------------------------------------------ */
/* NAT-PMP                                                             */

static uint16_t natpmp_result(enum igd_err e)
{
	switch (e) {
	case IGD_OK:
		return NATPMP_SUCCESS;
	case IGD_ERR_INVAL:
	case IGD_ERR_DENIED:
	case IGD_ERR_OTHER_OWNER:
		return NATPMP_REFUSED;
	case IGD_ERR_CONFLICT:
	case IGD_ERR_QUOTA:
	case IGD_ERR_NO_PORT:
		return NATPMP_NO_RESOURCES;
	case IGD_ERR_NAT_DOWN:
	case IGD_ERR_NOENT:
	case IGD_ERR_IO:
	default:
		return NATPMP_NETWORK_FAILURE;
	}
}

/* The external address answer (RFC 6886 section 3.2), 12 bytes. */
static size_t natpmp_addr_reply(uint8_t *r, size_t max, time_t now)
{
	struct in_addr ext = { 0 };
	enum igd_err e;

	if (max < 12)
		return 0;
	e = igd_ext_addr(&ext);
	if (e)
		ext.s_addr = 0;
	r[0] = NATPMP_VERSION;
	r[1] = NATPMP_OP_REPLY | NATPMP_OP_ADDR;
	put16(r + 2, e ? NATPMP_NETWORK_FAILURE : NATPMP_SUCCESS);
	put32(r + 4, epoch(now));
	memcpy(r + 8, &ext.s_addr, 4);
	return 12;
}

/*
 * "Unsupported version" (RFC 6886 section 3.5 with erratum 3618): version
 * 0, opcode 128 whatever was asked, result 1, epoch.
 */
static size_t natpmp_unsupp_version(uint8_t *r, size_t max, time_t now)
{
	if (max < 8)
		return 0;
	r[0] = NATPMP_VERSION;
	r[1] = NATPMP_OP_REPLY;
	put16(r + 2, NATPMP_UNSUPP_VERSION);
	put32(r + 4, epoch(now));
	return 8;
}

static size_t natpmp_map(const uint8_t *q, const struct sockaddr_in *client,
			 uint8_t *r, time_t now)
{
	uint8_t proto = q[1] == NATPMP_OP_MAP_UDP ? IPPROTO_UDP : IPPROTO_TCP;
	struct igd_client c = {
		.addr = client->sin_addr, .proto = IGD_OWNER_NATPMP,
	};
	uint16_t int_port = get16(q + 4), ext_port = get16(q + 6);
	uint32_t lifetime = get32(q + 8);
	uint16_t res_ext = 0;
	uint32_t res_life = 0;
	struct igd_map m;
	enum igd_err e;
	uint16_t res;

	if (!lifetime) {
		/* Delete (section 3.4); an absent mapping is not an error. */
		if (!int_port) {
			struct del_ctx d = {
				.proto = proto, .addr = client->sin_addr,
				.owner = IGD_OWNER_NATPMP,
			};

			e = del_all(&c, &d);
			res = natpmp_result(e);
		} else {
			e = find_inside(proto, client->sin_addr, htons(int_port),
					-1, &m);
			if (e == IGD_ERR_NOENT)
				res = NATPMP_SUCCESS;
			else if (e)
				res = natpmp_result(e);
			else if (m.owner != IGD_OWNER_NATPMP)
				res = NATPMP_REFUSED;	/* not the client's to remove */
			else {
				e = igd_map_del(&c, proto, m.ext_addr,
						m.ext_port, m.remote);
				res = natpmp_result(e == IGD_ERR_NOENT ? IGD_OK : e);
			}
		}
	} else if (!int_port) {
		res = NATPMP_REFUSED;	/* every port of the host: never */
	} else {
		unsigned int flags = IGD_ADD_ANY_PORT;
		struct igd_map old;

		memset(&m, 0, sizeof(m));
		m.proto = proto;
		m.int_addr = client->sin_addr;
		m.int_port = htons(int_port);
		m.ext_port = htons(ext_port);
		m.lease = clamp_lifetime(lifetime);
		snprintf(m.desc, sizeof(m.desc), "NAT-PMP");

		/* A request for an inside port already mapped renews it (3.3). */
		e = find_inside(proto, client->sin_addr, m.int_port, -1, &old);
		if (e == IGD_OK && old.owner != IGD_OWNER_NATPMP) {
			res = NATPMP_REFUSED;	/* another mechanism's mapping */
			goto out;
		}
		if (e == IGD_OK) {
			m.ext_port = old.ext_port;
			m.remote = old.remote;
			flags |= IGD_ADD_REPLACE;
		} else if (e != IGD_ERR_NOENT) {
			res = natpmp_result(e);
			goto out;
		}
		e = igd_map_add(&c, &m, flags);
		res = natpmp_result(e);
		if (!e) {
			res_ext = ntohs(m.ext_port);
			res_life = clamp_lifetime(lifetime);
			if (m.lease && m.lease < res_life)
				res_life = m.lease;	/* the lease cap */
		}
	}
out:
	r[0] = NATPMP_VERSION;
	r[1] = NATPMP_OP_REPLY | q[1];
	put16(r + 2, res);
	put32(r + 4, epoch(now));
	put16(r + 8, int_port);
	put16(r + 10, res_ext);
	put32(r + 12, res_life);
	return 16;
}

static size_t natpmp_handle(const uint8_t *q, size_t len,
			    const struct sockaddr_in *client, uint8_t *r,
			    size_t max, time_t now)
{
	size_t n;

	if (len < 2 || q[1] & NATPMP_OP_REPLY)
		return 0;	/* too short, or an answer: ignore */
	switch (q[1]) {
	case NATPMP_OP_ADDR:
		return natpmp_addr_reply(r, max, now);
	case NATPMP_OP_MAP_UDP:
	case NATPMP_OP_MAP_TCP:
		if (len < 12 || max < 16)
			return 0;	/* truncated: nothing to answer about */
		return natpmp_map(q, client, r, now);
	default:
		/* Section 3.5: the request back, opcode | 128, result 5. */
		n = len < 4 ? 4 : len;
		if (n > PCP_MAX_PACKET)
			n = PCP_MAX_PACKET;
		if (n > max)
			return 0;
		memset(r, 0, n);
		memcpy(r, q, len < n ? len : n);
		r[1] |= NATPMP_OP_REPLY;
		put16(r + 2, NATPMP_UNSUPP_OPCODE);
		return n;
	}
}

/* ------------------------------------------------------------------ */
/* PCP                                                                 */

static uint32_t pcp_error_lifetime(enum pcp_result res)
{
	switch (res) {
	case PCP_NETWORK_FAILURE:
	case PCP_NO_RESOURCES:
	case PCP_USER_EX_QUOTA:
	case PCP_CANNOT_PROVIDE_EXTERNAL:
		return PCP_SHORT_ERROR;
	default:
		return PCP_LONG_ERROR;
	}
}

static enum pcp_result pcp_result(enum igd_err e)
{
	switch (e) {
	case IGD_OK:
		return PCP_SUCCESS;
	case IGD_ERR_INVAL:
		return PCP_MALFORMED_REQUEST;
	case IGD_ERR_DENIED:
		return PCP_NOT_AUTHORIZED;
	case IGD_ERR_CONFLICT:
	case IGD_ERR_OTHER_OWNER:
		return PCP_CANNOT_PROVIDE_EXTERNAL;
	case IGD_ERR_QUOTA:
		return PCP_USER_EX_QUOTA;
	case IGD_ERR_NAT_DOWN:
		return PCP_NETWORK_FAILURE;
	case IGD_ERR_NOENT:
	case IGD_ERR_NO_PORT:
	case IGD_ERR_IO:
	default:
		return PCP_NO_RESOURCES;
	}
}

/* The response header over the first 24 bytes of @r. */
static void pcp_header(uint8_t *r, uint8_t opcode, enum pcp_result res,
		       uint32_t lifetime, time_t now)
{
	r[0] = PCP_VERSION;
	r[1] = PCP_R_BIT | (opcode & 0x7f);
	r[2] = 0;
	r[3] = res;
	put32(r + 4, lifetime);
	put32(r + 8, epoch(now));
	memset(r + 12, 0, 12);
}

/*
 * pcp_error() - an error response: the request copied (at most 1100
 * bytes, whole 32-bit words, at least a header), header rewritten as a
 * response with result @res and the error's lifetime.
 */
static size_t pcp_error(const uint8_t *q, size_t len, enum pcp_result res,
			uint8_t *r, size_t max, time_t now)
{
	size_t n = len > PCP_MAX_PACKET ? PCP_MAX_PACKET : len;

	n &= ~(size_t)3;
	if (n < PCP_HDR_LEN)
		n = PCP_HDR_LEN;
	if (n > max)
		return 0;
	memset(r, 0, n);
	memcpy(r, q, len < n ? len : n);
	pcp_header(r, len > 1 ? q[1] : 0, res, pcp_error_lifetime(res), now);
	return n;
}

struct pcp_opts {
	bool third_party;
	struct in_addr tp_addr;
	bool prefer_failure;
	size_t tp_off, pf_off;	/* where they are in the request */
};

/* Parse the options from @off to @len (RFC 6887 section 7.3). */
static enum pcp_result pcp_parse_opts(const uint8_t *q, size_t off,
				      size_t len, uint8_t opcode,
				      struct pcp_opts *o)
{
	while (off < len) {
		uint8_t code;
		size_t olen;

		if (len - off < 4)
			return PCP_MALFORMED_OPTION;
		code = q[off];
		olen = get16(q + off + 2);
		if ((olen + 3) / 4 * 4 > len - off - 4)
			return PCP_MALFORMED_OPTION;
		switch (code) {
		case PCP_OPT_THIRD_PARTY:
			if (opcode != PCP_OP_MAP || olen != 16 || o->third_party)
				return PCP_MALFORMED_OPTION;
			if (!get_v4mapped(q + off + 4, &o->tp_addr))
				return PCP_MALFORMED_OPTION;
			o->third_party = true;
			o->tp_off = off;
			break;
		case PCP_OPT_PREFER_FAILURE:
			if (opcode != PCP_OP_MAP || olen || o->prefer_failure)
				return PCP_MALFORMED_OPTION;
			o->prefer_failure = true;
			o->pf_off = off;
			break;
		case PCP_OPT_FILTER:
			if (opcode != PCP_OP_MAP || olen != 20)
				return PCP_MALFORMED_OPTION;
			return PCP_UNSUPP_OPTION;
		default:
			if (code < PCP_OPT_OPTIONAL)
				return PCP_UNSUPP_OPTION;
			break;	/* optional to process: ignored */
		}
		off += 4 + (olen + 3) / 4 * 4;
	}
	return PCP_SUCCESS;
}

/* Grant, renew or remove a MAP; fills the response body. */
static enum pcp_result pcp_map(const uint8_t *q, const struct pcp_opts *o,
			       const struct sockaddr_in *client,
			       uint32_t *lifetime_out, uint8_t *body)
{
	const uint8_t *nonce = q + PCP_HDR_LEN;
	uint8_t proto = q[PCP_HDR_LEN + 12];
	uint16_t int_port = get16(q + PCP_HDR_LEN + 16);
	uint16_t sug_port = get16(q + PCP_HDR_LEN + 18);
	const uint8_t *sug_ip = q + PCP_HDR_LEN + 20;
	uint32_t lifetime = get32(q + 4);
	struct igd_client c = {
		.addr = client->sin_addr, .proto = IGD_OWNER_PCP,
	};
	struct in_addr int_addr = client->sin_addr, ext, sug_addr = { 0 };
	bool sug_v4 = get_v4mapped(sug_ip, &sug_addr);
	struct igd_map m, old;
	enum igd_err e;

	*lifetime_out = 0;
	if (o->third_party) {
		if (!cfg.allow_third_party)
			return PCP_NOT_AUTHORIZED;
		int_addr = o->tp_addr;
		c.authorised = true;
	}
	if (!proto)
		return int_port ? PCP_MALFORMED_REQUEST : PCP_UNSUPP_PROTOCOL;
	if (proto != IPPROTO_UDP && proto != IPPROTO_TCP)
		return PCP_UNSUPP_PROTOCOL;

	if (!lifetime && !int_port) {
		/* Remove every mapping of this host and protocol made with this nonce. */
		struct del_ctx d = {
			.proto = proto, .addr = int_addr,
			.owner = IGD_OWNER_PCP, .nonce = nonce,
		};

		return pcp_result(del_all(&c, &d));
	}
	if (!int_port)
		return PCP_NOT_AUTHORIZED;	/* "all ports": never */

	e = find_inside(proto, int_addr, htons(int_port), -1, &old);
	if (e && e != IGD_ERR_NOENT)
		return pcp_result(e);
	if (!e && (old.owner != IGD_OWNER_PCP || old.cookie_len != 12 ||
		   memcmp(old.cookie, nonce, 12)))
		return PCP_NOT_AUTHORIZED;	/* not this client's mapping */

	if (!lifetime) {
		/* Delete (section 15); an absent mapping is not an error. */
		if (e == IGD_ERR_NOENT)
			return PCP_SUCCESS;
		e = igd_map_del(&c, proto, old.ext_addr, old.ext_port,
				old.remote);
		if (e && e != IGD_ERR_NOENT)
			return pcp_result(e);
		put16(body + 18, ntohs(old.ext_port));
		put_v4mapped(body + 20, old.ext_addr);
		return PCP_SUCCESS;
	}

	if (igd_ext_addr(&ext))
		return PCP_NETWORK_FAILURE;
	memset(&m, 0, sizeof(m));
	m.proto = proto;
	m.int_addr = int_addr;
	m.int_port = htons(int_port);
	m.lease = clamp_lifetime(lifetime);
	m.cookie_len = 12;
	memcpy(m.cookie, nonce, 12);
	snprintf(m.desc, sizeof(m.desc), "PCP");
	if (!e) {
		/* Renewal: same nonce; the suggestions no longer matter. */
		m.ext_port = old.ext_port;
		m.ext_addr = old.ext_addr;
		m.remote = old.remote;
		e = igd_map_add(&c, &m, IGD_ADD_REPLACE);
	} else {
		if (o->prefer_failure && !all_zero(sug_ip, 16) &&
		    !(sug_v4 && (!sug_addr.s_addr || sug_addr.s_addr == ext.s_addr)))
			return PCP_CANNOT_PROVIDE_EXTERNAL;
		m.ext_port = htons(sug_port);
		e = igd_map_add(&c, &m, o->prefer_failure ? 0 : IGD_ADD_ANY_PORT);
		if (!e && o->prefer_failure && sug_port &&
		    m.ext_port != htons(sug_port)) {
			igd_map_del(&c, proto, m.ext_addr, m.ext_port,
				    m.remote);
			return PCP_CANNOT_PROVIDE_EXTERNAL;
		}
	}
	if (e)
		return pcp_result(e);
	if (!m.ext_addr.s_addr)
		m.ext_addr = ext;
	*lifetime_out = m.lease && m.lease < clamp_lifetime(lifetime) ?
			m.lease : clamp_lifetime(lifetime);
	put16(body + 18, ntohs(m.ext_port));
	put_v4mapped(body + 20, m.ext_addr);
	return PCP_SUCCESS;
}

static size_t pcp_handle_v2(const uint8_t *q, size_t len,
			    const struct sockaddr_in *client, uint8_t *r,
			    size_t max, time_t now)
{
	struct pcp_opts o = { 0 };
	struct in_addr claimed;
	enum pcp_result res;
	uint32_t lifetime;
	uint8_t opcode;
	size_t n;

	if (q[1] & PCP_R_BIT)
		return 0;	/* a response: silently dropped */
	opcode = q[1];
	if (len < PCP_HDR_LEN || len > PCP_MAX_PACKET || len % 4)
		return pcp_error(q, len, PCP_MALFORMED_REQUEST, r, max, now);
	if (opcode != PCP_OP_ANNOUNCE && opcode != PCP_OP_MAP)
		return pcp_error(q, len, PCP_UNSUPP_OPCODE, r, max, now);
	if (!get_v4mapped(q + 8, &claimed) ||
	    claimed.s_addr != client->sin_addr.s_addr)
		return pcp_error(q, len, PCP_ADDRESS_MISMATCH, r, max, now);

	if (opcode == PCP_OP_ANNOUNCE) {
		res = pcp_parse_opts(q, PCP_HDR_LEN, len, opcode, &o);
		if (res)
			return pcp_error(q, len, res, r, max, now);
		if (max < PCP_HDR_LEN)
			return 0;
		pcp_header(r, opcode, PCP_SUCCESS, 0, now);
		return PCP_HDR_LEN;
	}

	if (len < PCP_HDR_LEN + PCP_MAP_LEN)
		return pcp_error(q, len, PCP_MALFORMED_REQUEST, r, max, now);
	res = pcp_parse_opts(q, PCP_HDR_LEN + PCP_MAP_LEN, len, opcode, &o);
	if (res)
		return pcp_error(q, len, res, r, max, now);

	/* Response body: the request's, assigned port and address filled in. */
	n = PCP_HDR_LEN + PCP_MAP_LEN;
	if (o.third_party)
		n += 20;
	if (o.prefer_failure)
		n += 4;
	if (max < n || max < len)
		return 0;
	memcpy(r + PCP_HDR_LEN, q + PCP_HDR_LEN, PCP_MAP_LEN);
	memset(r + PCP_HDR_LEN + 13, 0, 3);	/* reserved */
	res = pcp_map(q, &o, client, &lifetime, r + PCP_HDR_LEN);
	if (res)
		return pcp_error(q, len, res, r, max, now);
	pcp_header(r, opcode, PCP_SUCCESS, lifetime, now);
	/* The options the server acted on go back (section 7.3). */
	n = PCP_HDR_LEN + PCP_MAP_LEN;
	if (o.third_party) {
		memcpy(r + n, q + o.tp_off, 20);
		r[n + 1] = 0;
		n += 20;
	}
	if (o.prefer_failure) {
		memcpy(r + n, q + o.pf_off, 4);
		r[n + 1] = 0;
		n += 4;
	}
	return n;
}

static bool unicast(struct in_addr a)
{
	uint32_t h = ntohl(a.s_addr);

	return h && h != 0xffffffff && !IN_MULTICAST(h) && !IN_EXPERIMENTAL(h);
}

size_t pcp_handle(const uint8_t *req, size_t len,
		  const struct sockaddr_in *client,
		  const struct in_addr *server,
		  uint8_t *resp, size_t resp_max, time_t now)
{
	if (!req || !client || !resp || len < 2)
		return 0;
	/* Answers go to a unicast source, for a request to a unicast address. */
	if (!unicast(client->sin_addr) || !client->sin_port ||
	    (server && !unicast(*server)))
		return 0;
	switch (req[0]) {
	case NATPMP_VERSION:
		if (cfg.natpmp)
			return natpmp_handle(req, len, client, resp, resp_max, now);
		if (cfg.pcp)
			return pcp_error(req, len < PCP_HDR_LEN ? len : PCP_HDR_LEN,
					 PCP_UNSUPP_VERSION, resp, resp_max, now);
		return 0;
	case PCP_VERSION:
		if (cfg.pcp)
			return pcp_handle_v2(req, len, client, resp, resp_max, now);
		if (cfg.natpmp)
			return natpmp_unsupp_version(resp, resp_max, now);
		return 0;
	default:
		if (cfg.pcp)
			return pcp_error(req, len < PCP_HDR_LEN ? len : PCP_HDR_LEN,
					 PCP_UNSUPP_VERSION, resp, resp_max, now);
		if (cfg.natpmp)
			return natpmp_unsupp_version(resp, resp_max, now);
		return 0;
	}
}

size_t pcp_announce_natpmp(uint8_t *buf, size_t max, time_t now)
{
	return natpmp_addr_reply(buf, max, now);
}

size_t pcp_announce_pcp(uint8_t *buf, size_t max, time_t now)
{
	if (max < PCP_HDR_LEN)
		return 0;
	pcp_header(buf, PCP_OP_ANNOUNCE, PCP_SUCCESS, 0, now);
	return PCP_HDR_LEN;
}
