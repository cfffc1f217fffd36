// SPDX-License-Identifier: GPL-2.0
/*
 * igdd: napt's UPnP IGD (v1 and v2), NAT-PMP and PCP daemon.
 *
 * One thread, one poll() loop over: the SSDP socket, each LAN's HTTP
 * server (libmicrohttpd in external-polling epoll mode: one fd per
 * daemon, MHD_run() when it is readable or its timeout passes), each
 * LAN's NAT-PMP/PCP socket, a signalfd, and the timers (SSDP answers
 * delayed within MX, NOTIFY alive, PCP announcements, the external
 * address watch). Single-threaded on purpose: the SOAP and PCP handlers
 * call the mapping layer and its one netlink socket without locks.
 *
 * Here: main (parse_args(), setup(), run_loop()), the interfaces and
 * UDNs, the NAT-PMP/PCP sockets, privileges and the configuration. The
 * SSDP socket is in ssdp_io.c, the HTTP server in server.c; the state
 * they share is struct igdd (igdd.h).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <ifaddrs.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <grp.h>
#include <pwd.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netpacket/packet.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/capability.h>
#include <sys/utsname.h>

#include "conf.h"
#include "desc.h"
#include "igdd.h"
#include "mapping.h"
#include "ratelimit.h"
#include "server.h"
#include "soap.h"
#include "ssdp.h"
#include "pcp.h"

#define IGDD_VERSION "1.0"
#define DEFAULT_CONF "/etc/igdd.conf"
#define ANNOUNCE_TIMES 10
#define EXT_WATCH_MS 5000

struct igdd g = { .ssdp_fd = -1, .sig_fd = -1, .http_port_opt = -1,
		  .announce_fd = -1 };

void igd_log(int prio, const char *fmt, ...)
{
	va_list ap;

	if (prio == LOG_DEBUG && !g.verbose)
		return;
	va_start(ap, fmt);
	if (g.foreground) {
		vfprintf(stderr, fmt, ap);
		fputc('\n', stderr);
	} else {
		vsyslog(prio, fmt, ap);
	}
	va_end(ap);
}

uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ---- interfaces and identity ---- */

static int lan_lookup(struct lan *l)
{
	struct ifaddrs *ifa, *i;
	int found = -1;

	l->ifindex = if_nametoindex(l->name);
	if (!l->ifindex) {
		igd_log(LOG_ERR, "LAN interface %s: %s", l->name, strerror(errno));
		return -1;
	}
	if (getifaddrs(&ifa)) {
		igd_log(LOG_ERR, "getifaddrs: %s", strerror(errno));
		return -1;
	}
	for (i = ifa; i; i = i->ifa_next) {
		if (!i->ifa_addr || i->ifa_addr->sa_family != AF_INET ||
		    strcmp(i->ifa_name, l->name) || !i->ifa_netmask)
			continue;
		l->addr = ((struct sockaddr_in *)i->ifa_addr)->sin_addr;
		l->mask = ((struct sockaddr_in *)i->ifa_netmask)->sin_addr;
		found = 0;
		break;
	}
	freeifaddrs(ifa);
	if (found)
		igd_log(LOG_ERR, "LAN interface %s has no IPv4 address", l->name);
	return found;
}

/* 64-bit FNV-1a */
static uint64_t fnv(const void *p, size_t n, uint64_t h)
{
	const uint8_t *b = p;

	while (n--) {
		h ^= *b++;
		h *= 0x100000001b3ULL;
	}
	return h;
}

static void fmt_uuid(char *out, uint64_t hi, uint64_t lo)
{
	/* RFC 4122 layout, version 5-like (name based), variant 1 */
	hi = (hi & ~0xf000ULL) | 0x5000ULL;
	lo = (lo & ~(0xc000ULL << 48)) | (0x8000ULL << 48);
	snprintf(out, 37, "%08x-%04x-%04x-%04x-%012llx",
		 (unsigned int)(hi >> 32), (unsigned int)(hi >> 16) & 0xffff,
		 (unsigned int)hi & 0xffff, (unsigned int)(lo >> 48),
		 (unsigned long long)(lo & 0xffffffffffffULL));
}

/*
 * The UDNs: from the configured uuid, or from the first LAN interface's
 * MAC address and the host name, so that they stay the same across
 * restarts. Each device of each tree has its own.
 */
