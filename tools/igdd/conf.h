/* SPDX-License-Identifier: GPL-2.0 */
/* igdd: the configuration file, igdd.conf(5). */
#ifndef IGDD_CONF_H
#define IGDD_CONF_H

#include <net/if.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mapping.h"

#define IGD_LAN_MAX 4
#define IGD_NAME_MAX 64
#define IGD_CONF_MAX_SIZE (64 * 1024)

struct igd_conf {
	unsigned int nlan;
	char lan_if[IGD_LAN_MAX][IF_NAMESIZE];
	char wan_if[IF_NAMESIZE];
	uint16_t http_port;		/* 0: any free port */
	struct igd_policy policy;	/* secure mode, rules, caps */
	bool natpmp, pcp, third_party;
	uint32_t min_lifetime;		/* NAT-PMP/PCP lower clamp */
	uint32_t notify_interval;	/* SSDP NOTIFY period, s */
	bool have_uuid;
	char uuid[37];
	char user[33];			/* to run as after start-up ("": none) */
	char friendly_name[IGD_NAME_MAX + 1];
};

/** igd_conf_defaults() - the values of an empty file */
void igd_conf_defaults(struct igd_conf *c);

/**
 * igd_conf_parse() - parse @len bytes of @text over @c (set to defaults first)
 * @err: on failure "line N: reason"
 * Return: 0, or -1 with @err set.
 */
int igd_conf_parse(const char *text, size_t len, struct igd_conf *c,
		   char *err, size_t errlen);

/** igd_conf_load() - read and parse @path; -1 with @err ("PATH: line N: ...") */
int igd_conf_load(const char *path, struct igd_conf *c, char *err,
		  size_t errlen);

/** igd_uuid_valid() - whether @s is 8-4-4-4-12 hex digits */
bool igd_uuid_valid(const char *s);

#endif /* IGDD_CONF_H */
