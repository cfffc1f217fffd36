// SPDX-License-Identifier: GPL-2.0
/*
 * napt_nl: the generic netlink client of natctl and igdd (see napt_nl.h).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>

#include "napt_nl.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

_Static_assert(NAPT_MAP_A_MAX < 32, "struct napt_nl_map's has is 32 bits");

napt_nl_report_fn *napt_nl_report;

#define report(...) do {				\
	if (napt_nl_report)				\
		napt_nl_report(__VA_ARGS__);		\
} while (0)

int napt_nl_open(struct napt_nl *nl)
{
	int one = 1, err;

	nl->sock = mnl_socket_open(NETLINK_GENERIC);
	if (!nl->sock) {
		err = -errno;
		report("cannot open a generic netlink socket: %s",
		       strerror(-err));
		return err;
	}
	if (mnl_socket_bind(nl->sock, 0, MNL_SOCKET_AUTOPID) < 0) {
		err = -errno;
		report("cannot bind the netlink socket: %s", strerror(-err));
		napt_nl_close(nl);
		return err;
	}
	/* Both are best effort: without them errors are less precise. */
	mnl_socket_setsockopt(nl->sock, NETLINK_EXT_ACK, &one, sizeof(one));
	mnl_socket_setsockopt(nl->sock, NETLINK_CAP_ACK, &one, sizeof(one));
	nl->portid = mnl_socket_get_portid(nl->sock);
	nl->seq = time(NULL);
	return 0;
}

void napt_nl_close(struct napt_nl *nl)
{
	if (nl->sock)
		mnl_socket_close(nl->sock);
	nl->sock = NULL;
}

struct nlmsghdr *napt_nl_msg_family(struct napt_nl *nl, uint16_t family,
				    uint8_t cmd, uint8_t version,
				    uint16_t flags)
{
	struct nlmsghdr *nlh;
	struct genlmsghdr *genl;

	nlh = mnl_nlmsg_put_header(nl->tx);
	nlh->nlmsg_type = family;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	/* Without an ack a doit request would leave us waiting. */
	if (!(flags & NLM_F_DUMP))
		nlh->nlmsg_flags |= NLM_F_ACK;
	nlh->nlmsg_seq = ++nl->seq;
	genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
	genl->cmd = cmd;
	genl->version = version;
	return nlh;
}

struct nlmsghdr *napt_nl_msg(struct napt_nl *nl, uint8_t cmd, uint16_t flags)
{
	return napt_nl_msg_family(nl, nl->family, cmd, NAPT_GENL_VERSION,
				  flags);
}

struct talk_ctx {
	struct napt_nl *nl;
	uint16_t type;			/* the request's family */
	mnl_cb_t cb;
	void *data;
	int err;
};

/*
 * Keep the NLMSGERR_ATTR_MSG and NLMSGERR_ATTR_OFFS of the TLVs at @off
 * in the payload of @nlh.
 */
static void ext_ack(struct napt_nl *nl, const struct nlmsghdr *nlh,
		    size_t off)
{
	const struct nlattr *attr;

	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return;
	if (off > mnl_nlmsg_get_payload_len(nlh))
		return;
	mnl_attr_for_each(attr, nlh, off) {
		switch (mnl_attr_get_type(attr)) {
		case NLMSGERR_ATTR_MSG:
			if (napt_nl_attr_ok(attr, NLK_STRING))
				snprintf(nl->ext_msg, sizeof(nl->ext_msg),
					 "%s", mnl_attr_get_str(attr));
			break;
		case NLMSGERR_ATTR_OFFS:
			if (napt_nl_attr_ok(attr, NLK_U32))
				nl->ext_off = mnl_attr_get_u32(attr);
			break;
		}
	}
}

static int data_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct talk_ctx *ctx = arg;
	int ret;

	if (nlh->nlmsg_type != ctx->type || !ctx->cb)
		return MNL_CB_OK;
	if (mnl_nlmsg_get_payload_len(nlh) < GENL_HDRLEN)
		ret = napt_nl_bad_reply("message");
	else
		ret = ctx->cb(nlh, ctx->data);
	if (ret == MNL_CB_ERROR) {
		ctx->nl->reported = true;
		ctx->err = -EBADMSG;
	}
	return ret;
}

