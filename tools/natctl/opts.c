// SPDX-License-Identifier: GPL-2.0
/*
 * natctl: the settings of "up" and "set".
 *
 * Every setting is KEYWORD VALUE. The settings may come in any order and
 * each at most once, except proto, mode, mapping and filtering: every
 * mode, mapping or filtering keyword adds one NAPT_A_BEHAVIOURS entry, in
 * command-line order, for the protocol of the last "proto" (all before
 * the first one).
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <libmnl/libmnl.h>

#include "names.h"
#include "opts.h"
#include "utils.h"

/*
 * The type of the entries of NAPT_A_INT_NETS and NAPT_A_BEHAVIOURS: the
 * uapi comment shows them as "0:". The kernel takes any type there (its
 * replies number them from 1); NAPT_A_EXT_ADDRS entries have their own.
 */
#define NEST_ENTRY 0

struct opt {
	const char *name;
	void (*parse)(struct napt_opts *o, const struct opt *opt,
		      const char *arg);
	unsigned int attr;		/* NAPT_A_* or flag bit */
	uint32_t min, max;		/* of a number */
	unsigned int flags;
};

#define OPT_REPEAT	1		/* may be given more than once */

static void opt_ext_if(struct napt_opts *o, const struct opt *opt,
		       const char *arg)
{
	check_ifname(opt->name, arg);
	o->ext_if = arg;
}

static void opt_int_net(struct napt_opts *o, const struct opt *opt,
			const char *arg)
{
	char buf[64];

	while (next_item(opt->name, &arg, buf, sizeof(buf))) {
		if (o->n_int_nets == NAPT_MAX_INT_NETS)
			usage_err("too many int-net prefixes (at most %u)",
				  NAPT_MAX_INT_NETS);
		get_prefix(opt->name, buf, &o->int_addr[o->n_int_nets],
			   &o->int_len[o->n_int_nets]);
		o->n_int_nets++;
	}
}

static void opt_ext_addr(struct napt_opts *o, const struct opt *opt,
			 const char *arg)
{
	char buf[64];

	/* An empty list: follow the address of the interface. */
	if (!strcmp(arg, "auto"))
		return;
	while (next_item(opt->name, &arg, buf, sizeof(buf))) {
		if (o->n_ext_addrs == NAPT_MAX_EXT_ADDRS)
			usage_err("too many ext-addr addresses (at most %u)",
				  NAPT_MAX_EXT_ADDRS);
		o->ext_addr[o->n_ext_addrs++] = get_addr(opt->name, buf);
	}
}

static void opt_ports(struct napt_opts *o, const struct opt *opt,
		      const char *arg)
{
	get_port_range(opt->name, arg, &o->port_min, &o->port_max);
}

static void opt_u32(struct napt_opts *o, const struct opt *opt,
		    const char *arg)
{
	o->u32[opt->attr] = get_u32(opt->name, arg, opt->min, opt->max);
	o->u32_attrs |= 1ULL << opt->attr;
}

static void opt_flag(struct napt_opts *o, const struct opt *opt,
		     const char *arg)
{
	if (get_on_off(opt->name, arg))
		o->flags.value |= opt->attr;
	o->flags.selector |= opt->attr;
}

/*
 * One number of MARK[/MASK] at @arg, in @whole: decimal, 0x hex or 0
 * octal, 32 bits.
 */
static uint32_t get_mark(const char *what, const char *whole, const char *arg,
			 const char **end)
{
	unsigned long v;
	char *e;

	errno = 0;
	v = strtoul(arg, &e, 0);
	if (errno || e == arg || !isdigit((unsigned char)*arg) ||
	    v > UINT32_MAX)
		usage_err("%s: \"%s\" is not MARK[/MASK] (32-bit numbers) or off",
			  what, whole);
	*end = e;
	return v;
}

/* mark-static off | MARK[/MASK] (MASK absent: all 32 bits) */
static void opt_mark(struct napt_opts *o, const struct opt *opt,
		     const char *arg)
{
	uint32_t mark = 0, mask = 0;
	const char *end;

	if (strcmp(arg, "off")) {
		mark = get_mark(opt->name, arg, arg, &end);
		mask = UINT32_MAX;
		if (*end == '/')
			mask = get_mark(opt->name, arg, end + 1, &end);
		if (*end)
			usage_err("%s: \"%s\" is not MARK[/MASK] (32-bit numbers) or off",
				  opt->name, arg);
		if (!mask)
			usage_err("%s: a mask of 0 marks nothing (say off)",
				  opt->name);
		if (mark & ~mask)
			usage_err("%s: %#x has bits outside the mask %#x",
				  opt->name, mark, mask);
	}
	o->u32[NAPT_A_MARK_STATIC] = mark;
	o->u32[NAPT_A_MARK_STATIC_MASK] = mask;
	o->u32_attrs |= 1ULL << NAPT_A_MARK_STATIC |
			1ULL << NAPT_A_MARK_STATIC_MASK;
}

