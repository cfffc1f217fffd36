/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the traversal test programs: endpoints as text and the
 * client side of the rendezvous protocol (see rendezvous.c).
 */
#ifndef TRAV_COMMON_H
#define TRAV_COMMON_H

#include <netinet/in.h>
#include <stddef.h>

long long trav_now_ms(void);
int trav_parse_ep(const char *s, struct sockaddr_in *sa, unsigned short def_port);
const char *trav_ep_str(const struct sockaddr_in *sa);
int trav_socket(int type, unsigned short lport, int reuse);
int trav_connect(int fd, const struct sockaddr_in *sa, int timeout_ms);
int trav_rdv_open(const char *server, unsigned short lport, int reuse,
		  int timeout_ms);
int trav_send_line(int fd, const char *line);
int trav_read_line(int fd, char *buf, size_t len, int timeout_ms);
int trav_rdv_req(int fd, const char *req, char *reply, size_t len,
		 int timeout_ms);
int trav_rdv_put(int fd, const char *key, const char *val);
int trav_rdv_get(int fd, const char *key, char *val, size_t len,
		 int timeout_ms);

#endif
