// SPDX-License-Identifier: GPL-2.0
/*
 * natctl: the network namespace, and the printing of netlink errors; the
 * client itself is tools/lib/napt_nl.c.
 */
#define _GNU_SOURCE		/* setns() */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

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

void nl_perror(const struct napt_nl *nl, int err)
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
