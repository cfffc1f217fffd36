// SPDX-License-Identifier: GPL-2.0
/*
 * natctl save: the running configuration as a batch file for natctl -b.
 *
 *   # napt configuration, written by natctl save
 *   up ext-if eth0 int-net 192.168.1.0/24 ports 1024-65535 ...
 *   map add tcp 192.168.1.10:22 ext-port 2222 ext-addr 203.0.113.1 ...
 *
 * The "up" line has every setting NAPT_CMD_GET_CONFIG returns that up
 * can set, defaults included, so that the file means the same with
 * another version's defaults; ext-addr only if configured (not when it
 * follows the interface). Then one "map add" per static mapping of
 * NAPT_OWNER_ADMIN (those of igdd come back from igdd), with the lease
 * it has left. When napt is down the file is just a comment.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <net/if.h>
#include <arpa/inet.h>

#include "json_print.h"
#include "map.h"
#include "names.h"
#include "natctl.h"
#include "utils.h"

/* The reply is NAPT_CMD_GET_CONFIG's: config.c's policies check it. */

/* The u32 settings of up, in the order of natctl help. */
static const struct {
	const char *name;
	unsigned int attr;
} u32_opts[] = {
	{ "udp-timeout", NAPT_A_TIMEOUT_UDP },
	{ "tcp-timeout", NAPT_A_TIMEOUT_TCP_EST },
	{ "tcp-trans-timeout", NAPT_A_TIMEOUT_TCP_TRANS },
	{ "icmp-timeout", NAPT_A_TIMEOUT_ICMP },
	{ "max-maps-per-host", NAPT_A_MAX_MAPS_PER_HOST },
	{ "port-reuse-delay", NAPT_A_PORT_REUSE_DELAY },
	{ "syn-hold", NAPT_A_SYN_HOLD },
	{ "max-maps", NAPT_A_MAX_MAPS },
	{ "max-sessions", NAPT_A_MAX_SESSIONS },
};

/* By name if it was configured so: it need not exist now. */
static int save_ext_if(const struct nlattr **tb)
{
	char name[IF_NAMESIZE];
	uint32_t ifindex;

	if (tb[NAPT_A_EXT_IFNAME]) {
		printf("up ext-if %s", mnl_attr_get_str(tb[NAPT_A_EXT_IFNAME]));
		return 0;
	}
	if (!tb[NAPT_A_EXT_IFINDEX])
		return napt_nl_bad_reply("configuration (no ext-if)");
	ifindex = mnl_attr_get_u32(tb[NAPT_A_EXT_IFINDEX]);
	if (!if_indextoname(ifindex, name)) {
		error("save: no name for the ext-if (ifindex %u)", ifindex);
		return MNL_CB_ERROR;
	}
	printf("up ext-if %s", name);
	return 0;
}

static int save_int_nets(const struct nlattr **tb)
{
	const struct nlattr *pt[NAPT_PREFIX_A_MAX + 1], *a;
	char buf[INET_ADDRSTRLEN];
	unsigned int n = 0;

	if (!tb[NAPT_A_INT_NETS])
		return napt_nl_bad_reply("configuration (no int-net)");
	mnl_attr_for_each_nested(a, tb[NAPT_A_INT_NETS]) {
		if (napt_nl_parse_nested(a, prefix_policy, NAPT_PREFIX_A_MAX,
					 pt))
			return MNL_CB_ERROR;
		if (!pt[NAPT_PREFIX_A_ADDR] || !pt[NAPT_PREFIX_A_LEN])
			return napt_nl_bad_reply("internal prefix");
		printf("%s%s/%u", n++ ? "," : " int-net ",
		       addr_str(mnl_attr_get_u32(pt[NAPT_PREFIX_A_ADDR]), buf),
		       mnl_attr_get_u8(pt[NAPT_PREFIX_A_LEN]));
	}
	if (!n)
		return napt_nl_bad_reply("configuration (no int-net)");
	return 0;
}

/* Only a configured list: none, or the interface's, is "auto". */
static int save_ext_addrs(const struct nlattr **tb)
{
	char buf[INET_ADDRSTRLEN];
	const struct nlattr *a;
	unsigned int n = 0;

	if (!tb[NAPT_A_EXT_ADDRS] ||
	    (tb[NAPT_A_EXT_FROM_IF] &&
	     mnl_attr_get_u8(tb[NAPT_A_EXT_FROM_IF])))
		return 0;
	mnl_attr_for_each_nested(a, tb[NAPT_A_EXT_ADDRS]) {
		if (!napt_nl_attr_ok(a, NLK_U32))
			return napt_nl_bad_reply("external address");
		printf("%s%s", n++ ? "," : " ext-addr ",
		       addr_str(mnl_attr_get_u32(a), buf));
	}
	return 0;
}

