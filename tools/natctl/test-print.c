// SPDX-License-Identifier: GPL-2.0
/*
 * natctl tests without the napt module: feed the reply printers the
 * messages the kernel would send, and check the extended-ack and dump
 * paths against the kernel's own generic netlink controller.
 *
 *   test-print [ -j ] [ -p ] CASE
 *   test-print request { up | set } SETTINGS...
 *   test-print request { map-list | map-add | map-del } ARGS...
 *   test-print batch FILE
 *
 * Prints what natctl would print, or the attributes of the request
 * natctl would send; test-args.sh compares it.
 */
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <linux/genetlink.h>

#include "json_print.h"
#include "map.h"
#include "names.h"
#include "natctl.h"
#include "opts.h"
#include "utils.h"

#define FAKE_FAMILY 0x42

static char buf[NAPT_NL_TX_SIZE] __attribute__((aligned(8)));

static struct nlmsghdr *msg_start(uint8_t cmd)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct genlmsghdr *genl;

	nlh->nlmsg_type = FAKE_FAMILY;
	genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
	genl->cmd = cmd;
	genl->version = NAPT_GENL_VERSION;
	return nlh;
}

static in_addr_t ip(const char *s)
{
	return inet_addr(s);
}

static void put_behav(struct nlmsghdr *nlh, uint8_t proto, uint8_t mapping,
		      uint8_t filtering)
{
	struct nlattr *e = mnl_attr_nest_start(nlh, 0);

	mnl_attr_put_u8(nlh, NAPT_BEHAV_A_PROTO, proto);
	if (mapping)
		mnl_attr_put_u8(nlh, NAPT_BEHAV_A_MAPPING, mapping);
	if (filtering)
		mnl_attr_put_u8(nlh, NAPT_BEHAV_A_FILTERING, filtering);
	mnl_attr_nest_end(nlh, e);
}

static void put_prefix(struct nlmsghdr *nlh, const char *addr, uint8_t len)
{
	struct nlattr *e = mnl_attr_nest_start(nlh, 0);

	mnl_attr_put_u32(nlh, NAPT_PREFIX_A_ADDR, ip(addr));
	mnl_attr_put_u8(nlh, NAPT_PREFIX_A_LEN, len);
	mnl_attr_nest_end(nlh, e);
}

/* A running instance with every setting; the ext-if is lo. */
static struct nlmsghdr *config_up(void)
{
	struct nlmsghdr *nlh = msg_start(NAPT_CMD_GET_CONFIG);
	struct nla_bitfield32 flags = {
		.value = NAPT_F_PORT_PRESERVE | NAPT_F_HAIRPIN |
			 NAPT_F_INBOUND_REFRESH | NAPT_F_ICMP_UNREACH,
		.selector = __NAPT_F_ALL,
	};
	struct nlattr *nest;

	mnl_attr_put_u8(nlh, NAPT_A_RUNNING, 1);
	mnl_attr_put_u32(nlh, NAPT_A_EXT_IFINDEX, 1);	/* lo, everywhere */
	nest = mnl_attr_nest_start(nlh, NAPT_A_EXT_ADDRS);
	mnl_attr_put_u32(nlh, NAPT_A_EXT_ADDRS_ENTRY, ip("203.0.113.1"));
	mnl_attr_put_u32(nlh, NAPT_A_EXT_ADDRS_ENTRY, ip("203.0.113.9"));
	mnl_attr_nest_end(nlh, nest);
	nest = mnl_attr_nest_start(nlh, NAPT_A_INT_NETS);
	put_prefix(nlh, "192.168.1.0", 24);
	put_prefix(nlh, "10.0.0.0", 8);
	mnl_attr_nest_end(nlh, nest);
	mnl_attr_put_u16(nlh, NAPT_A_PORT_MIN, 1024);
	mnl_attr_put_u16(nlh, NAPT_A_PORT_MAX, 65535);
	mnl_attr_put_u32(nlh, NAPT_A_TIMEOUT_UDP, 300);
	mnl_attr_put_u32(nlh, NAPT_A_TIMEOUT_TCP_EST, 7440);
	mnl_attr_put_u32(nlh, NAPT_A_TIMEOUT_TCP_TRANS, 240);
	mnl_attr_put_u32(nlh, NAPT_A_TIMEOUT_ICMP, 60);
	nest = mnl_attr_nest_start(nlh, NAPT_A_BEHAVIOURS);
	/* Applied in order: all, then two overrides. */
	put_behav(nlh, 0, NAPT_MAPPING_EIM, NAPT_FILTER_APDF);
	put_behav(nlh, IPPROTO_UDP, 0, NAPT_FILTER_EIF);
	put_behav(nlh, IPPROTO_ICMP, NAPT_MAPPING_APDM, NAPT_FILTER_ADF);
	mnl_attr_nest_end(nlh, nest);
	mnl_attr_put(nlh, NAPT_A_FLAGS, sizeof(flags), &flags);
	mnl_attr_put_u32(nlh, NAPT_A_MAX_MAPS, 65536);
	mnl_attr_put_u32(nlh, NAPT_A_MAX_SESSIONS, 262144);
	mnl_attr_put_u32(nlh, NAPT_A_NMAPS, 3);
	mnl_attr_put_u32(nlh, NAPT_A_NSESSIONS, 4);
	mnl_attr_put_u32(nlh, NAPT_A_MAX_MAPS_PER_HOST, 0);
	mnl_attr_put_u32(nlh, NAPT_A_PORT_REUSE_DELAY, 120);
	mnl_attr_put_u32(nlh, NAPT_A_SYN_HOLD, 6);
	mnl_attr_put_u8(nlh, NAPT_A_EXT_FROM_IF, 0);
	mnl_attr_put_u32(nlh, NAPT_A_MARK_STATIC, 0x100);
	mnl_attr_put_u32(nlh, NAPT_A_MARK_STATIC_MASK, 0xff00);
	mnl_attr_put_u32(nlh, NAPT_A_MAX + 1, 7);	/* a newer kernel */
	return nlh;
}

