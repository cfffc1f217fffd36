// SPDX-License-Identifier: GPL-2.0
/*
 * igdd: the fake kernel of the tests (see fake-nl.h). Its rules, napt's:
 * a static mapping is (proto, external address, external port, remote);
 * ADD_MAP without an external address uses the first, without a port the
 * inside port if free, else the next free one from 40000; EEXIST on a
 * taken port unless replacing the same inside endpoint's; EADDRNOTAVAIL
 * for the gateway's own addresses; DEL_MAP without an external address
 * deletes the only mapping on that port and remote, EINVAL if several
 * addresses have one.
 */
#include <errno.h>
#include <string.h>
#include <arpa/inet.h>

#include "fake-nl.h"

struct fake_kernel fake;

void fake_policy(bool secure, unsigned int max_per_client,
		 unsigned int max_daemon, uint32_t max_lease)
{
	struct igd_policy p = {
		.secure = secure, .max_per_client = max_per_client,
		.max_daemon = max_daemon, .max_lease = max_lease,
	};

	igd_policy_set(&p);
}

void fake_reset(void)
{
	memset(&fake, 0, sizeof(fake));
	inet_pton(AF_INET, "203.0.113.1", &fake.ext[0]);
	fake.next = 1;
	inet_pton(AF_INET, "192.168.1.1", &fake.local[0]);
	fake.nlocal = 1;
	fake_policy(true, 0, 0, 604800);
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
	m->ext_addr = fake.ext[0];
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

static int fk_down(void)
{
	if (fake.nat_down)
		return -ENOENT;
	return fake.io_fail ? -EIO : 0;
}

int igd_nl_open(void)
{
	return fake.nat_down ? -ENOENT : 0;
}

void igd_nl_close(void)
{
}

static struct igd_map *fk_at(uint8_t proto, struct in_addr ext,
			     uint16_t port, struct in_addr rem)
{
	unsigned int i;

	for (i = 0; i < fake.n; i++)
		if (fake.maps[i].proto == proto &&
		    fake.maps[i].ext_addr.s_addr == ext.s_addr &&
		    fake.maps[i].ext_port == port &&
		    fake.maps[i].remote.s_addr == rem.s_addr)
			return &fake.maps[i];
	return NULL;
}

static bool fk_busy(uint8_t proto, struct in_addr ext, uint16_t port)
{
	unsigned int i;

	for (i = 0; i < fake.n; i++)
		if (fake.maps[i].proto == proto &&
		    fake.maps[i].ext_addr.s_addr == ext.s_addr &&
		    fake.maps[i].ext_port == port)
			return true;
	return false;
}

int igd_nl_add(const struct igd_map *m, bool replace, struct igd_map *out)
{
	struct igd_map n = *m, *old;
	unsigned int i;
	int err = fk_down();

	if (err)
		return err;
	for (i = 0; i < fake.nlocal; i++)
		if (n.int_addr.s_addr == fake.local[i].s_addr)
			return -EADDRNOTAVAIL;
	if (!n.ext_addr.s_addr)
		n.ext_addr = fake.ext[0];
	for (i = 0; i < fake.next && fake.ext[i].s_addr != n.ext_addr.s_addr; i++)
		;
	if (i == fake.next)
		return -EINVAL;		/* "not an external address" */
	if (!n.ext_port) {
		uint16_t p = ntohs(n.int_port);

		if (fk_busy(n.proto, n.ext_addr, htons(p)))
			for (p = 40000; fk_busy(n.proto, n.ext_addr, htons(p)); p++)
				;
		n.ext_port = htons(p);
	}
	n.expires = n.lease;
	old = fk_at(n.proto, n.ext_addr, n.ext_port, n.remote);
	if (old) {
		if (!replace || old->int_addr.s_addr != n.int_addr.s_addr ||
		    old->int_port != n.int_port)
			return -EEXIST;
		*old = n;
	} else {
		if (fake.n == FAKE_MAX)
			return -ENOSPC;
		fake.maps[fake.n++] = n;
	}
	fake.adds++;
	*out = n;
	return 0;
}

int igd_nl_del(uint8_t proto, struct in_addr ext_addr, uint16_t ext_port,
	       struct in_addr remote)
{
	struct igd_map *m = NULL;
	unsigned int i, found = 0;
	int err = fk_down();

	if (err)
		return err;
	if (ext_addr.s_addr) {
		m = fk_at(proto, ext_addr, ext_port, remote);
	} else {
		for (i = 0; i < fake.n; i++)
			if (fake.maps[i].proto == proto &&
			    fake.maps[i].ext_port == ext_port &&
			    fake.maps[i].remote.s_addr == remote.s_addr) {
				m = &fake.maps[i];
				found++;
			}
		if (found > 1)
			return -EINVAL;
	}
	if (!m)
		return -ENOENT;
	*m = fake.maps[--fake.n];
	fake.dels++;
	return 0;
}

int igd_nl_dump(const struct igd_nl_filter *f,
		int (*cb)(const struct igd_map *m, void *arg), void *arg)
{
	unsigned int i;
	int err = fk_down();

	if (err)
		return err;
	fake.dumps++;
	for (i = 0; i < fake.n; i++) {
		const struct igd_map *m = &fake.maps[i];

		if (f && ((f->proto && m->proto != f->proto) ||
			  (f->ext_port && m->ext_port != f->ext_port) ||
			  (f->int_addr.s_addr &&
			   m->int_addr.s_addr != f->int_addr.s_addr)))
			continue;
		fake.dumped++;
		if (cb(m, arg))
			break;
	}
	return 0;
}

int igd_nl_ext_addr(struct in_addr *addr)
{
	int err = fk_down();

	if (err)
		return err;
	*addr = fake.ext[0];
	return 0;
}

int igd_nl_static_counts(unsigned int counts[IGD_OWNER_MAX + 1])
{
	unsigned int i;
	int err = fk_down();

	if (err)
		return err;
	memset(counts, 0, sizeof(unsigned int) * (IGD_OWNER_MAX + 1));
	for (i = 0; i < fake.n; i++)
		if (fake.maps[i].owner <= IGD_OWNER_MAX)
			counts[fake.maps[i].owner]++;
	return 0;
}

int igd_nl_stats(uint64_t stats[NAPT_STAT_MAX + 1])
{
	memset(stats, 0, sizeof(uint64_t) * (NAPT_STAT_MAX + 1));
	stats[NAPT_STAT_OUT_BYTES] = 0x100000005ULL;	/* wraps to 5 */
	stats[NAPT_STAT_IN_PKTS] = 42;
	return fk_down();
}
