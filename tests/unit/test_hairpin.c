// SPDX-License-Identifier: GPL-2.0
/*
 * test_hairpin.c: napt_xlate_hairpin(), an inside host talking to another
 * inside host's external endpoint (RFC 4787 REQ-9, RFC 5382 REQ-8).
 *
 * LAN1 is HOST(10):4000, LAN2 HOST(20):5000; other hosts took ports 4000
 * and 5000 first, so that both external ports differ from the inside ones.
 */
#include "ut.h"

#define LAN1 HOST(10)
#define LAN2 HOST(20)

/* @host:@port sends to REM1 once; returns its external port */
static u16 go_out(struct ut_nat *t, u8 proto, __be32 host, u16 port)
{
	u8 pkt[UT_PKT_MAX];
	unsigned int len;

	if (proto == IPPROTO_UDP)
		len = ut_udp(pkt, host, port, REM1, 53, 8);
	else
		len = ut_tcp(pkt, host, port, REM1, 80, UT_SYN, 0);
	if (!CHECK_EQ(ut_out(t, pkt, len), NF_ACCEPT))
		return 0;
	return ut_sport(pkt);
}

/* LAN2 has a mapping with an external port that is not its inside one */
static u16 setup_lan2(struct ut_nat *t, u8 proto)
{
	u16 x2;

	CHECK_EQ(go_out(t, proto, HOST(19), 5000), 5000);
	CHECK_EQ(go_out(t, proto, HOST(9), 4000), 4000);
	x2 = go_out(t, proto, LAN2, 5000);
	CHECK_NE(x2, 5000);
	return x2;
}

static unsigned int hp(struct ut_nat *t, u8 proto, __be32 src, u16 sport,
		       u16 ext_port, u8 flags, u8 *pkt, unsigned int *lenp)
{
	unsigned int len;

	if (proto == IPPROTO_UDP)
		len = ut_udp(pkt, src, sport, EXT1, ext_port, 77);
	else
		len = ut_tcp(pkt, src, sport, EXT1, ext_port, flags, 20);
	if (lenp)
		*lenp = len;
	return ut_hairpin(t, pkt, len);
}

