/* SPDX-License-Identifier: GPL-2.0 */
/*
 * natctl: the names of the values of the napt uapi, in one place.
 *
 * Every table is indexed by, or holds, the uapi value, and its elements
 * begin with the name so that keyword() can search them.
 */
#ifndef NATCTL_NAMES_H
#define NATCTL_NAMES_H

#include <stddef.h>
#include <stdint.h>
#include <linux/napt.h>

struct proto_name {
	const char *name;
	uint8_t proto;		/* IPPROTO_*, 0 for all */
};

struct mode_name {
	const char *name;
	uint8_t mapping;	/* enum napt_mapping */
	uint8_t filtering;	/* enum napt_filtering */
};

struct flag_name {
	const char *name;	/* keyword and text output */
	const char *json;	/* JSON key */
	uint32_t bit;		/* enum napt_flags */
};

struct map_type_name {
	const char *name;
	uint8_t type;		/* enum napt_map_type */
};

/* udp, tcp, icmp: the order of the per-protocol lines of "show". */
extern const struct proto_name proto_names[3];
extern const char *const mapping_names[NAPT_MAPPING_MAX + 1];
extern const char *const filtering_names[NAPT_FILTER_MAX + 1];
extern const struct mode_name mode_names[4];
extern const struct flag_name flag_names[5];
extern const struct map_type_name map_type_names[2];
/* enum napt_map_owner, indexed by the value */
extern const char *const owner_names[NAPT_OWNER_MAX + 1];

/*
 * Name lookups for values from the kernel. An unknown value gets a
 * made-up name written into @buf ("proto-N", "stat_N", ...).
 */
const char *proto_str(uint8_t proto, char *buf, size_t size);
const char *mapping_str(uint8_t mapping, char *buf, size_t size);
const char *filtering_str(uint8_t filtering, char *buf, size_t size);
const char *map_type_str(uint8_t type, char *buf, size_t size);
const char *owner_str(uint8_t owner, char *buf, size_t size);
const char *stat_str(unsigned int stat, char *buf, size_t size);
/* The length of the longest known counter name, to align values. */
int stat_name_width(void);
const char *event_str(uint8_t event, char *buf, size_t size);
/* Not for NAPT_REASON_NONE, which gets "reason-0". */
const char *reason_str(uint8_t reason, char *buf, size_t size);
/* The preset of a mapping and filtering pair, or NULL. */
const char *mode_str(uint8_t mapping, uint8_t filtering);

#endif /* NATCTL_NAMES_H */
