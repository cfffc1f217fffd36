// SPDX-License-Identifier: GPL-2.0
/*
 * ice_peer - one ICE agent (libnice) for the traversal tests.
 *
 *   ice_peer -r RDV -k SESSION -i SELF -j PEER [-s STUN[:3478]]
 *            -T TURN[:3478] -u USER -w PASS [-c] [-R] [-t SECS]
 *
 * Gathers host (the IPv4 addresses of the interfaces), server-reflexive
 * and relay (TURN over UDP at -T with the long-term credentials -u/-w)
 * candidates for one stream of one component.  libnice makes the
 * server-reflexive candidate from the XOR-MAPPED-ADDRESS of the TURN
 * Allocate answer; -s adds a STUN server of its own, but libnice 0.1.21
 * then drops coturn's Binding answers on the socket it shares with the
 * TURN allocation ("no cookie": the srflx discovery never ends), so the
 * tests leave it out.  It publishes its credentials and candidates at the rendezvous as
 * SESSION/SELF, reads the peer's from SESSION/PEER, and runs the ICE
 * connectivity checks (RFC 5245), as the controlling agent with -c.  -R
 * sets libnice's force-relay: only relay candidates, so that the data go
 * through the TURN server whatever the NATs (the "relay" method).
 *
 * Once the component is connected both agents send "HELLO SELF" every 200 ms
 * over the selected pair; the data are read with a receive callback
 * (nice_agent_attach_recv: without one the agent never reads its sockets).
 * It works when the peer's HELLO came in; then it publishes SESSION/SELF.ok
 * and keeps going until SESSION/PEER.ok is there, so that the peer gets
 * its HELLO too.  It prints
 *
 *   RESULT works pair=LOCALTYPE/REMOTETYPE local=ADDR:PORT remote=ADDR:PORT
 *
 * with the candidate types (host, srflx, prflx, relay) of the pair in use
 * at the end, or "RESULT fails ..." if the checks failed or SECS (default
 * 30) passed.  With -W the pair is read once ICE is done (the component
 * ready: every pair checked, the best nominated pair selected) rather than
 * as soon as data flow: libnice nominates aggressively, so the first pair
 * to work is used at once (on a slow host that can be a relayed pair) and
 * a better direct pair, validated later, replaces it.  Exit status: 0 works, 1 fails, 2 the attempt could not be
 * made (no rendezvous, bad usage).
 *
 * STUN timers are raised for slow (emulated) machines: first retransmission
 * after 500 ms; 3 retransmissions, so that a pair that cannot work (a
 * private address of another site) fails in seconds, not a minute.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <glib-unix.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <nice/agent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "trav_common.h"

#define VAL_MAX 1000

static struct {
	const char *rdv, *session, *self, *peer, *stun, *turn, *user, *pass;
	gboolean controlling, force_relay, wait_done;
	int secs;
} o = { .secs = 30 };

static GMainLoop *loop;
static NiceAgent *agent;
static guint stream_id;
static int rfd = -1;
static int exit_code = 1;
static gboolean ready, got_hello, ok_sent, confirmed, done_sent;
static guint last_state = NICE_COMPONENT_STATE_DISCONNECTED;
static char rbuf[VAL_MAX + 64];
static size_t rlen;
static long long deadline;

static int left_ms(void)
{
	long long l = deadline - trav_now_ms();

	return l > 0 ? (int)l : 0;
}

static const char *type_name(NiceCandidateType t)
{
	switch (t) {
	case NICE_CANDIDATE_TYPE_HOST: return "host";
	case NICE_CANDIDATE_TYPE_SERVER_REFLEXIVE: return "srflx";
	case NICE_CANDIDATE_TYPE_PEER_REFLEXIVE: return "prflx";
	case NICE_CANDIDATE_TYPE_RELAYED: return "relay";
	}
	return "?";
}

static int type_parse(const char *s, NiceCandidateType *t)
{
	if (!strcmp(s, "host"))
		*t = NICE_CANDIDATE_TYPE_HOST;
	else if (!strcmp(s, "srflx"))
		*t = NICE_CANDIDATE_TYPE_SERVER_REFLEXIVE;
	else if (!strcmp(s, "prflx"))
		*t = NICE_CANDIDATE_TYPE_PEER_REFLEXIVE;
	else if (!strcmp(s, "relay"))
		*t = NICE_CANDIDATE_TYPE_RELAYED;
	else
		return -1;
	return 0;
}

static void finish(int works, const char *why)
{
	NiceCandidate *l = NULL, *r = NULL;
	char la[NICE_ADDRESS_STRING_LEN] = "-", ra[NICE_ADDRESS_STRING_LEN] = "-";

	if (nice_agent_get_selected_pair(agent, stream_id, 1, &l, &r)) {
		nice_address_to_string(&l->addr, la);
		nice_address_to_string(&r->addr, ra);
		printf("RESULT %s pair=%s/%s local=%s:%u remote=%s:%u%s%s\n",
		       works ? "works" : "fails", type_name(l->type),
		       type_name(r->type), la, nice_address_get_port(&l->addr),
		       ra, nice_address_get_port(&r->addr),
		       why ? " " : "", why ? why : "");
	} else {
		printf("RESULT %s pair=none %s\n", works ? "works" : "fails",
		       why ? why : "");
	}
	fflush(stdout);
	exit_code = works ? 0 : 1;
	g_main_loop_quit(loop);
}

static void send_hello(void)
{
	char msg[300];

	snprintf(msg, sizeof(msg), "HELLO %s", o.self);
	nice_agent_send(agent, stream_id, 1, strlen(msg), msg);
}

static gboolean on_tick(gpointer data)
{
	(void)data;
	if (ready)
		send_hello();
	if (!left_ms()) {
		char why[200];

		if (confirmed) {
			finish(1, "(ICE checks still running at the deadline)");
			return G_SOURCE_REMOVE;
		}

		snprintf(why, sizeof(why), "(%s; state %s)",
			 got_hello ? "the peer did not confirm in time" :
			 ready ? "a pair was selected, but no HELLO from the peer" :
			 "no pair selected in time",
			 nice_component_state_to_string(last_state));
		finish(0, why);
		return G_SOURCE_REMOVE;
	}
	return G_SOURCE_CONTINUE;
}

static gboolean on_rdv(gint fd, GIOCondition cond, gpointer data);

/*
 * -W, ICE done here and the peer confirmed: publish SESSION/SELF.done and
 * wait for SESSION/PEER.done, so that neither agent stops answering checks
 * while the other still runs them.
 */
