// SPDX-License-Identifier: GPL-2.0
/*
 * natctl: monitor, the events of the mappings as they come.
 *
 * SIGINT and SIGTERM are blocked but while waiting in ppoll(), so that
 * one arriving at any time once the group is joined ends the loop
 * cleanly (exit status 0).
 */
#define _GNU_SOURCE		/* ppoll() */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/genetlink.h>
#include <linux/napt.h>

#include "natctl.h"
#include "utils.h"

/* Room for bursts of events; beyond it they are lost, and reported. */
#define MONITOR_RCVBUF	(1 << 20)

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static int monitor_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct natctl *ctl = data;
	const struct genlmsghdr *genl = mnl_nlmsg_get_payload(nlh);

	if (nlh->nlmsg_type != ctl->nl.family ||
	    mnl_nlmsg_get_payload_len(nlh) < GENL_HDRLEN ||
	    genl->cmd != NAPT_CMD_MAP_EVENT)
		return MNL_CB_OK;
	/* A malformed event is reported; the next one may be fine. */
	event_print(nlh, NULL);
	return MNL_CB_OK;
}

/* Join the events group with a large receive buffer. */
static int monitor_join(struct natctl *ctl)
{
	int fd = mnl_socket_get_fd(ctl->nl.sock);
	int size = MONITOR_RCVBUF;

	if (!ctl->events_group) {
		error("the napt module has no \"%s\" multicast group (too old?)",
		      NAPT_MCGRP_EVENTS);
		return -1;
	}
	/* FORCE passes net.core.rmem_max, with CAP_NET_ADMIN; best effort. */
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size)))
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
	if (mnl_socket_setsockopt(ctl->nl.sock, NETLINK_ADD_MEMBERSHIP,
				  &ctl->events_group,
				  sizeof(ctl->events_group))) {
		error("cannot listen to the napt events: %s%s",
		      strerror(errno),
		      errno == EPERM ? " (need CAP_NET_ADMIN)" : "");
		return -1;
	}
	return 0;
}

int monitor_run(struct natctl *ctl)
{
	struct sigaction sa = { .sa_handler = on_signal };
	struct pollfd pfd = { .events = POLLIN };
	sigset_t sigs, waiting;
	ssize_t len;

	sigemptyset(&sigs);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGTERM);
	sigprocmask(SIG_BLOCK, &sigs, &waiting);
	sigdelset(&waiting, SIGINT);
	sigdelset(&waiting, SIGTERM);

	if (monitor_join(ctl))
		return EXIT_FAILURE;
	/*
	 * Only now, so that the handlers (SigCgt in /proc/PID/status) tell
	 * a test that the events are listened to.
	 */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	pfd.fd = mnl_socket_get_fd(ctl->nl.sock);

	while (!stop) {
		if (ppoll(&pfd, 1, NULL, &waiting) < 0) {
			if (errno == EINTR)
				continue;
			error("cannot wait for the napt events: %s",
			      strerror(errno));
			return EXIT_FAILURE;
		}
		len = mnl_socket_recvfrom(ctl->nl.sock, ctl->nl.rx,
					  sizeof(ctl->nl.rx));
		if (len < 0) {
			if (errno == ENOBUFS) {
				error("events lost (receive buffer overrun)");
				continue;
			}
			if (errno == EINTR || errno == EAGAIN)
				continue;
			error("cannot receive the napt events: %s",
			      strerror(errno));
			return EXIT_FAILURE;
		}
		/* Multicast: no sequence number or port id to check. */
		mnl_cb_run(ctl->nl.rx, len, 0, 0, monitor_cb, ctl);
		/* main() reports the write error. */
		if (ferror(stdout))
			return EXIT_FAILURE;
	}
	return EXIT_SUCCESS;
}

int do_monitor(struct natctl *ctl, int argc, char **argv)
{
	no_more_args("monitor", argc, argv);
	if (natctl_connect(ctl))
		return EXIT_FAILURE;
	return monitor_run(ctl);
}