static void opt_proto(struct napt_opts *o, const struct opt *opt,
		      const char *arg)
{
	static const struct proto_name protos[] = {
		{ "udp", IPPROTO_UDP },
		{ "tcp", IPPROTO_TCP },
		{ "icmp", IPPROTO_ICMP },
		{ "all", 0 },
	};

	o->proto = protos[keyword(opt->name, "value", arg, protos)].proto;
	o->proto_used = false;
}

static void add_behav(struct napt_opts *o, uint8_t mapping,
		      uint8_t filtering)
{
	struct napt_behav *b;

	if (o->n_behav == NATCTL_MAX_BEHAVIOURS)
		usage_err("too many mode, mapping and filtering keywords (at most %u)",
			  NATCTL_MAX_BEHAVIOURS);
	b = &o->behav[o->n_behav++];
	b->proto = o->proto;
	b->mapping = mapping;
	b->filtering = filtering;
	o->proto_used = true;
}

static void opt_mode(struct napt_opts *o, const struct opt *opt,
		     const char *arg)
{
	const struct mode_name *m;

	m = &mode_names[keyword(opt->name, "value", arg, mode_names)];
	add_behav(o, m->mapping, m->filtering);
}

static void opt_mapping(struct napt_opts *o, const struct opt *opt,
			const char *arg)
{
	add_behav(o, keyword(opt->name, "value", arg, mapping_names), 0);
}

static void opt_filtering(struct napt_opts *o, const struct opt *opt,
			  const char *arg)
{
	add_behav(o, 0, keyword(opt->name, "value", arg, filtering_names));
}

enum {
	OPT_EXT_IF,
	OPT_INT_NET,
	OPT_EXT_ADDR,
	OPT_PORTS,
	OPT_UDP_TIMEOUT,
	OPT_TCP_TIMEOUT,
	OPT_TCP_TRANS_TIMEOUT,
	OPT_ICMP_TIMEOUT,
	OPT_PROTO,
	OPT_MODE,
	OPT_MAPPING,
	OPT_FILTERING,
	OPT_PORT_PRESERVE,
	OPT_PORT_PARITY,
	OPT_HAIRPIN,
	OPT_INBOUND_REFRESH,
	OPT_ICMP_UNREACH,
	OPT_MAX_MAPS_PER_HOST,
	OPT_PORT_REUSE_DELAY,
	OPT_MAX_MAPS,
	OPT_MAX_SESSIONS,
	OPT_SYN_HOLD,
	OPT_MARK_STATIC,
	OPT_COUNT
};

#define OPT_BIT(id) (1U << (id))

#define TIMEOUT(n, a) \
	{ .name = n, .parse = opt_u32, .attr = a, .min = 1, \
	  .max = NAPT_MAX_TIMEOUT }
#define U32(n, a, lo, hi) \
	{ .name = n, .parse = opt_u32, .attr = a, .min = lo, .max = hi }
#define FLAG(n, bit) { .name = n, .parse = opt_flag, .attr = bit }
#define BEHAV(n, fn) { .name = n, .parse = fn, .flags = OPT_REPEAT }
/* Fixed while napt runs: set passes them on for the kernel to refuse. */
#define LIMIT(n, a) \
	{ .name = n, .parse = opt_u32, .attr = a, .min = 1, \
	  .max = NAPT_MAX_MAPS_LIMIT }

static const struct opt opts[OPT_COUNT] = {
	[OPT_EXT_IF] = { .name = "ext-if", .parse = opt_ext_if },
	[OPT_INT_NET] = { .name = "int-net", .parse = opt_int_net },
	[OPT_EXT_ADDR] = { .name = "ext-addr", .parse = opt_ext_addr },
	[OPT_PORTS] = { .name = "ports", .parse = opt_ports },
	[OPT_UDP_TIMEOUT] = TIMEOUT("udp-timeout", NAPT_A_TIMEOUT_UDP),
	[OPT_TCP_TIMEOUT] = TIMEOUT("tcp-timeout", NAPT_A_TIMEOUT_TCP_EST),
	[OPT_TCP_TRANS_TIMEOUT] = TIMEOUT("tcp-trans-timeout",
					  NAPT_A_TIMEOUT_TCP_TRANS),
	[OPT_ICMP_TIMEOUT] = TIMEOUT("icmp-timeout", NAPT_A_TIMEOUT_ICMP),
	[OPT_PROTO] = BEHAV("proto", opt_proto),
	[OPT_MODE] = BEHAV("mode", opt_mode),
	[OPT_MAPPING] = BEHAV("mapping", opt_mapping),
	[OPT_FILTERING] = BEHAV("filtering", opt_filtering),
	[OPT_PORT_PRESERVE] = FLAG("port-preserve", NAPT_F_PORT_PRESERVE),
	[OPT_PORT_PARITY] = FLAG("port-parity", NAPT_F_PORT_PARITY),
	[OPT_HAIRPIN] = FLAG("hairpin", NAPT_F_HAIRPIN),
	[OPT_INBOUND_REFRESH] = FLAG("inbound-refresh", NAPT_F_INBOUND_REFRESH),
	[OPT_ICMP_UNREACH] = FLAG("icmp-unreach", NAPT_F_ICMP_UNREACH),
	/* 0: no limit beyond max-maps */
	[OPT_MAX_MAPS_PER_HOST] = U32("max-maps-per-host",
				      NAPT_A_MAX_MAPS_PER_HOST, 0,
				      NAPT_MAX_MAPS_LIMIT),
	[OPT_PORT_REUSE_DELAY] = U32("port-reuse-delay",
				     NAPT_A_PORT_REUSE_DELAY, 0,
				     NAPT_MAX_TIMEOUT),
	[OPT_MAX_MAPS] = LIMIT("max-maps", NAPT_A_MAX_MAPS),
	[OPT_MAX_SESSIONS] = LIMIT("max-sessions", NAPT_A_MAX_SESSIONS),
	/* 0: unsolicited SYNs dropped silently, never answered */
	[OPT_SYN_HOLD] = U32("syn-hold", NAPT_A_SYN_HOLD, 0, NAPT_MAX_SYN_HOLD),
	[OPT_MARK_STATIC] = { .name = "mark-static", .parse = opt_mark },
};