static void start_done(void)
{
	char msg[300];

	snprintf(msg, sizeof(msg), "PUT %s/%s.done yes\nGET %s/%s.done %d\n",
		 o.session, o.self, o.session, o.peer, left_ms());
	rlen = 0;
	rbuf[0] = '\0';
	if (trav_send_line(rfd, msg)) {
		finish(1, "(rendezvous lost after the exchange)");
		return;
	}
	done_sent = TRUE;
	g_unix_fd_add(rfd, G_IO_IN | G_IO_HUP | G_IO_ERR, on_rdv, NULL);
}

/* Answers of the rendezvous to PUT SELF.ok / GET PEER.ok (and .done). */
static gboolean on_rdv(gint fd, GIOCondition cond, gpointer data)
{
	ssize_t n;
	char *nl;

	(void)cond;
	(void)data;
	n = recv(fd, rbuf + rlen, sizeof(rbuf) - 1 - rlen, 0);
	if (n <= 0) {
		finish(got_hello, "(rendezvous closed)");
		return G_SOURCE_REMOVE;
	}
	rlen += n;
	rbuf[rlen] = '\0';
	while ((nl = strchr(rbuf, '\n'))) {
		*nl = '\0';
		if (!strncmp(rbuf, "VAL ", 4)) {
			/* -W: the pair in use once ICE is done (on_state) */
			if (o.wait_done && !done_sent) {
				confirmed = TRUE;
				if (last_state == NICE_COMPONENT_STATE_READY)
					start_done();
				return G_SOURCE_REMOVE;
			}
			finish(1, NULL);
			return G_SOURCE_REMOVE;
		}
		if (!strcmp(rbuf, "NONE")) {
			finish(1, done_sent ? "(the peer's ICE did not finish)" :
				  "(the peer did not confirm)");
			return G_SOURCE_REMOVE;
		}
		rlen -= nl + 1 - rbuf;
		memmove(rbuf, nl + 1, rlen + 1);
	}
	return G_SOURCE_CONTINUE;
}

