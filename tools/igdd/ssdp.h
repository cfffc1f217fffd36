/* SPDX-License-Identifier: GPL-2.0 */
/*
 * igdd: SSDP (UPnP Device Architecture 1.1, section 1) message parsing and
 * the answers to a search. Pure functions over buffers (ssdp.c), fuzzed by
 * fuzz/fuzz_ssdp.c; the socket that uses them is in ssdp_io.c.
 */
#ifndef IGDD_SSDP_H
#define IGDD_SSDP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SSDP_ADDR "239.255.255.250"
#define SSDP_PORT 1900
#define SSDP_MAX_MSG 1500	/* larger datagrams are dropped */
#define SSDP_ST_MAX 128
#define SSDP_MX_MAX 5		/* longer MX are cut to this (UDA 1.1: 5) */

enum ssdp_kind {
	SSDP_MALFORMED = -1,
	SSDP_IGNORE = 0,	/* a NOTIFY, a response: not for us */
	SSDP_SEARCH = 1,
};

struct ssdp_search {
	char st[SSDP_ST_MAX + 1];
	unsigned int mx;	/* seconds, bounded to 0..SSDP_MX_MAX */
	bool multicast;		/* HOST was the multicast address */
};

/**
 * ssdp_parse() - classify and parse one datagram
 * Return: SSDP_SEARCH with @s filled for a well-formed M-SEARCH
 * (MAN "ssdp:discover", an ST, an MX for a multicast one), SSDP_IGNORE for
 * other well-formed messages, SSDP_MALFORMED otherwise.
 */
enum ssdp_kind ssdp_parse(const char *buf, size_t len, struct ssdp_search *s);

/* The two device trees igdd describes. */
enum { SSDP_TREE_IGD1, SSDP_TREE_IGD2, SSDP_NTREES };
/* Devices of a tree: root IGD, WANDevice, WANConnectionDevice. */
enum { SSDP_DEV_ROOT, SSDP_DEV_WAN, SSDP_DEV_WANCONN, SSDP_NDEVS };

/* One answer (or one NOTIFY): the NT/ST and which device it is for. */
struct ssdp_target {
	uint8_t tree;
	uint8_t dev;
	char nt[SSDP_ST_MAX + 1];	/* as sent in ST/NT */
	bool uuid_only;		/* NT is the device's own uuid: USN = uuid alone */
};

#define SSDP_TARGETS_MAX 24

/**
 * ssdp_targets() - what to answer to a search for @st
 * @uuids: the UDNs (without "uuid:") of each device of each tree
 * Return: the number of targets in @t (0: the search is not for igdd).
 * "ssdp:all" (and a NULL @st, for NOTIFY) gives every target of both
 * trees. A search for a version 1 type is answered by the IGD:1 tree only
 * (Windows and consoles use it), a search for version 2 by the IGD:2 tree.
 */
int ssdp_targets(const char *st,
		 const char uuids[SSDP_NTREES][SSDP_NDEVS][37],
		 struct ssdp_target *t, int max);

/**
 * ssdp_usn() - the USN of @t: "uuid:U::NT", or "uuid:U" when @t is a uuid target
 */
int ssdp_usn(const struct ssdp_target *t,
	     const char uuids[SSDP_NTREES][SSDP_NDEVS][37], char *buf,
	     size_t max);

/* ---- the socket (ssdp_io.c; over the daemon's state, igdd.h) ---- */

/**
 * ssdp_open() - bind UDP 1900 and join the SSDP group on every LAN
 * Return: the socket, or -1 (logged).
 */
int ssdp_open(void);

/**
 * ssdp_read() - take one datagram from the SSDP socket; a search from a
 * LAN host, within its rate, gets its answers queued
 */
void ssdp_read(void);

/** ssdp_run_pending() - send the queued answers that are due at @now (ms) */
void ssdp_run_pending(uint64_t now);

/** ssdp_next_due() - @next, or the first queued answer's time if sooner */
uint64_t ssdp_next_due(uint64_t next);

/** ssdp_notify() - multicast ssdp:alive (@alive) or ssdp:byebye on every LAN */
void ssdp_notify(bool alive);

#endif /* IGDD_SSDP_H */
