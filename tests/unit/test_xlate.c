// SPDX-License-Identifier: GPL-2.0
/*
 * test_xlate.c: kmod/xlate.c, real IPv4 packets through the translator.
 *
 * Every checksum is verified by recomputing it from scratch (ut.c), never
 * with the incremental helpers the translator uses.
 */
#include "ut.h"

/* seconds until the session's expiry, from now */
static long sess_ttl(struct ut_nat *t, __be32 host, u16 port, __be32 rem,
		     u16 rport)
{
	struct napt_sess *s = ut_sess_of(t, IPPROTO_TCP, host, port, rem, rport);

	return s ? (long)(s32)(s->expires - napt_now()) : -1;
}

static u32 sess_tcp(struct ut_nat *t, __be32 host, u16 port, __be32 rem,
		    u16 rport)
{
	struct napt_sess *s = ut_sess_of(t, IPPROTO_TCP, host, port, rem, rport);

	return s ? s->tcp : 0xdead;
}

static unsigned int out_tcp(struct ut_nat *t, __be32 host, u16 port,
			    __be32 rem, u16 rport, u8 flags)
{
	u8 pkt[UT_PKT_MAX];
	unsigned int len = ut_tcp(pkt, host, port, rem, rport, flags, 0);

	return ut_out(t, pkt, len);
}

static unsigned int in_tcp(struct ut_nat *t, __be32 rem, u16 rport,
			   u16 ext_port, u8 flags)
{
	u8 pkt[UT_PKT_MAX];
	unsigned int len = ut_tcp(pkt, rem, rport, EXT1, ext_port, flags, 0);

	return ut_in(t, pkt, len);
}

static unsigned int out_udp(struct ut_nat *t, __be32 host, u16 port,
			    __be32 rem, u16 rport)
{
	u8 pkt[UT_PKT_MAX];
	unsigned int len = ut_udp(pkt, host, port, rem, rport, 20);

	return ut_out(t, pkt, len);
}

/* an inbound UDP packet; on ACCEPT, *@to is where it went */
static unsigned int in_udp(struct ut_nat *t, __be32 rem, u16 rport,
			   __be32 ext, u16 ext_port, __be32 *to, u16 *to_port)
{
	u8 pkt[UT_PKT_MAX];
	unsigned int len = ut_udp(pkt, rem, rport, ext, ext_port, 20), v;

	v = ut_in(t, pkt, len);
	if (to)
		*to = ut_daddr(pkt);
	if (to_port)
		*to_port = ut_dport(pkt);
	return v;
}

/* headlen variants: all linear; only the IP header; part of the L4 one */
static const unsigned int heads[] = { 0, 20, 24 };

/* ---------------------------------------------------------------------- */

static void xlate_udp_roundtrip(void)
{
	unsigned int h;

	for (h = 0; h < ARRAY_SIZE(heads); h++) {
		struct ut_nat *t = ut_nat_default();
		u8 pkt[UT_PKT_MAX], orig[UT_PKT_MAX];
		unsigned int len;

		REQUIRE(t);
		len = ut_udp(pkt, HOST(10), 5000, REM1, 53, 33);
		memcpy(orig, pkt, len);
		CHECK_EQ(ut_xlate_skb(t, true, pkt, len, heads[h],
				      CHECKSUM_NONE, NULL), NF_ACCEPT);
		CHECK_EQX(ut_saddr(pkt), EXT1);
		CHECK_EQ(ut_sport(pkt), 5000);
		CHECK_EQX(ut_daddr(pkt), REM1);
		CHECK_EQ(ut_dport(pkt), 53);
		CHECK(ut_ip_csum_ok(pkt));
		CHECK(ut_l4_csum_ok(pkt, false));
		CHECK(!memcmp(pkt + 28, orig + 28, len - 28));	/* payload */
		CHECK(!memcmp(pkt, orig, 10));		/* ver..proto */
		CHECK_EQ(ut_stat(t, NAPT_STAT_OUT_PKTS), 1);
		CHECK_EQ(ut_stat(t, NAPT_STAT_OUT_BYTES), len);
		CHECK_EQ(ut_stat(t, NAPT_STAT_MAPS_CREATED), 1);
		CHECK_EQ(ut_stat(t, NAPT_STAT_SESS_CREATED), 1);

		len = ut_udp(pkt, REM1, 53, EXT1, 5000, 40);
		CHECK_EQ(ut_xlate_skb(t, false, pkt, len, heads[h],
				      CHECKSUM_NONE, NULL), NF_ACCEPT);
		CHECK_EQX(ut_daddr(pkt), HOST(10));
		CHECK_EQ(ut_dport(pkt), 5000);
		CHECK_EQX(ut_saddr(pkt), REM1);
		CHECK_EQ(ut_sport(pkt), 53);
		CHECK(ut_ip_csum_ok(pkt));
		CHECK(ut_l4_csum_ok(pkt, false));
		CHECK_EQ(ut_stat(t, NAPT_STAT_IN_PKTS), 1);
		CHECK_EQ(ut_stat(t, NAPT_STAT_IN_BYTES), len);
		ut_nat_free(t);
	}
}

static void xlate_tcp_roundtrip(void)
{
	unsigned int h;

	for (h = 0; h < ARRAY_SIZE(heads); h++) {
		struct ut_nat *t = ut_nat_default();
		u8 pkt[UT_PKT_MAX];
		unsigned int len;

		REQUIRE(t);
		len = ut_tcp(pkt, HOST(10), 40000, REM1, 443, UT_SYN, 0);
		CHECK_EQ(ut_xlate_skb(t, true, pkt, len, heads[h],
				      CHECKSUM_NONE, NULL), NF_ACCEPT);
		CHECK_EQX(ut_saddr(pkt), EXT1);
		CHECK_EQ(ut_sport(pkt), 40000);
		CHECK(ut_pkt_ok(pkt));
		len = ut_tcp(pkt, REM1, 443, EXT1, 40000, UT_SYN | UT_ACK, 0);
		CHECK_EQ(ut_xlate_skb(t, false, pkt, len, heads[h],
				      CHECKSUM_NONE, NULL), NF_ACCEPT);
		CHECK_EQX(ut_daddr(pkt), HOST(10));
		CHECK_EQ(ut_dport(pkt), 40000);
		CHECK(ut_pkt_ok(pkt));
		len = ut_tcp(pkt, HOST(10), 40000, REM1, 443, UT_ACK | UT_PSH,
			     301);
		CHECK_EQ(ut_xlate_skb(t, true, pkt, len, heads[h],
				      CHECKSUM_NONE, NULL), NF_ACCEPT);
		CHECK(ut_pkt_ok(pkt));
		CHECK_EQ(ut_stat(t, NAPT_STAT_OUT_PKTS), 2);
		CHECK_EQ(ut_stat(t, NAPT_STAT_IN_PKTS), 1);
		ut_nat_free(t);
	}
}

/*
 * The packets of the per-protocol loops: @host:@port to REM1 (UDP to 53
 * with @ulen bytes, a TCP SYN to 80, an echo request with identifier
 * @port, sequence @seq and @ilen bytes), and REM1's answer to EXT1:@ext.
 */
static unsigned int pkt_out(u8 *pkt, u8 p, __be32 host, u16 port, u16 seq,
			    unsigned int ulen, unsigned int ilen)
{
	if (p == IPPROTO_UDP)
		return ut_udp(pkt, host, port, REM1, 53, ulen);
	if (p == IPPROTO_TCP)
		return ut_tcp(pkt, host, port, REM1, 80, UT_SYN, 0);
	return ut_icmp(pkt, host, REM1, ICMP_ECHO, 0, port, seq, ilen);
}

static unsigned int pkt_back(u8 *pkt, u8 p, u16 ext, u16 seq,
			     unsigned int ulen, unsigned int ilen)
{
	if (p == IPPROTO_UDP)
		return ut_udp(pkt, REM1, 53, EXT1, ext, ulen);
	if (p == IPPROTO_TCP)
		return ut_tcp(pkt, REM1, 80, EXT1, ext, UT_SYN | UT_ACK, 0);
	return ut_icmp(pkt, REM1, EXT1, ICMP_ECHOREPLY, 0, ext, seq, ilen);
}

