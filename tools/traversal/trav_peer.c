// SPDX-License-Identifier: GPL-2.0
/*
 * trav_peer - one end of a NAT traversal attempt, for the traversal tests.
 *
 *   trav_peer stun    -s STUN[:3478] [-p LPORT]
 *   trav_peer udp     -r RDV -s STUN -k SESSION -i SELF -j PEER -p LPORT [-t S]
 *   trav_peer tcp     -r RDV -k SESSION -i SELF -j PEER -p LPORT [-t S]
 *   trav_peer rev-ask -r RDV -k KEY -p LPORT [-t S]
 *   trav_peer rev-connect -r RDV -k KEY [-t S]
 *
 * RDV is the rendezvous service (tools/traversal/rendezvous, addr[:7000]).
 *
 * stun: send a STUN Binding request (RFC 5389) from LPORT and print the
 * server-reflexive address from the XOR-MAPPED-ADDRESS of the answer.
 *
 * udp: UDP hole punching.  Learn the server-reflexive address of LPORT
 * from the STUN server, publish it at the rendezvous as SESSION/SELF, wait
 * for SESSION/PEER, then send "PING SELF" to the peer's address every
 * 200 ms.  Every "PING PEER" that arrives, from whatever source, is
 * answered with "PONG SELF" to that source, which is also added to the
 * addresses pinged (the source a symmetric NAT picked for the peer is
 * learned this way, as ICE learns peer-reflexive candidates).  It works
 * once a "PONG PEER" came back: both directions passed both NATs.  Then it
 * publishes SESSION/SELF.ok and keeps answering until SESSION/PEER.ok is
 * there too (or the time is up), so that the peer gets its answer.
 *
 * tcp: TCP hole punching by simultaneous open (RFC 5382 REQ-2).  From
 * LPORT, connect to the rendezvous and ask WHOAMI: the answer is the
 * public endpoint of LPORT's TCP mapping; publish it as SESSION/SELF, get
 * SESSION/PEER, then connect from LPORT (sharing it with SO_REUSEPORT) to
 * the peer's endpoint again and again until a connection is made or the
 * time is up.  It works if "HELLO SELF"/"HELLO PEER" cross on it.
 *
 * rev-ask and rev-connect: connection reversal.  rev-ask listens on LPORT,
 * asks the rendezvous for its own public address (WHOAMI) and puts
 * "that-address:LPORT" at KEY: "please connect to me".  rev-connect (the
 * side that cannot be reached, e.g. behind a NAT) waits for KEY at the
 * rendezvous and connects to the address it finds.  Both work if a HELLO
 * crossed each way on that connection.
 *
 * Every mode but stun gives up after S seconds (default 10) and prints one
 * line "RESULT works|fails DETAILS".  Exit status: 0 works, 1 fails, 2 the
 * attempt could not be made (no STUN answer, no rendezvous, bad usage).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <unistd.h>

#include "trav_common.h"

#define STUN_MAGIC	0x2112A442u
#define MAX_TARGETS	8

static struct {
	const char *mode, *rdv, *stun, *session, *self, *peer;
	unsigned short lport;
	int secs;
} o = { .secs = 10 };

static long long deadline;

static int left_ms(void)
{
	long long l = deadline - trav_now_ms();

	return l > 0 ? (int)l : 0;
}

static int result(int works, const char *fmt, const char *arg)
{
	printf("RESULT %s ", works ? "works" : "fails");
	printf(fmt, arg);
	printf("\n");
	fflush(stdout);
	return works ? 0 : 1;
}

/**
 * stun_binding() - learn the server-reflexive address of a UDP socket
 * @fd: the socket
 * @server: the STUN server
 * @mapped: the address the server saw
 *
 * Sends a Binding request every 500 ms (up to 16 times, the guest may be
 * slow) and parses XOR-MAPPED-ADDRESS (or MAPPED-ADDRESS) of the first
 * success response with our transaction ID.  Other datagrams are ignored.
 *
 * Return: 0, or -1 if no valid answer came.
 */
static int stun_binding(int fd, const struct sockaddr_in *server,
			struct sockaddr_in *mapped)
{
	uint8_t req[20], buf[1500];
	int try;

	req[0] = 0x00;
	req[1] = 0x01;		/* Binding request */
	req[2] = req[3] = 0;	/* no attributes */
	req[4] = (STUN_MAGIC >> 24) & 0xff;
	req[5] = (STUN_MAGIC >> 16) & 0xff;
	req[6] = (STUN_MAGIC >> 8) & 0xff;
	req[7] = STUN_MAGIC & 0xff;
	if (getrandom(req + 8, 12, 0) != 12)
		return -1;

