// SPDX-License-Identifier: GPL-2.0
/*
 * natctl: up, set, down and show.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <net/if.h>
#include <arpa/inet.h>

#include "json_print.h"
#include "names.h"
#include "natctl.h"
#include "opts.h"
#include "utils.h"

static int send_opts(struct natctl *ctl, uint8_t cmd,
		     const struct napt_opts *o)
{
	struct nlmsghdr *nlh;

	if (natctl_connect(ctl))
		return EXIT_FAILURE;
	/*
	 * By name: the kernel follows it, and waits while there is no such
	 * device. Looked up here, in the namespace of the instance, only to
	 * say so (a typo shows).
	 */
	if (o->ext_if && !if_nametoindex(o->ext_if))
		error("warning: interface \"%s\" does not exist (yet): napt waits for it",
		      o->ext_if);
	nlh = napt_nl_msg(&ctl->nl, cmd, 0);
	opts_put(nlh, o);
	return natctl_do(ctl, nlh, NULL, NULL);
}

int do_up(struct natctl *ctl, int argc, char **argv)
{
	struct napt_opts o;

	opts_parse(&o, true, argc, argv);
	return send_opts(ctl, NAPT_CMD_UP, &o);
}

int do_set(struct natctl *ctl, int argc, char **argv)
{
	struct napt_opts o;

	opts_parse(&o, false, argc, argv);
	return send_opts(ctl, NAPT_CMD_SET, &o);
}

int do_down(struct natctl *ctl, int argc, char **argv)
{
	no_more_args("down", argc, argv);
	if (natctl_connect(ctl))
		return EXIT_FAILURE;
	return natctl_do(ctl, napt_nl_msg(&ctl->nl, NAPT_CMD_DOWN, 0), NULL,
			 NULL);
}

int do_show(struct natctl *ctl, int argc, char **argv)
{
	no_more_args("show", argc, argv);
	if (natctl_connect(ctl))
		return EXIT_FAILURE;
	return natctl_do(ctl, napt_nl_msg(&ctl->nl, NAPT_CMD_GET_CONFIG, 0),
			 show_print, NULL);
}

const uint8_t config_policy[NAPT_A_MAX + 1] = {
	[NAPT_A_RUNNING] = NLK_U8,
	[NAPT_A_EXT_IFINDEX] = NLK_U32,
	[NAPT_A_EXT_ADDRS] = NLK_NESTED,
	[NAPT_A_INT_NETS] = NLK_NESTED,
	[NAPT_A_PORT_MIN] = NLK_U16,
	[NAPT_A_PORT_MAX] = NLK_U16,
	[NAPT_A_TIMEOUT_UDP] = NLK_U32,
	[NAPT_A_TIMEOUT_TCP_EST] = NLK_U32,
	[NAPT_A_TIMEOUT_TCP_TRANS] = NLK_U32,
	[NAPT_A_TIMEOUT_ICMP] = NLK_U32,
	[NAPT_A_BEHAVIOURS] = NLK_NESTED,
	[NAPT_A_FLAGS] = NLK_BITFIELD32,
	[NAPT_A_MAX_MAPS] = NLK_U32,
	[NAPT_A_MAX_SESSIONS] = NLK_U32,
	[NAPT_A_NMAPS] = NLK_U32,
	[NAPT_A_NSESSIONS] = NLK_U32,
	[NAPT_A_MAX_MAPS_PER_HOST] = NLK_U32,
	[NAPT_A_PORT_REUSE_DELAY] = NLK_U32,
	[NAPT_A_SYN_HOLD] = NLK_U32,
	[NAPT_A_EXT_FROM_IF] = NLK_U8,
	[NAPT_A_STATIC_COUNTS] = NLK_NESTED,
	[NAPT_A_MARK_STATIC] = NLK_U32,
	[NAPT_A_MARK_STATIC_MASK] = NLK_U32,
	[NAPT_A_EXT_IFNAME] = NLK_STRING,
};

const uint8_t prefix_policy[NAPT_PREFIX_A_MAX + 1] = {
	[NAPT_PREFIX_A_ADDR] = NLK_U32,
	[NAPT_PREFIX_A_LEN] = NLK_U8,
};

const uint8_t behav_policy[NAPT_BEHAV_A_MAX + 1] = {
	[NAPT_BEHAV_A_PROTO] = NLK_U8,
	[NAPT_BEHAV_A_MAPPING] = NLK_U8,
	[NAPT_BEHAV_A_FILTERING] = NLK_U8,
};