/* A second host with the same port: the port itself is rewritten. */
static void xlate_port_rewrite_checksums(void)
{
	static const u8 protos[] = { IPPROTO_UDP, IPPROTO_TCP, IPPROTO_ICMP };
	unsigned int h, i;

	for (h = 0; h < ARRAY_SIZE(heads); h++) {
		for (i = 0; i < ARRAY_SIZE(protos); i++) {
			struct ut_nat *t = ut_nat_default();
			u8 pkt[UT_PKT_MAX];
			unsigned int len, host;
			u16 ext = 0;
			u8 p = protos[i];

			REQUIRE(t);
			for (host = 10; host <= 11; host++) {
				len = pkt_out(pkt, p, HOST(host), 7000, 1, 17,
					      56);
				CHECK_EQ(ut_xlate_skb(t, true, pkt, len,
						      heads[h], CHECKSUM_NONE,
						      NULL), NF_ACCEPT);
				CHECK_EQX(ut_saddr(pkt), EXT1);
				CHECK(ut_ip_csum_ok(pkt));
				CHECK(ut_l4_csum_ok(pkt, false));
				ext = ut_sport(pkt);
			}
			CHECK_NE(ext, 7000);
			CHECK_RANGE(ext, 1024, 65535);
			CHECK_EQ(ntohs(ut_map_of(t, p, HOST(11), 7000)->ext_port),
				 ext);
			/* and back */
			len = pkt_back(pkt, p, ext, 1, 18, 56);
			CHECK_EQ(ut_xlate_skb(t, false, pkt, len, heads[h],
					      CHECKSUM_NONE, NULL), NF_ACCEPT);
			CHECK_EQX(ut_daddr(pkt), HOST(11));
			CHECK_EQ(ut_dport(pkt), 7000);
			CHECK(ut_ip_csum_ok(pkt));
			CHECK(ut_l4_csum_ok(pkt, false));
			ut_nat_free(t);
		}
	}
}

static void xlate_icmp_echo(void)
{
	struct ut_nat *t = ut_nat_default();
	u8 pkt[UT_PKT_MAX], orig[UT_PKT_MAX];
	unsigned int len;
	u16 id11;

	REQUIRE(t);
	len = ut_icmp(pkt, HOST(10), REM1, ICMP_ECHO, 0, 0x1234, 1, 56);
	CHECK_EQ(ut_out(t, pkt, len), NF_ACCEPT);
	CHECK_EQX(ut_saddr(pkt), EXT1);
	CHECK_EQ(ut_sport(pkt), 0x1234);	/* preserved */
	CHECK_EQ(ut_get16(pkt, 26), 1);		/* sequence untouched */
	CHECK(ut_pkt_ok(pkt));
	len = ut_icmp(pkt, HOST(11), REM1, ICMP_ECHO, 0, 0x1234, 1, 56);
	CHECK_EQ(ut_out(t, pkt, len), NF_ACCEPT);
	id11 = ut_sport(pkt);
	CHECK_NE(id11, 0x1234);
	CHECK(ut_pkt_ok(pkt));
	/* an identifier below the range is moved into it */
	len = ut_icmp(pkt, HOST(12), REM1, ICMP_ECHO, 0, 5, 1, 0);
	CHECK_EQ(ut_out(t, pkt, len), NF_ACCEPT);
	CHECK_RANGE(ut_sport(pkt), 1024, 65535);
	CHECK(ut_pkt_ok(pkt));

	/* the replies */
	len = ut_icmp(pkt, REM1, EXT1, ICMP_ECHOREPLY, 0, id11, 1, 56);
	CHECK_EQ(ut_in(t, pkt, len), NF_ACCEPT);
	CHECK_EQX(ut_daddr(pkt), HOST(11));
	CHECK_EQ(ut_dport(pkt), 0x1234);
	CHECK(ut_pkt_ok(pkt));
	len = ut_icmp(pkt, REM1, EXT1, ICMP_ECHOREPLY, 0, 0x1234, 2, 56);
	CHECK_EQ(ut_in(t, pkt, len), NF_ACCEPT);
	CHECK_EQX(ut_daddr(pkt), HOST(10));
	CHECK(ut_pkt_ok(pkt));
	/* from another remote: APDF refuses */
	len = ut_icmp(pkt, REM2, EXT1, ICMP_ECHOREPLY, 0, 0x1234, 2, 56);
	CHECK_EQ(ut_in(t, pkt, len), NF_DROP);
	CHECK_EQ(ut_stat(t, NAPT_STAT_DROP_FILTERED), 1);

	/* a ping of the gateway itself, an unknown reply: not ours */
	len = ut_icmp(pkt, REM1, EXT1, ICMP_ECHO, 0, 0x1234, 1, 56);
	memcpy(orig, pkt, len);
	CHECK_EQ(ut_in(t, pkt, len), NF_ACCEPT);
	CHECK(!memcmp(pkt, orig, len));
	len = ut_icmp(pkt, REM1, EXT1, ICMP_ECHOREPLY, 0, 0x4321, 1, 56);
	memcpy(orig, pkt, len);
	CHECK_EQ(ut_in(t, pkt, len), NF_ACCEPT);
	CHECK(!memcmp(pkt, orig, len));
	CHECK_EQ(ut_stat(t, NAPT_STAT_DROP_NO_MAPPING), 0);
	CHECK_EQ(ut_stat(t, NAPT_STAT_IN_PKTS), 2);
	ut_nat_free(t);
}

static void xlate_udp_zero_checksum(void)
{
	struct ut_nat *t = ut_nat_default();
	u8 pkt[UT_PKT_MAX];
	unsigned int len, host;
	u16 ext = 0;

	REQUIRE(t);
	for (host = 10; host <= 11; host++) {
		len = ut_udp(pkt, HOST(host), 5000, REM1, 53, 21);
		ut_put16(pkt, 26, 0);		/* no checksum */
		CHECK_EQ(ut_out(t, pkt, len), NF_ACCEPT);
		CHECK_EQX(ut_saddr(pkt), EXT1);
		CHECK_EQ(ut_l4check(pkt), 0);
		CHECK(ut_ip_csum_ok(pkt));
		ext = ut_sport(pkt);
	}
	CHECK_NE(ext, 5000);		/* the port changed too */
	len = ut_udp(pkt, REM1, 53, EXT1, ext, 21);
	ut_put16(pkt, 26, 0);
	CHECK_EQ(ut_in(t, pkt, len), NF_ACCEPT);
	CHECK_EQX(ut_daddr(pkt), HOST(11));
	CHECK_EQ(ut_dport(pkt), 5000);
	CHECK_EQ(ut_l4check(pkt), 0);
	CHECK(ut_ip_csum_ok(pkt));
	ut_nat_free(t);
}

/*
 * Make @pkt's payload word at @off such that, once rewritten to the
 * addresses and ports of @as, its UDP checksum comes out 0 (so must be
 * sent as 0xffff); then give @pkt its own valid checksum.
 */
static void udp_aim_for_zero(u8 *pkt, const u8 *as, unsigned int off)
{
	u8 tmp[UT_PKT_MAX];
	unsigned int len = ut_get16(pkt, 2);
	u16 s;

	memcpy(tmp, pkt, len);
	memcpy(tmp + 12, as + 12, 8);			/* addresses */
	memcpy(tmp + 20, as + 20, 4);			/* ports */
	ut_put16(tmp, 26, 0);
	ut_put16(tmp, off, 0);
	s = ut_fold(ut_sum16(tmp + 20, len - 20, ut_pseudo(tmp)));
	ut_put16(pkt, off, (u16)(0xffff - s));
	ut_fix_l4csum(pkt);
}

static void xlate_udp_csum_mangled_0(void)
{
	struct ut_nat *t = ut_nat_default();
	u8 pkt[UT_PKT_MAX], as[UT_PKT_MAX];
	unsigned int len;

	REQUIRE(t);
	/* outbound: HOST(10):5000 becomes EXT1:5000 */
	len = ut_udp(pkt, HOST(10), 5000, REM1, 53, 10);
	ut_udp(as, EXT1, 5000, REM1, 53, 10);
	udp_aim_for_zero(pkt, as, 28);
	REQUIRE(ut_l4check(pkt) != 0 && ut_l4check(pkt) != 0xffff);
	REQUIRE(ut_pkt_ok(pkt));
	CHECK_EQ(ut_out(t, pkt, len), NF_ACCEPT);
	CHECK_EQX(ut_saddr(pkt), EXT1);
	CHECK_EQX(ut_l4check(pkt), 0xffff);	/* CSUM_MANGLED_0, not 0 */
	CHECK(ut_l4_csum_ok(pkt, false));
	CHECK(ut_ip_csum_ok(pkt));

	/* inbound: EXT1:5000 becomes HOST(10):5000 */
	len = ut_udp(pkt, REM1, 53, EXT1, 5000, 10);
	ut_udp(as, REM1, 53, HOST(10), 5000, 10);
	udp_aim_for_zero(pkt, as, 30);
	REQUIRE(ut_l4check(pkt) != 0 && ut_l4check(pkt) != 0xffff);
	CHECK_EQ(ut_in(t, pkt, len), NF_ACCEPT);
	CHECK_EQX(ut_daddr(pkt), HOST(10));
	CHECK_EQX(ut_l4check(pkt), 0xffff);
	CHECK(ut_l4_csum_ok(pkt, false));
	ut_nat_free(t);
}

/* What a device does with CHECKSUM_PARTIAL: sum the segment, complement. */
static void device_csum(u8 *pkt)
{
	unsigned int off = ut_l4off(pkt), len = ut_get16(pkt, 2) - off;
	unsigned int coff = off + (pkt[9] == IPPROTO_UDP ? 6 : 16);
	u16 c = (u16)~ut_fold(ut_sum16(pkt + off, len, 0));

	if (pkt[9] == IPPROTO_UDP && !c)
		c = 0xffff;
	ut_put16(pkt, coff, c);
}

