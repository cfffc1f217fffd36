// SPDX-License-Identifier: GPL-2.0
/*
 * natctl: the generic netlink socket, requests, acks and extended acks,
 * and the checks of the attributes of replies.
 */
#define _GNU_SOURCE		/* setns() */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/napt.h>

#include "nl.h"
#include "utils.h"

#define NETNS_RUN_DIR "/run/netns"

int netns_enter(const char *name)
{
	char path[PATH_MAX];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", NETNS_RUN_DIR, name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		error("cannot open network namespace \"%s\": %s", name,
		      strerror(errno));
		return -1;
	}
	if (setns(fd, CLONE_NEWNET)) {
		error("cannot enter network namespace \"%s\": %s", name,
		      strerror(errno));
		close(fd);
		return -1;
	}
	close(fd);
	return 0;
}

int nl_open(struct nl *nl)
{
	int one = 1;

	nl->sock = mnl_socket_open(NETLINK_GENERIC);
	if (!nl->sock) {
		error("cannot open a generic netlink socket: %s",
		      strerror(errno));
		return -1;
	}
	if (mnl_socket_bind(nl->sock, 0, MNL_SOCKET_AUTOPID) < 0) {
		error("cannot bind the netlink socket: %s", strerror(errno));
		nl_close(nl);
		return -1;
	}
	/* Both are best effort: without them errors are less precise. */
	mnl_socket_setsockopt(nl->sock, NETLINK_EXT_ACK, &one, sizeof(one));
	mnl_socket_setsockopt(nl->sock, NETLINK_CAP_ACK, &one, sizeof(one));
	nl->portid = mnl_socket_get_portid(nl->sock);
	nl->seq = time(NULL);
	return 0;
}

void nl_close(struct nl *nl)
{
	if (nl->sock)
		mnl_socket_close(nl->sock);
	nl->sock = NULL;
}

struct nlmsghdr *__nl_msg(struct nl *nl, uint16_t family, uint8_t cmd,
			  uint8_t version, uint16_t flags)
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

struct nlmsghdr *nl_msg(struct nl *nl, uint8_t cmd, uint16_t flags)
{
	return __nl_msg(nl, nl->family, cmd, NAPT_GENL_VERSION, flags);
}

struct nl_ctx {
	struct nl *nl;
	mnl_cb_t cb;
	void *data;
	int err;
};

/* Keep the NLMSGERR_ATTR_MSG of the TLVs at @off in the payload. */
static void nl_ext_ack(struct nl *nl, const struct nlmsghdr *nlh, size_t off)
{
	const struct nlattr *attr;

	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return;
	if (off > mnl_nlmsg_get_payload_len(nlh))
		return;
	mnl_attr_for_each(attr, nlh, off) {
		if (mnl_attr_get_type(attr) == NLMSGERR_ATTR_MSG &&
		    nl_attr_ok(attr, NLK_STRING)) {
			snprintf(nl->ext_msg, sizeof(nl->ext_msg), "%s",
				 mnl_attr_get_str(attr));
			return;
		}
	}
}

static int nl_data_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct nl_ctx *ctx = arg;
	int ret;

	if (nlh->nlmsg_type != ctx->nl->family || !ctx->cb)
		return MNL_CB_OK;
	if (mnl_nlmsg_get_payload_len(nlh) < GENL_HDRLEN)
		ret = nl_bad_reply("message");
	else
		ret = ctx->cb(nlh, ctx->data);
	if (ret == MNL_CB_ERROR) {
		ctx->nl->reported = true;
		ctx->err = -EBADMSG;
	}
	return ret;
}

static int nl_error_cb(const struct nlmsghdr *nlh, void *arg)
{
	const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);
	struct nl_ctx *ctx = arg;
	size_t off = sizeof(*e);

	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(*e)) {
		ctx->err = -EBADMSG;
		return MNL_CB_ERROR;
	}
	/* The request is echoed unless the ack is capped. */
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED) &&
	    e->msg.nlmsg_len > sizeof(struct nlmsghdr))
		off += e->msg.nlmsg_len - sizeof(struct nlmsghdr);
	nl_ext_ack(ctx->nl, nlh, off);
	if (e->error) {
		ctx->err = e->error < 0 ? e->error : -e->error;
		return MNL_CB_ERROR;
	}
	if (ctx->nl->ext_msg[0]) {
		error("warning: %s", ctx->nl->ext_msg);
		ctx->nl->ext_msg[0] = '\0';
	}
	return MNL_CB_STOP;
}