/* The timeouts, on the line of their protocol (proto_names order). */
static const struct {
	unsigned int proto;		/* index in proto_names */
	unsigned int attr;
	const char *json;
	const char *text;
} timeouts[] = {
	{ 0, NAPT_A_TIMEOUT_UDP, "udp_timeout", " timeout %u" },
	{ 1, NAPT_A_TIMEOUT_TCP_EST, "tcp_timeout", " timeout %u" },
	{ 1, NAPT_A_TIMEOUT_TCP_TRANS, "tcp_trans_timeout", " trans %u" },
	{ 2, NAPT_A_TIMEOUT_ICMP, "icmp_timeout", " timeout %u" },
};

static uint32_t get_u32_attr(const struct nlattr **tb, unsigned int type)
{
	return mnl_attr_get_u32(tb[type]);
}

/*
 * "  ext-if eth0 ext-addr 192.0.2.1,192.0.2.2", or with no addresses
 * configured "  ext-if eth0 ext-addr 192.0.2.1 (from interface)"
 */
static int show_ext(const struct nlattr **tb)
{
	char name[IF_NAMESIZE], buf[INET_ADDRSTRLEN];
	const struct nlattr *a;
	unsigned int n = 0;
	uint32_t ifindex;
	bool from_if;

	print_fp("  ");
	if (tb[NAPT_A_EXT_IFINDEX]) {
		ifindex = get_u32_attr(tb, NAPT_A_EXT_IFINDEX);
		/* by name: the one it follows; by index: what it is now */
		if (tb[NAPT_A_EXT_IFNAME])
			snprintf(name, sizeof(name), "%s",
				 mnl_attr_get_str(tb[NAPT_A_EXT_IFNAME]));
		else if (!if_indextoname(ifindex, name))
			snprintf(name, sizeof(name), "if%u", ifindex);
		print_string(PRINT_ANY, "ext_if", "ext-if %s ", name);
		print_uint(PRINT_JSON, "ext_ifindex", NULL, ifindex);
		/* configured by a name no device has (yet) */
		print_bool(PRINT_JSON, "ext_if_waiting", NULL, !ifindex);
		if (!ifindex)
			print_fp("(waiting for it) ");
	}
	if (tb[NAPT_A_EXT_ADDRS]) {
		print_fp("ext-addr");
		open_json_array(PRINT_JSON, "ext_addrs");
		mnl_attr_for_each_nested(a, tb[NAPT_A_EXT_ADDRS]) {
			if (!napt_nl_attr_ok(a, NLK_U32))
				return napt_nl_bad_reply("external address");
			print_string(PRINT_ANY, NULL, n++ ? ",%s" : " %s",
				     addr_str(mnl_attr_get_u32(a), buf));
		}
		close_json_array(PRINT_JSON);
		if (!n)
			print_fp(" none");
	}
	if (tb[NAPT_A_EXT_FROM_IF]) {
		from_if = mnl_attr_get_u8(tb[NAPT_A_EXT_FROM_IF]);
		print_bool(PRINT_JSON, "ext_from_if", NULL, from_if);
		if (from_if)
			print_fp(" (from interface)");
	}
	print_nl();
	return 0;
}

/* "  int-net 192.168.1.0/24,10.0.0.0/8" */
static int show_int_nets(const struct nlattr **tb)
{
	const struct nlattr *pt[NAPT_PREFIX_A_MAX + 1];
	char buf[INET_ADDRSTRLEN], net[INET_ADDRSTRLEN + 3];
	const struct nlattr *a;
	unsigned int n = 0;
	in_addr_t addr;

	if (!tb[NAPT_A_INT_NETS])
		return 0;
	print_fp("  int-net");
	open_json_array(PRINT_JSON, "int_nets");
	mnl_attr_for_each_nested(a, tb[NAPT_A_INT_NETS]) {
		if (napt_nl_parse_nested(a, prefix_policy, NAPT_PREFIX_A_MAX,
					 pt))
			return MNL_CB_ERROR;
		if (!pt[NAPT_PREFIX_A_ADDR] || !pt[NAPT_PREFIX_A_LEN])
			return napt_nl_bad_reply("internal prefix");
		addr = mnl_attr_get_u32(pt[NAPT_PREFIX_A_ADDR]);
		snprintf(net, sizeof(net), "%s/%u", addr_str(addr, buf),
			 mnl_attr_get_u8(pt[NAPT_PREFIX_A_LEN]));
		print_string(PRINT_ANY, NULL, n++ ? ",%s" : " %s", net);
	}
	close_json_array(PRINT_JSON);
	print_nl();
	return 0;
}