/*
 * CHECKSUM_PARTIAL: the L4 field holds the pseudo-header sum; after the
 * rewrite it must be that of the new addresses (ports are not in it), and
 * what the device then computes must verify.
 */
static void xlate_csum_partial(void)
{
	static const u8 protos[] = { IPPROTO_UDP, IPPROTO_TCP };
	unsigned int i, h, host;

	for (h = 0; h < ARRAY_SIZE(heads); h++) {
		for (i = 0; i < ARRAY_SIZE(protos); i++) {
			struct ut_nat *t = ut_nat_default();
			u8 pkt[UT_PKT_MAX];
			unsigned int len = 0, coff;
			u16 ext = 0;

			REQUIRE(t);
			for (host = 10; host <= 11; host++) {
				if (protos[i] == IPPROTO_UDP)
					len = ut_udp(pkt, HOST(host), 5000,
						     REM1, 53, 99);
				else
					len = ut_tcp(pkt, HOST(host), 5000,
						     REM1, 80, UT_ACK, 1000);
				coff = ut_l4check_off(pkt);
				ut_put16(pkt, coff, 0);
				ut_put16(pkt, coff, ut_pseudo(pkt));
				CHECK_EQ(ut_xlate_skb(t, true, pkt, len,
						      heads[h],
						      CHECKSUM_PARTIAL, NULL),
					 NF_ACCEPT);
				CHECK_EQX(ut_saddr(pkt), EXT1);
				CHECK(ut_ip_csum_ok(pkt));
				CHECK_EQX(ut_l4check(pkt), ut_pseudo(pkt));
				ext = ut_sport(pkt);
				device_csum(pkt);
				CHECK(ut_l4_csum_ok(pkt, false));
			}
			CHECK_NE(ext, 5000);
			/* inbound, to the rewritten port */
			if (protos[i] == IPPROTO_UDP)
				len = ut_udp(pkt, REM1, 53, EXT1, ext, 99);
			else
				len = ut_tcp(pkt, REM1, 80, EXT1, ext, UT_ACK,
					     1000);
			coff = ut_l4check_off(pkt);
			ut_put16(pkt, coff, 0);
			ut_put16(pkt, coff, ut_pseudo(pkt));
			CHECK_EQ(ut_xlate_skb(t, false, pkt, len, heads[h],
					      CHECKSUM_PARTIAL, NULL),
				 NF_ACCEPT);
			CHECK_EQX(ut_daddr(pkt), HOST(11));
			CHECK_EQ(ut_dport(pkt), 5000);
			CHECK(ut_ip_csum_ok(pkt));
			CHECK_EQX(ut_l4check(pkt), ut_pseudo(pkt));
			device_csum(pkt);
			CHECK(ut_l4_csum_ok(pkt, false));
			ut_nat_free(t);
		}
	}
}

/* folded, with 0 and 0xffff (both zero in one's complement) as one */
/*
 * CHECKSUM_COMPLETE: skb->csum is the sum of the packet as received and
 * must still be after the rewrite.
 */
static void xlate_csum_complete(void)
{
	static const u8 protos[] = { IPPROTO_UDP, IPPROTO_TCP, IPPROTO_ICMP };
	unsigned int i, h;

	for (h = 0; h < ARRAY_SIZE(heads); h++) {
		for (i = 0; i < ARRAY_SIZE(protos); i++) {
			struct ut_nat *t = ut_nat_default();
			u8 pkt[UT_PKT_MAX];
			unsigned int len, host;
			__wsum csum;
			u16 ext = 0;
			u8 p = protos[i];

			REQUIRE(t);
			for (host = 10; host <= 11; host++) {
				len = pkt_out(pkt, p, HOST(host), 5000, 9, 31,
					      31);
				csum = ut_wsum(pkt, len);
				CHECK_EQ(ut_xlate_skb(t, true, pkt, len,
						      heads[h],
						      CHECKSUM_COMPLETE,
						      &csum), NF_ACCEPT);
				CHECK(ut_pkt_ok(pkt));
				CHECK_EQX(ut_wfold(csum),
					  ut_wfold(ut_wsum(pkt, len)));
				ext = ut_sport(pkt);
			}
			len = pkt_back(pkt, p, ext, 9, 31, 31);
			csum = ut_wsum(pkt, len);
			CHECK_EQ(ut_xlate_skb(t, false, pkt, len, heads[h],
					      CHECKSUM_COMPLETE, &csum),
				 NF_ACCEPT);
			CHECK_EQX(ut_daddr(pkt), HOST(11));
			CHECK(ut_pkt_ok(pkt));
			CHECK_EQX(ut_wfold(csum), ut_wfold(ut_wsum(pkt, len)));
			ut_nat_free(t);
		}
	}
}

static void xlate_unsolicited_inbound(void)
{
	struct ut_nat *t = ut_nat_default();
	u8 pkt[UT_PKT_MAX], orig[UT_PKT_MAX];
	unsigned int len;

	REQUIRE(t);
	CHECK_EQ(in_udp(t, REM1, 53, EXT1, 40000, NULL, NULL), NF_DROP);
	CHECK_EQ(ut_stat(t, NAPT_STAT_DROP_NO_MAPPING), 1);
	CHECK_EQ(in_tcp(t, REM1, 80, 40000, UT_SYN), NF_DROP);
	CHECK_EQ(ut_stat(t, NAPT_STAT_DROP_NO_MAPPING), 2);
	/* below the NAT's range: the gateway's own business */
	len = ut_udp(pkt, REM1, 53, EXT1, 22, 8);
	memcpy(orig, pkt, len);
	CHECK_EQ(ut_in(t, pkt, len), NF_ACCEPT);
	CHECK(!memcmp(pkt, orig, len));
	/* a local socket on a NAT port */
	kc_socket_set(IPPROTO_UDP, 40001, true);
	len = ut_udp(pkt, REM1, 53, EXT1, 40001, 8);
	memcpy(orig, pkt, len);
	CHECK_EQ(ut_in(t, pkt, len), NF_ACCEPT);
	CHECK(!memcmp(pkt, orig, len));
	/* not to our address */
	len = ut_udp(pkt, REM1, 53, ip4(203, 0, 113, 9), 40000, 8);
	memcpy(orig, pkt, len);
	CHECK_EQ(ut_in(t, pkt, len), NF_ACCEPT);
	CHECK(!memcmp(pkt, orig, len));
	CHECK_EQ(ut_stat(t, NAPT_STAT_DROP_NO_MAPPING), 2);
	CHECK_EQ(ut_stat(t, NAPT_STAT_IN_PKTS), 0);
	CHECK_EQ(atomic_read(&t->nn.nmaps), 0);
	ut_nat_free(t);
}

/* an inbound TCP segment REM:rport -> EXT1:port; returns the verdict */
static unsigned int syn_in(struct ut_nat *t, __be32 rem, u16 rport, u16 port,
			   u8 flags, u8 *pkt)
{
	unsigned int len = ut_tcp(pkt, rem, rport, EXT1, port, flags, 0);

	return ut_in(t, pkt, len);
}

static bool held_due(struct ut_nat *t, struct napt_held *e,
		     unsigned long *next)
{
	return napt_synhold_expire(&t->nn, e, next);
}

/* RFC 5382 REQ-4: held for syn_hold seconds, then due for 3/3 */
static void synhold_expires(void)
{
	struct ut_nat *t = ut_nat_default();
	u8 pkt[UT_PKT_MAX], orig[UT_PKT_MAX];
	unsigned long next;
	struct napt_held e;
	unsigned int len;

	REQUIRE(t);
	CHECK_EQ(t->cfg.syn_hold, 6);		/* the default */
	len = ut_tcp(orig, REM1, 5555, EXT1, 40000, UT_SYN, 0);
	memcpy(pkt, orig, len);
	CHECK_EQ(ut_in(t, pkt, len), NF_DROP);
	CHECK_EQ(ut_stat(t, NAPT_STAT_DROP_NO_MAPPING), 1);
	CHECK_EQ(ut_stat(t, NAPT_STAT_SYN_HELD), 1);
	CHECK_EQ(kc_synhold_kicks, 1);
	CHECK_EQ(kc_synhold_delay, 6UL * HZ);
	CHECK_EQ(kc_unreach_calls, 0);		/* nothing answered now */
	CHECK(!held_due(t, &e, &next));
	CHECK_EQ(next, 6UL * HZ);

	/* a retransmission keeps the first one's time, held once */
	jiffies += 5 * HZ;
	CHECK_EQ(syn_in(t, REM1, 5555, 40000, UT_SYN, pkt), NF_DROP);
	CHECK_EQ(ut_stat(t, NAPT_STAT_SYN_HELD), 1);
	CHECK_EQ(t->synhold.n, 1);
	CHECK(!held_due(t, &e, &next));
	CHECK_EQ(next, (unsigned long)HZ);

	/* not held: a SYN-ACK, a RST, UDP, a port below the range */
	CHECK_EQ(syn_in(t, REM1, 5556, 40000, UT_SYN | UT_ACK, pkt), NF_DROP);
	CHECK_EQ(syn_in(t, REM1, 5557, 40000, UT_RST, pkt), NF_DROP);
	CHECK_EQ(in_udp(t, REM1, 5558, EXT1, 40000, NULL, NULL), NF_DROP);
	CHECK_EQ(syn_in(t, REM1, 5559, 22, UT_SYN, pkt), NF_ACCEPT);
	CHECK_EQ(t->synhold.n, 1);

	jiffies += HZ;
	REQUIRE(held_due(t, &e, &next));
	CHECK_EQX(e.rem_addr, REM1);
	CHECK_EQ(ntohs(e.rem_port), 5555);
	CHECK_EQX(e.ext_addr, EXT1);
	CHECK_EQ(ntohs(e.ext_port), 40000);
	CHECK_EQ(e.len, 28);			/* IP header and 8 bytes */
	CHECK(!memcmp(e.hdr, orig, 28));
	CHECK(!held_due(t, &e, &next));
	CHECK_EQ(next, 0);
	CHECK_EQ(t->synhold.n, 0);
	CHECK_EQ(ut_stat(t, NAPT_STAT_SYN_HOLD_MATCHED), 0);
	ut_nat_free(t);
}