/*
 * "proto udp mapping eim filtering apdf proto tcp ...": the result of
 * the NAPT_A_BEHAVIOURS entries, applied in order as the kernel does.
 */
static int save_behaviours(const struct nlattr **tb)
{
	const struct nlattr *bt[NAPT_BEHAV_A_MAX + 1], *a;
	uint8_t map[ARRAY_SIZE(proto_names)] = {};
	uint8_t filt[ARRAY_SIZE(proto_names)] = {};
	uint8_t proto, m, f;
	unsigned int i;

	if (!tb[NAPT_A_BEHAVIOURS])
		return 0;
	mnl_attr_for_each_nested(a, tb[NAPT_A_BEHAVIOURS]) {
		if (napt_nl_parse_nested(a, behav_policy, NAPT_BEHAV_A_MAX, bt))
			return MNL_CB_ERROR;
		proto = bt[NAPT_BEHAV_A_PROTO] ?
			mnl_attr_get_u8(bt[NAPT_BEHAV_A_PROTO]) : 0;
		m = bt[NAPT_BEHAV_A_MAPPING] ?
		    mnl_attr_get_u8(bt[NAPT_BEHAV_A_MAPPING]) : 0;
		f = bt[NAPT_BEHAV_A_FILTERING] ?
		    mnl_attr_get_u8(bt[NAPT_BEHAV_A_FILTERING]) : 0;
		for (i = 0; i < ARRAY_SIZE(proto_names); i++) {
			if (proto && proto != proto_names[i].proto)
				continue;
			if (m)
				map[i] = m;
			if (f)
				filt[i] = f;
		}
	}
	for (i = 0; i < ARRAY_SIZE(proto_names); i++) {
		/* a value this natctl has no name for cannot be set again */
		if (map[i] > NAPT_MAPPING_MAX || filt[i] > NAPT_FILTER_MAX) {
			error("save: unknown behaviour for %s",
			      proto_names[i].name);
			return MNL_CB_ERROR;
		}
		if (!map[i] && !filt[i])
			continue;
		printf(" proto %s", proto_names[i].name);
		if (map[i])
			printf(" mapping %s", mapping_names[map[i]]);
		if (filt[i])
			printf(" filtering %s", filtering_names[filt[i]]);
	}
	return 0;
}

/* "port-preserve on port-parity off ...": every flag the kernel tells. */
static void save_flags(const struct nlattr **tb)
{
	struct nla_bitfield32 bf;
	size_t i;

	if (!tb[NAPT_A_FLAGS])
		return;
	memcpy(&bf, mnl_attr_get_payload(tb[NAPT_A_FLAGS]), sizeof(bf));
	for (i = 0; i < ARRAY_SIZE(flag_names); i++)
		if (bf.selector & flag_names[i].bit)
			printf(" %s %s", flag_names[i].name,
			       bf.value & flag_names[i].bit ? "on" : "off");
}

static void save_u32s(const struct nlattr **tb)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(u32_opts); i++)
		if (tb[u32_opts[i].attr])
			printf(" %s %u", u32_opts[i].name,
			       mnl_attr_get_u32(tb[u32_opts[i].attr]));
}

/* " mark-static MARK/MASK" if set; off is the default */
static void save_mark(const struct nlattr **tb)
{
	uint32_t mask;

	if (!tb[NAPT_A_MARK_STATIC] || !tb[NAPT_A_MARK_STATIC_MASK])
		return;
	mask = mnl_attr_get_u32(tb[NAPT_A_MARK_STATIC_MASK]);
	if (mask)
		printf(" mark-static %#x/%#x",
		       mnl_attr_get_u32(tb[NAPT_A_MARK_STATIC]), mask);
}

int save_config_print(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[NAPT_A_MAX + 1];
	bool *running = data;

	if (napt_nl_parse(nlh, config_policy, NAPT_A_MAX, tb))
		return MNL_CB_ERROR;
	if (!tb[NAPT_A_RUNNING])
		return napt_nl_bad_reply("configuration");
	*running = mnl_attr_get_u8(tb[NAPT_A_RUNNING]);
	printf("# napt configuration, written by natctl save\n");
	if (!*running) {
		printf("# napt is down: nothing to set up\n");
		return MNL_CB_OK;
	}
	if (save_ext_if(tb) || save_int_nets(tb) || save_ext_addrs(tb))
		return MNL_CB_ERROR;
	if (tb[NAPT_A_PORT_MIN] && tb[NAPT_A_PORT_MAX])
		printf(" ports %u-%u", mnl_attr_get_u16(tb[NAPT_A_PORT_MIN]),
		       mnl_attr_get_u16(tb[NAPT_A_PORT_MAX]));
	save_u32s(tb);
	if (save_behaviours(tb))
		return MNL_CB_ERROR;
	save_flags(tb);
	save_mark(tb);
	printf("\n");
	return MNL_CB_OK;
}