static void show_ports(const struct nlattr **tb)
{
	if (!tb[NAPT_A_PORT_MIN] || !tb[NAPT_A_PORT_MAX])
		return;
	print_uint(PRINT_ANY, "port_min", "  ports %u",
		   mnl_attr_get_u16(tb[NAPT_A_PORT_MIN]));
	print_uint(PRINT_ANY, "port_max", "-%u",
		   mnl_attr_get_u16(tb[NAPT_A_PORT_MAX]));
	print_nl();
}

static void print_enum(const char *key, const char *fmt, uint8_t v,
		       const char *name)
{
	if (v)
		print_string(PRINT_ANY, key, fmt, name);
	else
		print_null(PRINT_ANY, key, fmt, "unknown");
}

struct behav {
	uint8_t mapping, filtering;
};

/* Apply the NAPT_A_BEHAVIOURS entries in order, as the kernel does. */
static int get_behaviours(const struct nlattr *nest,
			  struct behav b[ARRAY_SIZE(proto_names)])
{
	const struct nlattr *bt[NAPT_BEHAV_A_MAX + 1], *a;
	uint8_t proto, mapping, filtering;
	unsigned int i;

	mnl_attr_for_each_nested(a, nest) {
		if (napt_nl_parse_nested(a, behav_policy, NAPT_BEHAV_A_MAX, bt))
			return MNL_CB_ERROR;
		/* absent: all protocols, or no change */
		proto = bt[NAPT_BEHAV_A_PROTO] ?
			mnl_attr_get_u8(bt[NAPT_BEHAV_A_PROTO]) : 0;
		mapping = bt[NAPT_BEHAV_A_MAPPING] ?
			  mnl_attr_get_u8(bt[NAPT_BEHAV_A_MAPPING]) : 0;
		filtering = bt[NAPT_BEHAV_A_FILTERING] ?
			    mnl_attr_get_u8(bt[NAPT_BEHAV_A_FILTERING]) : 0;
		for (i = 0; i < ARRAY_SIZE(proto_names); i++) {
			if (proto && proto != proto_names[i].proto)
				continue;
			if (mapping)
				b[i].mapping = mapping;
			if (filtering)
				b[i].filtering = filtering;
		}
	}
	return 0;
}

/* "  udp  mapping eim filtering apdf (port-restricted-cone) timeout 300" */
static int show_behaviours(const struct nlattr **tb)
{
	struct behav b[ARRAY_SIZE(proto_names)] = {};
	const char *mode;
	unsigned int i, j;
	char buf[32];

	if (tb[NAPT_A_BEHAVIOURS] && get_behaviours(tb[NAPT_A_BEHAVIOURS], b))
		return MNL_CB_ERROR;

	/* In JSON the timeouts are members of the top-level object. */
	for (j = 0; j < ARRAY_SIZE(timeouts); j++)
		if (tb[timeouts[j].attr])
			print_uint(PRINT_JSON, timeouts[j].json, NULL,
				   get_u32_attr(tb, timeouts[j].attr));

	open_json_object("behaviours");
	for (i = 0; i < ARRAY_SIZE(b); i++) {
		print_fp("  %-4s", proto_names[i].name);
		open_json_object(proto_names[i].name);
		print_enum("mapping", " mapping %s", b[i].mapping,
			   mapping_str(b[i].mapping, buf, sizeof(buf)));
		print_enum("filtering", " filtering %s", b[i].filtering,
			   filtering_str(b[i].filtering, buf, sizeof(buf)));
		mode = mode_str(b[i].mapping, b[i].filtering);
		if (mode)
			print_string(PRINT_ANY, "mode", " (%s)", mode);
		else
			print_null(PRINT_JSON, "mode", NULL, NULL);
		close_json_object();
		for (j = 0; j < ARRAY_SIZE(timeouts); j++)
			if (timeouts[j].proto == i && tb[timeouts[j].attr])
				print_uint(PRINT_FP, NULL, timeouts[j].text,
					   get_u32_attr(tb, timeouts[j].attr));
		print_nl();
	}
	close_json_object();
	return 0;
}

/* "  flags port-preserve hairpin" */
static void show_flags(const struct nlattr **tb)
{
	struct nla_bitfield32 bf;
	bool set, any = false;
	size_t i;

	if (!tb[NAPT_A_FLAGS])
		return;
	memcpy(&bf, mnl_attr_get_payload(tb[NAPT_A_FLAGS]), sizeof(bf));
	print_fp("  flags");
	for (i = 0; i < ARRAY_SIZE(flag_names); i++) {
		set = bf.value & flag_names[i].bit;
		print_bool(PRINT_JSON, flag_names[i].json, NULL, set);
		if (set)
			print_fp(" %s", flag_names[i].name);
		any |= set;
	}
	if (!any)
		print_fp(" none");
	print_nl();
}

