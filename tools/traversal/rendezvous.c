// SPDX-License-Identifier: GPL-2.0
/*
 * rendezvous - a tiny rendezvous service for the NAT traversal tests.
 *
 *   rendezvous [-a ADDR] [-p PORT] [-v]
 *
 * A TCP server (default 0.0.0.0:7000) that keeps a table of keys and
 * values in memory.  It is a test helper, not a product: no
 * authentication, everything is forgotten when it exits.  One request per
 * line, one answer per line:
 *
 *   WHOAMI              -> ADDR ip:port   (the client's address as seen
 *                                          here: its public endpoint if it
 *                                          is behind a NAT)
 *   PUT key value       -> OK             (sets or replaces key)
 *   GET key timeout_ms  -> VAL value      as soon as key has a value, or
 *                          NONE           when timeout_ms passed first
 *   QUIT                -> (closes the connection)
 *
 * Anything else gets "ERR reason".  Keys and values are words of printable
 * ASCII (no spaces), at most 1000 bytes each.  A GET that waits holds its
 * connection until it is answered: a client behind a NAT waiting in a GET
 * is how the service relays "please connect to me" (connection reversal)
 * and how peers swap their reflexive addresses or ICE candidates.
 *
 * Single-threaded, poll(2) based: at most MAX_CLIENTS connections and
 * MAX_KEYS keys at once; a client over the limit is closed at once, a PUT
 * over it gets "ERR full".
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_CLIENTS	64
#define MAX_KEYS	1024
#define WORD_MAX	1000
#define LINE_MAX_LEN	(2 * WORD_MAX + 32)

struct client {
	int fd;				/* -1: free slot */
	struct sockaddr_in peer;
	char buf[LINE_MAX_LEN + 1];
	size_t len;
	char wait_key[WORD_MAX + 1];	/* pending GET, "" if none */
	long long wait_deadline;	/* ms, CLOCK_MONOTONIC */
};

struct kv {
	char key[WORD_MAX + 1];
	char val[WORD_MAX + 1];
};

static struct client clients[MAX_CLIENTS];
static struct kv table[MAX_KEYS];
static int nkeys;
static int verbose;

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

static void say(struct client *c, const char *fmt, const char *arg)
{
	char out[LINE_MAX_LEN + 16];
	int n = snprintf(out, sizeof(out), fmt, arg);

	/* Answers are short; a client that does not read them is dropped. */
	if (n < 0 || send(c->fd, out, n, MSG_NOSIGNAL | MSG_DONTWAIT) != n) {
		close(c->fd);
		c->fd = -1;
	}
}

static struct kv *lookup(const char *key)
{
	int i;

	for (i = 0; i < nkeys; i++)
		if (!strcmp(table[i].key, key))
			return &table[i];
	return NULL;
}

static int word_ok(const char *w)
{
	size_t n = strlen(w);

	if (n == 0 || n > WORD_MAX)
		return 0;
	for (; *w; w++)
		if (*w <= ' ' || *w > '~')
			return 0;
	return 1;
}

/* Answer the clients waiting for key, now that it has a value. */
static void wake(const struct kv *kv)
{
	int i;

	for (i = 0; i < MAX_CLIENTS; i++) {
		struct client *c = &clients[i];

		if (c->fd >= 0 && !strcmp(c->wait_key, kv->key)) {
			c->wait_key[0] = '\0';
			say(c, "VAL %s\n", kv->val);
		}
	}
}

/**
 * handle_line() - execute one request line of a client
 * @c: the client
 * @line: the request, without its newline
 */
static void handle_line(struct client *c, char *line)
{
	char *cmd, *a1, *a2, *a3, *save = NULL;
	char addr[64];
	struct kv *kv;

	cmd = strtok_r(line, " \t\r", &save);
	a1 = strtok_r(NULL, " \t\r", &save);
	a2 = strtok_r(NULL, " \t\r", &save);
	a3 = strtok_r(NULL, " \t\r", &save);
	if (!cmd)
		return;
	if (verbose)
		fprintf(stderr, "rendezvous: %s:%u %s %s %s\n",
			inet_ntoa(c->peer.sin_addr), ntohs(c->peer.sin_port),
			cmd, a1 ? a1 : "", a2 ? a2 : "");
	if (!strcmp(cmd, "WHOAMI") && !a1) {
		snprintf(addr, sizeof(addr), "%s:%u",
			 inet_ntoa(c->peer.sin_addr), ntohs(c->peer.sin_port));
		say(c, "ADDR %s\n", addr);
	} else if (!strcmp(cmd, "PUT") && a1 && a2 && !a3) {
		if (!word_ok(a1) || !word_ok(a2)) {
			say(c, "ERR %s\n", "bad key or value");
			return;
		}
		kv = lookup(a1);
		if (!kv) {
			if (nkeys == MAX_KEYS) {
				say(c, "ERR %s\n", "full");
				return;
			}
			kv = &table[nkeys++];
			strcpy(kv->key, a1);
		}
		strcpy(kv->val, a2);
		say(c, "%s", "OK\n");
		wake(kv);
	} else if (!strcmp(cmd, "GET") && a1 && a2 && !a3) {
		char *end;
		long t = strtol(a2, &end, 10);

		if (!word_ok(a1) || *end || t < 0 || t > 3600000) {
			say(c, "ERR %s\n", "bad key or timeout");
			return;
		}
		kv = lookup(a1);
		if (kv) {
			say(c, "VAL %s\n", kv->val);
			return;
		}
		strcpy(c->wait_key, a1);
		c->wait_deadline = now_ms() + t;
	} else if (!strcmp(cmd, "QUIT")) {
		close(c->fd);
		c->fd = -1;
	} else {
		say(c, "ERR %s\n", "unknown request");
	}
}

