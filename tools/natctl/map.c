// SPDX-License-Identifier: GPL-2.0
/*
 * natctl: map list and map flush.
 */
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>

#include "json_print.h"
#include "names.h"
#include "natctl.h"
#include "utils.h"

static int do_map_list(struct natctl *ctl, int argc, char **argv)
{
	enum { K_PROTO, K_TYPE, K_INT };
	static const struct {
		const char *name;
		unsigned int kind;
		uint8_t val;
	} kws[] = {
		{ "udp", K_PROTO, IPPROTO_UDP },
		{ "tcp", K_PROTO, IPPROTO_TCP },
		{ "icmp", K_PROTO, IPPROTO_ICMP },
		{ "dynamic", K_TYPE, NAPT_MAP_DYNAMIC },
		{ "static", K_TYPE, NAPT_MAP_STATIC },
		{ "int", K_INT, 0 },
	};
	static const char *const what[] = {
		[K_PROTO] = "protocol", [K_TYPE] = "type", [K_INT] = "int",
	};
	struct nlmsghdr *nlh;
	struct nlattr *nest;
	unsigned int given = 0;
	uint8_t proto = 0, type = NAPT_MAP_ANY;
	in_addr_t int_addr = 0;
	unsigned int kind;
	size_t k;
	int ret;

	for (; argc > 0; argc--, argv++) {
		k = keyword("map list", "keyword", argv[0], kws);
		kind = kws[k].kind;
		if (given & (1U << kind))
			usage_err("map list: %s given twice", what[kind]);
		given |= 1U << kind;
		switch (kind) {
		case K_PROTO:
			proto = kws[k].val;
			break;
		case K_TYPE:
			type = kws[k].val;
			break;
		case K_INT:
			int_addr = get_addr("int", need_arg(argc, argv));
			argc--;
			argv++;
			break;
		}
	}

	if (natctl_connect(ctl))
		return EXIT_FAILURE;
	nlh = nl_msg(&ctl->nl, NAPT_CMD_GET_MAPS, NLM_F_DUMP);
	if (given) {
		nest = mnl_attr_nest_start(nlh, NAPT_A_MAP);
		if (given & (1U << K_PROTO))
			mnl_attr_put_u8(nlh, NAPT_MAP_A_PROTO, proto);
		if (given & (1U << K_TYPE))
			mnl_attr_put_u8(nlh, NAPT_MAP_A_TYPE, type);
		if (given & (1U << K_INT))
			mnl_attr_put_u32(nlh, NAPT_MAP_A_INT_ADDR, int_addr);
		mnl_attr_nest_end(nlh, nest);
	}
	open_json_array(PRINT_JSON, NULL);
	ret = natctl_do(ctl, nlh, map_print, NULL);
	close_json_array(PRINT_JSON);
	return ret;
}

static int do_map_flush(struct natctl *ctl, int argc, char **argv)
{
	static const struct map_type_name types[] = {
		{ "dynamic", NAPT_MAP_DYNAMIC },
		{ "static", NAPT_MAP_STATIC },
		{ "all", NAPT_MAP_ANY },
	};
	uint8_t type = NAPT_MAP_ANY;
	struct nlmsghdr *nlh;
	struct nlattr *nest;
	size_t k;

	if (argc > 0) {
		k = keyword("map flush", "value", argv[0], types);
		type = types[k].type;
		no_more_args("map flush", argc - 1, argv + 1);
	}
	if (natctl_connect(ctl))
		return EXIT_FAILURE;
	nlh = nl_msg(&ctl->nl, NAPT_CMD_FLUSH_MAPS, 0);
	if (type != NAPT_MAP_ANY) {
		nest = mnl_attr_nest_start(nlh, NAPT_A_MAP);
		mnl_attr_put_u8(nlh, NAPT_MAP_A_TYPE, type);
		mnl_attr_nest_end(nlh, nest);
	}
	return natctl_do(ctl, nlh, NULL, NULL);
}

int do_map(struct natctl *ctl, int argc, char **argv)
{
	static const struct cmd map_cmds[] = {
		{ "list", do_map_list },
		{ "flush", do_map_flush },
	};
	/* "natctl map" lists. */
	if (argc <= 0)
		return do_map_list(ctl, 0, argv);
	return run_cmd(ctl, "map", map_cmds, ARRAY_SIZE(map_cmds), argc, argv);
}

static const uint8_t top_policy[NAPT_A_MAX + 1] = {
	[NAPT_A_MAP] = NLK_NESTED,
};

