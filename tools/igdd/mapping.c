// SPDX-License-Identifier: GPL-2.0
/*
 * igdd: the mapping layer of mapping.h over nl.h, with the policy:
 * secure mode, permission rules, a per-client cap and a lease cap.
 *
 * igdd keeps no mapping of its own: every question is asked of the
 * kernel, so that a restart (or a crash) loses nothing and the three
 * protocols see each other's mappings.
 */
#include <errno.h>
#include <string.h>
#include <netinet/in.h>

#include "mapping.h"
#include "nl.h"

#define IGD_LEASE_MAX NAPT_MAX_TIMEOUT

static struct igd_policy policy = {
	.secure = true,
	.max_lease = IGD_LEASE_MAX,
};

void igd_policy_set(const struct igd_policy *p)
{
	policy = *p;
	if (policy.nrules > IGD_RULES_MAX)
		policy.nrules = IGD_RULES_MAX;
	if (!policy.max_lease || policy.max_lease > IGD_LEASE_MAX)
		policy.max_lease = IGD_LEASE_MAX;
}

bool igd_policy_secure(void)
{
	return policy.secure;
}

static bool in_prefix(struct in_addr a, struct in_addr net, uint8_t plen)
{
	uint32_t mask = plen ? htonl(~0U << (32 - plen)) : 0;

	return (a.s_addr & mask) == (net.s_addr & mask);
}

bool igd_policy_allows(uint16_t ext_port, struct in_addr int_addr,
		       uint16_t int_port)
{
	unsigned int i;

	for (i = 0; i < policy.nrules; i++) {
		const struct igd_rule *r = &policy.rules[i];

		if (ext_port >= r->ext_min && ext_port <= r->ext_max &&
		    int_port >= r->int_min && int_port <= r->int_max &&
		    in_prefix(int_addr, r->addr, r->plen))
			return r->allow;
	}
	return ext_port >= 1024 && int_port >= 1024;
}

/*
 * Whether some external port may reach @int_addr:@int_port (host
 * order). The rules' verdict is constant between their bounds, so trying
 * the start of every interval they make is trying them all.
 */
static bool policy_allows_some(struct in_addr int_addr, uint16_t int_port)
{
	unsigned int i;

	if (igd_policy_allows(1024, int_addr, int_port))
		return true;
	for (i = 0; i < policy.nrules; i++) {
		const struct igd_rule *r = &policy.rules[i];

		if (igd_policy_allows(r->ext_min, int_addr, int_port) ||
		    (r->ext_max < 65535 &&
		     igd_policy_allows(r->ext_max + 1, int_addr, int_port)))
			return true;
	}
	return false;
}

static enum igd_err nl_err(int err)
{
	switch (err) {
	case 0:
		return IGD_OK;
	case -EEXIST:
		return IGD_ERR_CONFLICT;
	case -EADDRINUSE:
		return IGD_ERR_OTHER_OWNER;
	case -ENOSPC:
		return IGD_ERR_NO_PORT;
	case -ENOENT:
		return IGD_ERR_NOENT;
	case -EADDRNOTAVAIL:
		return IGD_ERR_DENIED;	/* the gateway's own address */
	case -EINVAL:
	case -ERANGE:
		return IGD_ERR_INVAL;
	default:
		return IGD_ERR_IO;
	}
}

/* Open the socket if it is not (napt may have been loaded after igdd). */
static enum igd_err nl_ready(void)
{
	int err = igd_nl_open();

	if (err == -ENOENT)
		return IGD_ERR_NAT_DOWN;
	return err ? IGD_ERR_IO : IGD_OK;
}

/*
 * The mapping on one port for one remote. Several external addresses may
 * have it: the one found is, by preference, the asking client's own, then
 * the one on the address igdd reports (@igd), then the first.
 */