static void make_uuids(void)
{
	uint8_t seed[64] = { 0 };
	size_t n = 0;
	int t, d;

	if (g.conf.have_uuid) {
		n = strlen(g.conf.uuid);
		memcpy(seed, g.conf.uuid, n);
	} else {
		struct ifaddrs *ifa, *i;
		struct utsname u;

		if (!getifaddrs(&ifa)) {
			for (i = ifa; i; i = i->ifa_next) {
				struct sockaddr_ll *ll = (void *)i->ifa_addr;

				if (ll && ll->sll_family == AF_PACKET &&
				    !strcmp(i->ifa_name, g.lan[0].name) &&
				    ll->sll_halen <= 8) {
					memcpy(seed, ll->sll_addr, ll->sll_halen);
					n = ll->sll_halen;
					break;
				}
			}
			freeifaddrs(ifa);
		}
		if (!uname(&u)) {
			size_t l = strnlen(u.nodename, sizeof(seed) - n - 1);

			memcpy(seed + n, u.nodename, l);
			n += l;
		}
	}
	for (t = 0; t < SSDP_NTREES; t++) {
		for (d = 0; d < SSDP_NDEVS; d++) {
			uint8_t td[2] = { t, d };
			uint64_t hi = fnv(seed, n, 0xcbf29ce484222325ULL);
			uint64_t lo;

			if (g.conf.have_uuid && t == 0 && d == 0) {
				snprintf(g.uuids[t][d], 37, "%s", g.conf.uuid);
				continue;
			}
			hi = fnv(td, 2, hi);
			lo = fnv("igdd", 4, hi);
			fmt_uuid(g.uuids[t][d], hi, lo);
		}
	}
}

/* ---- sockets shared by SSDP and NAT-PMP/PCP ---- */

void send_from_lan(int fd, unsigned int li, const struct sockaddr_in *to,
		   const void *buf, size_t len)
{
	char cbuf[CMSG_SPACE(sizeof(struct in_pktinfo))] = { 0 };
	struct iovec iov = { .iov_base = (void *)buf, .iov_len = len };
	struct msghdr mh = { .msg_name = (void *)to, .msg_namelen = sizeof(*to),
			     .msg_iov = &iov, .msg_iovlen = 1,
			     .msg_control = cbuf, .msg_controllen = sizeof(cbuf) };
	struct cmsghdr *cm = CMSG_FIRSTHDR(&mh);
	struct in_pktinfo *pi;

	cm->cmsg_level = IPPROTO_IP;
	cm->cmsg_type = IP_PKTINFO;
	cm->cmsg_len = CMSG_LEN(sizeof(*pi));
	pi = (struct in_pktinfo *)CMSG_DATA(cm);
	pi->ipi_ifindex = g.lan[li].ifindex;
	pi->ipi_spec_dst = g.lan[li].addr;
	if (sendmsg(fd, &mh, 0) < 0)
		igd_log(LOG_DEBUG, "send to %s:%u: %s", inet_ntoa(to->sin_addr),
			ntohs(to->sin_port), strerror(errno));
}

const char *server_string(void)
{
	static char s[96];
	struct utsname u;

	if (!s[0]) {
		if (uname(&u))
			strcpy(u.release, "1");
		u.release[20] = '\0';
		snprintf(s, sizeof(s), "Linux/%s UPnP/1.1 igdd/" IGDD_VERSION,
			 u.release);
	}
	return s;
}

bool from_lan(unsigned int li, struct in_addr from, int ifindex)
{
	const struct lan *l = &g.lan[li];

	return (from.s_addr & l->mask.s_addr) ==
	       (l->addr.s_addr & l->mask.s_addr) &&
	       ifindex == l->ifindex && from.s_addr != l->addr.s_addr;
}

int arrival_if(struct msghdr *mh)
{
	struct cmsghdr *cm;

	for (cm = CMSG_FIRSTHDR(mh); cm; cm = CMSG_NXTHDR(mh, cm))
		if (cm->cmsg_level == IPPROTO_IP && cm->cmsg_type == IP_PKTINFO)
			return ((struct in_pktinfo *)CMSG_DATA(cm))->ipi_ifindex;
	return -1;
}

