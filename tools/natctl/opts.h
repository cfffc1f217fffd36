/* SPDX-License-Identifier: GPL-2.0 */
/*
 * natctl: the settings of "up" and "set" (OPTIONS in the man page):
 * parsed from the command line, then put into the request.
 */
#ifndef NATCTL_OPTS_H
#define NATCTL_OPTS_H

#include <stdbool.h>
#include <stdint.h>
#include <netinet/in.h>
#include <linux/netlink.h>
#include <linux/napt.h>

struct nlmsghdr;

/* At most this many mode/mapping/filtering keywords in one command. */
#define NATCTL_MAX_BEHAVIOURS 32

struct napt_behav {
	uint8_t proto;		/* IPPROTO_*, 0 for all */
	uint8_t mapping;	/* enum napt_mapping, 0: unchanged */
	uint8_t filtering;	/* enum napt_filtering, 0: unchanged */
};

struct napt_opts {
	uint32_t given;			/* bits of the option table */
	const char *ext_if;
	unsigned int n_int_nets;
	in_addr_t int_addr[NAPT_MAX_INT_NETS];
	uint8_t int_len[NAPT_MAX_INT_NETS];
	unsigned int n_ext_addrs;	/* 0 with ext-addr auto */
	in_addr_t ext_addr[NAPT_MAX_EXT_ADDRS];
	uint16_t port_min, port_max;
	uint64_t u32_attrs;		/* bits: NAPT_A_* in u32[] */
	uint32_t u32[NAPT_A_MAX + 1];
	uint8_t proto;			/* of the "proto" in force */
	bool proto_used;		/* by a behaviour keyword */
	unsigned int n_behav;
	struct napt_behav behav[NATCTL_MAX_BEHAVIOURS];
	struct nla_bitfield32 flags;
};

/* Parse the settings of "up" (@up) or "set"; usage errors exit. */
void opts_parse(struct napt_opts *o, bool up, int argc, char **argv);
/* Put the given settings into @nlh (the external interface by name). */
void opts_put(struct nlmsghdr *nlh, const struct napt_opts *o);

#endif /* NATCTL_OPTS_H */