/* "  maps 3/65536 sessions 4/262144" */
static void show_limits(const struct nlattr **tb)
{
	static const struct {
		unsigned int now, max;
		const char *json_now, *json_max, *text;
	} limits[] = {
		{ NAPT_A_NMAPS, NAPT_A_MAX_MAPS, "maps", "max_maps", "maps" },
		{ NAPT_A_NSESSIONS, NAPT_A_MAX_SESSIONS, "sessions",
		  "max_sessions", "sessions" },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(limits); i++) {
		print_fp("%s%s ", i ? " " : "  ", limits[i].text);
		if (tb[limits[i].now])
			print_uint(PRINT_ANY, limits[i].json_now, "%u",
				   get_u32_attr(tb, limits[i].now));
		else
			print_fp("-");
		if (tb[limits[i].max])
			print_uint(PRINT_ANY, limits[i].json_max, "/%u",
				   get_u32_attr(tb, limits[i].max));
	}
	print_nl();
}

/* "  max-maps-per-host 0 port-reuse-delay 120 syn-hold 6" */
static void show_host_limits(const struct nlattr **tb)
{
	static const struct {
		unsigned int attr;
		const char *json, *text;
	} limits[] = {
		{ NAPT_A_MAX_MAPS_PER_HOST, "max_maps_per_host",
		  "max-maps-per-host %u" },
		{ NAPT_A_PORT_REUSE_DELAY, "port_reuse_delay",
		  "port-reuse-delay %u" },
		{ NAPT_A_SYN_HOLD, "syn_hold", "syn-hold %u" },
	};
	unsigned int n = 0;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(limits); i++) {
		if (!tb[limits[i].attr])
			continue;
		print_fp(n++ ? " " : "  ");
		print_uint(PRINT_ANY, limits[i].json, limits[i].text,
			   get_u32_attr(tb, limits[i].attr));
	}
	if (n)
		print_nl();
}

/* "  mark-static 0x100/0xff00" or "  mark-static off" */
static void show_mark(const struct nlattr **tb)
{
	uint32_t mark, mask;

	if (!tb[NAPT_A_MARK_STATIC] || !tb[NAPT_A_MARK_STATIC_MASK])
		return;
	mark = mnl_attr_get_u32(tb[NAPT_A_MARK_STATIC]);
	mask = mnl_attr_get_u32(tb[NAPT_A_MARK_STATIC_MASK]);
	print_uint(PRINT_JSON, "mark_static", NULL, mark);
	print_uint(PRINT_JSON, "mark_static_mask", NULL, mask);
	if (!mask)
		print_fp("  mark-static off\n");
	else if (mask == UINT32_MAX)
		print_fp("  mark-static %#x\n", mark);
	else
		print_fp("  mark-static %#x/%#x\n", mark, mask);
}

/* "  static admin 1 upnp 2 natpmp 0 pcp 1": who made the forwards */
static int show_static_counts(const struct nlattr **tb)
{
	const struct nlattr *a;
	char buf[16];

	if (!tb[NAPT_A_STATIC_COUNTS])
		return 0;
	open_json_object("static");
	print_fp("  static");
	mnl_attr_for_each_nested(a, tb[NAPT_A_STATIC_COUNTS]) {
		uint16_t t = mnl_attr_get_type(a);

		if (!t || mnl_attr_validate(a, MNL_TYPE_U32) < 0) {
			close_json_object();
			return napt_nl_bad_reply("static mapping counts");
		}
		print_fp(" %s", owner_str(t - 1, buf, sizeof(buf)));
		print_uint(PRINT_ANY, owner_str(t - 1, buf, sizeof(buf)), " %u",
			   mnl_attr_get_u32(a));
	}
	close_json_object();
	print_nl();
	return 0;
}

int show_print(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[NAPT_A_MAX + 1];
	bool running;

	(void)data;
	if (napt_nl_parse(nlh, config_policy, NAPT_A_MAX, tb))
		return MNL_CB_ERROR;
	if (!tb[NAPT_A_RUNNING])
		return napt_nl_bad_reply("configuration");
	running = mnl_attr_get_u8(tb[NAPT_A_RUNNING]);

	open_json_object(NULL);
	print_bool(PRINT_JSON, "running", NULL, running);
	print_fp("napt: %s\n", running ? "up" : "down");
	if (running) {
		if (show_ext(tb) || show_int_nets(tb))
			return MNL_CB_ERROR;
		show_ports(tb);
		if (show_behaviours(tb))
			return MNL_CB_ERROR;
		show_flags(tb);
		show_limits(tb);
		show_host_limits(tb);
		show_mark(tb);
		if (show_static_counts(tb))
			return MNL_CB_ERROR;
	}
	close_json_object();
	return MNL_CB_OK;
}