struct find_ctx {
	struct in_addr remote;
	bool any_remote;	/* remote 0: prefer the open one, else any */
	struct in_addr ext;	/* 0: any address; else only this one */
	struct in_addr own;	/* the client's inside address, or 0 */
	struct in_addr igd;	/* the address igdd reports, or 0 */
	struct igd_map *out;
	int score;		/* of *out; -1: none yet */
};

static int find_cb(const struct igd_map *m, void *arg)
{
	struct find_ctx *f = arg;
	int score = 0;

	if (f->ext.s_addr && m->ext_addr.s_addr != f->ext.s_addr)
		return 0;
	if (m->remote.s_addr == f->remote.s_addr)
		score += 4;
	else if (!f->any_remote)
		return 0;
	if (f->own.s_addr && m->int_addr.s_addr == f->own.s_addr)
		score += 2;
	if (f->igd.s_addr && m->ext_addr.s_addr == f->igd.s_addr)
		score += 1;
	if (score > f->score) {
		*f->out = *m;
		f->score = score;
	}
	return 0;
}

static enum igd_err find_port(uint8_t proto, struct in_addr ext,
			      uint16_t ext_port, struct in_addr remote,
			      struct in_addr own, struct igd_map *out)
{
	struct igd_nl_filter filt = { .proto = proto, .ext_port = ext_port };
	struct find_ctx f = { .remote = remote, .any_remote = !remote.s_addr,
			      .ext = ext, .own = own, .out = out,
			      .score = -1 };
	enum igd_err e;
	int err;

	if ((proto != IPPROTO_UDP && proto != IPPROTO_TCP) || !ext_port)
		return IGD_ERR_INVAL;
	e = nl_ready();
	if (e)
		return e;
	if (igd_nl_ext_addr(&f.igd))
		f.igd.s_addr = 0;
	err = igd_nl_dump(&filt, find_cb, &f);
	if (err == -ENOENT)
		return IGD_ERR_NAT_DOWN;
	if (err)
		return IGD_ERR_IO;
	return f.score >= 0 ? IGD_OK : IGD_ERR_NOENT;
}

enum igd_err igd_map_get(uint8_t proto, uint16_t ext_port,
			 struct in_addr remote, struct igd_map *out)
{
	struct in_addr none = { 0 };

	return find_port(proto, none, ext_port, remote, none, out);
}

struct count_ctx {
	unsigned int n;
};

/* The mappings of one inside address that a protocol made (not admin's). */
static int count_cb(const struct igd_map *m, void *arg)
{
	struct count_ctx *c = arg;

	if (m->owner != IGD_OWNER_ADMIN)
		c->n++;
	return 0;
}

/* Whether one more mapping for @host is within the caps. */
static enum igd_err caps_ok(struct in_addr host)
{
	int err;

	if (policy.max_per_client) {
		struct igd_nl_filter filt = { .int_addr = host };
		struct count_ctx cc = { 0 };

		err = igd_nl_dump(&filt, count_cb, &cc);
		if (err)
			return err == -ENOENT ? IGD_ERR_NAT_DOWN : IGD_ERR_IO;
		if (cc.n >= policy.max_per_client)
			return IGD_ERR_QUOTA;
	}
	if (policy.max_daemon) {
		unsigned int counts[IGD_OWNER_MAX + 1];

		err = igd_nl_static_counts(counts);
		if (err)
			return err == -ENOENT ? IGD_ERR_NAT_DOWN : IGD_ERR_IO;
		if (counts[IGD_OWNER_UPNP] + counts[IGD_OWNER_NATPMP] +
		    counts[IGD_OWNER_PCP] >= policy.max_daemon)
			return IGD_ERR_QUOTA;
	}
	return IGD_OK;
}

static bool valid_host(struct in_addr a)
{
	uint32_t h = ntohl(a.s_addr);

	return h && h != 0xffffffff && !IN_MULTICAST(h) && (h >> 24) != 127;
}