static int case_show_up(void)
{
	return show_print(config_up(), NULL);
}

/* No ext-addr configured; only some of the attributes. */
static struct nlmsghdr *config_auto(void)
{
	struct nlmsghdr *nlh = msg_start(NAPT_CMD_GET_CONFIG);
	struct nlattr *nest;

	mnl_attr_put_u8(nlh, NAPT_A_RUNNING, 1);
	mnl_attr_put_u32(nlh, NAPT_A_EXT_IFINDEX, 1);
	mnl_attr_put_strz(nlh, NAPT_A_EXT_IFNAME, "lo");
	nest = mnl_attr_nest_start(nlh, NAPT_A_EXT_ADDRS);
	mnl_attr_put_u32(nlh, NAPT_A_EXT_ADDRS_ENTRY, ip("203.0.113.1"));
	mnl_attr_nest_end(nlh, nest);
	mnl_attr_put_u8(nlh, NAPT_A_EXT_FROM_IF, 1);
	mnl_attr_put_u32(nlh, NAPT_A_MAX_MAPS_PER_HOST, 500);
	return nlh;
}

static int case_show_auto(void)
{
	return show_print(config_auto(), NULL);
}

/* Configured by the name of a device that is not there (yet). */
static struct nlmsghdr *config_waiting(void)
{
	struct nlmsghdr *nlh = msg_start(NAPT_CMD_GET_CONFIG);
	struct nlattr *nest;

	mnl_attr_put_u8(nlh, NAPT_A_RUNNING, 1);
	mnl_attr_put_u32(nlh, NAPT_A_EXT_IFINDEX, 0);
	mnl_attr_put_strz(nlh, NAPT_A_EXT_IFNAME, "ppp0");
	nest = mnl_attr_nest_start(nlh, NAPT_A_EXT_ADDRS);
	mnl_attr_nest_end(nlh, nest);
	nest = mnl_attr_nest_start(nlh, NAPT_A_INT_NETS);
	put_prefix(nlh, "192.168.1.0", 24);
	mnl_attr_nest_end(nlh, nest);
	mnl_attr_put_u8(nlh, NAPT_A_EXT_FROM_IF, 1);
	mnl_attr_put_u32(nlh, NAPT_A_MARK_STATIC, 0);
	mnl_attr_put_u32(nlh, NAPT_A_MARK_STATIC_MASK, 0);
	return nlh;
}

static int case_show_waiting(void)
{
	return show_print(config_waiting(), NULL);
}

static int case_save_waiting(void)
{
	bool running;

	return save_config_print(config_waiting(), &running);
}

static int case_show_down(void)
{
	struct nlmsghdr *nlh = msg_start(NAPT_CMD_GET_CONFIG);

	mnl_attr_put_u8(nlh, NAPT_A_RUNNING, 0);
	return show_print(nlh, NULL);
}

static int case_show_bad(void)
{
	struct nlmsghdr *nlh = msg_start(NAPT_CMD_GET_CONFIG);

	mnl_attr_put_u32(nlh, NAPT_A_RUNNING, 1);	/* should be a u8 */
	return show_print(nlh, NULL);
}

/* A mapping as the kernel sends it; NULL and 0 are absent attributes. */
struct test_map {
	uint8_t proto, type;
	const char *int_addr;
	uint16_t int_port;
	const char *ext_addr;
	uint16_t ext_port;
	const char *rem_addr;
	uint16_t rem_port;
	uint8_t mapping;
	bool permanent;		/* no expires */
	uint32_t expires, sessions, lease;
	const char *desc;
	bool has_owner;		/* the kernel sends it for static ones */
	uint8_t owner;
	uint8_t cookie_len;
	const char *cookie;
};