static void hairpin_both_ways(void)
{
	static const u8 protos[] = { IPPROTO_UDP, IPPROTO_TCP };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(protos); i++) {
		struct ut_nat *t = ut_nat_default();
		u8 pkt[UT_PKT_MAX];
		struct napt_map *m1;
		u8 p = protos[i];
		u16 x1, x2;

		REQUIRE(t);
		kc_reroute_calls = 0;
		t->cfg.filtering[napt_pidx(p)] = NAPT_FILTER_EIF;
		x2 = setup_lan2(t, p);
		CHECK(ut_map_of(t, p, LAN1, 4000) == NULL);

		/* LAN1 -> EXT1:x2 */
		CHECK_EQ(hp(t, p, LAN1, 4000, x2, UT_SYN, pkt, NULL),
			 NF_ACCEPT);
		m1 = ut_map_of(t, p, LAN1, 4000);
		REQUIRE(m1);			/* made for it */
		x1 = ntohs(m1->ext_port);
		CHECK_NE(x1, 4000);
		CHECK_EQX(ut_daddr(pkt), LAN2);
		CHECK_EQ(ut_dport(pkt), 5000);
		CHECK_EQX(ut_saddr(pkt), EXT1);
		CHECK_EQ(ut_sport(pkt), x1);
		CHECK(ut_ip_csum_ok(pkt));
		CHECK(ut_l4_csum_ok(pkt, false));
		/* routed to LAN2, while it still had its own addresses */
		CHECK_EQ(kc_reroute_calls, 1);
		CHECK_EQX(kc_reroute_daddr, LAN2);
		CHECK_EQX(ut_saddr(kc_reroute_pkt), LAN1);
		CHECK_EQX(ut_daddr(kc_reroute_pkt), EXT1);
		CHECK_EQ(ut_stat(t, NAPT_STAT_HAIRPIN_PKTS), 1);
		/* LAN1's mapping has a session with LAN2's external one */
		CHECK(napt_sess_lookup(&t->nn, m1, EXT1, htons(x2), true));

		/* and back: LAN2 -> EXT1:x1 */
		CHECK_EQ(hp(t, p, LAN2, 5000, x1, UT_SYN | UT_ACK, pkt, NULL),
			 NF_ACCEPT);
		CHECK_EQX(ut_daddr(pkt), LAN1);
		CHECK_EQ(ut_dport(pkt), 4000);
		CHECK_EQX(ut_saddr(pkt), EXT1);
		CHECK_EQ(ut_sport(pkt), x2);
		CHECK(ut_ip_csum_ok(pkt));
		CHECK(ut_l4_csum_ok(pkt, false));
		CHECK_EQ(kc_reroute_calls, 2);
		CHECK_EQX(kc_reroute_daddr, LAN1);
		CHECK_EQ(ut_stat(t, NAPT_STAT_HAIRPIN_PKTS), 2);
		/* not counted as translated out or in */
		CHECK_EQ(ut_stat(t, NAPT_STAT_IN_PKTS), 0);
		CHECK_EQ(ut_stat(t, NAPT_STAT_OUT_PKTS), 3);
		/* a paged skb */
		CHECK_EQ(hp(t, p, LAN1, 4000, x2, UT_ACK, pkt, NULL),
			 NF_ACCEPT);
		{
			unsigned int len = p == IPPROTO_UDP ?
				ut_udp(pkt, LAN1, 4000, EXT1, x2, 300) :
				ut_tcp(pkt, LAN1, 4000, EXT1, x2, UT_ACK, 300);

			CHECK_EQ(ut_hairpin_skb(t, pkt, len, 20), NF_ACCEPT);
			CHECK_EQX(ut_daddr(pkt), LAN2);
			CHECK(ut_pkt_ok(pkt));
		}
		if (p == IPPROTO_TCP) {
			/* both sessions saw a SYN each way: established */
			struct napt_sess *s1 = napt_sess_lookup(
				&t->nn, m1, EXT1, htons(x2), true);

			REQUIRE(s1);
			CHECK(s1->tcp & NAPT_TCP_EST);
		}
		ut_nat_free(t);
	}
}

/* APDF: only once LAN2 has sent to LAN1's external endpoint. */
static void hairpin_apdf(void)
{
	struct ut_nat *t = ut_nat_default();
	u8 pkt[UT_PKT_MAX];
	struct napt_map *m1;
	u16 x1, x2;

	REQUIRE(t);
	CHECK_EQ(t->cfg.filtering[NAPT_UDP], NAPT_FILTER_APDF);
	x2 = setup_lan2(t, IPPROTO_UDP);
	CHECK_EQ(hp(t, IPPROTO_UDP, LAN1, 4000, x2, 0, pkt, NULL), NF_DROP);
	CHECK_EQ(ut_stat(t, NAPT_STAT_DROP_FILTERED), 1);
	CHECK_EQ(ut_stat(t, NAPT_STAT_HAIRPIN_PKTS), 0);
	CHECK_EQ(kc_reroute_calls, 0);
	m1 = ut_map_of(t, IPPROTO_UDP, LAN1, 4000);
	REQUIRE(m1);	/* as an outbound packet would have made it */
	x1 = ntohs(m1->ext_port);
	/* still refused: LAN2 never sent to EXT1:x1 */
	CHECK_EQ(hp(t, IPPROTO_UDP, LAN1, 4000, x2, 0, pkt, NULL), NF_DROP);
	CHECK_EQ(ut_stat(t, NAPT_STAT_DROP_FILTERED), 2);
	/* LAN2 -> EXT1:x1: LAN1 did send to EXT1:x2, so it passes */
	CHECK_EQ(hp(t, IPPROTO_UDP, LAN2, 5000, x1, 0, pkt, NULL), NF_ACCEPT);
	CHECK_EQX(ut_daddr(pkt), LAN1);
	CHECK_EQ(ut_dport(pkt), 4000);
	CHECK_EQ(ut_sport(pkt), x2);
	CHECK(ut_pkt_ok(pkt));
	/* now LAN1 -> LAN2 passes as well */
	CHECK_EQ(hp(t, IPPROTO_UDP, LAN1, 4000, x2, 0, pkt, NULL), NF_ACCEPT);
	CHECK_EQX(ut_daddr(pkt), LAN2);
	CHECK_EQ(ut_dport(pkt), 5000);
	CHECK_EQ(ut_sport(pkt), x1);
	CHECK(ut_pkt_ok(pkt));
	CHECK_EQ(ut_stat(t, NAPT_STAT_DROP_FILTERED), 2);
	CHECK_EQ(ut_stat(t, NAPT_STAT_HAIRPIN_PKTS), 2);
	/* another port of LAN1 is another endpoint: refused */
	CHECK_EQ(hp(t, IPPROTO_UDP, LAN1, 4001, x2, 0, pkt, NULL), NF_DROP);
	CHECK_EQ(ut_stat(t, NAPT_STAT_DROP_FILTERED), 3);
	ut_nat_free(t);
}

