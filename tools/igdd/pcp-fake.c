// SPDX-License-Identifier: GPL-2.0
/* An in-memory mapping layer for the NAT-PMP/PCP tests (see pcp-fake.h). */
#include <arpa/inet.h>
#include <string.h>

#include "pcp-fake.h"

struct fake_state fake;

void fake_reset(void)
{
	memset(&fake, 0, sizeof(fake));
	inet_pton(AF_INET, "203.0.113.1", &fake.ext);
	fake.secure = true;
	fake.max_lease = 604800;
}

struct igd_map *fake_put(enum igd_owner owner, uint8_t proto,
			 const char *int_addr, uint16_t int_port,
			 uint16_t ext_port, uint32_t lease)
{
	struct igd_map *m;

	if (fake.n == FAKE_MAX)
		return NULL;
	m = &fake.maps[fake.n++];
	memset(m, 0, sizeof(*m));
	m->proto = proto;
	inet_pton(AF_INET, int_addr, &m->int_addr);
	m->int_port = htons(int_port);
	m->ext_addr = fake.ext;
	m->ext_port = htons(ext_port);
	m->lease = lease;
	m->expires = lease;
	m->owner = owner;
	return m;
}

struct igd_map *fake_find(uint8_t proto, uint16_t ext_port)
{
	unsigned int i;

	for (i = 0; i < fake.n; i++)
		if (fake.maps[i].proto == proto &&
		    fake.maps[i].ext_port == htons(ext_port))
			return &fake.maps[i];
	return NULL;
}

static enum igd_err down(void)
{
	if (fake.nat_down)
		return IGD_ERR_NAT_DOWN;
	if (fake.io_fail)
		return IGD_ERR_IO;
	return IGD_OK;
}

static bool valid_host(struct in_addr a)
{
	uint32_t h = ntohl(a.s_addr);

	return h && h != 0xffffffff && !IN_MULTICAST(h) && (h >> 24) != 127;
}

/* mapping.c's default rule: both ports 1024 or above. */
static bool allows(uint16_t ext, uint16_t in)
{
	return ext >= 1024 && in >= 1024;
}

enum igd_err igd_map_add(const struct igd_client *c, struct igd_map *m,
			 unsigned int flags)
{
	struct igd_map *old = NULL;
	enum igd_err e;
	unsigned int i, cnt = 0;
	uint16_t want;

	if ((m->proto != IPPROTO_UDP && m->proto != IPPROTO_TCP) ||
	    !m->int_port || !valid_host(m->int_addr) ||
	    m->cookie_len > IGD_COOKIE_MAX ||
	    !memchr(m->desc, '\0', sizeof(m->desc)))
		return IGD_ERR_INVAL;
	if (fake.secure && !c->authorised &&
	    m->int_addr.s_addr != c->addr.s_addr)
		return IGD_ERR_DENIED;
	if (!m->lease || m->lease > fake.max_lease)
		m->lease = fake.max_lease;
	m->owner = c->proto;
	want = ntohs(m->ext_port ? m->ext_port : m->int_port);
	if (!allows(want, ntohs(m->int_port))) {
		if (!(flags & IGD_ADD_ANY_PORT) || !m->ext_port ||
		    ntohs(m->int_port) < 1024)
			return IGD_ERR_DENIED;
		m->ext_port = 0;
	}
	e = down();
	if (e)
		return e;
	if (m->ext_port) {
		old = fake_find(m->proto, ntohs(m->ext_port));
		if (old) {
			bool same = old->int_addr.s_addr == m->int_addr.s_addr &&
				    old->int_port == m->int_port;

			if (old->owner == IGD_OWNER_ADMIN && c->proto != IGD_OWNER_ADMIN)
				e = IGD_ERR_OTHER_OWNER;
			else if (same && (flags & IGD_ADD_REPLACE))
				e = IGD_OK;
			else if (old->owner != c->proto)
				e = IGD_ERR_OTHER_OWNER;
			else
				e = IGD_ERR_CONFLICT;
			if (e) {
				if (!(flags & IGD_ADD_ANY_PORT))
					return e;
				m->ext_port = 0;
				old = NULL;
			}
		}
	}
	if (old) {	/* the kernel's replace */
		m->ext_addr = fake.ext;
		m->expires = m->lease;
		*old = *m;
		fake.adds++;
		return IGD_OK;
	}
	if (fake.max_per_client) {
		for (i = 0; i < fake.n; i++)
			if (fake.maps[i].int_addr.s_addr == m->int_addr.s_addr &&
			    fake.maps[i].owner != IGD_OWNER_ADMIN)
				cnt++;
		if (cnt >= fake.max_per_client)
			return IGD_ERR_QUOTA;
	}
	if (fake.n == FAKE_MAX)
		return IGD_ERR_NO_PORT;
	if (!m->ext_port) {
		/* the kernel: the inside port if free, else any free one */
		uint16_t p = ntohs(m->int_port);

		if (fake_find(m->proto, p))
			for (p = 40000; fake_find(m->proto, p); p++)
				;
		m->ext_port = htons(p);
	}
	m->ext_addr = fake.ext;
	m->expires = m->lease;
	fake.maps[fake.n++] = *m;
	fake.adds++;
	return IGD_OK;
}

enum igd_err igd_map_del(const struct igd_client *c, uint8_t proto,
			 uint16_t ext_port, struct in_addr remote)
{
	struct igd_map *m = fake_find(proto, ntohs(ext_port));
	enum igd_err e = down();

	if (e)
		return e;
	if (!m || m->remote.s_addr != remote.s_addr)
		return IGD_ERR_NOENT;
	if (m->owner == IGD_OWNER_ADMIN && c->proto != IGD_OWNER_ADMIN)
		return IGD_ERR_OTHER_OWNER;
	if (!c->authorised && m->int_addr.s_addr != c->addr.s_addr)
		return IGD_ERR_DENIED;
	*m = fake.maps[--fake.n];
	fake.dels++;
	return IGD_OK;
}

enum igd_err igd_map_get(uint8_t proto, uint16_t ext_port,
			 struct in_addr remote, struct igd_map *out)
{
	struct igd_map *m = fake_find(proto, ntohs(ext_port));
	enum igd_err e = down();

	(void)remote;
	if (e)
		return e;
	if (!m)
		return IGD_ERR_NOENT;
	*out = *m;
	return IGD_OK;
}

enum igd_err igd_map_list(int (*cb)(const struct igd_map *m, void *arg),
			  void *arg)
{
	enum igd_err e = down();
	unsigned int i;

	if (e)
		return e;
	for (i = 0; i < fake.n; i++)
		if (cb(&fake.maps[i], arg))
			break;
	return IGD_OK;
}

enum igd_err igd_ext_addr(struct in_addr *addr)
{
	enum igd_err e = down();

	if (e)
		return e;
	*addr = fake.ext;
	return IGD_OK;
}

const char *igd_map_strerror(enum igd_err e)
{
	return e ? "error" : "ok";
}
