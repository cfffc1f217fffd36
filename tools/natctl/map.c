// SPDX-License-Identifier: GPL-2.0
/*
 * natctl: map list, add, del and flush, and the printers of mappings and
 * of their events.
 *
 * The arguments of list, add and del fill one struct map_req: keywords in
 * any order, each at most once, after the positional arguments of add
 * and del.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <arpa/inet.h>

#include "json_print.h"
#include "map.h"
#include "names.h"
#include "natctl.h"
#include "utils.h"

#define FIELD(f) (1U << (f))

struct map_kw {
	const char *name;
	unsigned int field;		/* enum map_field */
	uint8_t val;			/* of proto and type keywords */
};

/* For "given twice". */
static const char *const field_names[MAP_FIELD_COUNT] = {
	[MAP_PROTO] = "protocol",
	[MAP_TYPE] = "type",
	[MAP_INT_ADDR] = "int",
	[MAP_EXT_ADDR] = "ext-addr",
	[MAP_EXT_PORT] = "ext-port",
	[MAP_REM_ADDR] = "remote",
	[MAP_LEASE] = "lease",
	[MAP_DESC] = "desc",
	[MAP_REPLACE] = "replace",
	[MAP_OWNER] = "owner",
	[MAP_COOKIE] = "cookie",
};