/* A static mapping takes hairpinned packets from anyone. */
static void hairpin_to_static(void)
{
	struct ut_nat *t = ut_nat_default();
	u8 pkt[UT_PKT_MAX];

	REQUIRE(t);
	REQUIRE_EQ(ut_static(t, IPPROTO_TCP, LAN2, 80, 8080, 0, 0, NULL,
			     false, NULL), 0);
	CHECK_EQ(hp(t, IPPROTO_TCP, LAN1, 40000, 8080, UT_SYN, pkt, NULL),
		 NF_ACCEPT);
	CHECK_EQX(ut_daddr(pkt), LAN2);
	CHECK_EQ(ut_dport(pkt), 80);
	CHECK_EQX(ut_saddr(pkt), EXT1);
	CHECK_EQ(ut_sport(pkt), 40000);
	CHECK(ut_pkt_ok(pkt));
	CHECK_EQX(kc_reroute_daddr, LAN2);
	/* the answer leaves from the static port */
	CHECK_EQ(hp(t, IPPROTO_TCP, LAN2, 80, 40000, UT_SYN | UT_ACK, pkt,
		    NULL), NF_ACCEPT);
	CHECK_EQX(ut_daddr(pkt), LAN1);
	CHECK_EQ(ut_dport(pkt), 40000);
	CHECK_EQ(ut_sport(pkt), 8080);
	CHECK(ut_pkt_ok(pkt));
	ut_nat_free(t);
}

/* No mapping on the port: the gateway's own service, untouched. */
static void hairpin_not_a_mapping(void)
{
	struct ut_nat *t = ut_nat_default();
	u8 pkt[UT_PKT_MAX], orig[UT_PKT_MAX];
	unsigned int len, i;
	static const u16 ports[] = { 22, 40000, 5000 };

	REQUIRE(t);
	CHECK_EQ(go_out(t, IPPROTO_UDP, LAN2, 5000), 5000);
	for (i = 0; i < ARRAY_SIZE(ports); i++) {
		/* TCP to 5000: LAN2's mapping is a UDP one */
		len = ut_tcp(pkt, LAN1, 4000, EXT1, ports[i], UT_SYN, 0);
		memcpy(orig, pkt, len);
		CHECK_EQ(ut_hairpin(t, pkt, len), NF_ACCEPT);
		CHECK(!memcmp(pkt, orig, len));
	}
	len = ut_udp(pkt, LAN1, 4000, EXT1, 22, 0);
	memcpy(orig, pkt, len);
	CHECK_EQ(ut_hairpin(t, pkt, len), NF_ACCEPT);
	CHECK(!memcmp(pkt, orig, len));
	/*
	 * a ping of the external address with an identifier that is not a
	 * mapping's external one (LAN2's 777 left as another: below the
	 * port range)
	 */
	len = ut_icmp(pkt, LAN2, REM1, ICMP_ECHO, 0, 777, 1, 8);
	CHECK_EQ(ut_out(t, pkt, len), NF_ACCEPT);
	CHECK_NE(ut_sport(pkt), 777);
	len = ut_icmp(pkt, LAN1, EXT1, ICMP_ECHO, 0, 777, 1, 8);
	memcpy(orig, pkt, len);
	CHECK_EQ(ut_hairpin(t, pkt, len), NF_ACCEPT);
	CHECK(!memcmp(pkt, orig, len));
	/* no mapping was made for LAN1, nothing rerouted or counted */
	CHECK(ut_map_of(t, IPPROTO_TCP, LAN1, 4000) == NULL);
	CHECK(ut_map_of(t, IPPROTO_UDP, LAN1, 4000) == NULL);
	CHECK_EQ(atomic_read(&t->nn.nmaps), 2);
	CHECK_EQ(kc_reroute_calls, 0);
	CHECK_EQ(ut_stat(t, NAPT_STAT_HAIRPIN_PKTS), 0);
	ut_nat_free(t);
}

