/* SPDX-License-Identifier: GPL-2.0 */
/*
 * natctl: the generic netlink socket, requests, acks and extended acks,
 * and the checks of the attributes of replies.
 */
#ifndef NATCTL_NL_H
#define NATCTL_NL_H

#include <stdbool.h>
#include <stdint.h>
#include <libmnl/libmnl.h>

#define NL_TX_SIZE	8192
#define NL_RX_SIZE	32768	/* a dump fills messages up to this */
#define NL_MSG_MAX	256	/* extended-ack message kept */

struct nl {
	struct mnl_socket *sock;
	unsigned int portid;
	unsigned int seq;
	uint16_t family;
	bool reported;			/* the last error is printed */
	char ext_msg[NL_MSG_MAX];	/* of the last error */
	/* netlink messages and attributes are 4-byte aligned */
	char tx[NL_TX_SIZE] __attribute__((aligned(8)));
	char rx[NL_RX_SIZE] __attribute__((aligned(8)));
};

/* Enter /run/netns/@name; prints the error. */
int netns_enter(const char *name);

/* Open and bind the socket with extended acks on; prints the error. */
int nl_open(struct nl *nl);
void nl_close(struct nl *nl);

/*
 * Resolve the generic netlink family @name into nl->family: 0 or -errno.
 * If @group is not NULL, *@group_id gets the id of its multicast group
 * of that name, or 0 if it has none.
 */
int nl_resolve_family(struct nl *nl, const char *name, const char *group,
		      uint32_t *group_id);

/* Start a request for @cmd of nl->family in nl->tx. */
struct nlmsghdr *nl_msg(struct nl *nl, uint8_t cmd, uint16_t flags);
struct nlmsghdr *__nl_msg(struct nl *nl, uint16_t family, uint8_t cmd,
			  uint8_t version, uint16_t flags);

/*
 * Send @nlh and run @cb (may be NULL) on every reply of nl->family until
 * the ack or the end of the dump. Returns 0 or -errno; then nl->ext_msg
 * holds the kernel's extended-ack message, if any. A callback that
 * returns MNL_CB_ERROR has printed its error (nl->reported).
 */
int nl_talk(struct nl *nl, struct nlmsghdr *nlh, mnl_cb_t cb, void *data);
/* Print "natctl: <strerror>: <extack message>" for nl_talk's error. */
void nl_perror(struct nl *nl, int err);

/* What a reply attribute must look like. */
enum nl_kind {
	NLK_ANY,
	NLK_U8,
	NLK_U16,
	NLK_U32,
	NLK_U64,
	NLK_NESTED,
	NLK_BITFIELD32,
	NLK_STRING,		/* NUL-terminated */
};

bool nl_attr_ok(const struct nlattr *attr, enum nl_kind kind);

/*
 * Fill @tb[0..@max] from the attributes after the genl header of @nlh
 * (or inside @nest), checking each against @policy[type]. Types above
 * @max are skipped (a newer kernel). On a bad attribute prints
 * "malformed reply" and returns -1.
 */
int nl_parse(const struct nlmsghdr *nlh, const uint8_t *policy,
	     unsigned int max, const struct nlattr **tb);
int nl_parse_nested(const struct nlattr *nest, const uint8_t *policy,
		    unsigned int max, const struct nlattr **tb);
/* Prints the malformed-reply error; returns MNL_CB_ERROR. */
int nl_bad_reply(const char *what);

#endif /* NATCTL_NL_H */
