// SPDX-License-Identifier: GPL-2.0
/*
 * igdd: the SSDP socket. The multicast socket joined on every LAN, the
 * searches it receives (checked, rate-limited, parsed by ssdp.c), the
 * answers delayed within MX, and the NOTIFY messages. Kept apart from the
 * parser so that fuzz/fuzz_ssdp links the parser alone.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "desc.h"
#include "igdd.h"
#include "ratelimit.h"
#include "soap.h"		/* igd_log() */
#include "ssdp.h"

#define PENDING_MAX 64		/* SSDP answers waiting for their time */

static struct pending {
	struct sockaddr_in to;
	unsigned int lan;
	char st[SSDP_ST_MAX + 1];
	uint64_t due;
} pending[PENDING_MAX];
static unsigned int npending;

static int lan_of_addr(struct in_addr a)
{
	unsigned int i;

	for (i = 0; i < g.nlan; i++)
		if ((a.s_addr & g.lan[i].mask.s_addr) ==
		    (g.lan[i].addr.s_addr & g.lan[i].mask.s_addr))
			return i;
	return -1;
}

int ssdp_open(void)
{
	struct sockaddr_in sa = { .sin_family = AF_INET,
				  .sin_port = htons(SSDP_PORT) };
	int one = 1, zero = 0, ttl = 2;
	unsigned int i;
	int fd;

	fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	setsockopt(fd, IPPROTO_IP, IP_PKTINFO, &one, sizeof(one));
	/* only the groups joined on this socket, on these interfaces */
	setsockopt(fd, IPPROTO_IP, IP_MULTICAST_ALL, &zero, sizeof(zero));
	setsockopt(fd, IPPROTO_IP, IP_MULTICAST_LOOP, &zero, sizeof(zero));
	setsockopt(fd, IPPROTO_IP, IP_MULTICAST_TTL, &ttl, sizeof(ttl));
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		igd_log(LOG_ERR, "SSDP: bind to port %d: %s", SSDP_PORT,
			strerror(errno));
		close(fd);
		return -1;
	}
	for (i = 0; i < g.nlan; i++) {
		struct ip_mreqn mr = { .imr_address = g.lan[i].addr,
				       .imr_ifindex = g.lan[i].ifindex };

		inet_pton(AF_INET, SSDP_ADDR, &mr.imr_multiaddr);
		if (setsockopt(fd, IPPROTO_IP, IP_ADD_MEMBERSHIP, &mr, sizeof(mr))) {
			igd_log(LOG_ERR, "SSDP: join %s on %s: %s", SSDP_ADDR,
				g.lan[i].name, strerror(errno));
			close(fd);
			return -1;
		}
	}
	return fd;
}

static const char *location(unsigned int li, int tree)
{
	static char loc[128];

	snprintf(loc, sizeof(loc), "%s%s", g.lan[li].base,
		 tree == SSDP_TREE_IGD2 ? DESC_ROOT2 : DESC_ROOT1);
	return loc;
}

static unsigned int max_age(void)
{
	return g.conf.notify_interval * 2;
}

static void ssdp_answer(const struct pending *p)
{
	struct ssdp_target t[SSDP_TARGETS_MAX];
	int n, i;

	n = ssdp_targets(p->st, (const char (*)[SSDP_NDEVS][37])g.uuids, t,
			 SSDP_TARGETS_MAX);
	for (i = 0; i < n; i++) {
		char msg[1024], usn[200];
		int len;

		ssdp_usn(&t[i], (const char (*)[SSDP_NDEVS][37])g.uuids, usn,
			 sizeof(usn));
		len = snprintf(msg, sizeof(msg),
			       "HTTP/1.1 200 OK\r\n"
			       "CACHE-CONTROL: max-age=%u\r\n"
			       "EXT:\r\n"
			       "LOCATION: %s\r\n"
			       "SERVER: %s\r\n"
			       "ST: %s\r\n"
			       "USN: %s\r\n"
			       "BOOTID.UPNP.ORG: %lu\r\n"
			       "CONFIGID.UPNP.ORG: 1\r\n"
			       "\r\n", max_age(), location(p->lan, t[i].tree),
			       server_string(), t[i].nt, usn, g.bootid);
		if (len > 0 && (size_t)len < sizeof(msg))
			send_from_lan(g.ssdp_fd, p->lan, &p->to, msg, len);
	}
}

