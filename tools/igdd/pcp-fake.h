/* SPDX-License-Identifier: GPL-2.0 */
/*
 * An in-memory stand-in for igdd's mapping layer (mapping.h), for the
 * NAT-PMP/PCP unit tests and fuzz harness: the same rules as mapping.c
 * (secure mode, ports below 1024 refused, per-client cap, lease cap,
 * owner conflicts) over an array instead of the kernel.
 */
#ifndef IGDD_PCP_FAKE_H
#define IGDD_PCP_FAKE_H

#include "mapping.h"

#define FAKE_MAX 64

struct fake_state {
	struct igd_map maps[FAKE_MAX];
	unsigned int n;
	struct in_addr ext;		/* the external address */
	bool nat_down;			/* every call: IGD_ERR_NAT_DOWN */
	bool io_fail;			/* every call: IGD_ERR_IO */
	bool secure;
	unsigned int max_per_client;	/* 0: none */
	uint32_t max_lease;
	unsigned int adds, dels;	/* successful calls */
};

extern struct fake_state fake;

/** fake_reset() - empty table, ext 203.0.113.1, secure, no cap, 604800 */
void fake_reset(void);

/** fake_put() - a mapping as if made by @owner (no checks) */
struct igd_map *fake_put(enum igd_owner owner, uint8_t proto,
			 const char *int_addr, uint16_t int_port,
			 uint16_t ext_port, uint32_t lease);

/** fake_find() - the mapping of @proto on external port @ext_port (host order) */
struct igd_map *fake_find(uint8_t proto, uint16_t ext_port);

#endif /* IGDD_PCP_FAKE_H */
