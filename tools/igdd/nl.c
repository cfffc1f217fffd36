// SPDX-License-Identifier: GPL-2.0
/*
 * igdd: generic netlink requests to the napt family, over the client it
 * shares with natctl (tools/lib/napt_nl.c).
 *
 * One socket, opened at start-up (before the capabilities are dropped;
 * the requests themselves still need CAP_NET_ADMIN, which igdd keeps).
 * Requests are synchronous: the kernel answers a local request at once.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>

#include "napt_nl.h"
#include "nl.h"
#include "soap.h"		/* igd_log() */

/* The socket (nl.sock NULL: closed), its family, and the buffers. */
static struct napt_nl nl;

/* What the library cannot return (a malformed reply, an ack's warning). */
static void nl_report(const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	igd_log(LOG_WARNING, "netlink: %s", msg);
}

void igd_nl_close(void)
{
	napt_nl_close(&nl);
	nl.family = 0;
}

static const char *cmd_name(uint8_t cmd)
{
	switch (cmd) {
	case NAPT_CMD_ADD_MAP: return "ADD_MAP";
	case NAPT_CMD_DEL_MAP: return "DEL_MAP";
	case NAPT_CMD_GET_MAPS: return "GET_MAPS";
	case NAPT_CMD_GET_CONFIG: return "GET_CONFIG";
	case NAPT_CMD_GET_STATS: return "GET_STATS";
	}
	return "request";
}

/*
 * Send @nlh and run the answers through @cb until the ack or the end of
 * the dump; a failure is logged with the kernel's extended-ack message
 * (debug level for the answers the callers expect and handle).
 */
static int talk(struct nlmsghdr *nlh, mnl_cb_t cb, void *arg)
{
	const struct genlmsghdr *g = mnl_nlmsg_get_payload(nlh);
	int err = napt_nl_talk(&nl, nlh, cb, arg);

	if (!err || err == -ENOTCONN)
		return err;
	if (err == -ENOBUFS)
		err = -EAGAIN;		/* replies lost to a full buffer */
	if (!nl.reported)
		igd_log(err == -EEXIST || err == -EADDRINUSE || err == -ENOENT ?
			LOG_DEBUG : LOG_INFO, "napt %s: %s%s%s",
			cmd_name(g->cmd), strerror(-err),
			nl.ext_msg[0] ? ": " : "", nl.ext_msg);
	return err;
}

int igd_nl_open(void)
{
	int err;

	if (nl.sock)
		return 0;
	napt_nl_report = nl_report;
	err = napt_nl_open(&nl);
	if (err)
		return err;
	/* not logged: mapping.c tries again until napt is loaded */
	err = napt_nl_resolve_family(&nl, NAPT_GENL_NAME, NULL, NULL);
	if (err) {
		igd_nl_close();
		return err;
	}
	return 0;
}

static struct nlmsghdr *napt_msg(uint8_t cmd, uint16_t flags)
{
	return napt_nl_msg(&nl, cmd, flags);
}

/*
 * The NAPT_A_MAP of @nlh into @m, *@type its NAPT_MAP_A_TYPE (-1: none):
 * 1, 0 if there is none, -1 if malformed (reported).
 */
static int parse_map(const struct nlmsghdr *nlh, struct igd_map *m, int *type)
{
	struct napt_nl_map n;
	int ret = napt_nl_get_map(nlh, &n);

	memset(m, 0, sizeof(*m));
	*type = -1;
	if (ret <= 0)
		return ret;
	if (n.cookie_len > IGD_COOKIE_MAX) {
		napt_nl_bad_reply("cookie");
		return -1;
	}
	if (NAPT_NL_MAP_HAS(&n, TYPE))
		*type = n.type;
	m->proto = n.proto;
	m->int_addr.s_addr = n.int_addr;
	m->int_port = n.int_port;
	m->ext_addr.s_addr = n.ext_addr;
	m->ext_port = n.ext_port;
	m->remote.s_addr = n.rem_addr;
	m->expires = n.expires;
	m->lease = n.lease;
	m->owner = n.owner;
	if (n.cookie) {
		memcpy(m->cookie, n.cookie, n.cookie_len);
		m->cookie_len = n.cookie_len;
	}
	if (n.desc)
		snprintf(m->desc, sizeof(m->desc), "%s", n.desc);
	return 1;
}

