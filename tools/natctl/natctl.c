// SPDX-License-Identifier: GPL-2.0
/*
 * natctl: control the napt IPv4 NAPT gateway over generic netlink.
 *
 * main(): the global options and the command table.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <linux/napt.h>

#include "json_print.h"
#include "natctl.h"
#include "utils.h"

#ifndef NATCTL_VERSION
#define NATCTL_VERSION "1.0"
#endif

static int do_help(struct natctl *ctl, int argc, char **argv)
{
	(void)ctl;
	(void)argc;
	(void)argv;
	usage(stdout);
	return EXIT_SUCCESS;
}

static const struct cmd cmds[] = {
	{ "up", do_up },
	{ "set", do_set },
	{ "down", do_down },
	{ "show", do_show },
	{ "save", do_save },
	{ "map", do_map },
	{ "stats", do_stats },
	{ "monitor", do_monitor },
	{ "help", do_help },
};

enum { G_JSON, G_PRETTY, G_NETNS, G_BATCH, G_VERSION, G_HELP };

static const char *const global_opts[] = {
	[G_JSON] = "-json",
	[G_PRETTY] = "-pretty",
	[G_NETNS] = "-netns",
	[G_BATCH] = "-batch",
	[G_VERSION] = "-Version",
	[G_HELP] = "-help",
};

/* Flush stdout: a full disk or a closed pipe is an error too. */
static int finish(int ret)
{
	if (output_end()) {
		error("write error: %s", strerror(errno));
		return EXIT_FAILURE;
	}
	return ret;
}

int main(int argc, char **argv)
{
	static struct natctl ctl;
	bool json = false, pretty = false;
	const char *opt, *batch = NULL;
	int ret;

	napt_nl_report = error;
	for (argc--, argv++; argc > 0 && argv[0][0] == '-'; argc--, argv++) {
		/* -x, -xyz and --xyz alike */
		opt = argv[0][1] == '-' ? argv[0] + 1 : argv[0];
		switch (keyword(NULL, "option", opt, global_opts)) {
		case G_JSON:
			json = true;
			break;
		case G_PRETTY:
			pretty = true;
			break;
		case G_NETNS:
			if (ctl.netns)
				usage_err("-n given twice");
			ctl.netns = need_arg(argc, argv);
			check_netns_name(ctl.netns);
			argc--;
			argv++;
			break;
		case G_BATCH:
			if (batch)
				usage_err("-b given twice");
			batch = need_arg(argc, argv);
			argc--;
			argv++;
			break;
		case G_VERSION:
			printf("natctl %s (napt netlink version %d)\n",
			       NATCTL_VERSION, NAPT_GENL_VERSION);
			return finish(EXIT_SUCCESS);
		case G_HELP:
			usage(stdout);
			return finish(EXIT_SUCCESS);
		}
	}
	if (batch && argc > 0)
		usage_err("-b %s: unexpected argument \"%s\" (the commands are in the file)",
			  batch, argv[0]);
	if (!batch && argc <= 0) {
		usage(stderr);
		return EXIT_USAGE;
	}

	output_init(json, pretty);
	if (batch)
		ret = batch_run(&ctl, batch, cmds, ARRAY_SIZE(cmds));
	else
		ret = run_cmd(&ctl, NULL, cmds, ARRAY_SIZE(cmds), argc, argv);
	napt_nl_close(&ctl.nl);
	return finish(ret);
}