/*
 * The rates (ratelimit.h): a source gets at most a burst of 32 SSDP
 * answers (one search for ssdp:all costs 24) and 8 a second; 16 NAT-PMP
 * or PCP requests and 4 a second; 128 SOAP actions and 32 a second (a
 * control point lists a host's mappings one GetGenericPortMappingEntry
 * at a time, and max-per-host is 64). Who finds no entry of their own
 * (spoofed sources by the hundred) shares a stricter overflow budget.
 */
static const struct igd_rl_conf rl_ssdp_conf = {
	.burst = 32, .per_s = 8, .idle_ms = 60000,
	.overflow_burst = 8, .overflow_per_s = 2,
};
static const struct igd_rl_conf rl_pcp_conf = {
	.burst = 16, .per_s = 4, .idle_ms = 60000,
	.overflow_burst = 4, .overflow_per_s = 1,
};
static const struct igd_rl_conf rl_soap_conf = {
	.burst = 128, .per_s = 32, .idle_ms = 60000,
	.overflow_burst = 16, .overflow_per_s = 4,
};

/* ---- NAT-PMP and PCP ---- */

static struct pcp_conf pcp_conf_of(const struct igd_conf *c)
{
	struct pcp_conf p = {
		.natpmp = c->natpmp, .pcp = c->pcp,
		.allow_third_party = c->third_party,
		.min_lifetime = c->min_lifetime,
		.max_lifetime = c->policy.max_lease,
	};

	if (p.min_lifetime > p.max_lifetime)
		p.min_lifetime = p.max_lifetime;
	return p;
}

/*
 * The NAT-PMP/PCP socket of LAN @l: its address, port 5351, bound to its
 * device (so that a datagram for that address coming in on another
 * interface never reaches it) and told the arrival interface of each,
 * which pcp_read() checks as well.
 */