/* Add through the kernel and map its errors; -EADDRINUSE/-EEXIST kept apart for a retry. */
static int kernel_add(struct igd_map *m, bool replace)
{
	struct igd_map out;
	int err;

	err = igd_nl_add(m, replace, &out);
	if (err)
		return err;
	out.owner = m->owner;
	if (!out.desc[0])
		memcpy(out.desc, m->desc, sizeof(out.desc));
	if (!out.cookie_len) {
		out.cookie_len = m->cookie_len;
		memcpy(out.cookie, m->cookie, sizeof(out.cookie));
	}
	*m = out;
	return 0;
}

enum igd_err igd_map_add(const struct igd_client *c, struct igd_map *m,
			 unsigned int flags)
{
	struct in_addr none = { 0 };
	struct igd_map old;
	bool replace = false;
	uint16_t want;
	enum igd_err e;
	int err;

	if ((m->proto != IPPROTO_UDP && m->proto != IPPROTO_TCP) ||
	    !m->int_port || !valid_host(m->int_addr) ||
	    m->cookie_len > IGD_COOKIE_MAX ||
	    !memchr(m->desc, '\0', sizeof(m->desc)))
		return IGD_ERR_INVAL;
	/* an authorised client (PCP THIRD_PARTY, allowed) acts for others */
	if (policy.secure && !c->authorised &&
	    m->int_addr.s_addr != c->addr.s_addr)
		return IGD_ERR_DENIED;
	if (!m->lease || m->lease > policy.max_lease)
		m->lease = policy.max_lease;
	m->owner = c->proto;
	want = ntohs(m->ext_port ? m->ext_port : m->int_port);
	if (!igd_policy_allows(want, m->int_addr, ntohs(m->int_port))) {
		/* another port may do, if the rules allow one at all */
		if (!(flags & IGD_ADD_ANY_PORT) || !m->ext_port ||
		    !policy_allows_some(m->int_addr, ntohs(m->int_port)))
			return IGD_ERR_DENIED;
		m->ext_port = 0;
	}
	e = nl_ready();
	if (e)
		return e;
	/* on the address the clients are told of */
	if (!m->ext_addr.s_addr) {
		err = igd_nl_ext_addr(&m->ext_addr);
		if (err)
			return err == -ENOENT ? IGD_ERR_NAT_DOWN : IGD_ERR_IO;
	}

	if (m->ext_port) {
		e = find_port(m->proto, m->ext_addr, m->ext_port, m->remote,
			      none, &old);
		if (e == IGD_OK && old.remote.s_addr != m->remote.s_addr)
			e = IGD_ERR_NOENT;	/* another remote's: no clash */
		if (e == IGD_OK) {
			bool same = old.int_addr.s_addr == m->int_addr.s_addr &&
				    old.int_port == m->int_port;

			if (old.owner == IGD_OWNER_ADMIN && c->proto != IGD_OWNER_ADMIN)
				e = IGD_ERR_OTHER_OWNER;
			else if (same && (flags & IGD_ADD_REPLACE))
				replace = true;
			else if (old.owner != c->proto)
				e = IGD_ERR_OTHER_OWNER;
			else
				e = IGD_ERR_CONFLICT;
			if (!replace) {
				if (!(flags & IGD_ADD_ANY_PORT))
					return e;
				m->ext_port = 0;
			}
		} else if (e != IGD_ERR_NOENT) {
			return e;
		}
	}

	if (!replace) {
		e = caps_ok(m->int_addr);
		if (e)
			return e;
	}

	err = kernel_add(m, replace);
	if ((err == -EADDRINUSE || err == -EEXIST) &&
	    (flags & IGD_ADD_ANY_PORT) && m->ext_port) {
		m->ext_port = 0;
		err = kernel_add(m, false);
	}
	if (err == -ENOENT)
		return IGD_ERR_NAT_DOWN;
	if (err)
		return nl_err(err);
	/* The kernel chose the port: the rules must allow that one too. */
	if (!igd_policy_allows(ntohs(m->ext_port), m->int_addr,
			       ntohs(m->int_port))) {
		/* exactly the mapping just made */
		igd_nl_del(m->proto, m->ext_addr, m->ext_port, m->remote);
		return (flags & IGD_ADD_ANY_PORT) ? IGD_ERR_NO_PORT : IGD_ERR_DENIED;
	}
	return IGD_OK;
}