/*
 * @pkt, an echo (@type) hairpinned to @to from EXT1 with identifier @id,
 * checksums right; rerouted to @to, the @n-th hairpinned packet.
 */
static void echo_hairpinned(struct ut_nat *t, const u8 *pkt, u8 type,
			    __be32 to, u16 id, unsigned int n)
{
	CHECK_EQX(ut_daddr(pkt), to);
	CHECK_EQX(ut_saddr(pkt), EXT1);
	CHECK_EQ(ut_sport(pkt), id);
	CHECK_EQ(pkt[20], type);
	CHECK(ut_ip_csum_ok(pkt));
	CHECK(ut_l4_csum_ok(pkt, false));
	CHECK_EQ(kc_reroute_calls, n);
	CHECK_EQX(kc_reroute_daddr, to);
	CHECK_EQ(ut_stat(t, NAPT_STAT_HAIRPIN_PKTS), n);
}

/* @pkt goes through napt_xlate_hairpin() accepted and unchanged */
static void untouched(struct ut_nat *t, u8 *pkt, unsigned int len)
{
	u8 orig[UT_PKT_MAX];

	memcpy(orig, pkt, len);
	CHECK_EQ(ut_hairpin(t, pkt, len), NF_ACCEPT);
	CHECK(!memcmp(pkt, orig, len));
}

/*
 * ICMP echo: LAN1 pings EXT1 with the identifier of LAN2's ICMP mapping;
 * LAN2 gets the request from EXT1 with LAN1's external identifier, and
 * its kernel's reply comes back to LAN1 as from EXT1 with LAN1's own.
 */
static void hairpin_icmp_echo(void)
{
	struct ut_nat *t = ut_nat_default();
	u8 pkt[UT_PKT_MAX];
	struct napt_map *m1;
	unsigned int len;
	u16 x1, x2;

	REQUIRE(t);
	kc_reroute_calls = 0;
	t->cfg.filtering[NAPT_ICMP] = NAPT_FILTER_EIF;
	len = ut_icmp(pkt, LAN2, REM1, ICMP_ECHO, 0, 4242, 1, 8);
	CHECK_EQ(ut_out(t, pkt, len), NF_ACCEPT);
	x2 = ut_sport(pkt);

	len = ut_icmp(pkt, LAN1, EXT1, ICMP_ECHO, 0, x2, 7, 8);
	CHECK_EQ(ut_hairpin(t, pkt, len), NF_ACCEPT);
	m1 = ut_map_of(t, IPPROTO_ICMP, LAN1, x2);
	REQUIRE(m1);
	x1 = ntohs(m1->ext_port);
	CHECK_NE(x1, x2);		/* x2 is LAN2's */
	echo_hairpinned(t, pkt, ICMP_ECHO, LAN2, x1, 1);

	/* LAN2's kernel answers to EXT1, identifier x1 */
	len = ut_icmp(pkt, LAN2, EXT1, ICMP_ECHOREPLY, 0, x1, 7, 8);
	CHECK_EQ(ut_hairpin(t, pkt, len), NF_ACCEPT);
	/* to LAN1 with its own identifier */
	echo_hairpinned(t, pkt, ICMP_ECHOREPLY, LAN1, x2, 2);

	/* a reply that answers no hairpinned request is the gateway's */
	len = ut_icmp(pkt, LAN2, EXT1, ICMP_ECHOREPLY, 0, x2, 7, 8);
	untouched(t, pkt, len);
	len = ut_icmp(pkt, LAN2, EXT1, ICMP_ECHOREPLY, 0, 999, 7, 8);
	untouched(t, pkt, len);
	CHECK_EQ(kc_reroute_calls, 2);

	/* APDF: LAN2 never pinged LAN1's external address: filtered */
	t->cfg.filtering[NAPT_ICMP] = NAPT_FILTER_APDF;
	len = ut_icmp(pkt, HOST(11), EXT1, ICMP_ECHO, 0, x2, 8, 8);
	CHECK_EQ(ut_hairpin(t, pkt, len), NF_DROP);
	CHECK_EQ(ut_stat(t, NAPT_STAT_DROP_FILTERED), 1);
	CHECK_EQ(ut_stat(t, NAPT_STAT_HAIRPIN_PKTS), 2);
	ut_nat_free(t);
}

