// SPDX-License-Identifier: GPL-2.0
/*
 * Helpers shared by the traversal test programs: endpoints as text and the
 * client side of the rendezvous protocol (see rendezvous.c).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "trav_common.h"

long long trav_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

/**
 * trav_parse_ep() - parse "a.b.c.d[:port]"
 * @s: the text
 * @sa: the result
 * @def_port: the port when @s has none (0: a port is required)
 *
 * Return: 0, or -1 if @s is not such an endpoint.
 */
int trav_parse_ep(const char *s, struct sockaddr_in *sa, unsigned short def_port)
{
	char host[64], *colon, *end;
	long port = def_port;

	if (strlen(s) >= sizeof(host))
		return -1;
	strcpy(host, s);
	colon = strchr(host, ':');
	if (colon) {
		*colon = '\0';
		port = strtol(colon + 1, &end, 10);
		if (*end || port < 1 || port > 65535)
			return -1;
	}
	if (!port)
		return -1;
	memset(sa, 0, sizeof(*sa));
	sa->sin_family = AF_INET;
	sa->sin_port = htons(port);
	return inet_pton(AF_INET, host, &sa->sin_addr) == 1 ? 0 : -1;
}

/* "a.b.c.d:port" in a static buffer (one at a time). */
const char *trav_ep_str(const struct sockaddr_in *sa)
{
	static char buf[32];
	char a[INET_ADDRSTRLEN];

	inet_ntop(AF_INET, &sa->sin_addr, a, sizeof(a));
	snprintf(buf, sizeof(buf), "%s:%u", a, ntohs(sa->sin_port));
	return buf;
}

/**
 * trav_socket() - an IPv4 socket bound to a local port
 * @type: SOCK_STREAM or SOCK_DGRAM
 * @lport: the port, 0 for any
 * @reuse: set SO_REUSEADDR and SO_REUSEPORT, so that several TCP sockets
 *	   can share @lport (one to the rendezvous, one to the peer)
 *
 * Return: the descriptor, or -1 with a message on stderr.
 */
int trav_socket(int type, unsigned short lport, int reuse)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	int fd, one = 1;

	fd = socket(AF_INET, type, 0);
	if (fd < 0) {
		perror("socket");
		return -1;
	}
	if (reuse &&
	    (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	     setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof(one)))) {
		perror("setsockopt");
		close(fd);
		return -1;
	}
	sa.sin_port = htons(lport);
	if (lport && bind(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		fprintf(stderr, "bind port %u: %s\n", lport, strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

/**
 * trav_connect() - connect a TCP socket within a time limit
 * @fd: the socket
 * @sa: where to
 * @timeout_ms: how long to wait for the handshake
 *
 * Return: 0 when connected, else -1 with errno set (ETIMEDOUT if the time
 * ran out).  The socket is blocking again on return.
 */
int trav_connect(int fd, const struct sockaddr_in *sa, int timeout_ms)
{
	int fl = fcntl(fd, F_GETFL), err = 0, r;
	socklen_t elen = sizeof(err);
	struct pollfd p = { .fd = fd, .events = POLLOUT };

	fcntl(fd, F_SETFL, fl | O_NONBLOCK);
	r = connect(fd, (const struct sockaddr *)sa, sizeof(*sa));
	if (r && errno == EINPROGRESS) {
		r = poll(&p, 1, timeout_ms);
		if (r == 0) {
			errno = ETIMEDOUT;
			r = -1;
		} else if (r > 0) {
			getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &elen);
			r = err ? -1 : 0;
			if (err)
				errno = err;
		}
	}
	err = errno;
	fcntl(fd, F_SETFL, fl);
	errno = err;
	return r ? -1 : 0;
}

/**
 * trav_rdv_open() - connect to the rendezvous service
 * @server: "addr[:port]" (port 7000 by default)
 * @lport: local port, 0 for any
 * @reuse: share @lport with other sockets (see trav_socket())
 * @timeout_ms: for the TCP handshake
 *
 * Return: the connected socket, or -1 with a message on stderr.
 */
int trav_rdv_open(const char *server, unsigned short lport, int reuse,
		  int timeout_ms)
{
	struct sockaddr_in sa;
	int fd;

	if (trav_parse_ep(server, &sa, 7000)) {
		fprintf(stderr, "bad rendezvous address '%s'\n", server);
		return -1;
	}
	fd = trav_socket(SOCK_STREAM, lport, reuse);
	if (fd < 0)
		return -1;
	if (trav_connect(fd, &sa, timeout_ms)) {
		fprintf(stderr, "rendezvous %s: %s\n", server, strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

int trav_send_line(int fd, const char *line)
{
	size_t n = strlen(line);

	return send(fd, line, n, MSG_NOSIGNAL) == (ssize_t)n ? 0 : -1;
}

/**
 * trav_read_line() - read one line, byte by byte (no read-ahead is lost)
 * @fd: a stream socket
 * @buf: where to store it, without the newline
 * @len: size of @buf
 * @timeout_ms: for the whole line
 *
 * Return: 0, or -1 on timeout, end of stream, error or a line too long.
 */
int trav_read_line(int fd, char *buf, size_t len, int timeout_ms)
{
	long long deadline = trav_now_ms() + timeout_ms;
	size_t n = 0;

	while (n + 1 < len) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		long long left = deadline - trav_now_ms();
		char ch;

		if (left <= 0 || poll(&p, 1, (int)left) <= 0)
			return -1;
		if (recv(fd, &ch, 1, 0) != 1)
			return -1;
		if (ch == '\n') {
			buf[n] = '\0';
			if (n && buf[n - 1] == '\r')
				buf[n - 1] = '\0';
			return 0;
		}
		buf[n++] = ch;
	}
	return -1;
}

/* Send one request line (with its newline) and read the answer. */
int trav_rdv_req(int fd, const char *req, char *reply, size_t len,
		 int timeout_ms)
{
	if (trav_send_line(fd, req))
		return -1;
	return trav_read_line(fd, reply, len, timeout_ms);
}

int trav_rdv_put(int fd, const char *key, const char *val)
{
	char req[2100], reply[64];

	snprintf(req, sizeof(req), "PUT %s %s\n", key, val);
	if (trav_rdv_req(fd, req, reply, sizeof(reply), 10000) ||
	    strcmp(reply, "OK")) {
		fprintf(stderr, "rendezvous PUT %s failed\n", key);
		return -1;
	}
	return 0;
}

/**
 * trav_rdv_get() - wait for a key's value at the rendezvous
 * @fd: connection to the rendezvous
 * @key: the key
 * @val: where to store the value
 * @len: size of @val
 * @timeout_ms: how long the service waits for the key to be PUT
 *
 * Return: 0, or -1 if the key did not come in time or on error.
 */
int trav_rdv_get(int fd, const char *key, char *val, size_t len,
		 int timeout_ms)
{
	char req[1100], reply[1100];

	snprintf(req, sizeof(req), "GET %s %d\n", key, timeout_ms);
	if (trav_rdv_req(fd, req, reply, sizeof(reply), timeout_ms + 5000) ||
	    strncmp(reply, "VAL ", 4) || strlen(reply + 4) >= len) {
		fprintf(stderr, "rendezvous GET %s: no value\n", key);
		return -1;
	}
	strcpy(val, reply + 4);
	return 0;
}