static void on_recv(NiceAgent *a, guint sid, guint cid, guint len, gchar *buf,
		    gpointer data)
{
	char want[300], msg[2400];

	(void)a;
	(void)sid;
	(void)cid;
	(void)data;
	snprintf(want, sizeof(want), "HELLO %s", o.peer);
	if (got_hello || len != strlen(want) || memcmp(buf, want, len))
		return;
	got_hello = TRUE;
	send_hello();
	snprintf(msg, sizeof(msg), "PUT %s/%s.ok yes\nGET %s/%s.ok %d\n",
		 o.session, o.self, o.session, o.peer, left_ms());
	if (trav_send_line(rfd, msg)) {
		finish(1, "(rendezvous lost)");
		return;
	}
	ok_sent = TRUE;
	g_unix_fd_add(rfd, G_IO_IN | G_IO_HUP | G_IO_ERR, on_rdv, NULL);
}

static void on_pair(NiceAgent *a, guint sid, guint cid, gchar *lf,
		    gchar *rf, gpointer data)
{
	(void)a;
	(void)sid;
	(void)cid;
	(void)data;
	fprintf(stderr, "%s: selected pair %s/%s\n", o.self, lf, rf);
	ready = TRUE;
	send_hello();
}

static void on_state(NiceAgent *a, guint sid, guint cid, guint state,
		     gpointer data)
{
	(void)a;
	(void)sid;
	(void)cid;
	(void)data;
	fprintf(stderr, "%s: component state %s\n", o.self,
		nice_component_state_to_string(state));
	last_state = state;
	if (state == NICE_COMPONENT_STATE_CONNECTED ||
	    state == NICE_COMPONENT_STATE_READY) {
		/*
		 * Connected: a pair works and is selected; ready comes only
		 * once every other pair has been checked, which for the
		 * pairs that cannot work takes the whole STUN retransmission
		 * time.
		 */
		ready = TRUE;
		send_hello();
		if (state == NICE_COMPONENT_STATE_READY && confirmed &&
		    !done_sent)
			start_done();
	} else if (state == NICE_COMPONENT_STATE_FAILED && !got_hello) {
		finish(0, "(ICE checks failed)");
	}
}

/**
 * encode_local() - our credentials and candidates as one rendezvous word
 * @out: "ufrag;pwd;foundation,priority,addr,port,type;..."
 * @len: size of @out
 *
 * Return: 0, or -1 if they do not fit.
 */
static int encode_local(char *out, size_t len)
{
	gchar *ufrag = NULL, *pwd = NULL;
	GSList *cands, *i;
	size_t n;

	if (!nice_agent_get_local_credentials(agent, stream_id, &ufrag, &pwd))
		return -1;
	n = snprintf(out, len, "%s;%s", ufrag, pwd);
	g_free(ufrag);
	g_free(pwd);
	cands = nice_agent_get_local_candidates(agent, stream_id, 1);
	for (i = cands; i && n < len; i = i->next) {
		NiceCandidate *c = i->data;
		char a[NICE_ADDRESS_STRING_LEN];

		nice_address_to_string(&c->addr, a);
		fprintf(stderr, "%s: local candidate %s %s:%u\n", o.self,
			type_name(c->type), a, nice_address_get_port(&c->addr));
		n += snprintf(out + n, len - n, ";%s,%u,%s,%u,%s", c->foundation,
			      c->priority, a, nice_address_get_port(&c->addr),
			      type_name(c->type));
	}
	g_slist_free_full(cands, (GDestroyNotify)nice_candidate_free);
	return n < len ? 0 : -1;
}