static const uint8_t map_policy[NAPT_MAP_A_MAX + 1] = {
	[NAPT_MAP_A_PROTO] = NLK_U8,
	[NAPT_MAP_A_TYPE] = NLK_U8,
	[NAPT_MAP_A_INT_ADDR] = NLK_U32,
	[NAPT_MAP_A_INT_PORT] = NLK_U16,
	[NAPT_MAP_A_EXT_ADDR] = NLK_U32,
	[NAPT_MAP_A_EXT_PORT] = NLK_U16,
	[NAPT_MAP_A_REM_ADDR] = NLK_U32,
	[NAPT_MAP_A_REM_PORT] = NLK_U16,
	[NAPT_MAP_A_MAPPING] = NLK_U8,
	[NAPT_MAP_A_EXPIRES] = NLK_U32,
	[NAPT_MAP_A_SESSIONS] = NLK_U32,
};

static void print_addr(const char *key, const char *fmt,
		       const struct nlattr *attr)
{
	char buf[INET_ADDRSTRLEN];

	print_string(PRINT_ANY, key, fmt,
		     addr_str(mnl_attr_get_u32(attr), buf));
}

static void print_port(const char *key, const struct nlattr *attr)
{
	print_uint(PRINT_ANY, key, ":%u", ntohs(mnl_attr_get_u16(attr)));
}

/*
 * "udp 192.168.1.2:5000 -> 203.0.113.1:5000 dynamic eim expires 299s
 *  sessions 1 remote 198.51.100.7:3478"
 */
int map_print(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[NAPT_A_MAX + 1], *mt[NAPT_MAP_A_MAX + 1];
	char buf[32];
	uint8_t v;

	(void)data;
	if (nl_parse(nlh, top_policy, NAPT_A_MAX, tb))
		return MNL_CB_ERROR;
	if (!tb[NAPT_A_MAP])
		return MNL_CB_OK;
	if (nl_parse_nested(tb[NAPT_A_MAP], map_policy, NAPT_MAP_A_MAX, mt))
		return MNL_CB_ERROR;
	if (!mt[NAPT_MAP_A_PROTO] || !mt[NAPT_MAP_A_INT_ADDR] ||
	    !mt[NAPT_MAP_A_INT_PORT] || !mt[NAPT_MAP_A_EXT_ADDR] ||
	    !mt[NAPT_MAP_A_EXT_PORT])
		return nl_bad_reply("mapping");

	open_json_object(NULL);
	v = mnl_attr_get_u8(mt[NAPT_MAP_A_PROTO]);
	print_string(PRINT_ANY, "proto", "%s", proto_str(v, buf, sizeof(buf)));
	print_addr("int_addr", " %s", mt[NAPT_MAP_A_INT_ADDR]);
	print_port("int_port", mt[NAPT_MAP_A_INT_PORT]);
	print_addr("ext_addr", " -> %s", mt[NAPT_MAP_A_EXT_ADDR]);
	print_port("ext_port", mt[NAPT_MAP_A_EXT_PORT]);
	if (mt[NAPT_MAP_A_TYPE]) {
		v = mnl_attr_get_u8(mt[NAPT_MAP_A_TYPE]);
		print_string(PRINT_ANY, "type", " %s",
			     map_type_str(v, buf, sizeof(buf)));
	}
	if (mt[NAPT_MAP_A_MAPPING]) {
		v = mnl_attr_get_u8(mt[NAPT_MAP_A_MAPPING]);
		print_string(PRINT_ANY, "mapping", " %s",
			     mapping_str(v, buf, sizeof(buf)));
	}
	if (mt[NAPT_MAP_A_EXPIRES])
		print_uint(PRINT_ANY, "expires", " expires %us",
			   mnl_attr_get_u32(mt[NAPT_MAP_A_EXPIRES]));
	if (mt[NAPT_MAP_A_SESSIONS])
		print_uint(PRINT_ANY, "sessions", " sessions %u",
			   mnl_attr_get_u32(mt[NAPT_MAP_A_SESSIONS]));
	if (mt[NAPT_MAP_A_REM_ADDR]) {
		print_addr("rem_addr", " remote %s", mt[NAPT_MAP_A_REM_ADDR]);
		if (mt[NAPT_MAP_A_REM_PORT])
			print_port("rem_port", mt[NAPT_MAP_A_REM_PORT]);
	}
	close_json_object();
	print_nl();
	return MNL_CB_OK;
}