/* An outbound SYN of the same connection: silently dropped for good. */
static void synhold_outbound_syn(void)
{
	struct ut_nat *t = ut_nat_default();
	u8 pkt[UT_PKT_MAX];
	unsigned long next;
	struct napt_held e;
	unsigned int len;

	REQUIRE(t);
	CHECK_EQ(syn_in(t, REM1, 5555, 40000, UT_SYN, pkt), NF_DROP);
	CHECK_EQ(syn_in(t, REM2, 5555, 40000, UT_SYN, pkt), NF_DROP);
	CHECK_EQ(t->synhold.n, 2);
	/* to another port of REM1: not that connection */
	len = ut_tcp(pkt, HOST(10), 40000, REM1, 5556, UT_SYN, 0);
	CHECK_EQ(ut_out(t, pkt, len), NF_ACCEPT);
	CHECK_EQ(ut_sport(pkt), 40000);
	CHECK_EQ(t->synhold.n, 2);
	/* the simultaneous open */
	len = ut_tcp(pkt, HOST(10), 40000, REM1, 5555, UT_SYN, 0);
	CHECK_EQ(ut_out(t, pkt, len), NF_ACCEPT);
	CHECK_EQ(t->synhold.n, 1);
	CHECK_EQ(ut_stat(t, NAPT_STAT_SYN_HOLD_MATCHED), 1);
	/* REM2's SYN came through the filter of the mapping made since */
	CHECK_EQ(syn_in(t, REM2, 5555, 40000, UT_SYN, pkt), NF_DROP);
	CHECK_EQ(ut_stat(t, NAPT_STAT_DROP_FILTERED), 1);
	len = ut_tcp(pkt, HOST(10), 40000, REM2, 5555, UT_SYN, 0);
	CHECK_EQ(ut_out(t, pkt, len), NF_ACCEPT);
	CHECK_EQ(t->synhold.n, 0);
	CHECK_EQ(ut_stat(t, NAPT_STAT_SYN_HOLD_MATCHED), 2);
	jiffies += 7 * HZ;
	CHECK(!held_due(t, &e, &next));
	CHECK_EQ(next, 0);
	/* a SYN filtered by a mapping is held too */
	CHECK_EQ(syn_in(t, ip4(198, 51, 100, 99), 1, 40000, UT_SYN, pkt),
		 NF_DROP);
	CHECK_EQ(ut_stat(t, NAPT_STAT_DROP_FILTERED), 2);
	CHECK_EQ(t->synhold.n, 1);
	ut_nat_free(t);
}

/* A fixed table: the 65th SYN is counted and dropped; 0 turns it off. */
static void synhold_bounded_and_off(void)
{
	struct ut_nat *t = ut_nat_default();
	u8 pkt[UT_PKT_MAX];
	unsigned int i;

	REQUIRE(t);
	for (i = 0; i < NAPT_SYN_HOLD_SLOTS + 3; i++)
		CHECK_EQ(syn_in(t, REM1, 1000 + i, 40000, UT_SYN, pkt),
			 NF_DROP);
	CHECK_EQ(t->synhold.n, NAPT_SYN_HOLD_SLOTS);
	CHECK_EQ(ut_stat(t, NAPT_STAT_SYN_HELD), NAPT_SYN_HOLD_SLOTS);
	CHECK_EQ(ut_stat(t, NAPT_STAT_SYN_HOLD_FULL), 3);
	napt_synhold_clear(&t->nn);
	CHECK_EQ(t->synhold.n, 0);

	t->cfg.syn_hold = 0;
	kc_synhold_kicks = 0;
	CHECK_EQ(syn_in(t, REM1, 999, 40000, UT_SYN, pkt), NF_DROP);
	CHECK_EQ(t->synhold.n, 0);
	CHECK_EQ(kc_synhold_kicks, 0);
	CHECK_EQ(ut_stat(t, NAPT_STAT_DROP_NO_MAPPING),
		 NAPT_SYN_HOLD_SLOTS + 4);
	/* an instance without the table (as while down) holds nothing */
	t->cfg.syn_hold = 6;
	t->nn.synhold = NULL;
	CHECK_EQ(syn_in(t, REM1, 998, 40000, UT_SYN, pkt), NF_DROP);
	CHECK_EQ(kc_synhold_kicks, 0);
	ut_nat_free(t);
}

static void xlate_filter_apdf(void)
{
	struct ut_nat *t = ut_nat_default();
	u8 pkt[UT_PKT_MAX], orig[UT_PKT_MAX];
	unsigned int len;
	__be32 to;
	u16 to_port;

	REQUIRE(t);
	CHECK_EQ(t->cfg.filtering[NAPT_UDP], NAPT_FILTER_APDF);
	CHECK_EQ(out_udp(t, HOST(10), 5000, REM1, 53), NF_ACCEPT);
	CHECK_EQ(in_udp(t, REM1, 54, EXT1, 5000, NULL, NULL), NF_DROP);
	CHECK_EQ(ut_stat(t, NAPT_STAT_DROP_FILTERED), 1);
	CHECK_EQ(in_udp(t, REM2, 53, EXT1, 5000, NULL, NULL), NF_DROP);
	CHECK_EQ(ut_stat(t, NAPT_STAT_DROP_FILTERED), 2);
	CHECK_EQ(in_udp(t, REM1, 53, EXT1, 5000, &to, &to_port), NF_ACCEPT);
	CHECK_EQX(to, HOST(10));
	CHECK_EQ(to_port, 5000);
	/* a socket opened later on the mapped port takes what is refused */
	kc_socket_set(IPPROTO_UDP, 5000, true);
	len = ut_udp(pkt, REM1, 54, EXT1, 5000, 8);
	memcpy(orig, pkt, len);
	CHECK_EQ(ut_in(t, pkt, len), NF_ACCEPT);
	CHECK(!memcmp(pkt, orig, len));
	CHECK_EQ(ut_stat(t, NAPT_STAT_PASS_LOCAL), 1);
	CHECK_EQ(ut_stat(t, NAPT_STAT_DROP_FILTERED), 2);
	/* no session was made by the refused packets */
	CHECK_EQ(atomic_read(&t->nn.nsess), 1);
	ut_nat_free(t);
}

static void xlate_filter_eif(void)
{
	struct ut_nat *t = ut_nat_default();
	__be32 to;
	u16 to_port;

	REQUIRE(t);
	t->cfg.filtering[NAPT_UDP] = NAPT_FILTER_EIF;
	CHECK_EQ(out_udp(t, HOST(10), 5000, REM1, 53), NF_ACCEPT);
	CHECK_EQ(in_udp(t, REM2, 999, EXT1, 5000, &to, &to_port), NF_ACCEPT);
	CHECK_EQX(to, HOST(10));
	CHECK_EQ(to_port, 5000);
	CHECK_EQ(in_udp(t, REM1, 54, EXT1, 5000, &to, NULL), NF_ACCEPT);
	CHECK_EQX(to, HOST(10));
	CHECK_EQ(ut_stat(t, NAPT_STAT_DROP_FILTERED), 0);
	CHECK_EQ(ut_stat(t, NAPT_STAT_IN_PKTS), 2);
	/* other protocols keep their own filtering */
	CHECK_EQ(out_tcp(t, HOST(10), 5000, REM1, 80, UT_SYN), NF_ACCEPT);
	CHECK_EQ(in_tcp(t, REM2, 80, 5000, UT_SYN | UT_ACK), NF_DROP);
	ut_nat_free(t);
}

static void xlate_filter_adf(void)
{
	struct ut_nat *t = ut_nat_default();
	__be32 to;

	REQUIRE(t);
	t->cfg.filtering[NAPT_UDP] = NAPT_FILTER_ADF;
	CHECK_EQ(out_udp(t, HOST(10), 5000, REM1, 53), NF_ACCEPT);
	CHECK_EQ(in_udp(t, REM1, 54, EXT1, 5000, &to, NULL), NF_ACCEPT);
	CHECK_EQX(to, HOST(10));
	CHECK_EQ(in_udp(t, REM1, 53, EXT1, 5000, &to, NULL), NF_ACCEPT);
	CHECK_EQ(in_udp(t, REM2, 53, EXT1, 5000, NULL, NULL), NF_DROP);
	CHECK_EQ(ut_stat(t, NAPT_STAT_DROP_FILTERED), 1);
	/* expired: refused, from any port */
	kc_advance(300);
	CHECK_EQ(in_udp(t, REM1, 54, EXT1, 5000, NULL, NULL), NF_DROP);
	CHECK_EQ(ut_stat(t, NAPT_STAT_DROP_FILTERED), 2);
	ut_nat_free(t);
}