static int put_map_cb(uint8_t cmd, const struct test_map *m, mnl_cb_t cb)
{
	struct nlmsghdr *nlh = msg_start(cmd);
	struct nlattr *nest = mnl_attr_nest_start(nlh, NAPT_A_MAP);

	mnl_attr_put_u8(nlh, NAPT_MAP_A_PROTO, m->proto);
	mnl_attr_put_u8(nlh, NAPT_MAP_A_TYPE, m->type);
	mnl_attr_put_u32(nlh, NAPT_MAP_A_INT_ADDR, ip(m->int_addr));
	mnl_attr_put_u16(nlh, NAPT_MAP_A_INT_PORT, htons(m->int_port));
	mnl_attr_put_u32(nlh, NAPT_MAP_A_EXT_ADDR, ip(m->ext_addr));
	mnl_attr_put_u16(nlh, NAPT_MAP_A_EXT_PORT, htons(m->ext_port));
	if (m->rem_addr)
		mnl_attr_put_u32(nlh, NAPT_MAP_A_REM_ADDR, ip(m->rem_addr));
	if (m->rem_port)
		mnl_attr_put_u16(nlh, NAPT_MAP_A_REM_PORT, htons(m->rem_port));
	mnl_attr_put_u8(nlh, NAPT_MAP_A_MAPPING, m->mapping);
	if (!m->permanent)
		mnl_attr_put_u32(nlh, NAPT_MAP_A_EXPIRES, m->expires);
	mnl_attr_put_u32(nlh, NAPT_MAP_A_SESSIONS, m->sessions);
	if (m->lease)
		mnl_attr_put_u32(nlh, NAPT_MAP_A_LEASE, m->lease);
	if (m->desc)
		mnl_attr_put_strz(nlh, NAPT_MAP_A_DESC, m->desc);
	if (m->has_owner)
		mnl_attr_put_u8(nlh, NAPT_MAP_A_OWNER, m->owner);
	if (m->cookie_len)
		mnl_attr_put(nlh, NAPT_MAP_A_COOKIE, m->cookie_len, m->cookie);
	mnl_attr_nest_end(nlh, nest);
	return cb(nlh, NULL);
}

static int put_map(uint8_t cmd, const struct test_map *m)
{
	return put_map_cb(cmd, m, map_print);
}

static const struct test_map maps[] = {
	{ IPPROTO_UDP, NAPT_MAP_DYNAMIC, "192.168.1.2", 5000,
	  "203.0.113.1", 5000, NULL, 0, NAPT_MAPPING_EIM,
	  .expires = 299, .sessions = 1 },
	{ IPPROTO_TCP, NAPT_MAP_DYNAMIC, "192.168.1.3", 40000,
	  "203.0.113.1", 1025, "198.51.100.7", 443,
	  NAPT_MAPPING_APDM, .expires = 7439, .sessions = 1 },
	{ IPPROTO_ICMP, NAPT_MAP_DYNAMIC, "192.168.1.4", 77,
	  "203.0.113.1", 77, "198.51.100.8", 0, NAPT_MAPPING_ADM,
	  .expires = 0, .sessions = 0 },
	/* static with a lease, a remote and a description */
	{ IPPROTO_TCP, NAPT_MAP_STATIC, "192.168.1.10", 80,
	  "203.0.113.1", 8080, "198.51.100.9", 0, NAPT_MAPPING_EIM,
	  .expires = 3590, .sessions = 2, .lease = 3600,
	  .desc = "web server", .has_owner = true,
	  .owner = NAPT_OWNER_UPNP, .cookie_len = 2,
	  .cookie = "\x0a\x1b" },
	/* permanent static, a description to escape in text */
	{ IPPROTO_UDP, NAPT_MAP_STATIC, "192.168.1.11", 5060,
	  "203.0.113.9", 5060, NULL, 0, NAPT_MAPPING_EIM,
	  .permanent = true, .desc = "say \"h\\i\" \u00e9t\u00e9",
	  .has_owner = true, .owner = NAPT_OWNER_ADMIN },
	/* from another client: controls, not UTF-8 */
	{ IPPROTO_UDP, NAPT_MAP_STATIC, "192.168.1.12", 1,
	  "203.0.113.9", 2, NULL, 0, NAPT_MAPPING_EIM,
	  .permanent = true,
	  .desc = "a\tb\x1b[2J\xc2\x9b\xff\xc3",
	  .has_owner = true, .owner = 9, .cookie_len = 16,
	  .cookie = "\x00\x01\x02\x03\x04\x05\x06\x07"
		    "\xf8\xf9\xfa\xfb\xfc\xfd\xfe\xff" },
	/* static, from a kernel that sends no owner */
	{ IPPROTO_TCP, NAPT_MAP_STATIC, "192.168.1.13", 22,
	  "203.0.113.1", 2222, NULL, 0, NAPT_MAPPING_EIM,
	  .permanent = true },
	/* the natpmp and pcp names */
	{ IPPROTO_UDP, NAPT_MAP_STATIC, "192.168.1.14", 4500,
	  "203.0.113.1", 4500, NULL, 0, NAPT_MAPPING_EIM,
	  .expires = 7190, .lease = 7200, .has_owner = true,
	  .owner = NAPT_OWNER_NATPMP },
	{ IPPROTO_TCP, NAPT_MAP_STATIC, "192.168.1.14", 443,
	  "203.0.113.1", 8443, "198.51.100.10", 0, NAPT_MAPPING_EIM,
	  .expires = 100, .lease = 120, .has_owner = true,
	  .owner = NAPT_OWNER_PCP, .cookie_len = 12,
	  .cookie = "\x9c\x1f\x22\x00\x00\x00\x00\x00\x00\x00\x00\x01" },
};