enum igd_err igd_map_del(const struct igd_client *c, uint8_t proto,
			 struct in_addr ext_addr, uint16_t ext_port,
			 struct in_addr remote)
{
	struct igd_map old;
	enum igd_err e;
	int err;

	e = find_port(proto, ext_addr, ext_port, remote, c->addr, &old);
	if (e)
		return e;
	if (old.remote.s_addr != remote.s_addr)
		return IGD_ERR_NOENT;
	if (old.owner == IGD_OWNER_ADMIN && c->proto != IGD_OWNER_ADMIN)
		return IGD_ERR_OTHER_OWNER;
	if (!c->authorised && old.int_addr.s_addr != c->addr.s_addr)
		return IGD_ERR_DENIED;
	/* exactly the one checked: address, port and remote */
	err = igd_nl_del(proto, old.ext_addr, old.ext_port, old.remote);
	return err == -ENOENT ? IGD_ERR_NOENT : nl_err(err);
}

static enum igd_err list(const struct igd_nl_filter *f,
			 int (*cb)(const struct igd_map *m, void *arg),
			 void *arg)
{
	enum igd_err e = nl_ready();
	int err;

	if (e)
		return e;
	err = igd_nl_dump(f, cb, arg);
	if (err == -ENOENT)
		return IGD_ERR_NAT_DOWN;
	return err ? IGD_ERR_IO : IGD_OK;
}

enum igd_err igd_map_list(int (*cb)(const struct igd_map *m, void *arg),
			  void *arg)
{
	return list(NULL, cb, arg);
}

enum igd_err igd_map_list_host(struct in_addr int_addr, uint8_t proto,
			       int (*cb)(const struct igd_map *m, void *arg),
			       void *arg)
{
	struct igd_nl_filter f = { .proto = proto, .int_addr = int_addr };

	if (!int_addr.s_addr)
		return IGD_ERR_INVAL;
	return list(&f, cb, arg);
}

enum igd_err igd_ext_addr(struct in_addr *addr)
{
	enum igd_err e = nl_ready();
	int err;

	if (e)
		return e;
	err = igd_nl_ext_addr(addr);
	if (err == -ENOENT)
		return IGD_ERR_NAT_DOWN;
	return err ? IGD_ERR_IO : IGD_OK;
}

enum igd_err igd_stats(uint64_t *stats, size_t n)
{
	uint64_t all[NAPT_STAT_MAX + 1];
	enum igd_err e = nl_ready();
	int err;

	if (e)
		return e;
	err = igd_nl_stats(all);
	if (err)
		return err == -ENOENT ? IGD_ERR_NAT_DOWN : IGD_ERR_IO;
	memcpy(stats, all, sizeof(uint64_t) * (n < NAPT_STAT_MAX + 1 ? n : NAPT_STAT_MAX + 1));
	return IGD_OK;
}

const char *igd_map_strerror(enum igd_err e)
{
	switch (e) {
	case IGD_OK: return "ok";
	case IGD_ERR_INVAL: return "invalid argument";
	case IGD_ERR_DENIED: return "not allowed";
	case IGD_ERR_CONFLICT: return "external port in use";
	case IGD_ERR_OTHER_OWNER: return "external port held by another mechanism";
	case IGD_ERR_NOENT: return "no such mapping";
	case IGD_ERR_QUOTA: return "too many mappings for this client";
	case IGD_ERR_NO_PORT: return "no free external port";
	case IGD_ERR_NAT_DOWN: return "napt is not up";
	case IGD_ERR_IO: return "kernel error";
	}
	return "unknown error";
}