static int pcp_open(struct lan *l)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_addr = l->addr,
				  .sin_port = htons(PCP_SERVER_PORT) };
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	int one = 1;

	if (fd < 0)
		return -1;
	if (setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, l->name,
		       strlen(l->name) + 1) ||
	    setsockopt(fd, IPPROTO_IP, IP_PKTINFO, &one, sizeof(one))) {
		igd_log(LOG_ERR, "PCP: bind to %s: %s", l->name, strerror(errno));
		close(fd);
		return -1;
	}
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		igd_log(LOG_ERR, "PCP: bind %s:%u: %s", inet_ntoa(l->addr),
			PCP_SERVER_PORT, strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

static void pcp_read(unsigned int li)
{
	struct lan *l = &g.lan[li];
	uint8_t req[PCP_MAX_PACKET + 1], resp[PCP_MAX_PACKET];
	char cbuf[CMSG_SPACE(sizeof(struct in_pktinfo))];
	struct sockaddr_in from;
	struct iovec iov = { .iov_base = req, .iov_len = sizeof(req) };
	struct msghdr mh = { .msg_name = &from, .msg_namelen = sizeof(from),
			     .msg_iov = &iov, .msg_iovlen = 1,
			     .msg_control = cbuf, .msg_controllen = sizeof(cbuf) };
	ssize_t n;
	size_t rl;

	n = recvmsg(l->pcp_fd, &mh, MSG_DONTWAIT);
	if (n < 0 || mh.msg_namelen != sizeof(from))
		return;
	if (!from_lan(li, from.sin_addr, arrival_if(&mh))) {
		igd_log(LOG_INFO, "PCP: dropped a datagram from %s that did not come in on %s",
			inet_ntoa(from.sin_addr), l->name);
		return;
	}
	if (!igd_rl_take(&g.rl_pcp, from.sin_addr, 1, now_ms())) {
		igd_log(LOG_DEBUG, "PCP: rate limit for %s",
			inet_ntoa(from.sin_addr));
		return;
	}
	rl = pcp_handle(req, n, &from, &l->addr, resp, sizeof(resp),
			time(NULL));
	if (rl)
		sendto(l->pcp_fd, resp, rl, 0, (struct sockaddr *)&from,
		       sizeof(from));
}

static void announce_start(uint64_t now)
{
	g.announce_left = ANNOUNCE_TIMES;
	g.announce_gap = 250;
	g.announce_next = now;
}

static void announce_send(void)
{
	struct sockaddr_in to = { .sin_family = AF_INET,
				  .sin_port = htons(PCP_CLIENT_PORT) };
	uint8_t buf[PCP_MAX_PACKET];
	unsigned int i;
	size_t n;

	inet_pton(AF_INET, "224.0.0.1", &to.sin_addr);
	for (i = 0; i < g.nlan; i++) {
		if (g.conf.natpmp) {
			n = pcp_announce_natpmp(buf, sizeof(buf), time(NULL));
			if (n)
				send_from_lan(g.announce_fd, i, &to, buf, n);
		}
		if (g.conf.pcp) {
			n = pcp_announce_pcp(buf, sizeof(buf), time(NULL));
			if (n)
				send_from_lan(g.announce_fd, i, &to, buf, n);
		}
	}
}

/* ---- external address watch ---- */

static bool private_addr(struct in_addr a)
{
	uint32_t h = ntohl(a.s_addr);

	return (h >> 24) == 10 || (h >> 20) == 0xac1 || (h >> 16) == 0xc0a8 ||
	       (h >> 22) == 0x191;
}

static void ext_watch(uint64_t now)
{
	struct in_addr a;

	if (igd_ext_addr(&a))
		a.s_addr = 0;
	if (a.s_addr == g.ext.s_addr)
		return;
	g.ext = a;
	if (!a.s_addr) {
		igd_log(LOG_WARNING, "napt is not up: no external address");
		return;
	}
	igd_log(LOG_NOTICE, "external address %s", inet_ntoa(a));
	if (private_addr(a))
		igd_log(LOG_WARNING, "the external address %s is private: "
			"this gateway is behind another NAT; mappings work "
			"only up to that NAT", inet_ntoa(a));
	pcp_epoch_reset(time(NULL));
	announce_start(now);
}

/* ---- privileges ---- */

/*
 * After the sockets are bound igdd runs as an unprivileged user with
 * CAP_NET_ADMIN alone (napt's netlink requests need it). Started by
 * systemd it already is that user (DynamicUser=, with the capability
 * ambient); started as root it becomes the user that "user" (or -u)
 * names, keeping the capability across setuid(), and refuses to go on
 * as root without one. The bounding set loses everything else first,
 * while there is CAP_SETPCAP to do it.
 */
static int drop_privileges(const char *user)
{
	cap_value_t keep[] = { CAP_NET_ADMIN };
	struct passwd *pw = NULL;
	cap_t caps;
	int c, ret;

	if (!geteuid()) {
		if (!user || !user[0]) {
			igd_log(LOG_ERR, "refusing to run as root: name a user to run as "
				"('user' in igdd.conf, or -u)");
			return -1;
		}
		pw = getpwnam(user);
		if (!pw || !pw->pw_uid) {
			igd_log(LOG_ERR, "user %s: %s", user,
				pw ? "is root" : "no such user");
			return -1;
		}
	}
	prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
	for (c = 0; c <= CAP_LAST_CAP; c++)
		if (c != CAP_NET_ADMIN && CAP_IS_SUPPORTED(c))
			cap_drop_bound(c);	/* needs CAP_SETPCAP: as root only */
	if (pw) {
		if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) ||
		    setgroups(0, NULL) || setgid(pw->pw_gid) ||
		    setuid(pw->pw_uid) || prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0)) {
			igd_log(LOG_ERR, "becoming %s: %s", user, strerror(errno));
			return -1;
		}
	}
	caps = cap_init();
	if (!caps)
		return -1;
	cap_set_flag(caps, CAP_PERMITTED, 1, keep, CAP_SET);
	cap_set_flag(caps, CAP_EFFECTIVE, 1, keep, CAP_SET);
	ret = cap_set_proc(caps);
	cap_free(caps);
	if (ret)
		igd_log(LOG_ERR, "keeping CAP_NET_ADMIN alone: %s", strerror(errno));
	return ret;
}

/* ---- configuration ---- */