static void client_read(struct client *c)
{
	ssize_t n;
	char *nl;

	n = recv(c->fd, c->buf + c->len, LINE_MAX_LEN - c->len, 0);
	if (n <= 0) {
		close(c->fd);
		c->fd = -1;
		return;
	}
	c->len += n;
	c->buf[c->len] = '\0';
	/* A client waiting in GET may send nothing more but QUIT. */
	while (c->fd >= 0 && (nl = memchr(c->buf, '\n', c->len))) {
		size_t used = nl - c->buf + 1;

		*nl = '\0';
		if (c->wait_key[0] && strncmp(c->buf, "QUIT", 4))
			say(c, "ERR %s\n", "busy in GET");
		else
			handle_line(c, c->buf);
		if (c->fd < 0)
			return;
		memmove(c->buf, c->buf + used, c->len - used);
		c->len -= used;
		c->buf[c->len] = '\0';
	}
	if (c->len == LINE_MAX_LEN) {
		say(c, "ERR %s\n", "line too long");
		if (c->fd >= 0) {
			close(c->fd);
			c->fd = -1;
		}
	}
}

static void usage(void)
{
	fprintf(stderr, "usage: rendezvous [-a ADDR] [-p PORT] [-v]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	struct pollfd pfd[MAX_CLIENTS + 1];
	int lfd, opt, one = 1, i;

	sa.sin_port = htons(7000);
	while ((opt = getopt(argc, argv, "a:p:v")) != -1) {
		switch (opt) {
		case 'a':
			if (inet_pton(AF_INET, optarg, &sa.sin_addr) != 1)
				usage();
			break;
		case 'p':
			sa.sin_port = htons(atoi(optarg));
			break;
		case 'v':
			verbose = 1;
			break;
		default:
			usage();
		}
	}
	if (optind != argc)
		usage();
	signal(SIGPIPE, SIG_IGN);
	for (i = 0; i < MAX_CLIENTS; i++)
		clients[i].fd = -1;

	lfd = socket(AF_INET, SOCK_STREAM, 0);
	if (lfd < 0 ||
	    setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    bind(lfd, (struct sockaddr *)&sa, sizeof(sa)) || listen(lfd, 64)) {
		perror("rendezvous: listen");
		return 1;
	}
	for (;;) {
		long long now = now_ms(), next = -1;
		int n, timeout;

		pfd[0].fd = lfd;
		pfd[0].events = POLLIN;
		for (i = 0; i < MAX_CLIENTS; i++) {
			struct client *c = &clients[i];

			if (c->fd >= 0 && c->wait_key[0]) {
				if (c->wait_deadline <= now) {
					c->wait_key[0] = '\0';
					say(c, "%s", "NONE\n");
				} else if (next < 0 || c->wait_deadline < next) {
					next = c->wait_deadline;
				}
			}
			pfd[i + 1].fd = c->fd;
			pfd[i + 1].events = POLLIN;
		}
		timeout = next < 0 ? -1 : (int)(next - now);
		n = poll(pfd, MAX_CLIENTS + 1, timeout);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			perror("rendezvous: poll");
			return 1;
		}
		if (pfd[0].revents & POLLIN) {
			struct sockaddr_in peer;
			socklen_t plen = sizeof(peer);
			int fd = accept(lfd, (struct sockaddr *)&peer, &plen);

			if (fd >= 0) {
				for (i = 0; i < MAX_CLIENTS; i++)
					if (clients[i].fd < 0)
						break;
				if (i == MAX_CLIENTS) {
					close(fd);
				} else {
					memset(&clients[i], 0, sizeof(clients[i]));
					clients[i].fd = fd;
					clients[i].peer = peer;
				}
			}
		}
		for (i = 0; i < MAX_CLIENTS; i++)
			if (clients[i].fd >= 0 && pfd[i + 1].fd == clients[i].fd &&
			    (pfd[i + 1].revents & (POLLIN | POLLHUP | POLLERR)))
				client_read(&clients[i]);
	}
}