/* More for save, besides those of maps[]. */
static const struct test_map save_maps[] = {
	/* admin, with a lease, a remote, a cookie, "#" and quotes */
	{ IPPROTO_TCP, NAPT_MAP_STATIC, "192.168.1.15", 22,
	  "203.0.113.1", 2222, "198.51.100.11", 0, NAPT_MAPPING_EIM,
	  .expires = 1234, .lease = 3600, .has_owner = true,
	  .owner = NAPT_OWNER_ADMIN, .desc = "ssh \"#1\" c:\\x",
	  .cookie_len = 2, .cookie = "\x0a\x1b" },
	/* admin, its lease run out but not yet reaped */
	{ IPPROTO_UDP, NAPT_MAP_STATIC, "192.168.1.15", 53,
	  "203.0.113.1", 53, NULL, 0, NAPT_MAPPING_EIM,
	  .expires = 0, .lease = 60, .has_owner = true,
	  .owner = NAPT_OWNER_ADMIN },
	};

/*
 * natctl save of config_up() and the mappings: only the static admin
 * ones (and the one without an owner) are printed.
 */
static int case_save(void)
{
	bool running = false;
	int ret;
	size_t i;

	ret = save_config_print(config_up(), &running);
	for (i = 0; i < ARRAY_SIZE(maps) && ret == MNL_CB_OK; i++)
		ret = put_map_cb(NAPT_CMD_GET_MAPS, &maps[i], save_map_print);
	for (i = 0; i < ARRAY_SIZE(save_maps) && ret == MNL_CB_OK; i++)
		ret = put_map_cb(NAPT_CMD_GET_MAPS, &save_maps[i],
				 save_map_print);
	return ret;
}

/* ext-addr follows the interface: no ext-addr; few settings. */
static int case_save_auto(void)
{
	struct nlmsghdr *nlh = msg_start(NAPT_CMD_GET_CONFIG);
	bool running = false;
	struct nlattr *nest;

	mnl_attr_put_u8(nlh, NAPT_A_RUNNING, 1);
	mnl_attr_put_u32(nlh, NAPT_A_EXT_IFINDEX, 1);
	nest = mnl_attr_nest_start(nlh, NAPT_A_EXT_ADDRS);
	mnl_attr_put_u32(nlh, NAPT_A_EXT_ADDRS_ENTRY, ip("203.0.113.1"));
	mnl_attr_nest_end(nlh, nest);
	nest = mnl_attr_nest_start(nlh, NAPT_A_INT_NETS);
	put_prefix(nlh, "192.168.1.0", 24);
	mnl_attr_nest_end(nlh, nest);
	nest = mnl_attr_nest_start(nlh, NAPT_A_BEHAVIOURS);
	put_behav(nlh, 0, NAPT_MAPPING_EIM, NAPT_FILTER_APDF);
	mnl_attr_nest_end(nlh, nest);
	mnl_attr_put_u8(nlh, NAPT_A_EXT_FROM_IF, 1);
	return save_config_print(nlh, &running);
}

static int case_save_down(void)
{
	struct nlmsghdr *nlh = msg_start(NAPT_CMD_GET_CONFIG);
	bool running = true;
	int ret;

	mnl_attr_put_u8(nlh, NAPT_A_RUNNING, 0);
	ret = save_config_print(nlh, &running);
	printf("running: %d\n", running);
	return ret;
}

static int case_maps(void)
{
	int ret = MNL_CB_OK;
	size_t i;

	open_json_array(PRINT_JSON, NULL);
	for (i = 0; i < ARRAY_SIZE(maps) && ret == MNL_CB_OK; i++)
		ret = put_map(NAPT_CMD_GET_MAPS, &maps[i]);
	close_json_array(PRINT_JSON);
	return ret;
}

/* The reply to NAPT_CMD_ADD_MAP: the port the kernel chose. */
static int case_map_add(void)
{
	static const struct test_map m = {
		IPPROTO_UDP, NAPT_MAP_STATIC, "192.168.1.2", 5000,
		"203.0.113.1", 1024, NULL, 0, NAPT_MAPPING_EIM,
		.permanent = true, .has_owner = true,
		.owner = NAPT_OWNER_ADMIN,
	};

	return put_map(NAPT_CMD_ADD_MAP, &m);
}