static int error_cb(const struct nlmsghdr *nlh, void *arg)
{
	const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);
	struct talk_ctx *ctx = arg;
	size_t off = sizeof(*e);

	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(*e)) {
		ctx->err = -EBADMSG;
		return MNL_CB_ERROR;
	}
	/* The request is echoed unless the ack is capped. */
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED) &&
	    e->msg.nlmsg_len > sizeof(struct nlmsghdr))
		off += e->msg.nlmsg_len - sizeof(struct nlmsghdr);
	ext_ack(ctx->nl, nlh, off);
	if (e->error) {
		ctx->err = e->error < 0 ? e->error : -e->error;
		return MNL_CB_ERROR;
	}
	if (ctx->nl->ext_msg[0]) {
		report("warning: %s", ctx->nl->ext_msg);
		ctx->nl->ext_msg[0] = '\0';
		ctx->nl->ext_off = 0;
	}
	return MNL_CB_STOP;
}

static int done_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct talk_ctx *ctx = arg;
	int err = 0;

	/* A dump that fails after its start ends with the error here. */
	if (mnl_nlmsg_get_payload_len(nlh) >= sizeof(err)) {
		memcpy(&err, mnl_nlmsg_get_payload(nlh), sizeof(err));
		ext_ack(ctx->nl, nlh, sizeof(err));
	}
	if (err < 0) {
		ctx->err = err;
		return MNL_CB_ERROR;
	}
	return MNL_CB_STOP;
}

/* Not const: mnl_cb_run2() takes a plain pointer. */
static mnl_cb_t ctl_cb[NLMSG_MIN_TYPE] = {
	[NLMSG_ERROR] = error_cb,
	[NLMSG_DONE] = done_cb,
};

int napt_nl_talk(struct napt_nl *nl, struct nlmsghdr *nlh, mnl_cb_t cb,
		 void *data)
{
	struct talk_ctx ctx = {
		.nl = nl, .type = nlh->nlmsg_type, .cb = cb, .data = data,
	};
	ssize_t len;
	int ret;

	nl->reported = false;
	nl->ext_msg[0] = '\0';
	nl->ext_off = 0;
	if (!nl->sock)
		return -ENOTCONN;
	if (mnl_socket_sendto(nl->sock, nlh, nlh->nlmsg_len) < 0)
		return -errno;
	do {
		len = mnl_socket_recvfrom(nl->sock, nl->rx, sizeof(nl->rx));
		if (len < 0)
			return -errno;
		errno = 0;
		ret = mnl_cb_run2(nl->rx, len, nlh->nlmsg_seq, nl->portid,
				  data_cb, &ctx, ctl_cb, ARRAY_LEN(ctl_cb));
	} while (ret > MNL_CB_STOP);
	if (ret < 0)
		return ctx.err ?: (errno ? -errno : -EPROTO);
	return 0;
}

struct family_info {
	uint16_t id;
	const char *group;		/* to look for, or NULL */
	uint32_t group_id;
};

/* CTRL_ATTR_MCAST_GROUPS: entries of a name and an id. */
static int family_group(const struct nlattr *nest, struct family_info *fi)
{
	static const uint8_t policy[CTRL_ATTR_MCAST_GRP_MAX + 1] = {
		[CTRL_ATTR_MCAST_GRP_NAME] = NLK_STRING,
		[CTRL_ATTR_MCAST_GRP_ID] = NLK_U32,
	};
	const struct nlattr *tb[CTRL_ATTR_MCAST_GRP_MAX + 1];
	const struct nlattr *a;

	mnl_attr_for_each_nested(a, nest) {
		if (napt_nl_parse_nested(a, policy, CTRL_ATTR_MCAST_GRP_MAX,
					 tb))
			return MNL_CB_ERROR;
		if (!tb[CTRL_ATTR_MCAST_GRP_NAME] ||
		    !tb[CTRL_ATTR_MCAST_GRP_ID])
			return napt_nl_bad_reply("multicast group");
		if (!strcmp(mnl_attr_get_str(tb[CTRL_ATTR_MCAST_GRP_NAME]),
			    fi->group))
			fi->group_id =
				mnl_attr_get_u32(tb[CTRL_ATTR_MCAST_GRP_ID]);
	}
	return MNL_CB_OK;
}