static int hex_val(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower((unsigned char)c);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* HEX: 1 to NAPT_COOKIE_MAX bytes as an even number of hex digits. */
static void get_cookie(const char *what, const char *arg, struct map_req *r)
{
	size_t len = strlen(arg), i;
	int hi, lo;

	if (!len || len % 2 || len / 2 > NAPT_COOKIE_MAX)
		goto bad;
	for (i = 0; i < len / 2; i++) {
		hi = hex_val(arg[2 * i]);
		lo = hex_val(arg[2 * i + 1]);
		if (hi < 0 || lo < 0)
			goto bad;
		r->cookie[i] = hi << 4 | lo;
	}
	r->cookie_len = len / 2;
	return;
bad:
	usage_err("invalid %s \"%s\" (expected 1 to %d bytes in hex, such as 0a1b)",
		  what, arg, NAPT_COOKIE_MAX);
}

static void parse_kws(const char *ctx, struct map_req *r,
		      const struct map_kw *kws, size_t n, int argc,
		      char **argv)
{
	const struct map_kw *kw;
	const char *arg;

	for (; argc > 0; argc--, argv++) {
		kw = &kws[__keyword(ctx, "keyword", argv[0], kws, n,
				    sizeof(*kws))];
		if (r->given & FIELD(kw->field))
			usage_err("%s: %s given twice", ctx,
				  field_names[kw->field]);
		r->given |= FIELD(kw->field);

		switch (kw->field) {
		case MAP_PROTO:
			r->proto = kw->val;
			continue;
		case MAP_TYPE:
			r->type = kw->val;
			continue;
		case MAP_REPLACE:
			continue;
		}

		arg = need_arg(argc, argv);
		argc--;
		argv++;
		switch (kw->field) {
		case MAP_INT_ADDR:
			r->int_addr = get_addr(kw->name, arg);
			break;
		case MAP_EXT_ADDR:
			r->ext_addr = get_addr(kw->name, arg);
			break;
		case MAP_REM_ADDR:
			r->rem_addr = get_addr(kw->name, arg);
			break;
		case MAP_EXT_PORT:
			r->ext_port = get_u32(kw->name, arg, 1, 65535);
			break;
		case MAP_LEASE:
			/* 0: permanent, as no lease */
			r->lease = get_u32(kw->name, arg, 0, NAPT_MAX_TIMEOUT);
			break;
		case MAP_DESC:
			check_text(kw->name, arg, NAPT_DESC_MAX - 1);
			r->desc = arg;
			break;
		case MAP_OWNER:
			r->owner = keyword(NULL, "owner", arg, owner_names);
			break;
		case MAP_COOKIE:
			get_cookie(kw->name, arg, r);
			break;
		}
	}
}

/* The udp or tcp that starts "map add" and "map del". */
static void parse_static_proto(const char *ctx, struct map_req *r,
			       int argc, char **argv)
{
	static const struct map_kw protos[] = {
		{ "udp", MAP_PROTO, IPPROTO_UDP },
		{ "tcp", MAP_PROTO, IPPROTO_TCP },
	};

	if (argc < 1 || (argv[0][0] >= '0' && argv[0][0] <= '9'))
		usage_err("%s: missing protocol (udp or tcp)", ctx);
	r->proto = protos[keyword(ctx, "protocol", argv[0], protos)].val;
	r->given |= FIELD(MAP_PROTO);
}

void map_list_parse(struct map_req *r, int argc, char **argv)
{
	static const struct map_kw kws[] = {
		{ "udp", MAP_PROTO, IPPROTO_UDP },
		{ "tcp", MAP_PROTO, IPPROTO_TCP },
		{ "icmp", MAP_PROTO, IPPROTO_ICMP },
		{ "dynamic", MAP_TYPE, NAPT_MAP_DYNAMIC },
		{ "static", MAP_TYPE, NAPT_MAP_STATIC },
		{ "int", MAP_INT_ADDR, 0 },
		{ "ext-port", MAP_EXT_PORT, 0 },
	};

	memset(r, 0, sizeof(*r));
	parse_kws("map list", r, kws, ARRAY_SIZE(kws), argc, argv);
}

void map_add_parse(struct map_req *r, int argc, char **argv)
{
	static const struct map_kw kws[] = {
		{ "ext-port", MAP_EXT_PORT, 0 },
		{ "ext-addr", MAP_EXT_ADDR, 0 },
		{ "remote", MAP_REM_ADDR, 0 },
		{ "lease", MAP_LEASE, 0 },
		{ "desc", MAP_DESC, 0 },
		{ "replace", MAP_REPLACE, 0 },
		{ "owner", MAP_OWNER, 0 },
		{ "cookie", MAP_COOKIE, 0 },
	};

	memset(r, 0, sizeof(*r));
	parse_static_proto("map add", r, argc, argv);
	if (argc < 2)
		usage_err("map add: missing INT_ADDR:INT_PORT");
	get_addr_port("internal endpoint", argv[1], &r->int_addr,
		      &r->int_port);
	r->given |= FIELD(MAP_INT_ADDR) | FIELD(MAP_INT_PORT);
	parse_kws("map add", r, kws, ARRAY_SIZE(kws), argc - 2, argv + 2);
}

void map_del_parse(struct map_req *r, int argc, char **argv)
{
	static const struct map_kw kws[] = {
		{ "ext-port", MAP_EXT_PORT, 0 },
		{ "ext-addr", MAP_EXT_ADDR, 0 },
		{ "remote", MAP_REM_ADDR, 0 },
	};

	memset(r, 0, sizeof(*r));
	parse_static_proto("map del", r, argc, argv);
	parse_kws("map del", r, kws, ARRAY_SIZE(kws), argc - 1, argv + 1);
	if (!(r->given & FIELD(MAP_EXT_PORT)))
		usage_err("map del: missing ext-port PORT");
}

void map_req_put(struct nlmsghdr *nlh, const struct map_req *r)
{
	unsigned int given = r->given;
	struct nlattr *nest;

	if (!given)
		return;

	nest = mnl_attr_nest_start(nlh, NAPT_A_MAP);
	if (given & FIELD(MAP_PROTO))
		mnl_attr_put_u8(nlh, NAPT_MAP_A_PROTO, r->proto);
	if (given & FIELD(MAP_TYPE))
		mnl_attr_put_u8(nlh, NAPT_MAP_A_TYPE, r->type);
	if (given & FIELD(MAP_INT_ADDR))
		mnl_attr_put_u32(nlh, NAPT_MAP_A_INT_ADDR, r->int_addr);
	if (given & FIELD(MAP_INT_PORT))
		mnl_attr_put_u16(nlh, NAPT_MAP_A_INT_PORT, htons(r->int_port));
	if (given & FIELD(MAP_EXT_ADDR))
		mnl_attr_put_u32(nlh, NAPT_MAP_A_EXT_ADDR, r->ext_addr);
	if (given & FIELD(MAP_EXT_PORT))
		mnl_attr_put_u16(nlh, NAPT_MAP_A_EXT_PORT, htons(r->ext_port));
	if (given & FIELD(MAP_REM_ADDR))
		mnl_attr_put_u32(nlh, NAPT_MAP_A_REM_ADDR, r->rem_addr);
	if (given & FIELD(MAP_LEASE))
		mnl_attr_put_u32(nlh, NAPT_MAP_A_LEASE, r->lease);
	if (given & FIELD(MAP_DESC))
		mnl_attr_put_strz(nlh, NAPT_MAP_A_DESC, r->desc);
	if (given & FIELD(MAP_REPLACE))
		mnl_attr_put(nlh, NAPT_MAP_A_REPLACE, 0, NULL);
	if (given & FIELD(MAP_OWNER))
		mnl_attr_put_u8(nlh, NAPT_MAP_A_OWNER, r->owner);
	if (given & FIELD(MAP_COOKIE))
		mnl_attr_put(nlh, NAPT_MAP_A_COOKIE, r->cookie_len, r->cookie);
	mnl_attr_nest_end(nlh, nest);
}

static int do_map_list(struct natctl *ctl, int argc, char **argv)
{
	struct nlmsghdr *nlh;
	struct map_req r;
	int ret;

	map_list_parse(&r, argc, argv);
	if (natctl_connect(ctl))
		return EXIT_FAILURE;
	nlh = napt_nl_msg(&ctl->nl, NAPT_CMD_GET_MAPS, NLM_F_DUMP);
	map_req_put(nlh, &r);
	open_json_array(PRINT_JSON, NULL);
	ret = natctl_do(ctl, nlh, map_print, NULL);
	close_json_array(PRINT_JSON);
	return ret;
}

/* Prints the mapping made, as map list does. */
static int do_map_add(struct natctl *ctl, int argc, char **argv)
{
	struct nlmsghdr *nlh;
	struct map_req r;

	map_add_parse(&r, argc, argv);
	if (natctl_connect(ctl))
		return EXIT_FAILURE;
	nlh = napt_nl_msg(&ctl->nl, NAPT_CMD_ADD_MAP, 0);
	map_req_put(nlh, &r);
	return natctl_do(ctl, nlh, map_print, NULL);
}

static int do_map_del(struct natctl *ctl, int argc, char **argv)
{
	struct nlmsghdr *nlh;
	struct map_req r;

	map_del_parse(&r, argc, argv);
	if (natctl_connect(ctl))
		return EXIT_FAILURE;
	nlh = napt_nl_msg(&ctl->nl, NAPT_CMD_DEL_MAP, 0);
	map_req_put(nlh, &r);
	return natctl_do(ctl, nlh, NULL, NULL);
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
	nlh = napt_nl_msg(&ctl->nl, NAPT_CMD_FLUSH_MAPS, 0);
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
		{ "add", do_map_add },
		{ "del", do_map_del },
		{ "flush", do_map_flush },
	};
	/* "natctl map" lists. */
	if (argc <= 0)
		return do_map_list(ctl, 0, argv);
	return run_cmd(ctl, "map", map_cmds, ARRAY_SIZE(map_cmds), argc, argv);
}