static int put_event(uint8_t event, uint8_t reason, uint64_t time,
		     uint8_t type, const char *ext_addr, uint16_t ext_port)
{
	struct nlmsghdr *nlh = msg_start(NAPT_CMD_MAP_EVENT);
	struct nlattr *nest = mnl_attr_nest_start(nlh, NAPT_A_MAP);

	mnl_attr_put_u8(nlh, NAPT_MAP_A_PROTO, IPPROTO_UDP);
	mnl_attr_put_u8(nlh, NAPT_MAP_A_TYPE, type);
	mnl_attr_put_u32(nlh, NAPT_MAP_A_INT_ADDR, ip("192.168.1.2"));
	mnl_attr_put_u16(nlh, NAPT_MAP_A_INT_PORT, htons(5000));
	if (ext_addr) {
		mnl_attr_put_u32(nlh, NAPT_MAP_A_EXT_ADDR, ip(ext_addr));
		mnl_attr_put_u16(nlh, NAPT_MAP_A_EXT_PORT, htons(ext_port));
	}
	mnl_attr_put_u8(nlh, NAPT_MAP_A_EVENT, event);
	mnl_attr_put_u8(nlh, NAPT_MAP_A_REASON, reason);
	mnl_attr_put_u64(nlh, NAPT_MAP_A_TIME, time);
	mnl_attr_nest_end(nlh, nest);
	return event_print(nlh, NULL);
}

static int case_events(void)
{
	/* 2026-11-27T15:43:12.345678901Z */
	const uint64_t t = 1795794192345678901ULL;
	int ret;

	ret = put_event(NAPT_EVENT_CREATED, NAPT_REASON_NONE, t,
			NAPT_MAP_DYNAMIC, "203.0.113.1", 5000);
	if (ret == MNL_CB_OK)
		ret = put_event(NAPT_EVENT_REMOVED, NAPT_REASON_EXPIRED,
				t + 300000000000ULL, NAPT_MAP_DYNAMIC,
				"203.0.113.1", 5000);
	if (ret == MNL_CB_OK)
		ret = put_event(NAPT_EVENT_REFUSED, NAPT_REASON_NO_PORT,
				t + 300999000000ULL, NAPT_MAP_DYNAMIC, NULL,
				0);
	if (ret == MNL_CB_OK)
		ret = put_event(NAPT_EVENT_REMOVED, NAPT_REASON_DELETED, 0,
				NAPT_MAP_STATIC, "203.0.113.1", 8080);
	/* a newer kernel */
	if (ret == MNL_CB_OK)
		ret = put_event(9, 42, t, NAPT_MAP_STATIC, "203.0.113.1", 1);
	return ret;
}

static int case_stats(void)
{
	struct nlmsghdr *nlh = msg_start(NAPT_CMD_GET_STATS);
	struct nlattr *nest = mnl_attr_nest_start(nlh, NAPT_A_STATS);

	mnl_attr_put(nlh, NAPT_STAT_A_PAD, 0, NULL);
	mnl_attr_put_u64(nlh, NAPT_STAT_OUT_PKTS, 10);
	mnl_attr_put_u64(nlh, NAPT_STAT_DROP_FILTERED, 18446744073709551615ULL);
	mnl_attr_put_u64(nlh, NAPT_STAT_PASS_LOCAL, 2);
	mnl_attr_put_u64(nlh, NAPT_STAT_DROP_HOST_LIMIT, 3);
	mnl_attr_put_u64(nlh, NAPT_STAT_HAIRPIN_PKTS, 4);
	mnl_attr_put_u64(nlh, NAPT_STAT_ICMP_ERR_OUT, 5);
	mnl_attr_put_u64(nlh, NAPT_STAT_ICMP_ERR_IN, 6);
	mnl_attr_put_u64(nlh, NAPT_STAT_ICMP_UNREACH_SENT, 7);
	mnl_attr_put_u64(nlh, NAPT_STAT_DROP_ICMP_ERR, 8);
	mnl_attr_put_u64(nlh, NAPT_STAT_SYN_HELD, 9);
	mnl_attr_put_u64(nlh, NAPT_STAT_SYN_HOLD_MATCHED, 10);
	mnl_attr_put_u64(nlh, NAPT_STAT_SYN_HOLD_UNREACH, 11);
	mnl_attr_put_u64(nlh, NAPT_STAT_SYN_HOLD_FULL, 12);
	mnl_attr_put_u64(nlh, 99, 7);			/* a newer counter */
	mnl_attr_nest_end(nlh, nest);
	return stats_print(nlh, NULL);
}

static int case_escape(void)
{
	open_json_object(NULL);
	print_string(PRINT_ANY, "s", "%s\n", "q\"b\\n\nt\tc\x01");
	open_json_array(PRINT_JSON, "empty");
	close_json_array(PRINT_JSON);
	open_json_object("o");
	print_u64(PRINT_JSON, "big", NULL, UINT64_MAX);
	print_bool(PRINT_JSON, "f", NULL, false);
	close_json_object();
	/* left open: output_end() closes it */
	return MNL_CB_OK;
}

static int count_cb(const struct nlmsghdr *nlh, void *data)
{
	(void)nlh;
	++*(unsigned int *)data;
	return MNL_CB_OK;
}