static int family_cb(const struct nlmsghdr *nlh, void *data)
{
	static const uint8_t policy[CTRL_ATTR_MAX + 1] = {
		[CTRL_ATTR_FAMILY_ID] = NLK_U16,
		[CTRL_ATTR_MCAST_GROUPS] = NLK_NESTED,
	};
	const struct nlattr *tb[CTRL_ATTR_MAX + 1];
	struct family_info *fi = data;

	if (napt_nl_parse(nlh, policy, CTRL_ATTR_MAX, tb))
		return MNL_CB_ERROR;
	if (!tb[CTRL_ATTR_FAMILY_ID])
		return napt_nl_bad_reply("family");
	fi->id = mnl_attr_get_u16(tb[CTRL_ATTR_FAMILY_ID]);
	if (fi->group && tb[CTRL_ATTR_MCAST_GROUPS])
		return family_group(tb[CTRL_ATTR_MCAST_GROUPS], fi);
	return MNL_CB_OK;
}

int napt_nl_resolve_family(struct napt_nl *nl, const char *name,
			   const char *group, uint32_t *group_id)
{
	struct family_info fi = { .group = group };
	struct nlmsghdr *nlh;
	int err;

	nlh = napt_nl_msg_family(nl, GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 1, 0);
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, name);
	err = napt_nl_talk(nl, nlh, family_cb, &fi);
	nl->family = fi.id;
	if (group_id)
		*group_id = fi.group_id;
	if (!err && !fi.id)
		return -ENOENT;
	return err;
}

bool napt_nl_attr_ok(const struct nlattr *attr, enum napt_nl_kind kind)
{
	static const uint16_t size[] = {
		[NLK_U8] = 1,
		[NLK_U16] = 2,
		[NLK_U32] = 4,
		[NLK_U64] = 8,
		[NLK_BITFIELD32] = 8,
	};
	uint16_t len = mnl_attr_get_payload_len(attr);
	const char *s;

	switch (kind) {
	case NLK_ANY:
		return true;
	case NLK_NESTED:
		return !len || len >= MNL_ATTR_HDRLEN;
	case NLK_STRING:
		s = mnl_attr_get_payload(attr);
		return len && !s[len - 1];
	default:
		return len == size[kind];
	}
}

struct parse_ctx {
	const uint8_t *policy;
	unsigned int max;
	const struct nlattr **tb;
};

static int parse_cb(const struct nlattr *attr, void *data)
{
	struct parse_ctx *p = data;
	unsigned int type = mnl_attr_get_type(attr);

	if (type > p->max)
		return MNL_CB_OK;
	if (!napt_nl_attr_ok(attr, p->policy[type])) {
		char what[32];

		snprintf(what, sizeof(what), "attribute %u", type);
		return napt_nl_bad_reply(what);
	}
	p->tb[type] = attr;
	return MNL_CB_OK;
}

int napt_nl_parse(const struct nlmsghdr *nlh, const uint8_t *policy,
		  unsigned int max, const struct nlattr **tb)
{
	struct parse_ctx p = { policy, max, tb };

	memset(tb, 0, (max + 1) * sizeof(*tb));
	if (mnl_attr_parse(nlh, GENL_HDRLEN, parse_cb, &p) != MNL_CB_OK)
		return -1;
	return 0;
}

int napt_nl_parse_nested(const struct nlattr *nest, const uint8_t *policy,
			 unsigned int max, const struct nlattr **tb)
{
	struct parse_ctx p = { policy, max, tb };

	memset(tb, 0, (max + 1) * sizeof(*tb));
	if (mnl_attr_parse_nested(nest, parse_cb, &p) != MNL_CB_OK)
		return -1;
	return 0;
}