void ssdp_notify(bool alive)
{
	struct sockaddr_in to = { .sin_family = AF_INET,
				  .sin_port = htons(SSDP_PORT) };
	struct ssdp_target t[SSDP_TARGETS_MAX];
	unsigned int li;
	int n, i;

	inet_pton(AF_INET, SSDP_ADDR, &to.sin_addr);
	n = ssdp_targets(NULL, (const char (*)[SSDP_NDEVS][37])g.uuids, t,
			 SSDP_TARGETS_MAX);
	for (li = 0; li < g.nlan; li++) {
		for (i = 0; i < n; i++) {
			char msg[1024], usn[200];
			int len;

			ssdp_usn(&t[i], (const char (*)[SSDP_NDEVS][37])g.uuids,
				 usn, sizeof(usn));
			if (alive)
				len = snprintf(msg, sizeof(msg),
					"NOTIFY * HTTP/1.1\r\n"
					"HOST: " SSDP_ADDR ":1900\r\n"
					"CACHE-CONTROL: max-age=%u\r\n"
					"LOCATION: %s\r\n"
					"NT: %s\r\nNTS: ssdp:alive\r\n"
					"SERVER: %s\r\nUSN: %s\r\n"
					"BOOTID.UPNP.ORG: %lu\r\n"
					"CONFIGID.UPNP.ORG: 1\r\n\r\n",
					max_age(), location(li, t[i].tree),
					t[i].nt, server_string(), usn, g.bootid);
			else
				len = snprintf(msg, sizeof(msg),
					"NOTIFY * HTTP/1.1\r\n"
					"HOST: " SSDP_ADDR ":1900\r\n"
					"NT: %s\r\nNTS: ssdp:byebye\r\n"
					"USN: %s\r\n"
					"BOOTID.UPNP.ORG: %lu\r\n"
					"CONFIGID.UPNP.ORG: 1\r\n\r\n",
					t[i].nt, usn, g.bootid);
			if (len > 0 && (size_t)len < sizeof(msg))
				send_from_lan(g.ssdp_fd, li, &to, msg, len);
		}
	}
}

void ssdp_read(void)
{
	char buf[SSDP_MAX_MSG + 1];
	char cbuf[CMSG_SPACE(sizeof(struct in_pktinfo))];
	struct sockaddr_in from;
	struct iovec iov = { .iov_base = buf, .iov_len = sizeof(buf) };
	struct msghdr mh = { .msg_name = &from, .msg_namelen = sizeof(from),
			     .msg_iov = &iov, .msg_iovlen = 1,
			     .msg_control = cbuf, .msg_controllen = sizeof(cbuf) };
	struct ssdp_target t[SSDP_TARGETS_MAX];
	struct ssdp_search s;
	int ifindex, li, nt;
	unsigned int i;
	uint64_t now;
	ssize_t n;

	n = recvmsg(g.ssdp_fd, &mh, MSG_DONTWAIT);
	if (n < 0)
		return;
	ifindex = arrival_if(&mh);
	li = lan_of_addr(from.sin_addr);
	if (li < 0 || !from_lan(li, from.sin_addr, ifindex)) {
		igd_log(LOG_DEBUG, "SSDP: dropped a datagram from %s (ifindex %d)",
			inet_ntoa(from.sin_addr), ifindex);
		return;
	}
	if ((size_t)n > SSDP_MAX_MSG || (mh.msg_flags & MSG_TRUNC)) {
		igd_log(LOG_DEBUG, "SSDP: oversized datagram from %s",
			inet_ntoa(from.sin_addr));
		return;
	}
	switch (ssdp_parse(buf, n, &s)) {
	case SSDP_MALFORMED:
		igd_log(LOG_DEBUG, "SSDP: malformed datagram from %s",
			inet_ntoa(from.sin_addr));
		return;
	case SSDP_IGNORE:
		return;
	case SSDP_SEARCH:
		break;
	}
	nt = ssdp_targets(s.st, (const char (*)[SSDP_NDEVS][37])g.uuids, t,
			  SSDP_TARGETS_MAX);
	if (nt <= 0)
		return;
	/* charged by the answers it would get: a reflector's budget */
	now = now_ms();
	if (!igd_rl_take(&g.rl_ssdp, from.sin_addr, nt, now)) {
		igd_log(LOG_DEBUG, "SSDP: rate limit for %s", inet_ntoa(from.sin_addr));
		return;
	}
	/* one pending answer per source and ST */
	for (i = 0; i < npending; i++)
		if (pending[i].to.sin_addr.s_addr == from.sin_addr.s_addr &&
		    pending[i].to.sin_port == from.sin_port &&
		    !strcmp(pending[i].st, s.st))
			return;
	if (npending >= PENDING_MAX)
		return;
	{
		struct pending *p = &pending[npending++];
		unsigned int mx = s.mx ? s.mx : 1;

		p->to = from;
		p->lan = li;
		strcpy(p->st, s.st);
		/* a random delay within MX (bounded to SSDP_MX_MAX); unicast: now */
		p->due = now + (s.multicast ? (uint64_t)(random() % (mx * 1000 / 2 + 1)) : 0);
	}
}

void ssdp_run_pending(uint64_t now)
{
	unsigned int i = 0;

	while (i < npending) {
		if (pending[i].due <= now) {
			ssdp_answer(&pending[i]);
			pending[i] = pending[--npending];
		} else {
			i++;
		}
	}
}

uint64_t ssdp_next_due(uint64_t next)
{
	unsigned int j;

	for (j = 0; j < npending; j++)
		if (pending[j].due < next)
			next = pending[j].due;
	return next;
}
