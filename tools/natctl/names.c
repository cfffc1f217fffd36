// SPDX-License-Identifier: GPL-2.0
/*
 * natctl: the names of the values of the napt uapi.
 */
#include <stdio.h>
#include <string.h>
#include <netinet/in.h>
#include "names.h"
#include "utils.h"

const struct proto_name proto_names[3] = {
	{ "udp", IPPROTO_UDP },
	{ "tcp", IPPROTO_TCP },
	{ "icmp", IPPROTO_ICMP },
};

const char *const mapping_names[NAPT_MAPPING_MAX + 1] = {
	[NAPT_MAPPING_EIM] = "eim",
	[NAPT_MAPPING_ADM] = "adm",
	[NAPT_MAPPING_APDM] = "apdm",
};

const char *const filtering_names[NAPT_FILTER_MAX + 1] = {
	[NAPT_FILTER_EIF] = "eif",
	[NAPT_FILTER_ADF] = "adf",
	[NAPT_FILTER_APDF] = "apdf",
};

/* RFC 4787 section 4.1 / 5 combinations with a common name. */
const struct mode_name mode_names[4] = {
	{ "full-cone", NAPT_MAPPING_EIM, NAPT_FILTER_EIF },
	{ "restricted-cone", NAPT_MAPPING_EIM, NAPT_FILTER_ADF },
	{ "port-restricted-cone", NAPT_MAPPING_EIM, NAPT_FILTER_APDF },
	{ "symmetric", NAPT_MAPPING_APDM, NAPT_FILTER_APDF },
};

const struct flag_name flag_names[5] = {
	{ "port-preserve", "port_preserve", NAPT_F_PORT_PRESERVE },
	{ "port-parity", "port_parity", NAPT_F_PORT_PARITY },
	{ "hairpin", "hairpin", NAPT_F_HAIRPIN },
	{ "inbound-refresh", "inbound_refresh", NAPT_F_INBOUND_REFRESH },
	{ "icmp-unreach", "icmp_unreach", NAPT_F_ICMP_UNREACH },
};

const struct map_type_name map_type_names[2] = {
	{ "dynamic", NAPT_MAP_DYNAMIC },
	{ "static", NAPT_MAP_STATIC },
};

const char *const owner_names[NAPT_OWNER_MAX + 1] = {
	[NAPT_OWNER_ADMIN] = "admin",
	[NAPT_OWNER_UPNP] = "upnp",
	[NAPT_OWNER_NATPMP] = "natpmp",
	[NAPT_OWNER_PCP] = "pcp",
};

/* enum napt_stat: a new counter is one line here. */
static const char *const stat_names[] = {
	[NAPT_STAT_OUT_PKTS] = "out_pkts",
	[NAPT_STAT_OUT_BYTES] = "out_bytes",
	[NAPT_STAT_IN_PKTS] = "in_pkts",
	[NAPT_STAT_IN_BYTES] = "in_bytes",
	[NAPT_STAT_MAPS_CREATED] = "maps_created",
	[NAPT_STAT_MAPS_EXPIRED] = "maps_expired",
	[NAPT_STAT_SESS_CREATED] = "sess_created",
	[NAPT_STAT_SESS_EXPIRED] = "sess_expired",
	[NAPT_STAT_DROP_NO_MAPPING] = "drop_no_mapping",
	[NAPT_STAT_DROP_FILTERED] = "drop_filtered",
	[NAPT_STAT_DROP_NO_PORT] = "drop_no_port",
	[NAPT_STAT_DROP_MAP_LIMIT] = "drop_map_limit",
	[NAPT_STAT_DROP_SESS_LIMIT] = "drop_sess_limit",
	[NAPT_STAT_DROP_CHAIN] = "drop_chain",
	[NAPT_STAT_DROP_NOMEM] = "drop_nomem",
	[NAPT_STAT_DROP_MALFORMED] = "drop_malformed",
	[NAPT_STAT_PASS_LOCAL] = "pass_local",
	[NAPT_STAT_DROP_PROTO] = "drop_proto",
	[NAPT_STAT_DROP_HOST_LIMIT] = "drop_host_limit",
	[NAPT_STAT_HAIRPIN_PKTS] = "hairpin_pkts",
	[NAPT_STAT_ICMP_ERR_OUT] = "icmp_err_out",
	[NAPT_STAT_ICMP_ERR_IN] = "icmp_err_in",
	[NAPT_STAT_ICMP_UNREACH_SENT] = "icmp_unreach_sent",
	[NAPT_STAT_DROP_ICMP_ERR] = "drop_icmp_err",
	[NAPT_STAT_SYN_HELD] = "syn_held",
	[NAPT_STAT_SYN_HOLD_MATCHED] = "syn_hold_matched",
	[NAPT_STAT_SYN_HOLD_UNREACH] = "syn_hold_unreach",
	[NAPT_STAT_SYN_HOLD_FULL] = "syn_hold_full",
	[NAPT_STAT_EGRESS_XLATE] = "egress_xlate",
};