/*
 * ADF must let in a remote address that has any live session. Here the
 * address has two: one expired (not swept yet), one live. The expired one
 * was made later, so it is first in the bucket.
 */
static void xlate_filter_adf_live_session_behind_expired(void)
{
	struct ut_nat *t = ut_nat_default();
	__be32 to = 0;

	REQUIRE(t);
	t->cfg.filtering[NAPT_UDP] = NAPT_FILTER_ADF;
	CHECK_EQ(out_udp(t, HOST(10), 5000, REM1, 1000), NF_ACCEPT);	/* A */
	kc_advance(10);
	CHECK_EQ(out_udp(t, HOST(10), 5000, REM1, 2000), NF_ACCEPT);	/* B */
	kc_advance(240);
	CHECK_EQ(out_udp(t, HOST(10), 5000, REM1, 1000), NF_ACCEPT);	/* A again */
	kc_advance(70);		/* B expired 10 s ago, A lives 230 s more */
	CHECK(ut_sess_of(t, IPPROTO_UDP, HOST(10), 5000, REM1, 1000) != NULL);
	CHECK_EQ(in_udp(t, REM1, 3000, EXT1, 5000, &to, NULL), NF_ACCEPT);
	CHECK_EQX(to, HOST(10));
	CHECK_EQ(ut_stat(t, NAPT_STAT_DROP_FILTERED), 0);
	/* once B is swept, it works */
	napt_gc_step(&t->nn, napt_now(), 1U << 30);
	CHECK_EQ(atomic_read(&t->nn.nsess), 1);
	CHECK_EQ(in_udp(t, REM1, 3000, EXT1, 5000, &to, NULL), NF_ACCEPT);
	ut_nat_free(t);
}

static void xlate_filter_expired_session(void)
{
	struct ut_nat *t = ut_nat_default();

	REQUIRE(t);
	CHECK_EQ(out_udp(t, HOST(10), 5000, REM1, 53), NF_ACCEPT);
	kc_advance(299);
	CHECK_EQ(in_udp(t, REM1, 53, EXT1, 5000, NULL, NULL), NF_ACCEPT);
	kc_advance(300);	/* the reply refreshed it (INBOUND_REFRESH) */
	CHECK_EQ(in_udp(t, REM1, 53, EXT1, 5000, NULL, NULL), NF_DROP);
	CHECK_EQ(ut_stat(t, NAPT_STAT_DROP_FILTERED), 1);
	/* the mapping is still there until swept; traffic revives it */
	CHECK_EQ(out_udp(t, HOST(10), 5000, REM1, 53), NF_ACCEPT);
	CHECK_EQ(in_udp(t, REM1, 53, EXT1, 5000, NULL, NULL), NF_ACCEPT);
	/* swept: no mapping any more */
	kc_advance(300);
	napt_gc_step(&t->nn, napt_now(), 1U << 30);
	CHECK_EQ(atomic_read(&t->nn.nmaps), 0);
	CHECK_EQ(in_udp(t, REM1, 53, EXT1, 5000, NULL, NULL), NF_DROP);
	CHECK_EQ(ut_stat(t, NAPT_STAT_DROP_NO_MAPPING), 1);
	ut_nat_free(t);
}

static void xlate_inbound_refresh_flag(void)
{
	struct ut_nat *t = ut_nat_default();
	struct napt_sess *s;
	u32 exp;

	REQUIRE(t);
	t->cfg.flags &= ~NAPT_F_INBOUND_REFRESH;
	CHECK_EQ(out_udp(t, HOST(10), 5000, REM1, 53), NF_ACCEPT);
	s = ut_sess_of(t, IPPROTO_UDP, HOST(10), 5000, REM1, 53);
	REQUIRE(s);
	exp = s->expires;
	kc_advance(100);
	CHECK_EQ(in_udp(t, REM1, 53, EXT1, 5000, NULL, NULL), NF_ACCEPT);
	CHECK_EQ(s->expires, exp);
	t->cfg.flags |= NAPT_F_INBOUND_REFRESH;
	CHECK_EQ(in_udp(t, REM1, 53, EXT1, 5000, NULL, NULL), NF_ACCEPT);
	CHECK_EQ(s->expires, napt_now() + 300);
	CHECK_EQ(ut_map_of(t, IPPROTO_UDP, HOST(10), 5000)->expires,
		 napt_now() + 300);
	ut_nat_free(t);
}

static u16 ext_port_to(struct ut_nat *t, __be32 host, u16 port, __be32 rem,
		       u16 rport)
{
	u8 pkt[UT_PKT_MAX];
	unsigned int len = ut_udp(pkt, host, port, rem, rport, 4);

	if (!CHECK_EQ(ut_out(t, pkt, len), NF_ACCEPT))
		return 0;
	return ut_sport(pkt);
}

static void xlate_mapping_behaviour(void)
{
	struct ut_nat *t = ut_nat_default();
	u16 a, b, c;
	__be32 to;
	u16 to_port;

	REQUIRE(t);
	/* EIM: one external port for every destination */
	a = ext_port_to(t, HOST(10), 5000, REM1, 53);
	b = ext_port_to(t, HOST(10), 5000, REM2, 53);
	c = ext_port_to(t, HOST(10), 5000, REM1, 54);
	CHECK_EQ(a, 5000);
	CHECK_EQ(b, a);
	CHECK_EQ(c, a);
	CHECK_EQ(atomic_read(&t->nn.nmaps), 1);
	CHECK_EQ(atomic_read(&t->nn.nsess), 3);
	ut_nat_free(t);

	/* ADM: per remote address */
	t = ut_nat_default();
	REQUIRE(t);
	t->cfg.mapping[NAPT_UDP] = NAPT_MAPPING_ADM;
	a = ext_port_to(t, HOST(10), 5000, REM1, 53);
	b = ext_port_to(t, HOST(10), 5000, REM1, 54);
	c = ext_port_to(t, HOST(10), 5000, REM2, 53);
	CHECK_EQ(b, a);
	CHECK_NE(c, a);
	CHECK_EQ(atomic_read(&t->nn.nmaps), 2);
	ut_nat_free(t);

	/* APDM: per remote address and port */
	t = ut_nat_default();
	REQUIRE(t);
	t->cfg.mapping[NAPT_UDP] = NAPT_MAPPING_APDM;
	a = ext_port_to(t, HOST(10), 5000, REM1, 53);
	b = ext_port_to(t, HOST(10), 5000, REM1, 54);
	c = ext_port_to(t, HOST(10), 5000, REM2, 53);
	CHECK_NE(b, a);
	CHECK_NE(c, a);
	CHECK_NE(c, b);
	CHECK_EQ(ext_port_to(t, HOST(10), 5000, REM1, 54), b);	/* stable */
	CHECK_EQ(atomic_read(&t->nn.nmaps), 3);
	CHECK_EQ(ut_map_of(t, IPPROTO_UDP, HOST(10), 5000), NULL);	/* keyed */
	/* each external port leads back to the same inside endpoint */
	CHECK_EQ(in_udp(t, REM1, 54, EXT1, b, &to, &to_port), NF_ACCEPT);
	CHECK_EQX(to, HOST(10));
	CHECK_EQ(to_port, 5000);
	CHECK_EQ(in_udp(t, REM2, 53, EXT1, c, &to, &to_port), NF_ACCEPT);
	CHECK_EQX(to, HOST(10));
	CHECK_EQ(to_port, 5000);
	/* the behaviour is per protocol: TCP is still EIM */
	CHECK_EQ(out_tcp(t, HOST(10), 6000, REM1, 80, UT_SYN), NF_ACCEPT);
	CHECK_EQ(out_tcp(t, HOST(10), 6000, REM2, 80, UT_SYN), NF_ACCEPT);
	CHECK(ut_map_of(t, IPPROTO_TCP, HOST(10), 6000) != NULL);
	CHECK_EQ(atomic_read(&t->nn.nmaps), 4);
	ut_nat_free(t);
}