/*
 * RFC 5508 REQ-7: LAN2 answers a hairpinned UDP datagram with port
 * unreachable, to LAN1's external endpoint; LAN1 gets it from LAN2's
 * external address, quoting the datagram as LAN1 sent it.
 */
static void hairpin_icmp_error(void)
{
	struct ut_nat *t = ut_nat_default();
	u8 pkt[UT_PKT_MAX], sent[UT_PKT_MAX], err[UT_PKT_MAX];
	struct napt_map *m1;
	unsigned int len, elen;
	u16 x1, x2;

	REQUIRE(t);
	kc_reroute_calls = 0;
	t->cfg.filtering[NAPT_UDP] = NAPT_FILTER_EIF;
	t->cfg.filtering[NAPT_ICMP] = NAPT_FILTER_EIF;
	x2 = setup_lan2(t, IPPROTO_UDP);
	len = ut_udp(pkt, LAN1, 4000, EXT1, x2, 20);
	memcpy(sent, pkt, len);
	CHECK_EQ(ut_hairpin(t, pkt, len), NF_ACCEPT);
	m1 = ut_map_of(t, IPPROTO_UDP, LAN1, 4000);
	REQUIRE(m1);
	x1 = ntohs(m1->ext_port);

	elen = ut_icmp_err(err, LAN2, EXT1, ICMP_DEST_UNREACH,
			   ICMP_PORT_UNREACH, pkt, len);
	CHECK_EQ(ut_hairpin(t, err, elen), NF_ACCEPT);
	CHECK_EQX(ut_saddr(err), EXT1);
	CHECK_EQX(ut_daddr(err), LAN1);
	CHECK(ut_ip_csum_ok(err));
	CHECK(ut_l4_csum_ok(err, false));
	/* the quoted datagram is the one LAN1 sent, checksums and all */
	CHECK(!memcmp(err + 28, sent, len));
	CHECK_EQ(kc_reroute_calls, 2);
	CHECK_EQX(kc_reroute_daddr, LAN1);
	CHECK_EQ(ut_stat(t, NAPT_STAT_ICMP_ERR_IN), 1);
	CHECK_EQ(ut_stat(t, NAPT_STAT_HAIRPIN_PKTS), 2);

	/* about a hairpinned echo request: its identifier back to LAN1's */
	len = ut_icmp(pkt, LAN2, REM1, ICMP_ECHO, 0, 4242, 1, 8);
	CHECK_EQ(ut_out(t, pkt, len), NF_ACCEPT);
	x2 = ut_sport(pkt);
	len = ut_icmp(pkt, LAN1, EXT1, ICMP_ECHO, 0, x2, 1, 8);
	memcpy(sent, pkt, len);
	CHECK_EQ(ut_hairpin(t, pkt, len), NF_ACCEPT);
	elen = ut_icmp_err(err, LAN2, EXT1, ICMP_DEST_UNREACH,
			   ICMP_PROT_UNREACH, pkt, len);
	CHECK_EQ(ut_hairpin(t, err, elen), NF_ACCEPT);
	CHECK_EQX(ut_daddr(err), LAN1);
	CHECK_EQX(ut_saddr(err), EXT1);
	CHECK(ut_l4_csum_ok(err, false));
	CHECK(!memcmp(err + 28, sent, len));
	CHECK_EQ(ut_stat(t, NAPT_STAT_ICMP_ERR_IN), 2);

	/* quoting an endpoint with no session: dropped and counted */
	len = ut_udp(pkt, EXT1, x1, LAN2, 5001, 20);
	elen = ut_icmp_err(err, LAN2, EXT1, ICMP_DEST_UNREACH,
			   ICMP_PORT_UNREACH, pkt, len);
	CHECK_EQ(ut_hairpin(t, err, elen), NF_DROP);
	CHECK_EQ(ut_stat(t, NAPT_STAT_DROP_ICMP_ERR), 1);
	/* quoting no mapping at all: the gateway's own, untouched */
	len = ut_udp(pkt, EXT1, 33333, LAN2, 5000, 20);
	elen = ut_icmp_err(err, LAN2, EXT1, ICMP_DEST_UNREACH,
			   ICMP_PORT_UNREACH, pkt, len);
	memcpy(sent, err, elen);
	CHECK_EQ(ut_hairpin(t, err, elen), NF_ACCEPT);
	CHECK(!memcmp(err, sent, elen));
	ut_nat_free(t);
}