static int load_conf(struct igd_conf *c)
{
	char err[300];
	unsigned int i;

	if (!g.conf_given && access(g.conf_path, F_OK)) {
		igd_conf_defaults(c);
	} else if (igd_conf_load(g.conf_path, c, err, sizeof(err))) {
		igd_log(LOG_ERR, "%s", err);
		return -1;
	}
	if (g.nlan_opt) {
		c->nlan = g.nlan_opt;
		for (i = 0; i < g.nlan_opt; i++)
			strcpy(c->lan_if[i], g.lan_opt[i]);
	}
	if (g.wan_opt[0])
		strcpy(c->wan_if, g.wan_opt);
	if (g.http_port_opt >= 0)
		c->http_port = g.http_port_opt;
	return 0;
}

static void apply_conf(void)
{
	igd_policy_set(&g.conf.policy);
	{
		struct pcp_conf p = pcp_conf_of(&g.conf);

		pcp_init(&p, time(NULL));
	}
}

/*
 * Open the NAT-PMP/PCP socket of every LAN if either protocol is on,
 * close it if both are off: at start-up and when SIGHUP changes them
 * (port 5351 needs no privilege, so the unprivileged daemon can).
 */
static int pcp_sockets(void)
{
	bool want = g.conf.natpmp || g.conf.pcp;
	unsigned int i;

	for (i = 0; i < g.nlan; i++) {
		if (want && g.lan[i].pcp_fd < 0) {
			g.lan[i].pcp_fd = pcp_open(&g.lan[i]);
			if (g.lan[i].pcp_fd < 0)
				return -1;
		} else if (!want && g.lan[i].pcp_fd >= 0) {
			close(g.lan[i].pcp_fd);
			g.lan[i].pcp_fd = -1;
		}
	}
	return 0;
}

static void reload(void)
{
	struct igd_conf c;

	if (load_conf(&c)) {
		igd_log(LOG_ERR, "reload failed: keeping the old configuration");
		return;
	}
	/* interfaces and the HTTP port need a restart; the rest applies now */
	c.nlan = g.conf.nlan;
	memcpy(c.lan_if, g.conf.lan_if, sizeof(c.lan_if));
	c.http_port = g.conf.http_port;
	g.conf = c;
	apply_conf();
	pcp_sockets();
	announce_start(now_ms());
	igd_log(LOG_NOTICE, "configuration reloaded");
}

static void usage(FILE *f)
{
	fprintf(f, "Usage: igdd [-f CONFIG] [-i LAN_IF]... [-e WAN_IF] [-u USER] [-d] [-v] [-P HTTP_PORT]\n"
		"  -f FILE  configuration file (default " DEFAULT_CONF ")\n"
		"  -i IF    LAN interface (repeatable; overrides lan-if)\n"
		"  -e IF    WAN interface (overrides wan-if; informational)\n"
		"  -u USER  run as USER after start-up (overrides user)\n"
		"  -d       stay in the foreground, log to standard error\n"
		"  -v       verbose (debug) logging\n"
		"  -P PORT  HTTP port (overrides http-port; 0: any)\n");
}


/* ---- start-up ---- */

/* One option of the command line: -1 to go on, or the exit status. */
static int parse_opt(int opt, char *arg)
{
	char *end;
	long p;

	switch (opt) {
	case 'u':
		if (!*arg || strlen(arg) >= sizeof(g.user_opt)) {
			fprintf(stderr, "igdd: -u: bad user name\n");
			return 2;
		}
		strcpy(g.user_opt, arg);
		return -1;
	case 'f':
		g.conf_path = arg;
		g.conf_given = true;
		return -1;
	case 'i':
		if (g.nlan_opt >= IGD_LAN_MAX || !*arg ||
		    strlen(arg) >= IF_NAMESIZE) {
			fprintf(stderr, "igdd: -i: bad or too many interfaces\n");
			return 2;
		}
		strcpy(g.lan_opt[g.nlan_opt++], arg);
		return -1;
	case 'e':
		if (!*arg || strlen(arg) >= IF_NAMESIZE) {
			fprintf(stderr, "igdd: -e: bad interface name\n");
			return 2;
		}
		strcpy(g.wan_opt, arg);
		return -1;
	case 'd':
		g.foreground = true;
		return -1;
	case 'v':
		g.verbose = true;
		return -1;
	case 'P':
		p = strtol(arg, &end, 10);
		if (*end || end == arg || p < 0 || p > 65535) {
			fprintf(stderr, "igdd: -P: 0..65535 expected\n");
			return 2;
		}
		g.http_port_opt = p;
		return -1;
	case 'h':
		usage(stdout);
		return 0;
	default:
		usage(stderr);
		return 2;
	}
}