	for (try = 0; try < 16; try++) {
		long long until = trav_now_ms() + 500;

		sendto(fd, req, sizeof(req), 0,
		       (const struct sockaddr *)server, sizeof(*server));
		for (;;) {
			struct pollfd p = { .fd = fd, .events = POLLIN };
			long long wait = until - trav_now_ms();
			ssize_t n;
			size_t off, alen;

			if (wait <= 0 || poll(&p, 1, (int)wait) <= 0)
				break;
			n = recv(fd, buf, sizeof(buf), 0);
			if (n < 20 || buf[0] != 0x01 || buf[1] != 0x01 ||
			    memcmp(buf + 4, req + 4, 16))
				continue;
			if ((size_t)n < 20u + ((buf[2] << 8) | buf[3]))
				continue;
			n = 20 + ((buf[2] << 8) | buf[3]);
			for (off = 20; off + 4 <= (size_t)n; off += 4 + ((alen + 3) & ~3u)) {
				unsigned int type = (buf[off] << 8) | buf[off + 1];
				uint32_t a;
				uint16_t port;

				alen = (buf[off + 2] << 8) | buf[off + 3];
				if (off + 4 + alen > (size_t)n)
					break;
				if ((type != 0x0020 && type != 0x0001) ||
				    alen != 8 || buf[off + 5] != 0x01)
					continue;
				port = (buf[off + 6] << 8) | buf[off + 7];
				memcpy(&a, buf + off + 8, 4);
				if (type == 0x0020) {
					port ^= STUN_MAGIC >> 16;
					a ^= htonl(STUN_MAGIC);
				}
				memset(mapped, 0, sizeof(*mapped));
				mapped->sin_family = AF_INET;
				mapped->sin_port = htons(port);
				mapped->sin_addr.s_addr = a;
				return 0;
			}
		}
	}
	return -1;
}

static int same_ep(const struct sockaddr_in *a, const struct sockaddr_in *b)
{
	return a->sin_addr.s_addr == b->sin_addr.s_addr &&
	       a->sin_port == b->sin_port;
}

static int do_stun(void)
{
	struct sockaddr_in server, mapped;
	int fd;

	if (!o.stun || trav_parse_ep(o.stun, &server, 3478))
		return 2;
	fd = trav_socket(SOCK_DGRAM, o.lport, 0);
	if (fd < 0)
		return 2;
	if (stun_binding(fd, &server, &mapped)) {
		fprintf(stderr, "no STUN answer from %s\n", o.stun);
		return 2;
	}
	printf("%s\n", trav_ep_str(&mapped));
	return 0;
}

/* Publish our endpoint as SESSION/SELF and wait for SESSION/PEER. */
static int swap_endpoints(int rfd, const char *mine, struct sockaddr_in *peer)
{
	char key[300], val[300];

	snprintf(key, sizeof(key), "%s/%s", o.session, o.self);
	if (trav_rdv_put(rfd, key, mine))
		return -1;
	snprintf(key, sizeof(key), "%s/%s", o.session, o.peer);
	if (trav_rdv_get(rfd, key, val, sizeof(val), left_ms()))
		return -1;
	if (trav_parse_ep(val, peer, 0)) {
		fprintf(stderr, "bad peer endpoint '%s'\n", val);
		return -1;
	}
	return 0;
}