struct add_ctx {
	struct igd_map *out;
	bool got;
};

static int add_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct add_ctx *c = arg;
	struct igd_map m;
	int type;

	switch (parse_map(nlh, &m, &type)) {
	case -1:
		return MNL_CB_ERROR;
	case 1:
		*c->out = m;
		c->got = true;
	}
	return MNL_CB_OK;
}

int igd_nl_add(const struct igd_map *m, bool replace, struct igd_map *out)
{
	struct add_ctx c = { .out = out };
	struct nlmsghdr *nlh = napt_msg(NAPT_CMD_ADD_MAP, 0);
	struct nlattr *nest = mnl_attr_nest_start(nlh, NAPT_A_MAP);
	int err;

	mnl_attr_put_u8(nlh, NAPT_MAP_A_PROTO, m->proto);
	mnl_attr_put(nlh, NAPT_MAP_A_INT_ADDR, 4, &m->int_addr);
	mnl_attr_put(nlh, NAPT_MAP_A_INT_PORT, 2, &m->int_port);
	if (m->ext_port)
		mnl_attr_put(nlh, NAPT_MAP_A_EXT_PORT, 2, &m->ext_port);
	if (m->ext_addr.s_addr)
		mnl_attr_put(nlh, NAPT_MAP_A_EXT_ADDR, 4, &m->ext_addr);
	if (m->remote.s_addr)
		mnl_attr_put(nlh, NAPT_MAP_A_REM_ADDR, 4, &m->remote);
	if (m->lease)
		mnl_attr_put_u32(nlh, NAPT_MAP_A_LEASE, m->lease);
	if (m->desc[0])
		mnl_attr_put(nlh, NAPT_MAP_A_DESC,
			     strnlen(m->desc, IGD_DESC_MAX - 1) + 1, m->desc);
	if (replace)
		mnl_attr_put(nlh, NAPT_MAP_A_REPLACE, 0, NULL);
	mnl_attr_put_u8(nlh, NAPT_MAP_A_OWNER, m->owner);
	if (m->cookie_len && m->cookie_len <= IGD_COOKIE_MAX)
		mnl_attr_put(nlh, NAPT_MAP_A_COOKIE, m->cookie_len, m->cookie);
	mnl_attr_nest_end(nlh, nest);
	err = talk(nlh, add_cb, &c);
	if (!err && !c.got) {
		/* an older kernel without a reply: report what was asked */
		*out = *m;
	}
	return err;
}

int igd_nl_del(uint8_t proto, struct in_addr ext_addr, uint16_t ext_port,
	       struct in_addr remote)
{
	struct nlmsghdr *nlh = napt_msg(NAPT_CMD_DEL_MAP, 0);
	struct nlattr *nest = mnl_attr_nest_start(nlh, NAPT_A_MAP);

	if (!ext_addr.s_addr)
		return -EINVAL;		/* a delete names its mapping */
	mnl_attr_put_u8(nlh, NAPT_MAP_A_PROTO, proto);
	mnl_attr_put(nlh, NAPT_MAP_A_EXT_ADDR, 4, &ext_addr);
	mnl_attr_put(nlh, NAPT_MAP_A_EXT_PORT, 2, &ext_port);
	if (remote.s_addr)
		mnl_attr_put(nlh, NAPT_MAP_A_REM_ADDR, 4, &remote);
	mnl_attr_nest_end(nlh, nest);
	return talk(nlh, NULL, NULL);
}

struct dump_ctx {
	int (*cb)(const struct igd_map *m, void *arg);
	void *arg;
	bool stopped;
};

static int dump_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct dump_ctx *c = arg;
	struct igd_map m;
	int type;

	if (c->stopped)
		return MNL_CB_OK;	/* drain the rest of the dump */
	switch (parse_map(nlh, &m, &type)) {
	case -1:
		return MNL_CB_ERROR;
	case 1:
		if (type == NAPT_MAP_STATIC && c->cb(&m, c->arg))
			c->stopped = true;
	}
	return MNL_CB_OK;
}

