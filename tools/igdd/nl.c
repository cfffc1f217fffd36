// SPDX-License-Identifier: GPL-2.0
/*
 * igdd: generic netlink requests to the napt family over libmnl.
 *
 * One socket, opened at start-up (before the capabilities are dropped;
 * the requests themselves still need CAP_NET_ADMIN, which igdd keeps).
 * Requests are synchronous: the kernel answers a local request at once.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>

#include "nl.h"

static struct mnl_socket *sock;
static uint16_t family;
static uint32_t portid, seq;
static char rxbuf[32768];

void igd_nl_close(void)
{
	if (sock)
		mnl_socket_close(sock);
	sock = NULL;
	family = 0;
}

static struct nlmsghdr *msg_start(char *buf, uint16_t type, uint8_t cmd,
				  uint8_t version, uint16_t flags)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct genlmsghdr *g;

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	if (!(flags & NLM_F_DUMP))
		nlh->nlmsg_flags |= NLM_F_ACK;
	nlh->nlmsg_seq = ++seq;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = cmd;
	g->version = version;
	return nlh;
}

struct talk {
	mnl_cb_t cb;
	void *arg;
	uint16_t type;
};

static int data_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct talk *t = arg;

	if (nlh->nlmsg_type != t->type || !t->cb)
		return MNL_CB_OK;
	if (mnl_nlmsg_get_payload_len(nlh) < GENL_HDRLEN)
		return MNL_CB_ERROR;
	return t->cb(nlh, t->arg);
}

/* Send @nlh and run the answers through @cb until the ack or the end of the dump. */
static int talk(struct nlmsghdr *nlh, mnl_cb_t cb, void *arg)
{
	struct talk t = { .cb = cb, .arg = arg, .type = nlh->nlmsg_type };
	uint32_t myseq = nlh->nlmsg_seq;
	ssize_t len;
	int ret;

	if (!sock)
		return -ENOTCONN;
	if (mnl_socket_sendto(sock, nlh, nlh->nlmsg_len) < 0)
		return -errno;
	do {
		len = mnl_socket_recvfrom(sock, rxbuf, sizeof(rxbuf));
		if (len < 0)
			return errno == ENOBUFS ? -EAGAIN : -errno;
		errno = 0;
		ret = mnl_cb_run(rxbuf, len, myseq, portid, data_cb, &t);
		if (ret == MNL_CB_ERROR)
			return errno ? -errno : -EBADMSG;
	} while (ret > MNL_CB_STOP);
	return 0;
}

static int family_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct nlattr *a;

	mnl_attr_for_each(a, nlh, GENL_HDRLEN) {
		if (mnl_attr_get_type(a) == CTRL_ATTR_FAMILY_ID &&
		    mnl_attr_validate(a, MNL_TYPE_U16) >= 0)
			*(uint16_t *)arg = mnl_attr_get_u16(a);
	}
	return MNL_CB_OK;
}

int igd_nl_open(void)
{
	char buf[256];
	struct nlmsghdr *nlh;
	uint16_t id = 0;
	int one = 1, err;

	if (sock)
		return 0;
	sock = mnl_socket_open(NETLINK_GENERIC);
	if (!sock)
		return -errno;
	if (mnl_socket_bind(sock, 0, MNL_SOCKET_AUTOPID) < 0) {
		err = -errno;
		igd_nl_close();
		return err;
	}
	mnl_socket_setsockopt(sock, NETLINK_CAP_ACK, &one, sizeof(one));
	portid = mnl_socket_get_portid(sock);
	seq = time(NULL);
	nlh = msg_start(buf, GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 1, 0);
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, NAPT_GENL_NAME);
	err = talk(nlh, family_cb, &id);
	if (!err && !id)
		err = -EBADMSG;
	if (err) {
		igd_nl_close();
		return err;
	}
	family = id;
	return 0;
}

static struct nlmsghdr *napt_msg(char *buf, uint8_t cmd, uint16_t flags)
{
	return msg_start(buf, family, cmd, NAPT_GENL_VERSION, flags);
}

/* Attribute lengths of a NAPT_A_MAP; 0: not checked here. */
static int map_attr_ok(const struct nlattr *a)
{
	static const uint8_t len[NAPT_MAP_A_MAX + 1] = {
		[NAPT_MAP_A_PROTO] = 1, [NAPT_MAP_A_TYPE] = 1,
		[NAPT_MAP_A_INT_ADDR] = 4, [NAPT_MAP_A_INT_PORT] = 2,
		[NAPT_MAP_A_EXT_ADDR] = 4, [NAPT_MAP_A_EXT_PORT] = 2,
		[NAPT_MAP_A_REM_ADDR] = 4, [NAPT_MAP_A_REM_PORT] = 2,
		[NAPT_MAP_A_EXPIRES] = 4, [NAPT_MAP_A_LEASE] = 4,
		[NAPT_MAP_A_OWNER] = 1,
	};
	uint16_t t = mnl_attr_get_type(a);

	if (t > NAPT_MAP_A_MAX || !len[t])
		return 1;
	return mnl_attr_get_payload_len(a) == len[t];
}