static int do_udp(void)
{
	struct sockaddr_in server, mapped, targets[MAX_TARGETS], from;
	char mine[32], line[128], msg[300], rbuf[300];
	int fd, rfd, ntargets = 1, got_pong = 0, ok_sent = 0, i;
	size_t rlen = 0;
	long long next_ping = 0;

	if (!o.stun || trav_parse_ep(o.stun, &server, 3478))
		return 2;
	fd = trav_socket(SOCK_DGRAM, o.lport, 0);
	if (fd < 0)
		return 2;
	if (stun_binding(fd, &server, &mapped)) {
		fprintf(stderr, "no STUN answer from %s\n", o.stun);
		return 2;
	}
	snprintf(mine, sizeof(mine), "%s", trav_ep_str(&mapped));
	fprintf(stderr, "%s: server-reflexive %s\n", o.self, mine);
	rfd = trav_rdv_open(o.rdv, 0, 0, left_ms());
	if (rfd < 0 || swap_endpoints(rfd, mine, &targets[0]))
		return 2;
	fprintf(stderr, "%s: peer %s\n", o.self, trav_ep_str(&targets[0]));

	while (left_ms() > 0) {
		struct pollfd p[2] = {
			{ .fd = fd, .events = POLLIN },
			{ .fd = rfd, .events = POLLIN },
		};
		long long now = trav_now_ms();
		int wait;

		if (now >= next_ping) {
			snprintf(msg, sizeof(msg), "PING %s", o.self);
			for (i = 0; i < ntargets; i++)
				sendto(fd, msg, strlen(msg), 0,
				       (struct sockaddr *)&targets[i],
				       sizeof(targets[i]));
			next_ping = now + 200;
		}
		wait = (int)(next_ping - now);
		if (wait > left_ms())
			wait = left_ms();
		if (poll(p, 2, wait) <= 0)
			continue;
		if (p[1].revents) {
			/* Answers of the PUT .ok and GET PEER.ok. */
			ssize_t n = recv(rfd, rbuf + rlen, sizeof(rbuf) - 1 - rlen, 0);
			char *nl;

			if (n <= 0) {
				fprintf(stderr, "rendezvous closed\n");
				break;
			}
			rlen += n;
			rbuf[rlen] = '\0';
			while ((nl = strchr(rbuf, '\n'))) {
				*nl = '\0';
				if (!strncmp(rbuf, "VAL ", 4)) {
					snprintf(line, sizeof(line), "peer %s, via %%s",
						 trav_ep_str(&targets[0]));
					return result(1, line, "both directions");
				}
				if (!strcmp(rbuf, "NONE"))
					return result(1, "%s", "peer did not confirm");
				rlen -= nl + 1 - rbuf;
				memmove(rbuf, nl + 1, rlen + 1);
			}
		}
		if (p[0].revents) {
			socklen_t flen = sizeof(from);
			ssize_t n = recvfrom(fd, line, sizeof(line) - 1, 0,
					     (struct sockaddr *)&from, &flen);
			int known = 0;

			if (n <= 0 || same_ep(&from, &server))
				continue;
			line[n] = '\0';
			snprintf(msg, sizeof(msg), "PING %s", o.peer);
			if (!strcmp(line, msg)) {
				snprintf(msg, sizeof(msg), "PONG %s", o.self);
				sendto(fd, msg, strlen(msg), 0,
				       (struct sockaddr *)&from, flen);
				for (i = 0; i < ntargets; i++)
					known |= same_ep(&targets[i], &from);
				if (!known && ntargets < MAX_TARGETS) {
					fprintf(stderr, "%s: learned peer source %s\n",
						o.self, trav_ep_str(&from));
					targets[ntargets++] = from;
				}
				continue;
			}
			snprintf(msg, sizeof(msg), "PONG %s", o.peer);
			if (!strcmp(line, msg) && !got_pong) {
				got_pong = 1;
				fprintf(stderr, "%s: answer from %s\n", o.self,
					trav_ep_str(&from));
			}
		}
		if (got_pong && !ok_sent) {
			snprintf(msg, sizeof(msg), "PUT %s/%s.ok yes\nGET %s/%s.ok %d\n",
				 o.session, o.self, o.session, o.peer, left_ms());
			if (trav_send_line(rfd, msg))
				break;
			ok_sent = 1;
		}
	}
	if (got_pong)
		return result(1, "%s", "peer did not confirm in time");
	return result(0, "no answer from the peer (%s pinged)",
		      ntargets > 1 ? "learned sources" : "only its reflexive address");
}

/* Send HELLO SELF on a connection and expect HELLO PEER. */
static int hello(int fd)
{
	char msg[300], line[300];

	snprintf(msg, sizeof(msg), "HELLO %s\n", o.self);
	if (trav_send_line(fd, msg))
		return -1;
	if (trav_read_line(fd, line, sizeof(line), left_ms() > 5000 ? left_ms() : 5000))
		return -1;
	snprintf(msg, sizeof(msg), "HELLO %s", o.peer);
	return strcmp(line, msg) ? -1 : 0;
}

#define MAX_CONNS 8

/*
 * TCP hole punching.  A listener shares LPORT with the connection attempts
 * (SO_REUSEPORT): behind a filtering NAT the first SYN of one side is
 * dropped by the other side's NAT, and the other side's SYN then meets the
 * first side's socket in SYN-SENT (simultaneous open); where a SYN gets
 * through to a host that is not connecting at that moment, the listener
 * accepts it instead of the host answering with a RST.  Every connection
 * made either way gets our HELLO at once, so both ends agree whichever
 * connection they see first.
 */