static void xlate_tcp_session_timeouts(void)
{
	struct ut_nat *t = ut_nat_default();
	const u32 est = NAPT_TCP_SYN_OUT | NAPT_TCP_SYN_IN | NAPT_TCP_EST;

	REQUIRE(t);
	/* SYN out only: transitory */
	CHECK_EQ(out_tcp(t, HOST(10), 40000, REM1, 443, UT_SYN), NF_ACCEPT);
	CHECK_EQ(sess_tcp(t, HOST(10), 40000, REM1, 443), NAPT_TCP_SYN_OUT);
	CHECK_EQ(sess_ttl(t, HOST(10), 40000, REM1, 443), 240);
	CHECK_EQ(ut_map_of(t, IPPROTO_TCP, HOST(10), 40000)->expires,
		 napt_now() + 240);
	/* SYN-ACK in: established */
	kc_advance(5);
	CHECK_EQ(in_tcp(t, REM1, 443, 40000, UT_SYN | UT_ACK), NF_ACCEPT);
	CHECK_EQ(sess_tcp(t, HOST(10), 40000, REM1, 443), est);
	CHECK_EQ(sess_ttl(t, HOST(10), 40000, REM1, 443), 7440);
	kc_advance(5);
	CHECK_EQ(out_tcp(t, HOST(10), 40000, REM1, 443, UT_ACK), NF_ACCEPT);
	CHECK_EQ(sess_ttl(t, HOST(10), 40000, REM1, 443), 7440);
	/* one FIN: still established */
	CHECK_EQ(out_tcp(t, HOST(10), 40000, REM1, 443, UT_FIN | UT_ACK),
		 NF_ACCEPT);
	CHECK_EQ(sess_ttl(t, HOST(10), 40000, REM1, 443), 7440);
	/* both FINs: transitory */
	CHECK_EQ(in_tcp(t, REM1, 443, 40000, UT_FIN | UT_ACK), NF_ACCEPT);
	CHECK_EQ(sess_tcp(t, HOST(10), 40000, REM1, 443),
		 est | NAPT_TCP_FIN_OUT | NAPT_TCP_FIN_IN);
	CHECK_EQ(sess_ttl(t, HOST(10), 40000, REM1, 443), 240);
	/* a new connection on the same endpoints starts afresh */
	CHECK_EQ(out_tcp(t, HOST(10), 40000, REM1, 443, UT_SYN), NF_ACCEPT);
	CHECK_EQ(sess_tcp(t, HOST(10), 40000, REM1, 443), NAPT_TCP_SYN_OUT);
	CHECK_EQ(sess_ttl(t, HOST(10), 40000, REM1, 443), 240);

	/* RST: transitory */
	CHECK_EQ(out_tcp(t, HOST(10), 40001, REM1, 443, UT_SYN), NF_ACCEPT);
	CHECK_EQ(in_tcp(t, REM1, 443, 40001, UT_SYN | UT_ACK), NF_ACCEPT);
	CHECK_EQ(sess_ttl(t, HOST(10), 40001, REM1, 443), 7440);
	CHECK_EQ(in_tcp(t, REM1, 443, 40001, UT_RST), NF_ACCEPT);
	CHECK(sess_tcp(t, HOST(10), 40001, REM1, 443) & NAPT_TCP_RST);
	CHECK_EQ(sess_ttl(t, HOST(10), 40001, REM1, 443), 240);
	CHECK_EQ(out_tcp(t, HOST(10), 40001, REM1, 443, UT_ACK), NF_ACCEPT);
	CHECK_EQ(sess_ttl(t, HOST(10), 40001, REM1, 443), 240);

	/* a flow first seen mid-stream counts as established */
	CHECK_EQ(out_tcp(t, HOST(10), 40002, REM1, 443, UT_ACK), NF_ACCEPT);
	CHECK_EQ(sess_ttl(t, HOST(10), 40002, REM1, 443), 7440);

	/* an established session outlives its mapping's own timer */
	kc_advance(1000);
	napt_gc_step(&t->nn, napt_now(), 1U << 30);
	CHECK(ut_map_of(t, IPPROTO_TCP, HOST(10), 40002) != NULL);
	CHECK(ut_map_of(t, IPPROTO_TCP, HOST(10), 40001) == NULL);
	CHECK(ut_map_of(t, IPPROTO_TCP, HOST(10), 40000) == NULL);
	CHECK_EQ(in_tcp(t, REM1, 443, 40002, UT_ACK), NF_ACCEPT);
	ut_nat_free(t);
}

/*
 * A connection opened from outside, let in by EIF or ADF filtering (RFC
 * 5382 REQ-3 recommends one of them for TCP): the remote's SYN comes in
 * before any session with it exists, the inside host answers with a
 * SYN-ACK. Both ends have sent a SYN, so the session is established
 * (RFC 5382 REQ-5: an idle established connection lasts 2 h 4 min), and
 * it must survive 5 idle minutes.
 */
static void xlate_tcp_inbound_open_established(void)
{
	static const u8 filters[] = { NAPT_FILTER_EIF, NAPT_FILTER_ADF };
	unsigned int f;

	for (f = 0; f < ARRAY_SIZE(filters); f++) {
		struct ut_nat *t = ut_nat_default();
		__be32 rem = filters[f] == NAPT_FILTER_EIF ? REM2 : REM1;

		REQUIRE(t);
		t->cfg.filtering[NAPT_TCP] = filters[f];
		/* the mapping exists (hole punching, or an earlier flow) */
		CHECK_EQ(out_tcp(t, HOST(10), 5000, REM1, 80, UT_SYN),
			 NF_ACCEPT);
		CHECK_EQ(in_tcp(t, rem, 4000, 5000, UT_SYN), NF_ACCEPT);
		CHECK_EQ(out_tcp(t, HOST(10), 5000, rem, 4000,
				 UT_SYN | UT_ACK), NF_ACCEPT);
		CHECK_EQ(in_tcp(t, rem, 4000, 5000, UT_ACK), NF_ACCEPT);
		CHECK(sess_tcp(t, HOST(10), 5000, rem, 4000) &
		      NAPT_TCP_EST);
		CHECK_EQ(sess_ttl(t, HOST(10), 5000, rem, 4000), 7440);
		/* idle for 5 minutes, then data from the remote */
		kc_advance(300);
		napt_gc_step(&t->nn, napt_now(), 1U << 30);
		CHECK_EQ(in_tcp(t, rem, 4000, 5000, UT_ACK | UT_PSH),
			 NF_ACCEPT);
		ut_nat_free(t);
	}
}

static void xlate_non_inside_source(void)
{
	struct ut_nat *t = ut_nat_default();
	u8 pkt[UT_PKT_MAX], orig[UT_PKT_MAX];
	__be32 src[3];
	unsigned int len, i, k;

	REQUIRE(t);
	src[0] = ip4(10, 0, 0, 1);
	src[1] = ip4(192, 168, 2, 10);		/* just outside the /24 */
	src[2] = EXT1;				/* the gateway's own */
	for (i = 0; i < ARRAY_SIZE(src); i++) {
		for (k = 0; k < 4; k++) {
			if (k == 0)
				len = ut_udp(pkt, src[i], 5000, REM1, 53, 9);
			else if (k == 1)
				len = ut_tcp(pkt, src[i], 5000, REM1, 80,
					     UT_SYN, 0);
			else if (k == 2)
				len = ut_icmp(pkt, src[i], REM1, ICMP_ECHO, 0,
					      77, 1, 8);
			else
				len = ut_rawip(pkt, src[i], REM1, 47, 12);
			memcpy(orig, pkt, len);
			CHECK_EQ(ut_out(t, pkt, len), NF_ACCEPT);
			CHECK(!memcmp(pkt, orig, len));
		}
	}
	CHECK_EQ(atomic_read(&t->nn.nmaps), 0);
	for (i = 0; i < __NAPT_STAT_MAX; i++)
		CHECK_EQ(ut_stat(t, i), 0);
	ut_nat_free(t);
}

static void xlate_fragment_from_inside(void)
{
	static const u16 frag[] = { 0x2000, 0x0001, 0x00b9, 0x2010, 0x6000 };
	struct ut_nat *t = ut_nat_default();
	u8 pkt[UT_PKT_MAX], orig[UT_PKT_MAX];
	unsigned int len, i;

	REQUIRE(t);
	for (i = 0; i < ARRAY_SIZE(frag); i++) {
		len = ut_udp(pkt, HOST(10), 5000, REM1, 53, 100);
		ut_put16(pkt, 6, frag[i]);
		ut_fix_ipcsum(pkt);
		CHECK_EQ(ut_out(t, pkt, len), NF_DROP);
		CHECK_EQ(ut_stat(t, NAPT_STAT_DROP_MALFORMED), i + 1);
	}
	CHECK_EQ(atomic_read(&t->nn.nmaps), 0);
	/* DF alone is no fragment */
	len = ut_udp(pkt, HOST(10), 5000, REM1, 53, 100);
	CHECK_EQ(ut_get16(pkt, 6), 0x4000);
	CHECK_EQ(ut_out(t, pkt, len), NF_ACCEPT);
	/* an inbound fragment is not translated */
	len = ut_udp(pkt, REM1, 53, EXT1, 5000, 100);
	ut_put16(pkt, 6, 0x2000);
	ut_fix_ipcsum(pkt);
	memcpy(orig, pkt, len);
	CHECK_EQ(ut_in(t, pkt, len), NF_ACCEPT);
	CHECK(!memcmp(pkt, orig, len));
	ut_nat_free(t);
}