int igd_nl_dump(const struct igd_nl_filter *f,
		int (*cb)(const struct igd_map *m, void *arg), void *arg)
{
	struct dump_ctx c = { .cb = cb, .arg = arg };
	struct nlmsghdr *nlh = napt_msg(NAPT_CMD_GET_MAPS, NLM_F_DUMP);
	struct nlattr *nest = mnl_attr_nest_start(nlh, NAPT_A_MAP);

	mnl_attr_put_u8(nlh, NAPT_MAP_A_TYPE, NAPT_MAP_STATIC);
	if (f && f->proto)
		mnl_attr_put_u8(nlh, NAPT_MAP_A_PROTO, f->proto);
	if (f && f->ext_port)
		mnl_attr_put(nlh, NAPT_MAP_A_EXT_PORT, 2, &f->ext_port);
	if (f && f->int_addr.s_addr)
		mnl_attr_put(nlh, NAPT_MAP_A_INT_ADDR, 4, &f->int_addr);
	mnl_attr_nest_end(nlh, nest);
	return talk(nlh, dump_cb, &c);
}

static int config_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct in_addr *addr = arg;
	struct nlattr *a, *e;

	mnl_attr_for_each(a, nlh, GENL_HDRLEN) {
		if (mnl_attr_get_type(a) == NAPT_A_RUNNING &&
		    mnl_attr_get_payload_len(a) == 1 && !mnl_attr_get_u8(a))
			return MNL_CB_OK;
		if (mnl_attr_get_type(a) != NAPT_A_EXT_ADDRS)
			continue;
		mnl_attr_for_each_nested(e, a) {
			if (mnl_attr_get_payload_len(e) == 4) {
				memcpy(addr, mnl_attr_get_payload(e), 4);
				return MNL_CB_OK;
			}
		}
	}
	return MNL_CB_OK;
}

int igd_nl_ext_addr(struct in_addr *addr)
{
	struct nlmsghdr *nlh = napt_msg(NAPT_CMD_GET_CONFIG, 0);
	int err;

	addr->s_addr = 0;
	err = talk(nlh, config_cb, addr);
	if (err)
		return err;
	return addr->s_addr ? 0 : -ENOENT;
}

static int counts_cb(const struct nlmsghdr *nlh, void *arg)
{
	unsigned int *counts = arg;
	struct nlattr *a, *e;

	mnl_attr_for_each(a, nlh, GENL_HDRLEN) {
		if (mnl_attr_get_type(a) != NAPT_A_STATIC_COUNTS)
			continue;
		mnl_attr_for_each_nested(e, a) {
			uint16_t t = mnl_attr_get_type(e);

			if (t && t <= IGD_OWNER_MAX + 1 &&
			    mnl_attr_get_payload_len(e) == 4)
				counts[t - 1] = mnl_attr_get_u32(e);
		}
		return MNL_CB_OK;
	}
	return MNL_CB_ERROR;	/* a kernel that does not count them */
}

int igd_nl_static_counts(unsigned int counts[IGD_OWNER_MAX + 1])
{
	struct nlmsghdr *nlh = napt_msg(NAPT_CMD_GET_CONFIG, 0);

	memset(counts, 0, sizeof(unsigned int) * (IGD_OWNER_MAX + 1));
	return talk(nlh, counts_cb, counts);
}

static int stats_cb(const struct nlmsghdr *nlh, void *arg)
{
	uint64_t *stats = arg;
	struct nlattr *a, *e;

	mnl_attr_for_each(a, nlh, GENL_HDRLEN) {
		if (mnl_attr_get_type(a) != NAPT_A_STATS)
			continue;
		mnl_attr_for_each_nested(e, a) {
			uint16_t t = mnl_attr_get_type(e);

			if (t && t <= NAPT_STAT_MAX &&
			    mnl_attr_get_payload_len(e) == 8)
				memcpy(&stats[t], mnl_attr_get_payload(e), 8);
		}
	}
	return MNL_CB_OK;
}

int igd_nl_stats(uint64_t stats[NAPT_STAT_MAX + 1])
{
	struct nlmsghdr *nlh = napt_msg(NAPT_CMD_GET_STATS, 0);

	memset(stats, 0, sizeof(uint64_t) * (NAPT_STAT_MAX + 1));
	return talk(nlh, stats_cb, stats);
}
