/* SPDX-License-Identifier: GPL-2.0 */
/*
 * igdd: the daemon's state, shared by the loop (igdd.c), the SSDP sockets
 * (ssdp_io.c) and the HTTP server (server.c), and the helpers they share.
 * Single-threaded: only the loop and what it calls touch it.
 */
#ifndef IGDD_IGDD_H
#define IGDD_IGDD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "conf.h"
#include "ratelimit.h"
#include "ssdp.h"

struct MHD_Daemon;

/* One LAN igdd serves. */
struct lan {
	char name[IF_NAMESIZE];
	int ifindex;
	struct in_addr addr, mask;
	struct MHD_Daemon *mhd;
	uint16_t http_port;
	int pcp_fd;
	char base[64];		/* http://ADDR:PORT */
};

struct igdd {
	struct igd_conf conf;
	const char *conf_path;
	bool conf_given;
	bool foreground, verbose;
	int http_port_opt;	/* -P; -1: from the configuration */
	char lan_opt[IGD_LAN_MAX][IF_NAMESIZE];
	unsigned int nlan_opt;
	char wan_opt[IF_NAMESIZE];
	char user_opt[33];	/* -u */

	struct lan lan[IGD_LAN_MAX];
	unsigned int nlan;
	int ssdp_fd, sig_fd;
	char uuids[SSDP_NTREES][SSDP_NDEVS][37];
	unsigned long bootid;
	uint64_t start;		/* monotonic ms */
	uint64_t next_notify, next_ext_watch;
	struct in_addr ext;
	bool ext_private_logged;

	/* per source: SSDP answers, NAT-PMP/PCP requests, SOAP actions */
	struct igd_rl rl_ssdp, rl_pcp, rl_http;

	unsigned int announce_left;
	uint64_t announce_next, announce_gap;
	int announce_fd;
};

/* The daemon's one instance (igdd.c). */
extern struct igdd g;

/** now_ms() - the monotonic clock, in milliseconds */
uint64_t now_ms(void);

/** server_string() - "Linux/RELEASE UPnP/1.1 igdd/VERSION" (SERVER headers) */
const char *server_string(void);

/**
 * from_lan() - whether a datagram from @from that arrived on interface
 * @ifindex is a LAN host's to LAN @li: from its subnet, in through it, and
 * not from the gateway itself (Linux takes a datagram for a LAN address on
 * any interface; one that came in from the WAN with a LAN host's source is
 * forged)
 */
bool from_lan(unsigned int li, struct in_addr from, int ifindex);

/** arrival_if() - the interface @mh came in on (IP_PKTINFO), -1 if not told */
int arrival_if(struct msghdr *mh);

/**
 * send_from_lan() - send @len bytes on @fd to @to, from the address and
 * through the interface of LAN @li
 */
void send_from_lan(int fd, unsigned int li, const struct sockaddr_in *to,
		   const void *buf, size_t len);

#endif /* IGDD_IGDD_H */