static void print_addr(const char *key, const char *fmt, uint32_t addr)
{
	char buf[INET_ADDRSTRLEN];

	print_string(PRINT_ANY, key, fmt, addr_str(addr, buf));
}

static void print_port(const char *key, uint16_t port)
{
	print_uint(PRINT_ANY, key, ":%u", ntohs(port));
}

/* JSON only: the bytes in hex, whatever their number. */
static void print_cookie(const struct napt_nl_map *m)
{
	uint16_t i, n = m->cookie_len;
	char hex[2 * 256 + 1];

	if (n > 256)
		n = 256;
	for (i = 0; i < n; i++)
		snprintf(hex + 2 * i, 3, "%02x", m->cookie[i]);
	hex[2 * n] = '\0';
	print_string(PRINT_JSON, "cookie", NULL, hex);
}

/*
 * "udp 192.168.1.2:5000 -> 203.0.113.1:5000 dynamic eim expires 299s
 *  sessions 1 remote 198.51.100.7:3478"
 * "tcp 192.168.1.10:80 -> 203.0.113.1:8080 static eim expires 3590s
 *  lease 3600 sessions 2 remote 198.51.100.7 owner upnp desc "web server""
 *
 * A permanent static mapping has no expires and no lease (JSON: null). A
 * static mapping's cookie is in JSON only, as hex ("cookie": "0a1b"), null
 * when it has none, as is its owner when the kernel did not say.
 */