static void hairpin_failures(void)
{
	struct ut_nat *t = ut_nat_default();
	u8 pkt[UT_PKT_MAX], orig[UT_PKT_MAX];
	unsigned int len;
	u16 x2;

	REQUIRE(t);
	t->cfg.filtering[NAPT_UDP] = NAPT_FILTER_EIF;
	x2 = setup_lan2(t, IPPROTO_UDP);
	/* no route: dropped, and left as it was */
	kc_reroute_ret = -EHOSTUNREACH;
	len = ut_udp(pkt, LAN1, 4000, EXT1, x2, 9);
	memcpy(orig, pkt, len);
	CHECK_EQ(ut_hairpin(t, pkt, len), NF_DROP);
	CHECK(!memcmp(pkt, orig, len));
	CHECK_EQ(kc_reroute_calls, 1);
	CHECK_EQ(ut_stat(t, NAPT_STAT_HAIRPIN_PKTS), 0);
	kc_reroute_ret = 0;
	/* LAN1 cannot get a mapping: dropped before any routing */
	t->cfg.max_maps = atomic_read(&t->nn.nmaps);
	len = ut_udp(pkt, HOST(11), 4000, EXT1, x2, 9);
	CHECK_EQ(ut_hairpin(t, pkt, len), NF_DROP);
	CHECK_EQ(ut_stat(t, NAPT_STAT_DROP_MAP_LIMIT), 1);
	CHECK_EQ(kc_reroute_calls, 1);
	/* a cut header is not hairpinned, nor counted */
	len = ut_udp(pkt, LAN1, 4000, EXT1, x2, 9);
	ut_put16(pkt, 2, 24);
	ut_fix_ipcsum(pkt);
	memcpy(orig, pkt, 24);
	CHECK_EQ(ut_hairpin(t, pkt, 24), NF_ACCEPT);
	CHECK(!memcmp(pkt, orig, 24));
	CHECK_EQ(ut_stat(t, NAPT_STAT_HAIRPIN_PKTS), 0);
	ut_nat_free(t);
}

const struct ut_case ut_hairpin_cases[] = {
	UT_CASE(hairpin_both_ways),
	UT_CASE(hairpin_apdf),
	UT_CASE(hairpin_to_static),
	UT_CASE(hairpin_not_a_mapping),
	UT_CASE(hairpin_icmp_echo),
	UT_CASE(hairpin_icmp_error),
	UT_CASE(hairpin_failures),
	UT_END
};
