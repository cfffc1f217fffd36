/* SPDX-License-Identifier: GPL-2.0 */
/*
 * natctl: the commands and what they share.
 */
#ifndef NATCTL_H
#define NATCTL_H

#include <stdio.h>
#include <stddef.h>

#include "nl.h"

struct natctl {
	const char *netns;		/* -n, or NULL */
	uint32_t events_group;		/* NAPT_MCGRP_EVENTS id, 0: none */
	struct napt_nl nl;
};

struct cmd {
	const char *name;
	int (*fn)(struct natctl *ctl, int argc, char **argv);
};

/*
 * Commands get the arguments after their name and return the exit
 * status; usage errors exit from the parsers before any netlink I/O.
 */
int do_up(struct natctl *ctl, int argc, char **argv);
int do_set(struct natctl *ctl, int argc, char **argv);
int do_down(struct natctl *ctl, int argc, char **argv);
int do_show(struct natctl *ctl, int argc, char **argv);
int do_map(struct natctl *ctl, int argc, char **argv);
int do_stats(struct natctl *ctl, int argc, char **argv);
int do_monitor(struct natctl *ctl, int argc, char **argv);
int do_save(struct natctl *ctl, int argc, char **argv);
/*
 * The loop of monitor on a connected @ctl: joins ctl->events_group and
 * prints the NAPT_CMD_MAP_EVENT messages of ctl->nl.family until SIGINT
 * or SIGTERM.
 */
int monitor_run(struct natctl *ctl);

/*
 * natctl -b: run the commands of @file ("-": stdin), one a line, with
 * @cmds, up to the first that fails; its exit status is returned, and
 * its error message starts with "FILE:LINE: ".
 */
int batch_run(struct natctl *ctl, const char *file, const struct cmd *cmds,
	      size_t n);

/* Run the command of @cmds named by @argv[0] (@ctx names the level). */
int run_cmd(struct natctl *ctl, const char *ctx, const struct cmd *cmds,
	    size_t n, int argc, char **argv);
void usage(FILE *f);
/* Usage error if anything is left after the arguments of @cmd. */
void no_more_args(const char *cmd, int argc, char **argv);

/*
 * Enter the namespace, open the socket, find the napt family and its
 * events group.
 */
int natctl_connect(struct natctl *ctl);
/* Send a napt request, print the error if any; returns the exit status. */
int natctl_do(struct natctl *ctl, struct nlmsghdr *nlh, mnl_cb_t cb,
	      void *data);

/*
 * config.c's policies of NAPT_CMD_GET_CONFIG's reply and its nests
 * (NLK_* types), which show and save both parse.
 */
extern const uint8_t config_policy[NAPT_A_MAX + 1];
extern const uint8_t prefix_policy[NAPT_PREFIX_A_MAX + 1];
extern const uint8_t behav_policy[NAPT_BEHAV_A_MAX + 1];

/* Printers of the replies (mnl callbacks; also run by the tests). */
int show_print(const struct nlmsghdr *nlh, void *data);
int map_print(const struct nlmsghdr *nlh, void *data);
int stats_print(const struct nlmsghdr *nlh, void *data);
/*
 * natctl save: the "up" line of a NAPT_CMD_GET_CONFIG reply (@data: a
 * bool, set if napt is up), and the "map add" line of an admin static
 * mapping of a NAPT_CMD_GET_MAPS dump.
 */
int save_config_print(const struct nlmsghdr *nlh, void *data);
int save_map_print(const struct nlmsghdr *nlh, void *data);
/* One NAPT_CMD_MAP_EVENT: a text line or a JSON object, then flushed. */
int event_print(const struct nlmsghdr *nlh, void *data);

#endif /* NATCTL_H */