int map_print(const struct nlmsghdr *nlh, void *data)
{
	struct napt_nl_map m;
	uint8_t type = NAPT_MAP_ANY;
	char buf[32];

	(void)data;
	switch (napt_nl_get_map(nlh, &m)) {
	case -1:
		return MNL_CB_ERROR;
	case 0:
		return MNL_CB_OK;
	}
	if (!NAPT_NL_MAP_HAS(&m, PROTO) || !NAPT_NL_MAP_HAS(&m, INT_ADDR) ||
	    !NAPT_NL_MAP_HAS(&m, INT_PORT) || !NAPT_NL_MAP_HAS(&m, EXT_ADDR) ||
	    !NAPT_NL_MAP_HAS(&m, EXT_PORT))
		return napt_nl_bad_reply("mapping");

	open_json_object(NULL);
	print_string(PRINT_ANY, "proto", "%s",
		     proto_str(m.proto, buf, sizeof(buf)));
	print_addr("int_addr", " %s", m.int_addr);
	print_port("int_port", m.int_port);
	print_addr("ext_addr", " -> %s", m.ext_addr);
	print_port("ext_port", m.ext_port);
	if (NAPT_NL_MAP_HAS(&m, TYPE)) {
		type = m.type;
		print_string(PRINT_ANY, "type", " %s",
			     map_type_str(type, buf, sizeof(buf)));
	}
	if (NAPT_NL_MAP_HAS(&m, MAPPING))
		print_string(PRINT_ANY, "mapping", " %s",
			     mapping_str(m.mapping, buf, sizeof(buf)));
	if (NAPT_NL_MAP_HAS(&m, EXPIRES))
		print_uint(PRINT_ANY, "expires", " expires %us", m.expires);
	else if (type == NAPT_MAP_STATIC)
		print_null(PRINT_JSON, "expires", NULL, NULL);
	if (m.lease)
		print_uint(PRINT_ANY, "lease", " lease %u", m.lease);
	else if (type == NAPT_MAP_STATIC)
		print_null(PRINT_JSON, "lease", NULL, NULL);
	if (NAPT_NL_MAP_HAS(&m, SESSIONS))
		print_uint(PRINT_ANY, "sessions", " sessions %u", m.sessions);
	if (NAPT_NL_MAP_HAS(&m, REM_ADDR)) {
		print_addr("rem_addr", " remote %s", m.rem_addr);
		if (NAPT_NL_MAP_HAS(&m, REM_PORT))
			print_port("rem_port", m.rem_port);
	}
	if (NAPT_NL_MAP_HAS(&m, OWNER))
		print_string(PRINT_ANY, "owner", " owner %s",
			     owner_str(m.owner, buf, sizeof(buf)));
	else if (type == NAPT_MAP_STATIC)
		print_null(PRINT_JSON, "owner", NULL, NULL);
	if (m.cookie)
		print_cookie(&m);
	else if (type == NAPT_MAP_STATIC)
		print_null(PRINT_JSON, "cookie", NULL, NULL);
	/* Free text last, where it cannot be taken for a field. */
	if (m.desc)
		print_quoted(PRINT_ANY, "desc", " desc %s", m.desc);
	close_json_object();
	print_nl();
	return MNL_CB_OK;
}