/* Cut every packet at every length short of its L4 header. */
static void xlate_truncated(void)
{
	struct ut_nat *t = ut_nat_default();
	u8 pkt[UT_PKT_MAX], orig[UT_PKT_MAX];
	unsigned int k, cut, drops = 0, h;

	REQUIRE(t);
	for (h = 0; h < ARRAY_SIZE(heads); h++) {
		for (k = 0; k < 3; k++) {
			unsigned int need = k == 1 ? 40 : 28;

			for (cut = 20; cut < need; cut++) {
				if (k == 0)
					ut_udp(pkt, HOST(10), 5000, REM1, 53, 0);
				else if (k == 1)
					ut_tcp(pkt, HOST(10), 5000, REM1, 80,
					       UT_SYN, 0);
				else
					ut_icmp(pkt, HOST(10), REM1, ICMP_ECHO,
						0, 5000, 1, 0);
				/* as ip_rcv() leaves it: tot_len = len */
				ut_put16(pkt, 2, cut);
				ut_fix_ipcsum(pkt);
				CHECK_EQ(ut_xlate_skb(t, true, pkt, cut,
						      heads[h], CHECKSUM_NONE,
						      NULL), NF_DROP);
				drops++;
			}
		}
	}
	CHECK_EQ(ut_stat(t, NAPT_STAT_DROP_MALFORMED), drops);
	CHECK_EQ(atomic_read(&t->nn.nmaps), 0);

	/* TCP data offset below 5 */
	ut_tcp(pkt, HOST(10), 5000, REM1, 80, UT_SYN, 0);
	pkt[32] = 4 << 4;
	CHECK_EQ(ut_out(t, pkt, 40), NF_DROP);
	CHECK_EQ(ut_stat(t, NAPT_STAT_DROP_MALFORMED), drops + 1);

	/*
	 * Inbound, a cut packet to a mapped port is left untranslated (the
	 * host's stack drops it), byte for byte.
	 */
	CHECK_EQ(out_udp(t, HOST(10), 5000, REM1, 53), NF_ACCEPT);
	CHECK_EQ(out_tcp(t, HOST(10), 5000, REM1, 80, UT_SYN), NF_ACCEPT);
	for (k = 0; k < 2; k++) {
		unsigned int need = k ? 40 : 28;

		for (cut = 20; cut < need; cut++) {
			if (k == 0)
				ut_udp(pkt, REM1, 53, EXT1, 5000, 0);
			else
				ut_tcp(pkt, REM1, 80, EXT1, 5000,
				       UT_SYN | UT_ACK, 0);
			ut_put16(pkt, 2, cut);
			ut_fix_ipcsum(pkt);
			memcpy(orig, pkt, cut);
			CHECK_EQ(ut_xlate_skb(t, false, pkt, cut, 20,
					      CHECKSUM_NONE, NULL), NF_ACCEPT);
			CHECK(!memcmp(pkt, orig, cut));
		}
	}
	CHECK_EQ(ut_stat(t, NAPT_STAT_IN_PKTS), 0);
	ut_nat_free(t);
}

/*
 * Lengths that lie: a UDP length below 8 or beyond the packet, a TCP data
 * offset beyond it. Outbound, dropped as malformed (an inside source does
 * not leave untranslated, garbage is not sent on); inbound, left to the
 * gateway's stack untouched (it drops them), not sent on to a LAN host.
 */
static void xlate_length_lies(void)
{
	static const u16 ulens[] = { 0, 7, 29, 500, 65535 };
	static const u8 doffs[] = { 6, 10, 15 };
	struct ut_nat *t = ut_nat_default();
	u8 pkt[UT_PKT_MAX], orig[UT_PKT_MAX];
	unsigned int len, i, drops = 0;

	REQUIRE(t);
	for (i = 0; i < ARRAY_SIZE(ulens); i++) {
		len = ut_udp(pkt, HOST(10), 5000, REM1, 53, 20);	/* 28 */
		ut_put16(pkt, 24, ulens[i]);
		CHECK_EQ(ut_out(t, pkt, len), NF_DROP);
		CHECK_EQ(ut_stat(t, NAPT_STAT_DROP_MALFORMED), ++drops);
	}
	for (i = 0; i < ARRAY_SIZE(doffs); i++) {
		len = ut_tcp(pkt, HOST(10), 5000, REM1, 80, UT_ACK, 0);
		pkt[32] = doffs[i] << 4;
		CHECK_EQ(ut_out(t, pkt, len), NF_DROP);
		CHECK_EQ(ut_stat(t, NAPT_STAT_DROP_MALFORMED), ++drops);
	}
	CHECK_EQ(atomic_read(&t->nn.nmaps), 0);
	/* the honest ones: a UDP length short of the IP payload is allowed */
	len = ut_udp(pkt, HOST(10), 5000, REM1, 53, 20);
	ut_put16(pkt, 24, 20);
	CHECK_EQ(ut_out(t, pkt, len), NF_ACCEPT);
	len = ut_tcp(pkt, HOST(10), 5001, REM1, 80, UT_SYN, 12);
	pkt[32] = 8 << 4;	/* 12 bytes of options, as long as it has */
	CHECK_EQ(ut_out(t, pkt, len), NF_ACCEPT);
	CHECK_EQ(ut_stat(t, NAPT_STAT_DROP_MALFORMED), drops);

	/* inbound to those mappings: untouched, byte for byte */
	for (i = 0; i < ARRAY_SIZE(ulens); i++) {
		len = ut_udp(pkt, REM1, 53, EXT1, 5000, 20);
		ut_put16(pkt, 24, ulens[i]);
		memcpy(orig, pkt, len);
		CHECK_EQ(ut_in(t, pkt, len), NF_ACCEPT);
		CHECK(!memcmp(pkt, orig, len));
	}
	for (i = 0; i < ARRAY_SIZE(doffs); i++) {
		len = ut_tcp(pkt, REM1, 80, EXT1, 5001, UT_ACK, 0);
		pkt[32] = doffs[i] << 4;
		memcpy(orig, pkt, len);
		CHECK_EQ(ut_in(t, pkt, len), NF_ACCEPT);
		CHECK(!memcmp(pkt, orig, len));
	}
	CHECK_EQ(ut_stat(t, NAPT_STAT_IN_PKTS), 0);
	ut_nat_free(t);
}

static void xlate_unsupported_proto(void)
{
	struct ut_nat *t = ut_nat_default();
	u8 pkt[UT_PKT_MAX], orig[UT_PKT_MAX];
	unsigned int len;

	REQUIRE(t);
	len = ut_rawip(pkt, HOST(10), REM1, 47, 24);		/* GRE */
	CHECK_EQ(ut_out(t, pkt, len), NF_DROP);
	CHECK_EQ(ut_stat(t, NAPT_STAT_DROP_PROTO), 1);
	len = ut_rawip(pkt, HOST(10), REM1, 132, 24);		/* SCTP */
	CHECK_EQ(ut_out(t, pkt, len), NF_DROP);
	CHECK_EQ(ut_stat(t, NAPT_STAT_DROP_PROTO), 2);
	/* ICMP other than an echo request or an error is not translated */
	len = ut_icmp(pkt, HOST(10), REM1, ICMP_TIMESTAMP, 0, 0, 0, 12);
	CHECK_EQ(ut_out(t, pkt, len), NF_DROP);
	CHECK_EQ(ut_stat(t, NAPT_STAT_DROP_PROTO), 3);
	/* an error quoting nothing translated cannot leave either */
	len = ut_icmp(pkt, HOST(10), REM1, ICMP_DEST_UNREACH, 3, 0, 0, 28);
	CHECK_EQ(ut_out(t, pkt, len), NF_DROP);
	CHECK_EQ(ut_stat(t, NAPT_STAT_DROP_ICMP_ERR), 1);
	CHECK_EQ(ut_stat(t, NAPT_STAT_DROP_PROTO), 3);
	CHECK_EQ(atomic_read(&t->nn.nmaps), 0);
	/* inbound GRE to the gateway: its own */
	len = ut_rawip(pkt, REM1, EXT1, 47, 24);
	memcpy(orig, pkt, len);
	CHECK_EQ(ut_in(t, pkt, len), NF_ACCEPT);
	CHECK(!memcmp(pkt, orig, len));
	ut_nat_free(t);
}

