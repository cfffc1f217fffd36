/* SPDX-License-Identifier: GPL-2.0 */
/*
 * igdd: the fake kernel of the unit tests and fuzzers (fake-nl.c): nl.h
 * over a table in memory, with napt's rules for static mappings, so that
 * the real mapping layer (mapping.c) and the protocols above it run
 * unchanged. Like nl.c it returns the kernel's errnos; it logs nothing
 * (nl.c logs a failed request with the kernel's extended-ack message).
 */
#ifndef IGDD_FAKE_NL_H
#define IGDD_FAKE_NL_H

#include "nl.h"

#define FAKE_MAX 64
#define FAKE_EXT_MAX 4
#define FAKE_LOCAL_MAX 4

struct fake_kernel {
	struct igd_map maps[FAKE_MAX];	/* the static mappings */
	unsigned int n;
	/* the external addresses, ext[0] first (as GET_CONFIG lists them) */
	struct in_addr ext[FAKE_EXT_MAX];
	unsigned int next;
	/* the gateway's own addresses: ADD_MAP refuses them (EADDRNOTAVAIL) */
	struct in_addr local[FAKE_LOCAL_MAX];
	unsigned int nlocal;
	bool nat_down;			/* every call: -ENOENT */
	bool io_fail;			/* every call: -EIO */
	unsigned int adds, dels;	/* successful ADD_MAP, DEL_MAP */
	unsigned int dumps;		/* GET_MAPS dumps... */
	unsigned int dumped;		/* ... and the mappings they sent */
};

extern struct fake_kernel fake;

/**
 * fake_reset() - an empty table, external address 203.0.113.1, the
 * gateway 192.168.1.1, and mapping.c's default policy (secure, leases up
 * to a week, no caps)
 */
void fake_reset(void);

/** fake_policy() - mapping.c's policy with these values, no rules */
void fake_policy(bool secure, unsigned int max_per_client,
		 unsigned int max_daemon, uint32_t max_lease);

/** fake_put() - a mapping on ext[0] as if made by @owner (no checks; ports host order) */
struct igd_map *fake_put(enum igd_owner owner, uint8_t proto,
			 const char *int_addr, uint16_t int_port,
			 uint16_t ext_port, uint32_t lease);

/** fake_find() - the first mapping of @proto on external port @ext_port (host order) */
struct igd_map *fake_find(uint8_t proto, uint16_t ext_port);

#endif /* IGDD_FAKE_NL_H */