/* The command line, into g: -1 to go on, or the exit status. */
static int parse_args(int argc, char **argv)
{
	int opt, ret;

	g.conf_path = DEFAULT_CONF;
	while ((opt = getopt(argc, argv, "f:i:e:dvP:u:h")) != -1) {
		ret = parse_opt(opt, optarg);
		if (ret >= 0)
			return ret;
	}
	if (optind != argc) {
		usage(stderr);
		return 2;
	}
	return -1;
}

/* The configuration and the LAN interfaces it names. */
static int setup_lans(void)
{
	unsigned int i;

	if (load_conf(&g.conf))
		return -1;
	if (!g.conf.nlan) {
		igd_log(LOG_ERR, "no LAN interface (-i or lan-if)");
		return -1;
	}
	g.nlan = g.conf.nlan;
	for (i = 0; i < g.nlan; i++) {
		strcpy(g.lan[i].name, g.conf.lan_if[i]);
		g.lan[i].pcp_fd = -1;
		if (lan_lookup(&g.lan[i]))
			return -1;
		if (g.conf.wan_if[0] && !strcmp(g.conf.wan_if, g.lan[i].name)) {
			igd_log(LOG_ERR, "%s is both LAN and WAN", g.lan[i].name);
			return -1;
		}
	}
	return 0;
}

/* The signalfd, the SSDP socket, the HTTP servers, the PCP sockets. */
static int open_sockets(void)
{
	unsigned int i;
	sigset_t ss;

	sigemptyset(&ss);
	sigaddset(&ss, SIGTERM);
	sigaddset(&ss, SIGINT);
	sigaddset(&ss, SIGHUP);
	sigprocmask(SIG_BLOCK, &ss, NULL);
	signal(SIGPIPE, SIG_IGN);
	g.sig_fd = signalfd(-1, &ss, SFD_CLOEXEC | SFD_NONBLOCK);
	g.ssdp_fd = ssdp_open();
	if (g.sig_fd < 0 || g.ssdp_fd < 0)
		return -1;
	for (i = 0; i < g.nlan; i++)
		if (http_start(&g.lan[i], i ? g.lan[0].http_port : g.conf.http_port))
			return -1;
	if (pcp_sockets())
		return -1;
	g.announce_fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (g.announce_fd >= 0) {
		int zero = 0;

		setsockopt(g.announce_fd, IPPROTO_IP, IP_MULTICAST_LOOP, &zero,
			   sizeof(zero));
	}
	return 0;
}

/* Everything before the loop; -1 (logged) if igdd cannot run. */
static int setup(void)
{
	unsigned int i;

	if (!g.foreground)
		openlog("igdd", LOG_PID, LOG_DAEMON);
	if (setup_lans())
		return -1;
	g.start = now_ms();
	g.bootid = time(NULL) & 0x7fffffff;
	igd_rl_init(&g.rl_ssdp, &rl_ssdp_conf, NULL);
	igd_rl_init(&g.rl_pcp, &rl_pcp_conf, NULL);
	igd_rl_init(&g.rl_http, &rl_soap_conf, NULL);
	srandom(time(NULL) ^ getpid());
	make_uuids();
	apply_conf();
	if (open_sockets())
		return -1;
	if (igd_ext_addr(&g.ext))
		igd_log(LOG_WARNING, "napt is not up yet in this namespace");
	else if (private_addr(g.ext))
		igd_log(LOG_WARNING, "the external address %s is private: "
			"this gateway is behind another NAT", inet_ntoa(g.ext));
	if (drop_privileges(g.user_opt[0] ? g.user_opt : g.conf.user))
		return -1;
	if (!g.foreground && daemon(0, 0)) {
		igd_log(LOG_ERR, "daemon: %s", strerror(errno));
		return -1;
	}
	for (i = 0; i < g.nlan; i++)
		igd_log(LOG_NOTICE, "serving %s: %s%s, uuid %s", g.lan[i].name,
			g.lan[i].base, DESC_ROOT1, g.uuids[0][0]);
	ssdp_notify(true);
	g.next_notify = now_ms() + 1000;	/* UDA: send it more than once */
	g.next_ext_watch = now_ms() + EXT_WATCH_MS;
	if (g.ext.s_addr)
		announce_start(now_ms());
	return 0;
}