void opts_parse(struct napt_opts *o, bool up, int argc, char **argv)
{
	const char *cmd = up ? "up" : "set";
	const struct opt *opt;
	unsigned int bit;

	_Static_assert(OPT_COUNT <= 32, "napt_opts.given is 32 bits");
	_Static_assert(NAPT_A_MAX < 64, "napt_opts.u32_attrs is 64 bits");

	memset(o, 0, sizeof(*o));
	for (; argc > 0; argc -= 2, argv += 2) {
		opt = &opts[keyword(cmd, "keyword", argv[0], opts)];
		bit = OPT_BIT(opt - opts);
		if ((o->given & bit) && !(opt->flags & OPT_REPEAT))
			usage_err("%s: %s given twice", cmd, opt->name);
		o->given |= bit;
		opt->parse(o, opt, need_arg(argc, argv));
	}

	if (o->given & OPT_BIT(OPT_PROTO) && !o->proto_used)
		usage_err("%s: the last proto is not followed by mode, mapping or filtering",
			  cmd);
	if (up && !(o->given & OPT_BIT(OPT_EXT_IF)))
		usage_err("up: missing ext-if IFNAME");
	if (up && !(o->given & OPT_BIT(OPT_INT_NET)))
		usage_err("up: missing int-net PREFIX[,PREFIX...]");
	if (!up && !o->given)
		usage_err("set: nothing to change (see \"natctl help\")");
}

void opts_put(struct nlmsghdr *nlh, const struct napt_opts *o)
{
	struct nlattr *nest, *entry;
	unsigned int i;

	if (o->ext_if)
		mnl_attr_put_strz(nlh, NAPT_A_EXT_IFNAME, o->ext_if);

	if (o->n_int_nets) {
		nest = mnl_attr_nest_start(nlh, NAPT_A_INT_NETS);
		for (i = 0; i < o->n_int_nets; i++) {
			entry = mnl_attr_nest_start(nlh, NEST_ENTRY);
			mnl_attr_put_u32(nlh, NAPT_PREFIX_A_ADDR,
					 o->int_addr[i]);
			mnl_attr_put_u8(nlh, NAPT_PREFIX_A_LEN, o->int_len[i]);
			mnl_attr_nest_end(nlh, entry);
		}
		mnl_attr_nest_end(nlh, nest);
	}

	if (o->given & OPT_BIT(OPT_EXT_ADDR)) {
		nest = mnl_attr_nest_start(nlh, NAPT_A_EXT_ADDRS);
		for (i = 0; i < o->n_ext_addrs; i++)
			mnl_attr_put_u32(nlh, NAPT_A_EXT_ADDRS_ENTRY,
					 o->ext_addr[i]);
		mnl_attr_nest_end(nlh, nest);
	}

	if (o->given & OPT_BIT(OPT_PORTS)) {
		mnl_attr_put_u16(nlh, NAPT_A_PORT_MIN, o->port_min);
		mnl_attr_put_u16(nlh, NAPT_A_PORT_MAX, o->port_max);
	}

	for (i = 0; i <= NAPT_A_MAX; i++)
		if (o->u32_attrs & (1ULL << i))
			mnl_attr_put_u32(nlh, i, o->u32[i]);

	if (o->n_behav) {
		nest = mnl_attr_nest_start(nlh, NAPT_A_BEHAVIOURS);
		for (i = 0; i < o->n_behav; i++) {
			const struct napt_behav *b = &o->behav[i];

			entry = mnl_attr_nest_start(nlh, NEST_ENTRY);
			mnl_attr_put_u8(nlh, NAPT_BEHAV_A_PROTO, b->proto);
			if (b->mapping)
				mnl_attr_put_u8(nlh, NAPT_BEHAV_A_MAPPING,
						b->mapping);
			if (b->filtering)
				mnl_attr_put_u8(nlh, NAPT_BEHAV_A_FILTERING,
						b->filtering);
			mnl_attr_nest_end(nlh, entry);
		}
		mnl_attr_nest_end(nlh, nest);
	}

	if (o->flags.selector)
		mnl_attr_put(nlh, NAPT_A_FLAGS, sizeof(o->flags), &o->flags);
}
