/* SPDX-License-Identifier: GPL-2.0 */
/*
 * igdd's small generic netlink client for the napt family: the only code
 * that talks to the kernel. mapping.c is written against these calls only,
 * so the tests replace them with a fake table (test-igdd.c).
 *
 * Every call returns 0 or a negative errno (the kernel's, or -EBADMSG for a
 * reply that does not parse). nl.c is built on the client natctl shares
 * (tools/lib/napt_nl.h) and logs a failed request with the kernel's
 * extended-ack message, at LOG_DEBUG for -EEXIST, -EADDRINUSE and -ENOENT
 * (answers mapping.c expects), LOG_INFO otherwise.
 */
#ifndef IGDD_NL_H
#define IGDD_NL_H

#include <stdbool.h>
#include <stdint.h>
#include <linux/napt.h>

#include "mapping.h"

/* igd_nl_open() - open the socket and resolve the family; -ENOENT if napt is not loaded */
int igd_nl_open(void);
void igd_nl_close(void);

/**
 * igd_nl_add() - NAPT_CMD_ADD_MAP of @m (ext_port/ext_addr/remote 0: absent)
 * @replace: set NAPT_MAP_A_REPLACE
 * @out: the mapping the kernel made, as it reports it
 */
int igd_nl_add(const struct igd_map *m, bool replace, struct igd_map *out);

/**
 * igd_nl_del() - NAPT_CMD_DEL_MAP of exactly one mapping
 * @proto: its protocol
 * @ext_addr: its external address (always named: with several, or after
 *	an address change, the port alone is not a mapping)
 * @ext_port: its external port
 * @remote: the remote it is for (0: the one open to any remote)
 */
int igd_nl_del(uint8_t proto, struct in_addr ext_addr, uint16_t ext_port,
	       struct in_addr remote);

/* What a dump asks the kernel to send (0: any); always static mappings. */
struct igd_nl_filter {
	uint8_t proto;
	uint16_t ext_port;		/* network order */
	struct in_addr int_addr;
};

/**
 * igd_nl_dump() - the static mappings the kernel selects by @f
 * @f: the filter (NULL: every static mapping)
 * @cb: called per mapping; non-zero stops the walk (not an error)
 */
int igd_nl_dump(const struct igd_nl_filter *f,
		int (*cb)(const struct igd_map *m, void *arg), void *arg);

/** igd_nl_ext_addr() - the first external address; -ENOENT when napt is down */
int igd_nl_ext_addr(struct in_addr *addr);

/**
 * igd_nl_static_counts() - how many static mappings each owner has
 * (NAPT_A_STATIC_COUNTS of GET_CONFIG), indexed by enum igd_owner
 */
int igd_nl_static_counts(unsigned int counts[IGD_OWNER_MAX + 1]);

/** igd_nl_stats() - the counters, indexed by enum napt_stat */
int igd_nl_stats(uint64_t stats[NAPT_STAT_MAX + 1]);

#endif /* IGDD_NL_H */
