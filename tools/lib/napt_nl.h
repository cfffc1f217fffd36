/* SPDX-License-Identifier: GPL-2.0 */
/*
 * napt_nl: the generic netlink client that natctl and igdd share, over
 * libmnl: the socket, the family and multicast group ids, requests with
 * their acks and extended acks, dumps, checked attribute parsing, and
 * NAPT_A_MAP into a plain struct.
 *
 * Single-threaded; one struct napt_nl per socket. Nothing here prints on
 * its own: what a call cannot return (a malformed reply, the warning of a
 * successful ack, why the socket did not open) goes to napt_nl_report.
 */
#ifndef NAPT_NL_H
#define NAPT_NL_H

#include <stdbool.h>
#include <stdint.h>
#include <libmnl/libmnl.h>
#include <linux/napt.h>

#define NAPT_NL_TX_SIZE	8192
#define NAPT_NL_RX_SIZE	32768	/* a dump fills messages up to this */
#define NAPT_NL_MSG_MAX	256	/* extended-ack message kept */

struct napt_nl {
	struct mnl_socket *sock;
	unsigned int portid;
	unsigned int seq;
	uint16_t family;		/* napt_nl_msg()'s */
	bool reported;			/* the last error went to napt_nl_report */
	char ext_msg[NAPT_NL_MSG_MAX];	/* NLMSGERR_ATTR_MSG of the last reply */
	uint32_t ext_off;		/* NLMSGERR_ATTR_OFFS of it, 0: none */
	/* netlink messages and attributes are 4-byte aligned */
	char tx[NAPT_NL_TX_SIZE] __attribute__((aligned(8)));
	char rx[NAPT_NL_RX_SIZE] __attribute__((aligned(8)));
};

typedef void napt_nl_report_fn(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));

/*
 * Where the library reports, one line without the newline; NULL (the
 * default): nowhere. natctl prints "natctl: ...", igdd logs.
 */
extern napt_nl_report_fn *napt_nl_report;

/**
 * napt_nl_open() - open and bind a NETLINK_GENERIC socket
 * @nl: the client, its socket not open
 *
 * Extended and capped acks are asked for (best effort).
 *
 * Return: 0, or -errno (reported).
 */
int napt_nl_open(struct napt_nl *nl);

/**
 * napt_nl_close() - close the socket of @nl, if open
 * @nl: the client
 *
 * Return: nothing; @nl may be opened again.
 */
void napt_nl_close(struct napt_nl *nl);

/**
 * napt_nl_resolve_family() - CTRL_CMD_GETFAMILY of @name into nl->family
 * @nl: the client, open
 * @name: the family's name (NAPT_GENL_NAME)
 * @group: a multicast group to look up, or NULL
 * @group_id: if not NULL, gets the id of @group, or 0 if it has none
 *
 * Return: 0, -ENOENT if there is no such family, or another -errno (as
 * napt_nl_talk()).
 */
int napt_nl_resolve_family(struct napt_nl *nl, const char *name,
			   const char *group, uint32_t *group_id);

/**
 * napt_nl_msg_family() - start a generic netlink request in nl->tx
 * @nl: the client
 * @family: the family id
 * @cmd: the command
 * @version: the family's version
 * @flags: NLM_F_* besides NLM_F_REQUEST; without NLM_F_DUMP an ack is
 *	asked for
 *
 * Return: the message, to add attributes to with mnl_attr_put*().
 */
struct nlmsghdr *napt_nl_msg_family(struct napt_nl *nl, uint16_t family,
				    uint8_t cmd, uint8_t version,
				    uint16_t flags);

/**
 * napt_nl_msg() - start a request of nl->family, NAPT_GENL_VERSION
 * @nl: the client, its family resolved
 * @cmd: the NAPT_CMD_*
 * @flags: as napt_nl_msg_family()'s
 *
 * Return: the message, in nl->tx.
 */
struct nlmsghdr *napt_nl_msg(struct napt_nl *nl, uint8_t cmd, uint16_t flags);