static void xlate_drop_reasons(void)
{
	struct ut_nat *t = ut_nat_default();
	u8 pkt[UT_PKT_MAX];
	unsigned int len;

	REQUIRE(t);
	/* no free port */
	t->cfg.port_min = 40000;
	t->cfg.port_max = 40001;
	CHECK_EQ(out_udp(t, HOST(1), 5000, REM1, 53), NF_ACCEPT);
	CHECK_EQ(out_udp(t, HOST(2), 5000, REM1, 53), NF_ACCEPT);
	CHECK_EQ(out_udp(t, HOST(3), 5000, REM1, 53), NF_DROP);
	CHECK_EQ(ut_stat(t, NAPT_STAT_DROP_NO_PORT), 1);
	/* mapping limit */
	t->cfg.max_maps = 2;
	CHECK_EQ(out_tcp(t, HOST(3), 5000, REM1, 80, UT_SYN), NF_DROP);
	CHECK_EQ(ut_stat(t, NAPT_STAT_DROP_MAP_LIMIT), 1);
	/* session limit */
	t->cfg.max_sess = 3;
	CHECK_EQ(out_udp(t, HOST(1), 5000, REM2, 53), NF_ACCEPT);
	CHECK_EQ(out_udp(t, HOST(1), 5000, REM2, 54), NF_DROP);
	CHECK_EQ(ut_stat(t, NAPT_STAT_DROP_SESS_LIMIT), 1);
	/* allocation failures */
	t->cfg.max_sess = 100;
	kc_fail_sess_alloc = 1;
	CHECK_EQ(out_udp(t, HOST(1), 5000, REM2, 55), NF_DROP);
	CHECK_EQ(ut_stat(t, NAPT_STAT_DROP_NOMEM), 1);
	/* no room to make the header writable */
	len = ut_udp(pkt, HOST(1), 5000, REM2, 56, 10);
	kc_fail_pull = 1;
	CHECK_EQ(ut_xlate_skb(t, true, pkt, len, 20, CHECKSUM_NONE, NULL),
		 NF_DROP);
	CHECK_EQ(ut_stat(t, NAPT_STAT_DROP_NOMEM), 2);
	len = ut_udp(pkt, HOST(1), 5000, REM2, 56, 10);
	CHECK_EQ(ut_xlate_skb(t, true, pkt, len, 20, CHECKSUM_NONE, NULL),
		 NF_ACCEPT);
	CHECK(ut_pkt_ok(pkt));
	CHECK_EQ(ut_stat(t, NAPT_STAT_OUT_PKTS), 4);
	/* ... inbound too */
	len = ut_udp(pkt, REM2, 56, EXT1,
		     ntohs(ut_map_of(t, IPPROTO_UDP, HOST(1), 5000)->ext_port), 10);
	kc_fail_pull = 1;
	CHECK_EQ(ut_xlate_skb(t, false, pkt, len, 20, CHECKSUM_NONE, NULL),
		 NF_DROP);
	CHECK_EQ(ut_stat(t, NAPT_STAT_DROP_NOMEM), 3);
	CHECK_EQ(ut_stat(t, NAPT_STAT_IN_PKTS), 0);
	ut_nat_free(t);
}

/* No configured address: the interface's, followed as it changes. */
static void xlate_interface_address(void)
{
	struct ut_nat *t = ut_nat_default();
	u8 pkt[UT_PKT_MAX];
	unsigned int len;
	__be32 to;

	REQUIRE(t);
	t->cfg.n_ext = 0;
	t->nn.if_addr = 0;
	CHECK_EQ(out_udp(t, HOST(10), 5000, REM1, 53), NF_DROP);
	CHECK_EQ(ut_stat(t, NAPT_STAT_DROP_NO_PORT), 1);
	t->nn.if_addr = ip4(203, 0, 113, 50);
	len = ut_udp(pkt, HOST(10), 5000, REM1, 53, 4);
	CHECK_EQ(ut_out(t, pkt, len), NF_ACCEPT);
	CHECK_EQX(ut_saddr(pkt), ip4(203, 0, 113, 50));
	CHECK(ut_pkt_ok(pkt));
	CHECK_EQ(in_udp(t, REM1, 53, ip4(203, 0, 113, 50), 5000, &to, NULL),
		 NF_ACCEPT);
	CHECK_EQX(to, HOST(10));
	/* EXT1 is not ours now */
	CHECK_EQ(in_udp(t, REM1, 53, EXT1, 5000, &to, NULL), NF_ACCEPT);
	CHECK_EQX(to, EXT1);
	ut_nat_free(t);
}

static void xlate_several_int_nets(void)
{
	struct ut_nat *t = ut_nat_default();
	u8 pkt[UT_PKT_MAX];
	unsigned int len;

	REQUIRE(t);
	t->cfg.n_int = 2;
	t->cfg.int_nets[1].addr = ip4(10, 1, 0, 0);
	t->cfg.int_nets[1].mask = htonl(0xffff0000);
	t->cfg.int_nets[1].len = 16;
	len = ut_udp(pkt, ip4(10, 1, 2, 3), 5000, REM1, 53, 4);
	CHECK_EQ(ut_out(t, pkt, len), NF_ACCEPT);
	CHECK_EQX(ut_saddr(pkt), EXT1);
	len = ut_udp(pkt, ip4(10, 2, 2, 3), 5000, REM1, 53, 4);
	CHECK_EQ(ut_out(t, pkt, len), NF_ACCEPT);
	CHECK_EQX(ut_saddr(pkt), ip4(10, 2, 2, 3));	/* untouched */
	CHECK(napt_in_int_nets(&t->cfg, HOST(200)));
	CHECK(!napt_in_int_nets(&t->cfg, ip4(192, 168, 0, 200)));
	CHECK(napt_is_ext_addr(&t->nn, &t->cfg, EXT1));
	CHECK(!napt_is_ext_addr(&t->nn, &t->cfg, EXT2));
	ut_nat_free(t);
}

/*
 * A resting port (RFC 6888 REQ-8) belongs to nobody: inbound packets to
 * it are not delivered to its last owner.
 */
static void xlate_resting_port(void)
{
	struct ut_nat *t = ut_nat_default();
	u8 pkt[UT_PKT_MAX], orig[UT_PKT_MAX];
	unsigned int len;

	REQUIRE(t);
	t->nn.reuse_delay = 120;
	t->cfg.filtering[NAPT_UDP] = NAPT_FILTER_EIF;
	CHECK_EQ(out_udp(t, HOST(10), 5000, REM1, 53), NF_ACCEPT);
	CHECK_EQ(in_udp(t, REM1, 53, EXT1, 5000, NULL, NULL), NF_ACCEPT);
	kc_advance(300);
	napt_gc_step(&t->nn, napt_now(), 1U << 30);
	REQUIRE_EQ(atomic_read(&t->nn.nmaps), 0);
	REQUIRE_EQ(atomic_read(&t->nn.ntomb), 1);
	/* from the last remote, or any: no mapping */
	CHECK_EQ(in_udp(t, REM1, 53, EXT1, 5000, NULL, NULL), NF_DROP);
	CHECK_EQ(in_udp(t, REM2, 53, EXT1, 5000, NULL, NULL), NF_DROP);
	CHECK_EQ(ut_stat(t, NAPT_STAT_DROP_NO_MAPPING), 2);
	/* an error about it, a hairpinned packet to it: not ours */
	{
		u8 q[UT_PKT_MAX];
		unsigned int qlen = ut_udp(q, EXT1, 5000, REM1, 53, 8);

		len = ut_icmp_err(pkt, REM1, EXT1, ICMP_DEST_UNREACH,
				  ICMP_PORT_UNREACH, q, qlen);
		memcpy(orig, pkt, len);
		CHECK_EQ(ut_in(t, pkt, len), NF_ACCEPT);
		CHECK(!memcmp(pkt, orig, len));
	}
	len = ut_udp(pkt, HOST(11), 4000, EXT1, 5000, 8);
	memcpy(orig, pkt, len);
	CHECK_EQ(ut_hairpin(t, pkt, len), NF_ACCEPT);
	CHECK(!memcmp(pkt, orig, len));
	/* its owner comes back to it at once */
	CHECK_EQ(out_udp(t, HOST(10), 5000, REM1, 53), NF_ACCEPT);
	CHECK_EQ(ntohs(ut_map_of(t, IPPROTO_UDP, HOST(10), 5000)->ext_port),
		 5000);
	CHECK_EQ(atomic_read(&t->nn.ntomb), 0);
	ut_nat_free(t);
}

const struct ut_case ut_xlate_cases[] = {
	UT_CASE(xlate_udp_roundtrip),
	UT_CASE(xlate_tcp_roundtrip),
	UT_CASE(xlate_port_rewrite_checksums),
	UT_CASE(xlate_icmp_echo),
	UT_CASE(xlate_udp_zero_checksum),
	UT_CASE(xlate_udp_csum_mangled_0),
	UT_CASE(xlate_csum_partial),
	UT_CASE(xlate_csum_complete),
	UT_CASE(xlate_unsolicited_inbound),
	UT_CASE(synhold_expires),
	UT_CASE(synhold_outbound_syn),
	UT_CASE(synhold_bounded_and_off),
	UT_CASE(xlate_filter_apdf),
	UT_CASE(xlate_filter_eif),
	UT_CASE(xlate_filter_adf),
	UT_CASE(xlate_filter_adf_live_session_behind_expired),
	UT_CASE(xlate_filter_expired_session),
	UT_CASE(xlate_inbound_refresh_flag),
	UT_CASE(xlate_mapping_behaviour),
	UT_CASE(xlate_tcp_session_timeouts),
	UT_CASE(xlate_tcp_inbound_open_established),
	UT_CASE(xlate_non_inside_source),
	UT_CASE(xlate_fragment_from_inside),
	UT_CASE(xlate_truncated),
	UT_CASE(xlate_length_lies),
	UT_CASE(xlate_unsupported_proto),
	UT_CASE(xlate_drop_reasons),
	UT_CASE(xlate_interface_address),
	UT_CASE(xlate_several_int_nets),
	UT_CASE(xlate_resting_port),
	UT_END
};