/* An extended ack from the real kernel, and a real multi-part dump. */
static int case_kernel(void)
{
	static struct napt_nl nl;
	struct nlmsghdr *nlh;
	unsigned int n = 0;
	uint32_t group = 0;
	int err;

	if (napt_nl_open(&nl))
		return MNL_CB_ERROR;
	nl.family = GENL_ID_CTRL;

	/* Strict validation of CTRL_CMD_GETPOLICY rejects the unknown type. */
	nlh = napt_nl_msg_family(&nl, GENL_ID_CTRL, CTRL_CMD_GETPOLICY, 1,
				 NLM_F_DUMP);
	mnl_attr_put_u32(nlh, CTRL_ATTR_MAX + 20, 1);
	err = napt_nl_talk(&nl, nlh, count_cb, &n);
	nl_perror(&nl, err);
	/* ... and points at it: the first attribute after the headers */
	printf("offset: %s\n", nl.ext_off == NLMSG_HDRLEN + GENL_HDRLEN ?
	       "ok" : "failed");

	nlh = napt_nl_msg_family(&nl, GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 1,
				 NLM_F_DUMP);
	err = napt_nl_talk(&nl, nlh, count_cb, &n);
	printf("dump: %s\n", !err && n ? "ok" : "failed");

	/* The controller's own family and multicast group. */
	if (!err)
		err = napt_nl_resolve_family(&nl, "nlctrl", "notify", &group);
	printf("group: %s\n", !err && nl.family == GENL_ID_CTRL &&
	       group == GENL_ID_CTRL ? "ok" : "failed");
	if (!err)
		err = napt_nl_resolve_family(&nl, "nlctrl", "no-such-group",
					&group);
	printf("no group: %s\n", !err && !group ? "ok" : "failed");
	napt_nl_close(&nl);
	return err ? MNL_CB_ERROR : MNL_CB_OK;
}

/*
 * The loop of natctl monitor on the controller's "notify" group (nothing
 * comes there unless a family registers): SIGINT or SIGTERM ends it
 * with status 0.
 */
static int case_monitor(void)
{
	static struct natctl ctl;
	int err;

	if (napt_nl_open(&ctl.nl))
		return MNL_CB_ERROR;
	err = napt_nl_resolve_family(&ctl.nl, "nlctrl", "notify",
				&ctl.events_group);
	if (err) {
		nl_perror(&ctl.nl, err);
		return MNL_CB_ERROR;
	}
	err = monitor_run(&ctl);
	napt_nl_close(&ctl.nl);
	printf("monitor: %d\n", err);
	return err ? MNL_CB_ERROR : MNL_CB_OK;
}

/* One line per entry of a nest of the request: "name [type T] ...". */
static void dump_nest(const char *name, const struct nlattr *nest)
{
	const struct nlattr *e, *a;
	char b[INET_ADDRSTRLEN];

	bool nets = !strcmp(name, "int_nets");

	mnl_attr_for_each_nested(e, nest) {
		printf("%s [type %u]", name, mnl_attr_get_type(e));
		if (!strcmp(name, "ext_addrs")) {
			printf(" %s\n", addr_str(mnl_attr_get_u32(e), b));
			continue;
		}
		mnl_attr_for_each_nested(a, e) {
			unsigned int t = mnl_attr_get_type(a);

			if (nets && t == NAPT_PREFIX_A_ADDR)
				printf(" addr %s",
				       addr_str(mnl_attr_get_u32(a), b));
			else if (nets && t == NAPT_PREFIX_A_LEN)
				printf(" len %u", mnl_attr_get_u8(a));
			else if (t == NAPT_BEHAV_A_PROTO)
				printf(" proto %u", mnl_attr_get_u8(a));
			else if (t == NAPT_BEHAV_A_MAPPING)
				printf(" mapping %u", mnl_attr_get_u8(a));
			else if (t == NAPT_BEHAV_A_FILTERING)
				printf(" filtering %u", mnl_attr_get_u8(a));
			else
				printf(" ?%u", t);
		}
		putchar('\n');
	}
	if (!mnl_attr_get_payload_len(nest))
		printf("%s empty\n", name);
}

/* How a request attribute is printed: "NAME VALUE". */
enum attr_kind {
	A_NONE,		/* not expected: "unknown ..." */
	A_U8,
	A_U16,
	A_U32,
	A_ADDR,		/* NLA_BE32 */
	A_PORT,		/* NLA_BE16: "80 (be16 0x5000)" */
	A_STR,		/* "[LEN] TEXT" */
	A_FLAG,		/* "[LEN]" */
	A_U8_LEN,	/* "[LEN] VALUE" */
	A_HEX,		/* "[LEN] 0a1b..." */
};

struct attr_fmt {
	const char *name;
	enum attr_kind kind;
};

