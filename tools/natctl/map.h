/* SPDX-License-Identifier: GPL-2.0 */
/*
 * natctl: the mapping named by "map list", "map add" and "map del":
 * parsed from the command line, then put into the request as NAPT_A_MAP.
 */
#ifndef NATCTL_MAP_H
#define NATCTL_MAP_H

#include <stdint.h>
#include <netinet/in.h>
#include <linux/napt.h>

struct nlmsghdr;

/* The fields of struct map_req: bits of its "given". */
enum map_field {
	MAP_PROTO,
	MAP_TYPE,
	MAP_INT_ADDR,
	MAP_INT_PORT,
	MAP_EXT_ADDR,
	MAP_EXT_PORT,
	MAP_REM_ADDR,
	MAP_LEASE,
	MAP_DESC,
	MAP_REPLACE,			/* NAPT_MAP_A_REPLACE, a flag */
	MAP_OWNER,
	MAP_COOKIE,
	MAP_FIELD_COUNT
};

struct map_req {
	unsigned int given;		/* 1 << enum map_field */
	uint8_t proto;			/* IPPROTO_* */
	uint8_t type;			/* enum napt_map_type */
	in_addr_t int_addr, ext_addr, rem_addr;
	uint16_t int_port, ext_port;	/* host byte order */
	uint32_t lease;
	const char *desc;		/* checked: UTF-8, no controls */
	uint8_t owner;			/* enum napt_map_owner */
	uint8_t cookie_len;		/* 1 to NAPT_COOKIE_MAX when given */
	uint8_t cookie[NAPT_COOKIE_MAX];
};

/* The arguments after "map list", "map add", "map del"; usage errors exit. */
void map_list_parse(struct map_req *r, int argc, char **argv);
void map_add_parse(struct map_req *r, int argc, char **argv);
void map_del_parse(struct map_req *r, int argc, char **argv);
/* NAPT_A_MAP with the given fields (none: no NAPT_A_MAP), and the flag. */
void map_req_put(struct nlmsghdr *nlh, const struct map_req *r);

#endif /* NATCTL_MAP_H */