static const char *const event_names[] = {
	[NAPT_EVENT_CREATED] = "created",
	[NAPT_EVENT_REMOVED] = "removed",
	[NAPT_EVENT_REFUSED] = "refused",
};

/* NAPT_REASON_NONE has no name: nothing to say. */
static const char *const reason_names[] = {
	[NAPT_REASON_EXPIRED] = "expired",
	[NAPT_REASON_DELETED] = "deleted",
	[NAPT_REASON_FLUSHED] = "flushed",
	[NAPT_REASON_LIMIT] = "limit",
	[NAPT_REASON_NO_PORT] = "no-port",
	[NAPT_REASON_ADDRESS] = "address-changed",
};

static const char *name_or(const char *const *tab, size_t n, unsigned int v,
			   const char *prefix, char *buf, size_t size)
{
	if (v < n && tab[v])
		return tab[v];
	snprintf(buf, size, "%s%u", prefix, v);
	return buf;
}

const char *proto_str(uint8_t proto, char *buf, size_t size)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(proto_names); i++)
		if (proto_names[i].proto == proto)
			return proto_names[i].name;
	snprintf(buf, size, "proto-%u", proto);
	return buf;
}

const char *mapping_str(uint8_t mapping, char *buf, size_t size)
{
	return name_or(mapping_names, ARRAY_SIZE(mapping_names), mapping,
		       "mapping-", buf, size);
}

const char *filtering_str(uint8_t filtering, char *buf, size_t size)
{
	return name_or(filtering_names, ARRAY_SIZE(filtering_names), filtering,
		       "filtering-", buf, size);
}

const char *map_type_str(uint8_t type, char *buf, size_t size)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(map_type_names); i++)
		if (map_type_names[i].type == type)
			return map_type_names[i].name;
	snprintf(buf, size, "type-%u", type);
	return buf;
}

const char *owner_str(uint8_t owner, char *buf, size_t size)
{
	return name_or(owner_names, ARRAY_SIZE(owner_names), owner, "owner-",
		       buf, size);
}

const char *stat_str(unsigned int stat, char *buf, size_t size)
{
	return name_or(stat_names, ARRAY_SIZE(stat_names), stat, "stat_",
		       buf, size);
}

int stat_name_width(void)
{
	size_t i, len, width = 0;

	for (i = 0; i < ARRAY_SIZE(stat_names); i++) {
		len = stat_names[i] ? strlen(stat_names[i]) : 0;
		if (len > width)
			width = len;
	}
	return (int)width;
}

const char *event_str(uint8_t event, char *buf, size_t size)
{
	return name_or(event_names, ARRAY_SIZE(event_names), event, "event-",
		       buf, size);
}

const char *reason_str(uint8_t reason, char *buf, size_t size)
{
	return name_or(reason_names, ARRAY_SIZE(reason_names), reason,
		       "reason-", buf, size);
}

const char *mode_str(uint8_t mapping, uint8_t filtering)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(mode_names); i++)
		if (mode_names[i].mapping == mapping &&
		    mode_names[i].filtering == filtering)
			return mode_names[i].name;
	return NULL;
}