/* Whether "desc" can be given back: what check_text() lets through. */
static bool desc_ok(const char *s)
{
	size_t i, n, len = strlen(s);
	uint32_t cp;

	if (len > NAPT_DESC_MAX - 1)
		return false;
	for (i = 0; i < len; i += n) {
		n = utf8_seq(s + i, &cp);
		if (!n || is_control(cp))
			return false;
	}
	return true;
}

/* " desc "..."" with " and \ escaped, as batch.c reads it. */
static void save_desc(const char *s)
{
	printf(" desc \"");
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			putchar('\\');
		putchar(*s);
	}
	putchar('"');
}

static bool is_admin(const struct napt_nl_map *m)
{
	/* absent: a kernel older than owners, where natctl made them all */
	return !NAPT_NL_MAP_HAS(m, OWNER) || m->owner == NAPT_OWNER_ADMIN;
}

/* "map add tcp 192.168.1.10:22 ext-port 2222 ext-addr 203.0.113.1 ..." */
int save_map_print(const struct nlmsghdr *nlh, void *data)
{
	char buf[INET_ADDRSTRLEN], pbuf[16];
	struct napt_nl_map m;
	uint16_t i;

	(void)data;
	switch (napt_nl_get_map(nlh, &m)) {
	case -1:
		return MNL_CB_ERROR;
	case 0:
		return MNL_CB_OK;
	}
	if (!NAPT_NL_MAP_HAS(&m, PROTO) || !NAPT_NL_MAP_HAS(&m, INT_ADDR) ||
	    !NAPT_NL_MAP_HAS(&m, INT_PORT) || !NAPT_NL_MAP_HAS(&m, EXT_ADDR) ||
	    !NAPT_NL_MAP_HAS(&m, EXT_PORT) || !NAPT_NL_MAP_HAS(&m, TYPE))
		return napt_nl_bad_reply("mapping");
	if (m.type != NAPT_MAP_STATIC || !is_admin(&m))
		return MNL_CB_OK;
	if (m.desc && !desc_ok(m.desc))
		printf("# the description of the next mapping is not text: left out\n");
	printf("map add %s %s:%u", proto_str(m.proto, pbuf, sizeof(pbuf)),
	       addr_str(m.int_addr, buf), ntohs(m.int_port));
	printf(" ext-port %u ext-addr %s", ntohs(m.ext_port),
	       addr_str(m.ext_addr, buf));
	if (NAPT_NL_MAP_HAS(&m, REM_ADDR))
		printf(" remote %s", addr_str(m.rem_addr, buf));
	/* What is left of it; 0 would be permanent. */
	if (m.lease)
		printf(" lease %u", NAPT_NL_MAP_HAS(&m, EXPIRES) && m.expires ?
		       m.expires : 1);
	if (m.cookie && m.cookie_len && m.cookie_len <= NAPT_COOKIE_MAX) {
		printf(" cookie ");
		for (i = 0; i < m.cookie_len; i++)
			printf("%02x", m.cookie[i]);
	}
	if (m.desc && desc_ok(m.desc))
		save_desc(m.desc);
	printf("\n");
	return MNL_CB_OK;
}

int do_save(struct natctl *ctl, int argc, char **argv)
{
	struct map_req r = { 0 };
	struct nlmsghdr *nlh;
	bool running = false;
	int ret;

	no_more_args("save", argc, argv);
	if (is_json_context())
		usage_err("save: no JSON output (it writes a batch file for natctl -b)");
	if (natctl_connect(ctl))
		return EXIT_FAILURE;
	ret = natctl_do(ctl, napt_nl_msg(&ctl->nl, NAPT_CMD_GET_CONFIG, 0),
			save_config_print, &running);
	if (ret || !running)
		return ret;
	/* The static ones, in the kernel's order. */
	r.given = 1U << MAP_TYPE;
	r.type = NAPT_MAP_STATIC;
	nlh = napt_nl_msg(&ctl->nl, NAPT_CMD_GET_MAPS, NLM_F_DUMP);
	map_req_put(nlh, &r);
	return natctl_do(ctl, nlh, save_map_print, NULL);
}
