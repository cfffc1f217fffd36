// SPDX-License-Identifier: GPL-2.0
/*
 * natctl: stats.
 */
#include <inttypes.h>
#include <stdlib.h>

#include "json_print.h"
#include "names.h"
#include "natctl.h"

int do_stats(struct natctl *ctl, int argc, char **argv)
{
	no_more_args("stats", argc, argv);
	if (natctl_connect(ctl))
		return EXIT_FAILURE;
	return natctl_do(ctl, napt_nl_msg(&ctl->nl, NAPT_CMD_GET_STATS, 0),
			 stats_print, NULL);
}

static const uint8_t stats_policy[NAPT_A_MAX + 1] = {
	[NAPT_A_STATS] = NLK_NESTED,
};

/* "out_pkts          12345", in the order of the kernel (the enum's). */
int stats_print(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[NAPT_A_MAX + 1], *a;
	const char *name;
	char buf[32];

	(void)data;
	if (napt_nl_parse(nlh, stats_policy, NAPT_A_MAX, tb))
		return MNL_CB_ERROR;
	if (!tb[NAPT_A_STATS])
		return napt_nl_bad_reply("statistics");
	open_json_object(NULL);
	mnl_attr_for_each_nested(a, tb[NAPT_A_STATS]) {
		if (mnl_attr_get_type(a) == NAPT_STAT_A_PAD)
			continue;
		if (!napt_nl_attr_ok(a, NLK_U64))
			return napt_nl_bad_reply("counter");
		name = stat_str(mnl_attr_get_type(a), buf, sizeof(buf));
		print_fp("%-*s ", stat_name_width(), name);
		print_u64(PRINT_ANY, name, "%" PRIu64 "\n",
			  mnl_attr_get_u64(a));
	}
	close_json_object();
	return MNL_CB_OK;
}
