/* SPDX-License-Identifier: GPL-2.0 */
/*
 * igdd's one way to the NAT table: every protocol front end (UPnP IGD,
 * NAT-PMP, PCP) asks here, and only here, for mappings. The policy
 * (secure mode, permission rules, per-client cap, lease cap) is applied
 * here once, so the three protocols agree on it and see each other's
 * conflicts: every mapping is a napt static mapping in the kernel, tagged
 * with the protocol that made it (NAPT_MAP_A_OWNER) and, for PCP, its
 * nonce (NAPT_MAP_A_COOKIE). igdd keeps no mapping state of its own.
 *
 * All addresses and ports are in network byte order.
 */
#ifndef IGDD_MAPPING_H
#define IGDD_MAPPING_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define IGD_DESC_MAX 128	/* NAPT_DESC_MAX, with the NUL */
#define IGD_COOKIE_MAX 16	/* NAPT_COOKIE_MAX */

/* Same values as enum napt_map_owner. */
enum igd_owner {
	IGD_OWNER_ADMIN,
	IGD_OWNER_UPNP,
	IGD_OWNER_NATPMP,
	IGD_OWNER_PCP,
};
#define IGD_OWNER_MAX IGD_OWNER_PCP

/* Results of the igd_map_*() calls; each front end maps them to its own codes. */
enum igd_err {
	IGD_OK = 0,
	IGD_ERR_INVAL,		/* a bad argument (port 0, unknown protocol...) */
	IGD_ERR_DENIED,		/* secure mode, a permission rule, or an
				 * inside address that is the gateway's */
	IGD_ERR_CONFLICT,	/* the external port is held by another mapping */
	IGD_ERR_OTHER_OWNER,	/* ... held by another mechanism (UPnP 729) */
	IGD_ERR_NOENT,		/* no such mapping */
	IGD_ERR_QUOTA,		/* the per-client or the daemon's cap */
	IGD_ERR_NO_PORT,	/* no free external port, or a kernel limit */
	IGD_ERR_NAT_DOWN,	/* napt is not up in this namespace */
	IGD_ERR_IO,		/* any other kernel or netlink failure */
};

/* One mapping, as asked for and as the kernel holds it. */
struct igd_map {
	uint8_t proto;			/* IPPROTO_UDP or IPPROTO_TCP */
	struct in_addr int_addr;
	uint16_t int_port;
	struct in_addr ext_addr;	/* 0 on input: the kernel chooses */
	uint16_t ext_port;		/* 0 on input: any port */
	struct in_addr remote;		/* 0: any remote host */
	uint32_t lease;			/* granted, seconds; 0 = permanent */
	uint32_t expires;		/* output: seconds left (0 if permanent) */
	enum igd_owner owner;
	uint8_t cookie_len;
	uint8_t cookie[IGD_COOKIE_MAX];
	char desc[IGD_DESC_MAX];
};

/* Who asks: the source address of the request, and through which protocol. */
struct igd_client {
	struct in_addr addr;
	enum igd_owner proto;
	bool authorised;	/* may act on mappings of other hosts */
};

/* Flags of igd_map_add(). */
#define IGD_ADD_ANY_PORT	0x1	/* ext_port is a hint: take another if busy */
#define IGD_ADD_REPLACE		0x2	/* renew the caller's own mapping of that port */

/**
 * igd_map_add() - make (or renew) a mapping
 * @c: the client; secure mode allows only @m->int_addr == @c->addr,
 *     unless @c is authorised (PCP THIRD_PARTY with third-party yes)
 * @m: in: what is asked (ext_addr 0: the address GetExternalIPAddress
 *     and NAT-PMP report, the first of napt's); out: what was made
 *     (ext_addr/ext_port chosen, lease capped by the configuration)
 * @flags: IGD_ADD_*
 *
 * Refused: an inside address that is not a host of the LAN or is one of
 * the gateway's own (the kernel says which); more mappings than the
 * per-client cap for that inside address, or than the daemon's cap over
 * all (max-mappings: counted by the kernel, not by a dump).
 */
enum igd_err igd_map_add(const struct igd_client *c, struct igd_map *m,
			 unsigned int flags);

/**
 * igd_map_del() - remove one mapping of @proto @ext_port for @remote (0:
 * the one open to any remote)
 * @ext_addr: its external address; 0: the one the client may remove (its
 *     own before another's, where several addresses have the port)
 *
 * A client that is not authorised may remove only its own mappings
 * (IGD_ERR_DENIED otherwise). The kernel is told exactly the mapping that
 * was checked.
 */
enum igd_err igd_map_del(const struct igd_client *c, uint8_t proto,
			 struct in_addr ext_addr, uint16_t ext_port,
			 struct in_addr remote);

/**
 * igd_map_get() - the mapping of @proto @ext_port (@remote 0: any), the
 * one on the address igdd reports where several addresses have the port
 */
enum igd_err igd_map_get(uint8_t proto, uint16_t ext_port,
			 struct in_addr remote, struct igd_map *out);

/**
 * igd_map_list() - every static mapping, in the kernel's dump order
 * @cb: called once per mapping; a non-zero return stops the walk
 * Returns IGD_OK, or the error of the dump.
 */
enum igd_err igd_map_list(int (*cb)(const struct igd_map *m, void *arg),
			  void *arg);

/**
 * igd_map_list_host() - the static mappings of one inside address (and
 * @proto, 0: both): the kernel selects them, nothing else is sent
 */
enum igd_err igd_map_list_host(struct in_addr int_addr, uint8_t proto,
			       int (*cb)(const struct igd_map *m, void *arg),
			       void *arg);

/** igd_ext_addr() - the external address in use (first one); IGD_ERR_NAT_DOWN if none */
enum igd_err igd_ext_addr(struct in_addr *addr);

/** igd_map_strerror() - a short English text for logs */
const char *igd_map_strerror(enum igd_err e);

/* ---- policy (igdd's configuration; an extension used by the daemon) ---- */

/* One permission rule: allow|deny EXT_PORTS INT_ADDR/PREFIX INT_PORTS. */
struct igd_rule {
	bool allow;
	uint16_t ext_min, ext_max;	/* host byte order */
	struct in_addr addr;		/* network order, host bits zero */
	uint8_t plen;
	uint16_t int_min, int_max;	/* host byte order */
};

#define IGD_RULES_MAX 64

struct igd_policy {
	bool secure;			/* a client maps only its own address */
	unsigned int max_per_client;	/* 0: no cap */
	unsigned int max_daemon;	/* UPnP + NAT-PMP + PCP, 0: no cap */
	uint32_t max_lease;		/* seconds, 1..604800 */
	unsigned int nrules;
	struct igd_rule rules[IGD_RULES_MAX];
};

/** igd_policy_set() - install @p (copied); before it: secure, 604800, no rules */
void igd_policy_set(const struct igd_policy *p);

/**
 * igd_policy_allows() - whether the rules let @int_addr:@int_port be
 * reached from external port @ext_port (ports in host order); first match
 * wins; no match: allowed only when both ports are 1024 or above
 */
bool igd_policy_allows(uint16_t ext_port, struct in_addr int_addr,
		       uint16_t int_port);

/** igd_policy_secure() - whether secure mode is on */
bool igd_policy_secure(void);

/** igd_stats() - napt's counters, indexed by enum napt_stat (NAPT_STAT_MAX + 1 of them) */
enum igd_err igd_stats(uint64_t *stats, size_t n);

#endif /* IGDD_MAPPING_H */