/* Parse one NAPT_A_MAP nest into @m; -1 if malformed. @type: its NAPT_MAP_A_TYPE. */
static int parse_map(const struct nlattr *nest, struct igd_map *m, int *type)
{
	const struct nlattr *a;

	memset(m, 0, sizeof(*m));
	*type = -1;
	mnl_attr_for_each_nested(a, nest) {
		const void *p = mnl_attr_get_payload(a);
		uint16_t plen = mnl_attr_get_payload_len(a);

		if (!map_attr_ok(a))
			return -1;
		switch (mnl_attr_get_type(a)) {
		case NAPT_MAP_A_PROTO:
			m->proto = *(uint8_t *)p;
			break;
		case NAPT_MAP_A_TYPE:
			*type = *(uint8_t *)p;
			break;
		case NAPT_MAP_A_INT_ADDR:
			memcpy(&m->int_addr, p, 4);
			break;
		case NAPT_MAP_A_INT_PORT:
			memcpy(&m->int_port, p, 2);
			break;
		case NAPT_MAP_A_EXT_ADDR:
			memcpy(&m->ext_addr, p, 4);
			break;
		case NAPT_MAP_A_EXT_PORT:
			memcpy(&m->ext_port, p, 2);
			break;
		case NAPT_MAP_A_REM_ADDR:
			memcpy(&m->remote, p, 4);
			break;
		case NAPT_MAP_A_EXPIRES:
			memcpy(&m->expires, p, 4);
			break;
		case NAPT_MAP_A_LEASE:
			memcpy(&m->lease, p, 4);
			break;
		case NAPT_MAP_A_OWNER:
			m->owner = *(uint8_t *)p;
			break;
		case NAPT_MAP_A_COOKIE:
			if (plen > IGD_COOKIE_MAX)
				return -1;
			memcpy(m->cookie, p, plen);
			m->cookie_len = plen;
			break;
		case NAPT_MAP_A_DESC:
			if (plen >= IGD_DESC_MAX)
				plen = IGD_DESC_MAX - 1;
			memcpy(m->desc, p, plen);
			m->desc[plen] = '\0';
			break;
		}
	}
	return 0;
}

struct add_ctx {
	struct igd_map *out;
	bool got;
};

static int add_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct add_ctx *c = arg;
	struct nlattr *a;
	int type;

	mnl_attr_for_each(a, nlh, GENL_HDRLEN) {
		if (mnl_attr_get_type(a) != NAPT_A_MAP)
			continue;
		if (parse_map(a, c->out, &type))
			return MNL_CB_ERROR;
		c->got = true;
	}
	return MNL_CB_OK;
}

int igd_nl_add(const struct igd_map *m, bool replace, struct igd_map *out)
{
	char buf[1024];
	struct add_ctx c = { .out = out };
	struct nlmsghdr *nlh = napt_msg(buf, NAPT_CMD_ADD_MAP, 0);
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
	char buf[512];
	struct nlmsghdr *nlh = napt_msg(buf, NAPT_CMD_DEL_MAP, 0);
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
	struct nlattr *a;
	int type;

	if (c->stopped)
		return MNL_CB_OK;	/* drain the rest of the dump */
	mnl_attr_for_each(a, nlh, GENL_HDRLEN) {
		if (mnl_attr_get_type(a) != NAPT_A_MAP)
			continue;
		if (parse_map(a, &m, &type))
			return MNL_CB_ERROR;
		if (type != NAPT_MAP_STATIC)
			continue;
		if (c->cb(&m, c->arg)) {
			c->stopped = true;
			break;
		}
	}
	return MNL_CB_OK;
}

int igd_nl_dump(const struct igd_nl_filter *f,
		int (*cb)(const struct igd_map *m, void *arg), void *arg)
{
	char buf[512];
	struct dump_ctx c = { .cb = cb, .arg = arg };
	struct nlmsghdr *nlh = napt_msg(buf, NAPT_CMD_GET_MAPS, NLM_F_DUMP);
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
	char buf[256];
	struct nlmsghdr *nlh = napt_msg(buf, NAPT_CMD_GET_CONFIG, 0);
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
	char buf[256];
	struct nlmsghdr *nlh = napt_msg(buf, NAPT_CMD_GET_CONFIG, 0);

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
	char buf[256];
	struct nlmsghdr *nlh = napt_msg(buf, NAPT_CMD_GET_STATS, 0);

	memset(stats, 0, sizeof(uint64_t) * (NAPT_STAT_MAX + 1));
	return talk(nlh, stats_cb, stats);
}
