// SPDX-License-Identifier: GPL-2.0
/*
 * natctl: what the commands share: the usage text, the dispatch of a
 * command word, and the connection to the napt family.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <linux/genetlink.h>
#include <linux/napt.h>

#include "natctl.h"
#include "utils.h"

void usage(FILE *f)
{
	fputs(
"Usage: natctl [ -j [ -p ] ] [ -n NETNS ] [ -V ] COMMAND\n"
"       natctl [ -j [ -p ] ] [ -n NETNS ] -b FILE\n"
"\n"
"       natctl up ext-if IFNAME int-net PREFIX[,PREFIX...]\n"
"                 [ ext-addr { ADDR[,ADDR...] | auto } ] [ OPTIONS ]\n"
"       natctl set OPTIONS\n"
"       natctl down\n"
"       natctl show\n"
"       natctl save\n"
"       natctl map list [ udp | tcp | icmp ] [ static | dynamic ] [ int ADDR ]\n"
"                       [ ext-port PORT ]\n"
"       natctl map add { udp | tcp } INT_ADDR:INT_PORT [ ext-port PORT ]\n"
"                      [ ext-addr ADDR ] [ remote ADDR ] [ lease SECS ]\n"
"                      [ desc TEXT ] [ replace ]\n"
"       natctl map del { udp | tcp } ext-port PORT [ ext-addr ADDR ]\n"
"                      [ remote ADDR ]\n"
"       natctl map flush [ dynamic | static | all ]\n"
"       natctl stats\n"
"       natctl monitor\n"
"       natctl help\n"
"\n"
"OPTIONS := [ ext-if IFNAME ] [ int-net PREFIX[,PREFIX...] ]        (set)\n"
"           [ ext-addr { ADDR[,ADDR...] | auto } ]                  (set)\n"
"           [ ports LO-HI ] [ udp-timeout SECS ] [ tcp-timeout SECS ]\n"
"           [ tcp-trans-timeout SECS ] [ icmp-timeout SECS ]\n"
"           [ proto { udp | tcp | icmp | all } ]\n"
"           [ mode { full-cone | restricted-cone | port-restricted-cone |\n"
"                    symmetric } ]\n"
"           [ mapping { eim | adm | apdm } ] [ filtering { eif | adf | apdf } ]\n"
"           [ port-preserve { on | off } ] [ port-parity { on | off } ]\n"
"           [ hairpin { on | off } ] [ inbound-refresh { on | off } ]\n"
"           [ icmp-unreach { on | off } ]\n"
"           [ max-maps-per-host N ] [ port-reuse-delay SECS ]\n"
"           [ syn-hold SECS ] [ mark-static { MARK[/MASK] | off } ]\n"
"           [ max-maps N ] [ max-sessions N ]                       (up)\n"
"\n"
"proto scopes the mode, mapping and filtering keywords after it.\n"
"See natctl(8).\n", f);
}

void no_more_args(const char *cmd, int argc, char **argv)
{
	if (argc > 0)
		usage_err("%s: unexpected argument \"%s\"", cmd, argv[0]);
}

int run_cmd(struct natctl *ctl, const char *ctx, const struct cmd *cmds,
	    size_t n, int argc, char **argv)
{
	const struct cmd *cmd;

	cmd = &cmds[__keyword(ctx, "command", argv[0], cmds, n,
			      sizeof(*cmds))];
	if (argc > 1 && !strcmp(argv[1], "help")) {
		usage(stdout);
		return EXIT_SUCCESS;
	}
	return cmd->fn(ctl, argc - 1, argv + 1);
}

int natctl_connect(struct natctl *ctl)
{
	int err;

	/* Once for a whole batch. */
	if (ctl->nl.sock && ctl->nl.family)
		return 0;
	if (ctl->netns && netns_enter(ctl->netns))
		return -1;
	if (napt_nl_open(&ctl->nl))
		return -1;
	err = napt_nl_resolve_family(&ctl->nl, NAPT_GENL_NAME,
				     NAPT_MCGRP_EVENTS, &ctl->events_group);
	if (err == -ENOENT) {
		error("the napt kernel module is not loaded (no generic netlink family \"%s\")",
		      NAPT_GENL_NAME);
		return -1;
	}
	if (err) {
		error("cannot look up the generic netlink family \"%s\": %s",
		      NAPT_GENL_NAME, strerror(-err));
		return -1;
	}
	return 0;
}

/* The genl command of the request @nlh. */
static uint8_t request_cmd(const struct nlmsghdr *nlh)
{
	const struct genlmsghdr *genl = mnl_nlmsg_get_payload(nlh);

	return genl->cmd;
}

int natctl_do(struct natctl *ctl, struct nlmsghdr *nlh, mnl_cb_t cb,
	      void *data)
{
	/* The first match wins; cmd 0 is any command. */
	static const struct {
		uint8_t cmd;
		int err;
		const char *hint;
	} hints[] = {
		{ NAPT_CMD_UP, -EEXIST,
		  "napt is already up (use set to change it)" },
		{ NAPT_CMD_ADD_MAP, -EEXIST,
		  "a static mapping holds the port (replace renews it)" },
		{ NAPT_CMD_ADD_MAP, -EADDRINUSE,
		  "the external port is in use" },
		{ NAPT_CMD_ADD_MAP, -ENOSPC,
		  "no free external port, or a limit is reached" },
		{ NAPT_CMD_DEL_MAP, -ENOENT,
		  "no such static mapping, or napt is down" },
		{ 0, -ENOENT, "napt is down" },
		{ 0, -EPERM, "need CAP_NET_ADMIN" },
	};
	uint8_t cmd = request_cmd(nlh);
	struct napt_nl *nl = &ctl->nl;
	size_t i;
	int err;

	err = napt_nl_talk(nl, nlh, cb, data);
	if (!err)
		return EXIT_SUCCESS;
	/* The kernel names the problem; make up for an older one. */
	for (i = 0; i < ARRAY_SIZE(hints) && !nl->ext_msg[0]; i++)
		if (err == hints[i].err &&
		    (!hints[i].cmd || hints[i].cmd == cmd))
			snprintf(nl->ext_msg, sizeof(nl->ext_msg), "%s",
				 hints[i].hint);
	nl_perror(nl, err);
	return EXIT_FAILURE;
}
