/* SPDX-License-Identifier: GPL-2.0 */
/*
 * igdd: the HTTP server of each LAN (libmicrohttpd, external-polling epoll
 * mode): the device and service descriptions, and the SOAP control URLs.
 * Every request passes the checks of http.h first.
 */
#ifndef IGDD_SERVER_H
#define IGDD_SERVER_H

#include <stdint.h>

#include "igdd.h"

/**
 * http_start() - listen on @l's address, port @port (0: any free one)
 * Sets @l->mhd, @l->http_port (the port bound) and @l->base.
 * Return: 0, or -1 (logged).
 */
int http_start(struct lan *l, uint16_t port);

/**
 * http_poll_fd() - the fd to poll for @l's server (readable: call
 * http_run()), -1 if none
 */
int http_poll_fd(const struct lan *l);

/**
 * http_next() - the earlier of @next and the time (ms, the clock of
 * now_ms(), which is @now) at which @l's server wants http_run()
 */
uint64_t http_next(const struct lan *l, uint64_t now, uint64_t next);

/** http_run() - let @l's server do what it has to */
void http_run(struct lan *l);

/** http_stop() - close @l's server and its connections */
void http_stop(struct lan *l);

#endif /* IGDD_SERVER_H */