/* ---- the loop ---- */

/* pfd[]: the signalfd, the SSDP socket, each LAN's HTTP, each LAN's PCP */
#define PFD_HTTP 2
#define PFD_MAX (PFD_HTTP + 2 * IGD_LAN_MAX)

/* Fill @pfd for poll() at @now; the number of fds, and in @timeout how long. */
static unsigned int poll_set(struct pollfd *pfd, uint64_t now, int *timeout)
{
	uint64_t next = g.next_notify;
	unsigned int n = 0, j;

	if (g.next_ext_watch < next)
		next = g.next_ext_watch;
	next = ssdp_next_due(next);
	if (g.announce_left && g.announce_next < next)
		next = g.announce_next;
	pfd[n++] = (struct pollfd){ .fd = g.sig_fd, .events = POLLIN };
	pfd[n++] = (struct pollfd){ .fd = g.ssdp_fd, .events = POLLIN };
	for (j = 0; j < g.nlan; j++) {
		pfd[n++] = (struct pollfd){ .fd = http_poll_fd(&g.lan[j]),
					    .events = POLLIN };
		next = http_next(&g.lan[j], now, next);
	}
	for (j = 0; j < g.nlan; j++)
		pfd[n++] = (struct pollfd){ .fd = g.lan[j].pcp_fd,
					    .events = POLLIN };
	*timeout = next > now ? (int)(next - now < 60000 ? next - now : 60000) : 0;
	return n;
}

/* Read the signalfd: SIGHUP reloads; true when told to stop. */
static bool read_signals(void)
{
	struct signalfd_siginfo si;
	bool quit = false;

	while (read(g.sig_fd, &si, sizeof(si)) == sizeof(si)) {
		if (si.ssi_signo == SIGHUP)
			reload();
		else
			quit = true;
	}
	return quit;
}

/* What is due at @now: SSDP answers and NOTIFY, the watch, announcements. */
static void run_timers(uint64_t now)
{
	ssdp_run_pending(now);
	if (now >= g.next_notify) {
		ssdp_notify(true);
		g.next_notify = now + g.conf.notify_interval * 1000ULL;
	}
	if (now >= g.next_ext_watch) {
		ext_watch(now);
		g.next_ext_watch = now + EXT_WATCH_MS;
	}
	if (g.announce_left && now >= g.announce_next) {
		announce_send();
		g.announce_left--;
		g.announce_next = now + g.announce_gap;
		g.announce_gap *= 2;
	}
}

/* Until a SIGTERM or SIGINT (or poll() fails). */
static void run_loop(void)
{
	struct pollfd pfd[PFD_MAX];

	for (;;) {
		unsigned int n, j;
		int timeout;

		n = poll_set(pfd, now_ms(), &timeout);
		if (poll(pfd, n, timeout) < 0 && errno != EINTR) {
			igd_log(LOG_ERR, "poll: %s", strerror(errno));
			break;
		}
		if ((pfd[0].revents & POLLIN) && read_signals())
			break;
		if (pfd[1].revents & POLLIN)
			for (j = 0; j < 16; j++)
				ssdp_read();
		for (j = 0; j < g.nlan; j++)
			http_run(&g.lan[j]);
		for (j = 0; j < g.nlan; j++)
			if (pfd[PFD_HTTP + g.nlan + j].revents & POLLIN)
				pcp_read(j);
		run_timers(now_ms());
	}
}

/* Say byebye, close the servers and the sockets. */
static void teardown(void)
{
	unsigned int i;

	igd_log(LOG_NOTICE, "shutting down");
	ssdp_notify(false);
	for (i = 0; i < g.nlan; i++) {
		http_stop(&g.lan[i]);
		if (g.lan[i].pcp_fd >= 0)
			close(g.lan[i].pcp_fd);
	}
	close(g.ssdp_fd);
}

int main(int argc, char **argv)
{
	int ret = parse_args(argc, argv);

	if (ret >= 0)
		return ret;
	if (setup())
		return 1;
	run_loop();
	teardown();
	return 0;
}