/* Set the peer's credentials and candidates from its rendezvous word. */
static int decode_remote(char *val)
{
	char *save = NULL, *ufrag, *pwd, *tok;
	GSList *list = NULL;
	int n, count = 0;

	ufrag = strtok_r(val, ";", &save);
	pwd = strtok_r(NULL, ";", &save);
	if (!ufrag || !pwd)
		return -1;
	while ((tok = strtok_r(NULL, ";", &save))) {
		char found[33], addr[64], type[8];
		unsigned int prio, port;
		NiceCandidateType t;
		NiceCandidate *c;

		if (sscanf(tok, "%32[^,],%u,%63[^,],%u,%7s", found, &prio, addr,
			   &port, type) != 5 || type_parse(type, &t) || port > 65535)
			goto bad;
		c = nice_candidate_new(t);
		c->component_id = 1;
		c->stream_id = stream_id;
		c->transport = NICE_CANDIDATE_TRANSPORT_UDP;
		c->priority = prio;
		g_strlcpy(c->foundation, found, sizeof(c->foundation));
		if (!nice_address_set_from_string(&c->addr, addr)) {
			nice_candidate_free(c);
			goto bad;
		}
		nice_address_set_port(&c->addr, port);
		list = g_slist_append(list, c);
		count++;
	}
	if (!nice_agent_set_remote_credentials(agent, stream_id, ufrag, pwd))
		goto bad;
	n = nice_agent_set_remote_candidates(agent, stream_id, 1, list);
	g_slist_free_full(list, (GDestroyNotify)nice_candidate_free);
	fprintf(stderr, "%s: %d of %d remote candidates set\n", o.self, n, count);
	return n > 0 ? 0 : -1;
bad:
	g_slist_free_full(list, (GDestroyNotify)nice_candidate_free);
	return -1;
}

static void on_gathered(NiceAgent *a, guint sid, gpointer data)
{
	char val[VAL_MAX + 1], key[300];

	(void)a;
	(void)sid;
	(void)data;
	if (encode_local(val, sizeof(val))) {
		fprintf(stderr, "%s: candidates do not fit the rendezvous\n", o.self);
		exit_code = 2;
		g_main_loop_quit(loop);
		return;
	}
	snprintf(key, sizeof(key), "%s/%s", o.session, o.self);
	if (trav_rdv_put(rfd, key, val))
		goto err;
	/* Blocks the loop while the peer gathers: nothing to do meanwhile. */
	snprintf(key, sizeof(key), "%s/%s", o.session, o.peer);
	if (trav_rdv_get(rfd, key, val, sizeof(val), left_ms()))
		goto err;
	if (decode_remote(val)) {
		fprintf(stderr, "%s: bad peer candidates '%s'\n", o.self, val);
		goto err;
	}
	return;
err:
	exit_code = 2;
	g_main_loop_quit(loop);
}

/*
 * Host candidates from the IPv4 addresses of the interfaces that are up,
 * loopback excepted (the tests are IPv4; libnice would also offer IPv6
 * link-local addresses, which lead nowhere across a NAT).
 */
static int add_ipv4_addresses(void)
{
	struct ifaddrs *ifa, *i;
	int n = 0;

	if (getifaddrs(&ifa))
		return -1;
	for (i = ifa; i; i = i->ifa_next) {
		NiceAddress a;

		if (!i->ifa_addr || i->ifa_addr->sa_family != AF_INET ||
		    !(i->ifa_flags & IFF_UP) || (i->ifa_flags & IFF_LOOPBACK))
			continue;
		nice_address_init(&a);
		nice_address_set_from_sockaddr(&a, i->ifa_addr);
		if (nice_agent_add_local_address(agent, &a))
			n++;
	}
	freeifaddrs(ifa);
	return n ? 0 : -1;
}