static int nl_done_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct nl_ctx *ctx = arg;
	int err = 0;

	/* A dump that fails after its start ends with the error here. */
	if (mnl_nlmsg_get_payload_len(nlh) >= sizeof(err)) {
		memcpy(&err, mnl_nlmsg_get_payload(nlh), sizeof(err));
		nl_ext_ack(ctx->nl, nlh, sizeof(err));
	}
	if (err < 0) {
		ctx->err = err;
		return MNL_CB_ERROR;
	}
	return MNL_CB_STOP;
}

/* Not const: mnl_cb_run2() takes a plain pointer. */
static mnl_cb_t nl_ctl_cb[NLMSG_MIN_TYPE] = {
	[NLMSG_ERROR] = nl_error_cb,
	[NLMSG_DONE] = nl_done_cb,
};

int nl_talk(struct nl *nl, struct nlmsghdr *nlh, mnl_cb_t cb, void *data)
{
	struct nl_ctx ctx = { .nl = nl, .cb = cb, .data = data };
	ssize_t len;
	int ret;

	nl->reported = false;
	nl->ext_msg[0] = '\0';
	if (mnl_socket_sendto(nl->sock, nlh, nlh->nlmsg_len) < 0)
		return -errno;
	do {
		len = mnl_socket_recvfrom(nl->sock, nl->rx, sizeof(nl->rx));
		if (len < 0)
			return -errno;
		errno = 0;
		ret = mnl_cb_run2(nl->rx, len, nlh->nlmsg_seq, nl->portid,
				  nl_data_cb, &ctx, nl_ctl_cb,
				  ARRAY_SIZE(nl_ctl_cb));
	} while (ret > MNL_CB_STOP);
	if (ret < 0)
		return ctx.err ?: (errno ? -errno : -EPROTO);
	return 0;
}

void nl_perror(struct nl *nl, int err)
{
	if (nl->reported)
		return;
	if (nl->ext_msg[0])
		error("%s: %s", strerror(-err), nl->ext_msg);
	else if (err == -EINTR)
		error("the dump was interrupted by a concurrent change, try again");
	else
		error("%s", strerror(-err));
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
		if (nl_parse_nested(a, policy, CTRL_ATTR_MCAST_GRP_MAX, tb))
			return MNL_CB_ERROR;
		if (!tb[CTRL_ATTR_MCAST_GRP_NAME] ||
		    !tb[CTRL_ATTR_MCAST_GRP_ID])
			return nl_bad_reply("multicast group");
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

	if (nl_parse(nlh, policy, CTRL_ATTR_MAX, tb))
		return MNL_CB_ERROR;
	if (!tb[CTRL_ATTR_FAMILY_ID])
		return nl_bad_reply("family");
	fi->id = mnl_attr_get_u16(tb[CTRL_ATTR_FAMILY_ID]);
	if (fi->group && tb[CTRL_ATTR_MCAST_GROUPS])
		return family_group(tb[CTRL_ATTR_MCAST_GROUPS], fi);
	return MNL_CB_OK;
}

int nl_resolve_family(struct nl *nl, const char *name, const char *group,
		      uint32_t *group_id)
{
	struct family_info fi = { .group = group };
	struct nlmsghdr *nlh;
	int err;

	nlh = __nl_msg(nl, GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 1, 0);
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, name);
	nl->family = GENL_ID_CTRL;
	err = nl_talk(nl, nlh, family_cb, &fi);
	nl->family = fi.id;
	if (group_id)
		*group_id = fi.group_id;
	if (!err && !fi.id)
		return -ENOENT;
	return err;
}

bool nl_attr_ok(const struct nlattr *attr, enum nl_kind kind)
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
	if (!nl_attr_ok(attr, p->policy[type])) {
		char what[32];

		snprintf(what, sizeof(what), "attribute %u", type);
		return nl_bad_reply(what);
	}
	p->tb[type] = attr;
	return MNL_CB_OK;
}

int nl_parse(const struct nlmsghdr *nlh, const uint8_t *policy,
	     unsigned int max, const struct nlattr **tb)
{
	struct parse_ctx p = { policy, max, tb };

	memset(tb, 0, (max + 1) * sizeof(*tb));
	if (mnl_attr_parse(nlh, GENL_HDRLEN, parse_cb, &p) != MNL_CB_OK)
		return -1;
	return 0;
}

int nl_parse_nested(const struct nlattr *nest, const uint8_t *policy,
		    unsigned int max, const struct nlattr **tb)
{
	struct parse_ctx p = { policy, max, tb };

	memset(tb, 0, (max + 1) * sizeof(*tb));
	if (mnl_attr_parse_nested(nest, parse_cb, &p) != MNL_CB_OK)
		return -1;
	return 0;
}

int nl_bad_reply(const char *what)
{
	error("malformed %s in the kernel's reply", what);
	return MNL_CB_ERROR;
}