static int do_tcp(void)
{
	struct sockaddr_in peer;
	char reply[300], msg[300];
	int rfd, lfd, cfd = -1, conns[MAX_CONNS], nconns = 0, tries = 0, err = 0;
	int accepted = 0, connected = 0, i;
	long long attempt_end = 0, next_try = 0;
	char lbuf[MAX_CONNS][64];
	size_t llen[MAX_CONNS];

	rfd = trav_rdv_open(o.rdv, o.lport, 1, left_ms());
	if (rfd < 0)
		return 2;
	if (trav_rdv_req(rfd, "WHOAMI\n", reply, sizeof(reply), 10000) ||
	    strncmp(reply, "ADDR ", 5)) {
		fprintf(stderr, "no WHOAMI answer\n");
		return 2;
	}
	fprintf(stderr, "%s: public TCP endpoint %s\n", o.self, reply + 5);
	lfd = trav_socket(SOCK_STREAM, o.lport, 1);
	if (lfd < 0 || listen(lfd, 4)) {
		perror("listen");
		return 2;
	}
	if (swap_endpoints(rfd, reply + 5, &peer))
		return 2;
	fprintf(stderr, "%s: peer %s\n", o.self, trav_ep_str(&peer));
	snprintf(msg, sizeof(msg), "HELLO %s\n", o.self);

	while (left_ms() > 0) {
		struct pollfd p[MAX_CONNS + 2];
		long long now = trav_now_ms();
		int n = 0, wait;

		if (cfd < 0 && now >= next_try) {
			/* A new attempt (at most one every 200 ms). */
			cfd = trav_socket(SOCK_STREAM, o.lport, 1);
			if (cfd < 0)
				return 2;
			fcntl(cfd, F_SETFL, fcntl(cfd, F_GETFL) | O_NONBLOCK);
			tries++;
			if (connect(cfd, (struct sockaddr *)&peer, sizeof(peer)) &&
			    errno != EINPROGRESS) {
				err = errno;
				close(cfd);
				cfd = -1;
			}
			attempt_end = now + 3000;
		}
		if (cfd >= 0 && now >= attempt_end) {
			err = ETIMEDOUT;
			close(cfd);
			cfd = -1;
			next_try = now;
			continue;
		}
		p[n].fd = lfd;
		p[n++].events = POLLIN;
		p[n].fd = cfd;
		p[n++].events = POLLOUT;
		for (i = 0; i < nconns; i++) {
			p[n].fd = conns[i];
			p[n++].events = POLLIN;
		}
		wait = (int)((cfd >= 0 ? attempt_end : next_try) - now);
		if (wait < 1)
			wait = 1;
		if (wait > left_ms())
			wait = left_ms();
		if (poll(p, n, wait) <= 0)
			continue;
		if ((p[0].revents & POLLIN) && nconns < MAX_CONNS) {
			int fd = accept(lfd, NULL, NULL);

			if (fd >= 0) {
				accepted++;
				trav_send_line(fd, msg);
				llen[nconns] = 0;
				conns[nconns++] = fd;
			}
		}
		if (cfd >= 0 && p[1].revents) {
			socklen_t elen = sizeof(err);

			err = 0;
			getsockopt(cfd, SOL_SOCKET, SO_ERROR, &err, &elen);
			if (!err && nconns < MAX_CONNS) {
				connected++;
				fcntl(cfd, F_SETFL, fcntl(cfd, F_GETFL) & ~O_NONBLOCK);
				trav_send_line(cfd, msg);
				llen[nconns] = 0;
				conns[nconns++] = cfd;
				cfd = -1;
				next_try = now + 1000000000LL;	/* no more */
			} else {
				/* Refused (a RST): again 200 ms later. */
				close(cfd);
				cfd = -1;
				next_try = now + 200;
			}
		}
		for (i = 0; i < nconns; i++) {
			char want[300];
			char *nl;
			ssize_t r;

			if (!(p[2 + i].revents & (POLLIN | POLLHUP | POLLERR)) ||
			    p[2 + i].fd != conns[i])
				continue;
			r = recv(conns[i], lbuf[i] + llen[i], sizeof(lbuf[i]) - 1 - llen[i], 0);
			if (r <= 0)
				continue;
			llen[i] += r;
			lbuf[i][llen[i]] = '\0';
			nl = strchr(lbuf[i], '\n');
			if (!nl)
				continue;
			*nl = '\0';
			snprintf(want, sizeof(want), "HELLO %s", o.peer);
			if (!strcmp(lbuf[i], want)) {
				snprintf(reply, sizeof(reply),
					 "HELLO both ways with %s after %d attempt(s); %d connected, %d accepted",
					 trav_ep_str(&peer), tries, connected, accepted);
				return result(1, "%s", reply);
			}
		}
	}
	snprintf(reply, sizeof(reply),
		 "no HELLO from %s in %d attempt(s) (%d connected, %d accepted), last error: %s",
		 trav_ep_str(&peer), tries, connected, accepted, strerror(err));
	return result(0, "%s", reply);
}