static void print_attr(const struct attr_fmt *f, const struct nlattr *a)
{
	const uint8_t *p = mnl_attr_get_payload(a);
	uint16_t i, n = mnl_attr_get_payload_len(a);
	char b[INET_ADDRSTRLEN];

	printf("%s", f->name);
	switch (f->kind) {
	case A_U8:
		printf(" %u", mnl_attr_get_u8(a));
		break;
	case A_U16:
		printf(" %u", mnl_attr_get_u16(a));
		break;
	case A_U32:
		printf(" %u", mnl_attr_get_u32(a));
		break;
	case A_ADDR:
		printf(" %s", addr_str(mnl_attr_get_u32(a), b));
		break;
	case A_PORT:
		printf(" %u (be16 %#06x)", ntohs(mnl_attr_get_u16(a)),
		       mnl_attr_get_u16(a));
		break;
	case A_STR:
		printf(" [%u] %s", n, mnl_attr_get_str(a));
		break;
	case A_FLAG:
		printf(" [%u]", n);
		break;
	case A_U8_LEN:
		printf(" [%u] %u", n, mnl_attr_get_u8(a));
		break;
	case A_HEX:
		printf(" [%u] ", n);
		for (i = 0; i < n; i++)
			printf("%02x", p[i]);
		break;
	case A_NONE:
		break;
	}
	putchar('\n');
}

/* What "natctl map list|add|del ARGS" would send. */
static int map_request(int argc, char **argv)
{
	static const struct attr_fmt fmt[NAPT_MAP_A_MAX + 1] = {
		[NAPT_MAP_A_PROTO] = { "proto", A_U8 },
		[NAPT_MAP_A_TYPE] = { "type", A_U8 },
		[NAPT_MAP_A_INT_ADDR] = { "int_addr", A_ADDR },
		[NAPT_MAP_A_INT_PORT] = { "int_port", A_PORT },
		[NAPT_MAP_A_EXT_ADDR] = { "ext_addr", A_ADDR },
		[NAPT_MAP_A_EXT_PORT] = { "ext_port", A_PORT },
		[NAPT_MAP_A_REM_ADDR] = { "rem_addr", A_ADDR },
		[NAPT_MAP_A_LEASE] = { "lease", A_U32 },
		[NAPT_MAP_A_DESC] = { "desc", A_STR },
		[NAPT_MAP_A_REPLACE] = { "replace", A_FLAG },
		[NAPT_MAP_A_OWNER] = { "owner", A_U8_LEN },
		[NAPT_MAP_A_COOKIE] = { "cookie", A_HEX },
	};
	static const struct {
		const char *name;
		void (*parse)(struct map_req *r, int argc, char **argv);
	} cmds[] = {
		{ "map-list", map_list_parse },
		{ "map-add", map_add_parse },
		{ "map-del", map_del_parse },
	};
	struct nlmsghdr *nlh = msg_start(NAPT_CMD_ADD_MAP);
	const struct nlattr *a, *m;
	struct map_req r;
	unsigned int t;

	cmds[keyword(NULL, "command", argv[0], cmds)].parse(&r, argc - 1,
							   argv + 1);
	map_req_put(nlh, &r);
	mnl_attr_for_each(a, nlh, GENL_HDRLEN) {
		if (mnl_attr_get_type(a) != NAPT_A_MAP) {
			printf("unknown %u\n", mnl_attr_get_type(a));
			continue;
		}
		mnl_attr_for_each_nested(m, a) {
			t = mnl_attr_get_type(m);
			if (t > NAPT_MAP_A_MAX || !fmt[t].kind)
				printf("unknown map %u\n", t);
			else
				print_attr(&fmt[t], m);
		}
	}
	return MNL_CB_OK;
}

/* What "natctl up|set ARGS" would send. */
static int request(int argc, char **argv)
{
	static const struct attr_fmt fmt[NAPT_A_MAX + 1] = {
		[NAPT_A_EXT_IFNAME] = { "ext_ifname", A_STR },
		[NAPT_A_EXT_ADDRS] = { "ext_addrs", A_NONE },
		[NAPT_A_INT_NETS] = { "int_nets", A_NONE },
		[NAPT_A_PORT_MIN] = { "port_min", A_U16 },
		[NAPT_A_PORT_MAX] = { "port_max", A_U16 },
		[NAPT_A_TIMEOUT_UDP] = { "timeout_udp", A_U32 },
		[NAPT_A_TIMEOUT_TCP_EST] = { "timeout_tcp_est", A_U32 },
		[NAPT_A_TIMEOUT_TCP_TRANS] = { "timeout_tcp_trans", A_U32 },
		[NAPT_A_TIMEOUT_ICMP] = { "timeout_icmp", A_U32 },
		[NAPT_A_BEHAVIOURS] = { "behaviours", A_NONE },
		[NAPT_A_FLAGS] = { "flags", A_NONE },
		[NAPT_A_MAX_MAPS] = { "max_maps", A_U32 },
		[NAPT_A_MAX_SESSIONS] = { "max_sessions", A_U32 },
		[NAPT_A_MAX_MAPS_PER_HOST] = { "max_maps_per_host", A_U32 },
		[NAPT_A_PORT_REUSE_DELAY] = { "port_reuse_delay", A_U32 },
		[NAPT_A_SYN_HOLD] = { "syn_hold", A_U32 },
		[NAPT_A_MARK_STATIC] = { "mark_static", A_U32 },
		[NAPT_A_MARK_STATIC_MASK] = { "mark_static_mask", A_U32 },
	};
	static const char *const cmds[] = { "up", "set" };
	struct nlmsghdr *nlh = msg_start(NAPT_CMD_UP);
	struct nla_bitfield32 bf;
	const struct nlattr *a;
	struct napt_opts o;
	unsigned int t;
	bool up;

	if (argc < 1)
		usage_err("test-print request COMMAND ARGS...");
	if (!strncmp(argv[0], "map-", 4))
		return map_request(argc, argv);
	up = keyword(NULL, "command", argv[0], cmds) == 0;
	opts_parse(&o, up, argc - 1, argv + 1);
	opts_put(nlh, &o);
	mnl_attr_for_each(a, nlh, GENL_HDRLEN) {
		t = mnl_attr_get_type(a);
		if (t > NAPT_A_MAX || !fmt[t].name) {
			printf("unknown %u\n", t);
		} else if (t == NAPT_A_FLAGS) {
			memcpy(&bf, mnl_attr_get_payload(a), sizeof(bf));
			printf("flags value %#x selector %#x\n", bf.value,
			       bf.selector);
		} else if (fmt[t].kind == A_NONE) {
			dump_nest(fmt[t].name, a);
		} else {
			print_attr(&fmt[t], a);
		}
	}
	return MNL_CB_OK;
}