int napt_nl_bad_reply(const char *what)
{
	report("malformed %s in the kernel's reply", what);
	return MNL_CB_ERROR;
}

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
	[NAPT_MAP_A_LEASE] = NLK_U32,
	[NAPT_MAP_A_DESC] = NLK_STRING,
	[NAPT_MAP_A_EVENT] = NLK_U8,
	[NAPT_MAP_A_REASON] = NLK_U8,
	[NAPT_MAP_A_TIME] = NLK_U64,
	[NAPT_MAP_A_OWNER] = NLK_U8,
	/* NAPT_MAP_A_COOKIE: NLK_ANY, its length is the user's to check */
};

int napt_nl_parse_map(const struct nlattr *nest, struct napt_nl_map *m)
{
	const struct nlattr *mt[NAPT_MAP_A_MAX + 1];
	const struct nlattr *a;
	unsigned int t;

	memset(m, 0, sizeof(*m));
	if (napt_nl_parse_nested(nest, map_policy, NAPT_MAP_A_MAX, mt))
		return -1;
	for (t = 1; t <= NAPT_MAP_A_MAX; t++)
		if (mt[t])
			m->has |= 1U << t;
	if ((a = mt[NAPT_MAP_A_PROTO]))
		m->proto = mnl_attr_get_u8(a);
	if ((a = mt[NAPT_MAP_A_TYPE]))
		m->type = mnl_attr_get_u8(a);
	if ((a = mt[NAPT_MAP_A_MAPPING]))
		m->mapping = mnl_attr_get_u8(a);
	if ((a = mt[NAPT_MAP_A_OWNER]))
		m->owner = mnl_attr_get_u8(a);
	if ((a = mt[NAPT_MAP_A_EVENT]))
		m->event = mnl_attr_get_u8(a);
	if ((a = mt[NAPT_MAP_A_REASON]))
		m->reason = mnl_attr_get_u8(a);
	if ((a = mt[NAPT_MAP_A_INT_ADDR]))
		m->int_addr = mnl_attr_get_u32(a);
	if ((a = mt[NAPT_MAP_A_EXT_ADDR]))
		m->ext_addr = mnl_attr_get_u32(a);
	if ((a = mt[NAPT_MAP_A_REM_ADDR]))
		m->rem_addr = mnl_attr_get_u32(a);
	if ((a = mt[NAPT_MAP_A_INT_PORT]))
		m->int_port = mnl_attr_get_u16(a);
	if ((a = mt[NAPT_MAP_A_EXT_PORT]))
		m->ext_port = mnl_attr_get_u16(a);
	if ((a = mt[NAPT_MAP_A_REM_PORT]))
		m->rem_port = mnl_attr_get_u16(a);
	if ((a = mt[NAPT_MAP_A_EXPIRES]))
		m->expires = mnl_attr_get_u32(a);
	if ((a = mt[NAPT_MAP_A_SESSIONS]))
		m->sessions = mnl_attr_get_u32(a);
	if ((a = mt[NAPT_MAP_A_LEASE]))
		m->lease = mnl_attr_get_u32(a);
	if ((a = mt[NAPT_MAP_A_TIME]))
		m->time = mnl_attr_get_u64(a);
	if ((a = mt[NAPT_MAP_A_DESC]))
		m->desc = mnl_attr_get_str(a);
	if ((a = mt[NAPT_MAP_A_COOKIE])) {
		m->cookie = mnl_attr_get_payload(a);
		m->cookie_len = mnl_attr_get_payload_len(a);
	}
	return 0;
}

int napt_nl_get_map(const struct nlmsghdr *nlh, struct napt_nl_map *m)
{
	static const uint8_t top_policy[NAPT_A_MAX + 1] = {
		[NAPT_A_MAP] = NLK_NESTED,
	};
	const struct nlattr *tb[NAPT_A_MAX + 1];

	memset(m, 0, sizeof(*m));
	if (napt_nl_parse(nlh, top_policy, NAPT_A_MAX, tb))
		return -1;
	if (!tb[NAPT_A_MAP])
		return 0;
	if (napt_nl_parse_map(tb[NAPT_A_MAP], m))
		return -1;
	return 1;
}