static int do_rev_ask(void)
{
	char reply[300], val[320], *colon;
	struct pollfd p;
	int rfd, lfd, fd, ok;

	lfd = trav_socket(SOCK_STREAM, o.lport, 1);
	if (lfd < 0 || listen(lfd, 4)) {
		perror("listen");
		return 2;
	}
	rfd = trav_rdv_open(o.rdv, 0, 0, left_ms());
	if (rfd < 0)
		return 2;
	if (trav_rdv_req(rfd, "WHOAMI\n", reply, sizeof(reply), 10000) ||
	    strncmp(reply, "ADDR ", 5) || !(colon = strchr(reply, ':'))) {
		fprintf(stderr, "no WHOAMI answer\n");
		return 2;
	}
	*colon = '\0';
	snprintf(val, sizeof(val), "%s:%u", reply + 5, o.lport);
	fprintf(stderr, "asking for a connection to %s\n", val);
	if (trav_rdv_put(rfd, o.session, val))
		return 2;
	p.fd = lfd;
	p.events = POLLIN;
	if (poll(&p, 1, left_ms()) <= 0)
		return result(0, "nobody connected to %s", val);
	fd = accept(lfd, NULL, NULL);
	o.self = "asker";
	o.peer = "connecter";
	ok = fd >= 0 && !hello(fd);
	return result(ok, ok ? "connected at %s" : "connection at %s without HELLO", val);
}

static int do_rev_connect(void)
{
	struct sockaddr_in sa;
	char val[300], msg[400];
	int rfd, fd, ok;

	rfd = trav_rdv_open(o.rdv, 0, 0, left_ms());
	if (rfd < 0)
		return 2;
	if (trav_rdv_get(rfd, o.session, val, sizeof(val), left_ms()) ||
	    trav_parse_ep(val, &sa, 0)) {
		fprintf(stderr, "no request at the rendezvous\n");
		return 2;
	}
	fprintf(stderr, "asked to connect to %s\n", val);
	fd = trav_socket(SOCK_STREAM, 0, 0);
	if (fd < 0)
		return 2;
	if (trav_connect(fd, &sa, left_ms())) {
		snprintf(msg, sizeof(msg), "cannot connect to %s: %s", val,
			 strerror(errno));
		return result(0, "%s", msg);
	}
	o.self = "connecter";
	o.peer = "asker";
	ok = !hello(fd);
	return result(ok, ok ? "connected to %s" : "connected to %s, no HELLO", val);
}

static void usage(void)
{
	fprintf(stderr,
		"usage: trav_peer stun -s STUN[:PORT] [-p LPORT]\n"
		"       trav_peer udp -r RDV -s STUN -k SESSION -i SELF -j PEER -p LPORT [-t S]\n"
		"       trav_peer tcp -r RDV -k SESSION -i SELF -j PEER -p LPORT [-t S]\n"
		"       trav_peer rev-ask -r RDV -k KEY -p LPORT [-t S]\n"
		"       trav_peer rev-connect -r RDV -k KEY [-t S]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	int opt;

	if (argc < 2)
		usage();
	o.mode = argv[1];
	optind = 2;
	while ((opt = getopt(argc, argv, "r:s:k:i:j:p:t:")) != -1) {
		switch (opt) {
		case 'r': o.rdv = optarg; break;
		case 's': o.stun = optarg; break;
		case 'k': o.session = optarg; break;
		case 'i': o.self = optarg; break;
		case 'j': o.peer = optarg; break;
		case 'p': o.lport = atoi(optarg); break;
		case 't': o.secs = atoi(optarg); break;
		default: usage();
		}
	}
	if (optind != argc || o.secs < 1 || o.secs > 600)
		usage();
	setvbuf(stdout, NULL, _IOLBF, 0);
	deadline = trav_now_ms() + o.secs * 1000LL;
	if (!strcmp(o.mode, "stun"))
		return do_stun();
	if (!o.rdv || !o.session)
		usage();
	if (!strcmp(o.mode, "rev-connect"))
		return do_rev_connect();
	if (!o.lport)
		usage();
	if (!strcmp(o.mode, "rev-ask"))
		return do_rev_ask();
	if (!o.self || !o.peer || strchr(o.self, ' ') || strchr(o.peer, ' '))
		usage();
	if (!strcmp(o.mode, "udp"))
		return do_udp();
	if (!strcmp(o.mode, "tcp"))
		return do_tcp();
	usage();
	return 2;
}