static void usage(void)
{
	fprintf(stderr,
		"usage: ice_peer -r RDV -k SESSION -i SELF -j PEER [-s STUN[:PORT]]\n"
		"                -T TURN[:PORT] -u USER -w PASS [-c] [-R] [-W] [-t SECS]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	struct sockaddr_in stun, turn;
	char sa[INET_ADDRSTRLEN], ta[INET_ADDRSTRLEN];
	int opt;

	while ((opt = getopt(argc, argv, "r:k:i:j:s:T:u:w:cRWt:")) != -1) {
		switch (opt) {
		case 'r': o.rdv = optarg; break;
		case 'k': o.session = optarg; break;
		case 'i': o.self = optarg; break;
		case 'j': o.peer = optarg; break;
		case 's': o.stun = optarg; break;
		case 'T': o.turn = optarg; break;
		case 'u': o.user = optarg; break;
		case 'w': o.pass = optarg; break;
		case 'c': o.controlling = TRUE; break;
		case 'R': o.force_relay = TRUE; break;
		case 'W': o.wait_done = TRUE; break;
		case 't': o.secs = atoi(optarg); break;
		default: usage();
		}
	}
	if (optind != argc || !o.rdv || !o.session || !o.self || !o.peer ||
	    !o.turn || !o.user || !o.pass || o.secs < 1 ||
	    o.secs > 600 || (o.stun && trav_parse_ep(o.stun, &stun, 3478)) ||
	    trav_parse_ep(o.turn, &turn, 3478) || strchr(o.self, ' ') ||
	    strchr(o.peer, ' '))
		usage();
	if (o.stun)
		inet_ntop(AF_INET, &stun.sin_addr, sa, sizeof(sa));
	inet_ntop(AF_INET, &turn.sin_addr, ta, sizeof(ta));
	setvbuf(stdout, NULL, _IOLBF, 0);
	deadline = trav_now_ms() + o.secs * 1000LL;

	rfd = trav_rdv_open(o.rdv, 0, 0, 10000);
	if (rfd < 0)
		return 2;

	loop = g_main_loop_new(NULL, FALSE);
	agent = nice_agent_new(g_main_loop_get_context(loop),
			       NICE_COMPATIBILITY_RFC5245);
	if (o.stun)
		g_object_set(agent, "stun-server", sa,
			     "stun-server-port", (guint)ntohs(stun.sin_port), NULL);
	g_object_set(agent,
		     "controlling-mode", o.controlling,
		     "upnp", FALSE,
		     "ice-tcp", FALSE,
		     "force-relay", o.force_relay,
		     "stun-initial-timeout", 500u,
		     "stun-max-retransmissions", 3u,
		     "stun-reliable-timeout", 15000u,
		     NULL);
	g_signal_connect(agent, "candidate-gathering-done",
			 G_CALLBACK(on_gathered), NULL);
	g_signal_connect(agent, "component-state-changed",
			 G_CALLBACK(on_state), NULL);
	g_signal_connect(agent, "new-selected-pair",
			 G_CALLBACK(on_pair), NULL);

	if (add_ipv4_addresses()) {
		fprintf(stderr, "%s: no IPv4 address to use\n", o.self);
		return 2;
	}
	stream_id = nice_agent_add_stream(agent, 1);
	if (!stream_id ||
	    !nice_agent_set_relay_info(agent, stream_id, 1, ta,
				       ntohs(turn.sin_port), o.user, o.pass,
				       NICE_RELAY_TYPE_TURN_UDP) ||
	    !nice_agent_attach_recv(agent, stream_id, 1,
				    g_main_loop_get_context(loop), on_recv,
				    NULL) ||
	    !nice_agent_gather_candidates(agent, stream_id)) {
		fprintf(stderr, "%s: cannot set up the ICE stream\n", o.self);
		return 2;
	}
	g_timeout_add(200, on_tick, NULL);
	g_main_loop_run(loop);
	g_object_unref(agent);
	g_main_loop_unref(loop);
	return exit_code;
}