/* ISO 8601 UTC with milliseconds: "2026-11-27T15:43:12.345Z" */
static const char *time_str(uint64_t ns, char *buf, size_t size)
{
	time_t sec = ns / 1000000000;
	struct tm tm;
	size_t n;

	if (!gmtime_r(&sec, &tm) ||
	    !(n = strftime(buf, size, "%Y-%m-%dT%H:%M:%S", &tm))) {
		snprintf(buf, size, "?");
		return buf;
	}
	snprintf(buf + n, size - n, ".%03uZ",
		 (unsigned int)(ns / 1000000 % 1000));
	return buf;
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/*
 * "2026-11-27T15:43:12.345Z created udp 192.168.1.2:5000 ->
 *  203.0.113.1:5000 dynamic"
 * "2026-11-27T15:48:12.345Z removed udp 192.168.1.2:5000 ->
 *  203.0.113.1:5000 dynamic reason expired"
 * "2026-11-27T15:48:13.001Z refused udp 192.168.1.2:5001 reason no-port"
 *
 * JSON members absent from the event (the external endpoint of a refusal,
 * no reason) are null, so that every object has the same keys.
 */
int event_print(const struct nlmsghdr *nlh, void *data)
{
	struct napt_nl_map m;
	uint8_t reason = NAPT_REASON_NONE;
	char buf[32], tbuf[40];
	uint64_t ns;

	(void)data;
	switch (napt_nl_get_map(nlh, &m)) {
	case -1:
		return MNL_CB_ERROR;
	case 0:
		return napt_nl_bad_reply("event");
	}
	if (!NAPT_NL_MAP_HAS(&m, EVENT) || !NAPT_NL_MAP_HAS(&m, PROTO) ||
	    !NAPT_NL_MAP_HAS(&m, INT_ADDR) || !NAPT_NL_MAP_HAS(&m, INT_PORT))
		return napt_nl_bad_reply("event");
	if (NAPT_NL_MAP_HAS(&m, REASON))
		reason = m.reason;
	/* Else the time it is read: close enough. */
	ns = NAPT_NL_MAP_HAS(&m, TIME) ? m.time : now_ns();

	open_json_object(NULL);
	print_string(PRINT_ANY, "time", "%s",
		     time_str(ns, tbuf, sizeof(tbuf)));
	print_u64(PRINT_JSON, "time_ns", NULL, ns);
	print_string(PRINT_ANY, "event", " %s",
		     event_str(m.event, buf, sizeof(buf)));
	print_string(PRINT_ANY, "proto", " %s",
		     proto_str(m.proto, buf, sizeof(buf)));
	print_addr("int_addr", " %s", m.int_addr);
	print_port("int_port", m.int_port);
	if (NAPT_NL_MAP_HAS(&m, EXT_ADDR))
		print_addr("ext_addr", " -> %s", m.ext_addr);
	else
		print_null(PRINT_JSON, "ext_addr", NULL, NULL);
	if (NAPT_NL_MAP_HAS(&m, EXT_PORT))
		print_port("ext_port", m.ext_port);
	else
		print_null(PRINT_JSON, "ext_port", NULL, NULL);
	if (NAPT_NL_MAP_HAS(&m, TYPE)) {
		/* A refusal is of a new flow: the type says nothing. */
		print_string(m.event == NAPT_EVENT_REFUSED ? PRINT_JSON :
			     PRINT_ANY, "type", " %s",
			     map_type_str(m.type, buf, sizeof(buf)));
	} else {
		print_null(PRINT_JSON, "type", NULL, NULL);
	}
	if (reason != NAPT_REASON_NONE)
		print_string(PRINT_ANY, "reason", " reason %s",
			     reason_str(reason, buf, sizeof(buf)));
	else
		print_null(PRINT_JSON, "reason", NULL, NULL);
	close_json_object();
	print_nl();
	/* A write error shows in ferror(stdout), for the caller. */
	output_record_end();
	return MNL_CB_OK;
}
