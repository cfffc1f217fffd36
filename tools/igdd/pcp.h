/* SPDX-License-Identifier: GPL-2.0 */
/*
 * igdd's NAT-PMP (RFC 6886) and PCP (RFC 6887) server: a pure function of
 * one request datagram and the mapping layer (mapping.h). The daemon owns
 * the sockets: it feeds each datagram received on the LAN side on UDP 5351
 * to pcp_handle() and sends back what it returns, and multicasts the
 * announcements to 224.0.0.1:5350 at start-up and when the external
 * address changes (after pcp_epoch_reset()).
 */
#ifndef IGDD_PCP_H
#define IGDD_PCP_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#define PCP_SERVER_PORT		5351	/* requests, to the gateway */
#define PCP_CLIENT_PORT		5350	/* announcements, to 224.0.0.1 */
#define PCP_MAX_PACKET		1100	/* RFC 6887 section 7 */

struct pcp_conf {
	bool natpmp;		/* answer NAT-PMP (version 0) */
	bool pcp;		/* answer PCP (version 2) */
	bool allow_third_party;	/* accept the PCP THIRD_PARTY option */
	uint32_t min_lifetime;	/* granted lifetimes are clamped to */
	uint32_t max_lifetime;	/* [min_lifetime, max_lifetime], seconds */
};

/**
 * pcp_init() - take the configuration and start the epoch at @now
 * May be called again (SIGHUP) to change the configuration; the epoch
 * then restarts too.
 */
void pcp_init(const struct pcp_conf *conf, time_t now);

/**
 * pcp_handle() - answer one datagram from a LAN client to server:5351
 * @req: the datagram, @len bytes
 * @client: its source address and port
 * @server: the local address it was sent to (a unicast LAN address)
 * @resp: room for the answer, @resp_max bytes (PCP_MAX_PACKET is enough)
 * @now: the current time (a monotonic clock is fine)
 *
 * Return: the length of the answer to send back to @client, 0 for none.
 */
size_t pcp_handle(const uint8_t *req, size_t len,
		  const struct sockaddr_in *client,
		  const struct in_addr *server,
		  uint8_t *resp, size_t resp_max, time_t now);

/** pcp_announce_natpmp() - unsolicited NAT-PMP external address answer */
size_t pcp_announce_natpmp(uint8_t *buf, size_t max, time_t now);

/** pcp_announce_pcp() - unsolicited PCP ANNOUNCE response */
size_t pcp_announce_pcp(uint8_t *buf, size_t max, time_t now);

/** pcp_epoch_reset() - the external address changed: restart the epoch */
void pcp_epoch_reset(time_t now);

#endif /* IGDD_PCP_H */
