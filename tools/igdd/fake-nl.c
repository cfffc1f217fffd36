// SPDX-License-Identifier: GPL-2.0
/*
 * igdd: a fake of nl.h for the unit tests and the fuzzers: a table in
 * memory with the kernel's rules for static mappings (EEXIST on a taken
 * external port unless replacing the same inside endpoint, the inside
 * port when free else the next free one from 1024).
 */
#include <errno.h>
#include <string.h>
#include <arpa/inet.h>

#include "fake-nl.h"


struct igd_map tab[FAKE_MAX];
unsigned int ntab;
bool nat_down;
const char *fake_ext = "203.0.113.1";

int igd_nl_open(void) { return 0; }
void igd_nl_close(void) {}

static struct igd_map *fk_find(uint8_t proto, uint16_t ext, struct in_addr rem)
{
	unsigned int i;

	for (i = 0; i < ntab; i++)
		if (tab[i].proto == proto && tab[i].ext_port == ext &&
		    tab[i].remote.s_addr == rem.s_addr)
			return &tab[i];
	return NULL;
}

static bool port_busy(uint8_t proto, uint16_t ext)
{
	unsigned int i;

	for (i = 0; i < ntab; i++)
		if (tab[i].proto == proto && tab[i].ext_port == ext)
			return true;
	return false;
}

int igd_nl_add(const struct igd_map *m, bool replace, struct igd_map *out)
{
	struct igd_map n = *m, *old;

	if (nat_down)
		return -ENOENT;
	if (!n.ext_port) {
		uint16_t p = ntohs(n.int_port);

		while (port_busy(n.proto, htons(p)) || p < 1024)
			p = p < 1024 ? 1024 : p + 1;
		n.ext_port = htons(p);
	}
	old = fk_find(n.proto, n.ext_port, n.remote);
	if (old) {
		if (!replace || old->int_addr.s_addr != n.int_addr.s_addr ||
		    old->int_port != n.int_port)
			return -EEXIST;
		n.expires = n.lease;
		inet_pton(AF_INET, "203.0.113.1", &n.ext_addr);
		*old = n;
		*out = n;
		return 0;
	}
	if (ntab == FAKE_MAX)
		return -ENOSPC;
	n.expires = n.lease;
	inet_pton(AF_INET, "203.0.113.1", &n.ext_addr);
	tab[ntab++] = n;
	*out = n;
	return 0;
}

int igd_nl_del(uint8_t proto, uint16_t ext_port, struct in_addr remote)
{
	struct igd_map *m = fk_find(proto, ext_port, remote);

	if (nat_down)
		return -ENOENT;
	if (!m)
		return -ENOENT;
	*m = tab[--ntab];
	return 0;
}

int igd_nl_dump(uint8_t proto, uint16_t ext_port,
		int (*cb)(const struct igd_map *m, void *arg), void *arg)
{
	unsigned int i;

	if (nat_down)
		return -ENOENT;
	for (i = 0; i < ntab; i++) {
		if ((proto && tab[i].proto != proto) ||
		    (ext_port && tab[i].ext_port != ext_port))
			continue;
		if (cb(&tab[i], arg))
			break;
	}
	return 0;
}

int igd_nl_ext_addr(struct in_addr *addr)
{
	if (nat_down)
		return -ENOENT;
	inet_pton(AF_INET, fake_ext, addr);
	return 0;
}

int igd_nl_stats(uint64_t stats[NAPT_STAT_MAX + 1])
{
	memset(stats, 0, sizeof(uint64_t) * (NAPT_STAT_MAX + 1));
	stats[NAPT_STAT_OUT_BYTES] = 0x100000005ULL;	/* wraps to 5 */
	stats[NAPT_STAT_IN_PKTS] = 42;
	return nat_down ? -ENOENT : 0;
}