/* The commands of "test-print batch": how batch.c split the line. */
static int batch_echo(struct natctl *ctl, int argc, char **argv)
{
	int i;

	(void)ctl;
	printf("%d:", argc);
	for (i = 0; i < argc; i++)
		printf(" [%s]", argv[i]);
	putchar('\n');
	return EXIT_SUCCESS;
}

static int batch_fail(struct natctl *ctl, int argc, char **argv)
{
	(void)ctl;
	(void)argc;
	(void)argv;
	error("it failed");
	return EXIT_FAILURE;
}

static int batch_usage(struct natctl *ctl, int argc, char **argv)
{
	(void)ctl;
	no_more_args("usage", argc, argv);
	return EXIT_SUCCESS;
}

/* What natctl would send for the up and map add lines of natctl save. */
static int batch_up(struct natctl *ctl, int argc, char **argv)
{
	(void)ctl;
	return request(argc + 1, argv - 1) == MNL_CB_OK ? EXIT_SUCCESS :
	       EXIT_FAILURE;
}

static int batch_map(struct natctl *ctl, int argc, char **argv)
{
	char *args[64];
	int i;

	(void)ctl;
	if (argc < 1 || strcmp(argv[0], "add") || argc >= (int)ARRAY_SIZE(args))
		usage_err("test-print batch: map add only");
	args[0] = "map-add";
	for (i = 1; i < argc; i++)
		args[i] = argv[i];
	return request(argc, args) == MNL_CB_OK ? EXIT_SUCCESS : EXIT_FAILURE;
}

static int batch(const char *file)
{
	static const struct cmd cmds[] = {
		{ "up", batch_up },
		{ "map", batch_map },
		{ "echo", batch_echo },
		{ "fail", batch_fail },
		{ "usage", batch_usage },
	};
	static struct natctl ctl;

	return batch_run(&ctl, file, cmds, ARRAY_SIZE(cmds));
}

static const struct {
	const char *name;
	int (*fn)(void);
} cases[] = {
	{ "show-up", case_show_up },
	{ "show-auto", case_show_auto },
	{ "show-waiting", case_show_waiting },
	{ "save-waiting", case_save_waiting },
	{ "show-down", case_show_down },
	{ "show-bad", case_show_bad },
	{ "maps", case_maps },
	{ "map-add", case_map_add },
	{ "save", case_save },
	{ "save-auto", case_save_auto },
	{ "save-down", case_save_down },
	{ "events", case_events },
	{ "stats", case_stats },
	{ "escape", case_escape },
	{ "kernel", case_kernel },
	{ "monitor", case_monitor },
};

int main(int argc, char **argv)
{
	bool json = false, pretty = false;
	int ret;

	napt_nl_report = error;
	for (argc--, argv++; argc > 0 && argv[0][0] == '-'; argc--, argv++) {
		if (!strcmp(argv[0], "-j"))
			json = true;
		else if (!strcmp(argv[0], "-p"))
			pretty = true;
		else
			usage_err("test-print [ -j ] [ -p ] CASE");
	}
	if (argc < 1)
		usage_err("test-print [ -j ] [ -p ] CASE");
	output_init(json, pretty);
	if (!strcmp(argv[0], "request"))
		ret = request(argc - 1, argv + 1);
	else if (!strcmp(argv[0], "batch") && argc == 2)
		return batch(argv[1]);
	else if (argc == 1)
		ret = cases[keyword(NULL, "case", argv[0], cases)].fn();
	else
		usage_err("test-print [ -j ] [ -p ] CASE");
	if (output_end())
		ret = MNL_CB_ERROR;
	return ret == MNL_CB_ERROR ? EXIT_FAILURE : EXIT_SUCCESS;
}