/**
 * napt_nl_talk() - send a request and read its replies to the end
 * @nl: the client, open
 * @nlh: the request (napt_nl_msg())
 * @cb: run on every reply of @nlh's family (NULL: none), with at least
 *	a genl header; MNL_CB_ERROR fails the request (the callback is
 *	expected to have reported why), MNL_CB_STOP ends the walk early
 * @data: for @cb
 *
 * A doit request ends with its ack, a dump (NLM_F_DUMP) with NLMSG_DONE,
 * which may carry the dump's error. Either way nl->ext_msg and
 * nl->ext_off then hold the kernel's extended ack (NLMSGERR_ATTR_MSG and
 * NLMSGERR_ATTR_OFFS, the offset of the offending attribute in @nlh),
 * empty and 0 if it gave none. A successful ack's message is reported as
 * "warning: MSG". nl->reported tells that the error was reported (a
 * malformed reply, @cb's MNL_CB_ERROR).
 *
 * Return: 0, the kernel's -errno, -EBADMSG for a reply that does not
 * parse, -ENOTCONN if @nl is not open, or the socket's -errno.
 */
int napt_nl_talk(struct napt_nl *nl, struct nlmsghdr *nlh, mnl_cb_t cb,
		 void *data);

/* What a reply attribute must look like. */
enum napt_nl_kind {
	NLK_ANY,
	NLK_U8,
	NLK_U16,
	NLK_U32,
	NLK_U64,
	NLK_NESTED,
	NLK_BITFIELD32,
	NLK_STRING,		/* NUL-terminated */
};

/**
 * napt_nl_attr_ok() - whether @attr's payload is of @kind
 * @attr: a reply attribute
 * @kind: what it must be
 *
 * Return: true if it is.
 */
bool napt_nl_attr_ok(const struct nlattr *attr, enum napt_nl_kind kind);

/**
 * napt_nl_parse() - index the attributes after the genl header of @nlh
 * @nlh: a reply, with at least a genl header
 * @policy: enum napt_nl_kind of each type 0..@max
 * @max: the highest type kept; higher ones (a newer kernel) are skipped
 * @tb: gets the last attribute of each type, or NULL
 *
 * Return: 0, or -1 on an attribute not of its kind (reported as
 * "malformed attribute TYPE in the kernel's reply").
 */
int napt_nl_parse(const struct nlmsghdr *nlh, const uint8_t *policy,
		  unsigned int max, const struct nlattr **tb);

/**
 * napt_nl_parse_nested() - napt_nl_parse() of the attributes in @nest
 * @nest: a nested attribute
 * @policy: as napt_nl_parse()'s
 * @max: as napt_nl_parse()'s
 * @tb: as napt_nl_parse()'s
 *
 * Return: 0, or -1 (reported).
 */
int napt_nl_parse_nested(const struct nlattr *nest, const uint8_t *policy,
			 unsigned int max, const struct nlattr **tb);

/**
 * napt_nl_bad_reply() - report "malformed @what in the kernel's reply"
 * @what: what is malformed
 *
 * Return: MNL_CB_ERROR, for a callback to return.
 */
int napt_nl_bad_reply(const char *what);

/*
 * A NAPT_A_MAP as the kernel sends it (mapping dumps, ADD_MAP's reply,
 * events). Addresses and ports in network byte order; desc and cookie
 * point into the message.
 */
struct napt_nl_map {
	uint32_t has;			/* 1U << NAPT_MAP_A_*: present */
	uint8_t proto, type, mapping, owner, event, reason;
	uint32_t int_addr, ext_addr, rem_addr;
	uint16_t int_port, ext_port, rem_port;
	uint32_t expires, sessions, lease;
	uint64_t time;			/* ns, CLOCK_REALTIME */
	const char *desc;		/* NUL-terminated; NULL: none */
	const uint8_t *cookie;		/* NULL: none */
	uint16_t cookie_len;
};

/* Whether @m had the attribute NAPT_MAP_A_@attr. */
#define NAPT_NL_MAP_HAS(m, attr) (!!((m)->has & (1U << NAPT_MAP_A_##attr)))

/**
 * napt_nl_parse_map() - the attributes of a NAPT_A_MAP nest into @m
 * @nest: the NAPT_A_MAP
 * @m: gets them; the members of absent ones are 0
 *
 * Unknown types are skipped. The cookie's length is not checked here.
 *
 * Return: 0, or -1 on a malformed attribute (reported).
 */
int napt_nl_parse_map(const struct nlattr *nest, struct napt_nl_map *m);

/**
 * napt_nl_get_map() - the NAPT_A_MAP of the reply @nlh into @m
 * @nlh: a reply, with at least a genl header
 * @m: as napt_nl_parse_map()'s
 *
 * Return: 1, 0 if @nlh has no NAPT_A_MAP, -1 if malformed (reported).
 */
int napt_nl_get_map(const struct nlmsghdr *nlh, struct napt_nl_map *m);

#endif /* NAPT_NL_H */
