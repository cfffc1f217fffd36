// SPDX-License-Identifier: GPL-2.0
/*
 * test_icmperr.c: ICMP error translation both ways (RFC 5508), and the
 * ICMP 3/13 answer to refused flows.
 *
 * Errors are built around real translated packets; afterwards the outer
 * IP checksum, the ICMP checksum, the quoted IP checksum and (when the
 * whole quoted datagram is there) the quoted L4 checksum are recomputed
 * from scratch, and the quoted bytes are compared with the packet as the
 * other side of the NAT knows it.
 */
#include "ut.h"

#define ROUTER ip4(198, 51, 100, 254)

/*
 * Port unreachable from @from to EXT1 quoting @qlen bytes of @q, built in
 * @err and run through napt_xlate_in(): the verdict.
 */
static unsigned int unreach_in(struct ut_nat *t, u8 *err, __be32 from,
			       const u8 *q, unsigned int qlen)
{
	unsigned int len = ut_icmp_err(err, from, EXT1, ICMP_DEST_UNREACH,
				       ICMP_PORT_UNREACH, q, qlen);

	return ut_in(t, err, len);
}

/* headlen variants: linear; outer IP header only; into the quoted one */
static const unsigned int heads[] = { 0, 20, 36 };

/* a packet on both sides of the NAT */
struct pair {
	u8 in[UT_PKT_MAX];	/* inside: inside host <-> remote */
	u8 ext[UT_PKT_MAX];	/* outside: external address <-> remote */
	unsigned int len;
};

static u16 csum_at(const u8 *p, unsigned int off)
{
	return ut_get16(p, off);
}

/* 0 and 0xffff are one value in one's complement (not for UDP: 0 = none) */
static bool csum_same(u16 a, u16 b, bool udp)
{
	if (a == b)
		return true;
	return !udp && (a == 0 || a == 0xffff) && (b == 0 || b == 0xffff);
}

/*
 * The outbound packet @p->in, translated into @p->ext. A second host sent
 * from the same port first, so the port is rewritten as well.
 */
static bool mk_out(struct ut_nat *t, struct pair *p, u8 proto, u16 paylen,
		   u8 tcp_flags)
{
	u8 tmp[UT_PKT_MAX];
	unsigned int l;

	if (proto == IPPROTO_UDP) {
		l = ut_udp(tmp, HOST(10), 5000, REM1, 53, 4);
		p->len = ut_udp(p->in, HOST(11), 5000, REM1, 53, paylen);
	} else if (proto == IPPROTO_TCP) {
		l = ut_tcp(tmp, HOST(10), 5000, REM1, 80, UT_SYN, 0);
		p->len = ut_tcp(p->in, HOST(11), 5000, REM1, 80, tcp_flags,
				paylen);
	} else {
		l = ut_icmp(tmp, HOST(10), REM1, ICMP_ECHO, 0, 5000, 1, 4);
		p->len = ut_icmp(p->in, HOST(11), REM1, ICMP_ECHO, 0, 5000, 7,
				 paylen);
	}
	if (!CHECK_EQ(ut_out(t, tmp, l), NF_ACCEPT))
		return false;
	memcpy(p->ext, p->in, p->len);
	if (!CHECK_EQ(ut_out(t, p->ext, p->len), NF_ACCEPT))
		return false;
	CHECK_EQX(ut_saddr(p->ext), EXT1);
	CHECK_NE(ut_sport(p->ext), 5000);
	return CHECK(ut_pkt_ok(p->ext));
}

/* The inbound answer to @o (made by mk_out), translated into @p->in. */
static bool mk_in(struct ut_nat *t, const struct pair *o, struct pair *p,
		  u16 paylen)
{
	u16 ext = ut_sport(o->ext);

	switch (o->in[9]) {
	case IPPROTO_UDP:
		p->len = ut_udp(p->ext, REM1, 53, EXT1, ext, paylen);
		break;
	case IPPROTO_TCP:
		p->len = ut_tcp(p->ext, REM1, 80, EXT1, ext, UT_SYN | UT_ACK,
				paylen);
		break;
	default:
		p->len = ut_icmp(p->ext, REM1, EXT1, ICMP_ECHOREPLY, 0, ext, 7,
				 paylen);
	}
	memcpy(p->in, p->ext, p->len);
	if (!CHECK_EQ(ut_in(t, p->in, p->len), NF_ACCEPT))
		return false;
	CHECK_EQX(ut_daddr(p->in), HOST(11));
	CHECK_EQ(ut_dport(p->in), 5000);
	return CHECK(ut_pkt_ok(p->in));
}

/* What a router does to the quoted header: TTL 1, checksum fixed. */
static void ttl1(u8 *pkt)
{
	pkt[8] = 1;
	ut_fix_ipcsum(pkt);
}

/*
 * The @qlen bytes quoted by the error @err equal @want (the same packet as
 * the receiver of the error knows it), with every checksum recomputed.
 */
static bool quoted_ok(const u8 *err, const u8 *want, unsigned int qlen)
{
	const u8 *q = err + 28;
	unsigned int ihl = (want[0] & 15) * 4, coff, i;
	bool udp = want[9] == IPPROTO_UDP, ok = true;

	/* the outer IP header and the ICMP message */
	ok &= CHECK(ut_ip_csum_ok(err));
	ok &= CHECK(ut_l4_csum_ok(err, false));
	/* the quoted IP header: as wanted, its checksum right */
	for (i = 0; i < ihl && i < qlen; i++)
		if (i != 10 && i != 11 && !CHECK_EQX(q[i], want[i]))
			return false;
	ok &= CHECK(csum_same(csum_at(q, 10), csum_at(want, 10), false));
	ok &= CHECK(ut_ip_csum_ok(q));
	/* the quoted L4 bytes, but for the checksum */
	coff = ut_l4check_off(want);
	for (i = ihl; i < qlen; i++)
		if (i != coff && i != coff + 1 && !CHECK_EQX(q[i], want[i]))
			return false;
	if (coff + 2 <= qlen)
		ok &= CHECK(csum_same(csum_at(q, coff), csum_at(want, coff),
				      udp));
	/* the whole datagram is there: its checksum from scratch */
	if (qlen == ut_get16(want, 2))
		ok &= CHECK(ut_l4_csum_ok(q, false));
	return ok;
}

/* folded, with 0 and 0xffff as one */
/* ---- inbound ---------------------------------------------------------- */

struct errkind {
	u8 type, code;
	bool router;		/* from a router (TTL 1), else the remote */
};

static const struct errkind kinds[] = {
	{ ICMP_DEST_UNREACH, ICMP_PORT_UNREACH, false },
	{ ICMP_TIME_EXCEEDED, ICMP_EXC_TTL, true },
	{ ICMP_DEST_UNREACH, ICMP_FRAG_NEEDED, true },
	{ ICMP_PARAMETERPROB, 0, true },
	{ ICMP_SOURCE_QUENCH, 0, true },
};

/*
 * An error about @p->ext, quoting @qlen bytes of it, from outside: it goes
 * to the inside host, quoting @p->in.
 */
static void err_in_case(struct ut_nat *t, const struct pair *p,
			unsigned int qlen)
{
	unsigned int k, h;

	for (k = 0; k < ARRAY_SIZE(kinds); k++) {
		for (h = 0; h < ARRAY_SIZE(heads); h++) {
			u8 q[UT_PKT_MAX], want[UT_PKT_MAX], err[UT_PKT_MAX];
			u8 orig[UT_PKT_MAX];
			__be32 src = kinds[k].router ? ROUTER : REM1;
			u8 summed = h == 1 ? CHECKSUM_COMPLETE : CHECKSUM_NONE;
			unsigned int len;
			u64 before = ut_stat(t, NAPT_STAT_ICMP_ERR_IN);
			__wsum csum;

			memcpy(q, p->ext, p->len);
			memcpy(want, p->in, p->len);
			if (kinds[k].router) {
				ttl1(q);
				ttl1(want);
			}
			len = ut_icmp_err(err, src, EXT1, kinds[k].type,
					  kinds[k].code, q, qlen);
			memcpy(orig, err, len);
			csum = ut_wsum(err, len);
			if (!CHECK_EQ(ut_xlate_skb(t, false, err, len, heads[h],
						   summed, &csum), NF_ACCEPT))
				return;
			CHECK_EQX(ut_saddr(err), src);
			CHECK_EQX(ut_daddr(err), HOST(11));
			/* the ICMP header is the sender's */
			CHECK(!memcmp(err + 20, orig + 20, 2));
			CHECK(!memcmp(err + 24, orig + 24, 4));
			CHECK_EQX(ut_saddr(err + 28), HOST(11));
			CHECK_EQ(ut_sport(err + 28), 5000);
			CHECK_EQX(ut_daddr(err + 28), REM1);
			if (!quoted_ok(err, want, qlen))
				return;
			if (summed == CHECKSUM_COMPLETE)
				CHECK_EQX(ut_wfold(csum),
					  ut_wfold(ut_wsum(err, len)));
			CHECK_EQ(ut_stat(t, NAPT_STAT_ICMP_ERR_IN), before + 1);
		}
	}
}

/* The timers and the counts of the instance, to see errors change none. */
struct snap {
	u32 map_exp, sess_exp, tcp;
	int nmaps, nsess, ref;
};

static void snap(struct ut_nat *t, const struct pair *p, struct snap *s)
{
	struct napt_okey k = ut_key(p->in[9], HOST(11), 5000);
	struct napt_map *m = napt_map_lookup_out(&t->nn, &k);
	struct napt_sess *se;
	__be16 rport = p->in[9] == IPPROTO_ICMP ? 0 : htons(ut_dport(p->in));

	memset(s, 0, sizeof(*s));
	s->nmaps = atomic_read(&t->nn.nmaps);
	s->nsess = atomic_read(&t->nn.nsess);
	if (!CHECK(m))
		return;
	se = napt_sess_lookup(&t->nn, m, REM1, rport, true);
	if (!CHECK(se))
		return;
	s->map_exp = m->expires;
	s->sess_exp = se->expires;
	s->tcp = se->tcp;
	s->ref = refcount_read(&m->ref);
}

static void snap_same(struct ut_nat *t, const struct pair *p,
		      const struct snap *a)
{
	struct snap b;

	snap(t, p, &b);
	CHECK_EQ(b.map_exp, a->map_exp);
	CHECK_EQ(b.sess_exp, a->sess_exp);
	CHECK_EQ(b.tcp, a->tcp);
	CHECK_EQ(b.nmaps, a->nmaps);
	CHECK_EQ(b.nsess, a->nsess);
	CHECK_EQ(b.ref, a->ref);
}

static void icmperr_in_udp(void)
{
	struct ut_nat *t = ut_nat_default();
	struct pair p;
	struct snap s;

	REQUIRE(t);
	REQUIRE(mk_out(t, &p, IPPROTO_UDP, 30, 0));
	snap(t, &p, &s);
	kc_advance(7);
	err_in_case(t, &p, 28);		/* 8 bytes, as RFC 792 asks */
	err_in_case(t, &p, p.len);	/* all of it (RFC 1812) */
	err_in_case(t, &p, 40);		/* part of the payload */
	snap_same(t, &p, &s);
	CHECK_EQ(ut_stat(t, NAPT_STAT_IN_PKTS), 0);
	CHECK_EQ(ut_stat(t, NAPT_STAT_DROP_ICMP_ERR), 0);
	ut_nat_free(t);
}

static void icmperr_in_udp_no_checksum(void)
{
	struct ut_nat *t = ut_nat_default();
	u8 pkt[UT_PKT_MAX], err[UT_PKT_MAX];
	unsigned int len, elen;
	u16 ext;

	REQUIRE(t);
	len = ut_udp(pkt, HOST(10), 5000, REM1, 53, 4);
	REQUIRE_EQ(ut_out(t, pkt, len), NF_ACCEPT);
	len = ut_udp(pkt, HOST(11), 5000, REM1, 53, 10);
	ut_put16(pkt, 26, 0);
	REQUIRE_EQ(ut_out(t, pkt, len), NF_ACCEPT);
	ext = ut_sport(pkt);
	CHECK_EQ(ut_l4check(pkt), 0);
	elen = ut_icmp_err(err, REM1, EXT1, ICMP_DEST_UNREACH,
			   ICMP_PORT_UNREACH, pkt, len);
	CHECK_EQ(ut_in(t, err, elen), NF_ACCEPT);
	CHECK_EQX(ut_daddr(err), HOST(11));
	CHECK_EQ(ut_sport(err + 28), 5000);
	CHECK_NE(ext, 5000);
	CHECK_EQ(ut_l4check(err + 28), 0);	/* none stays none */
	CHECK(ut_ip_csum_ok(err + 28));
	CHECK(ut_ip_csum_ok(err));
	CHECK(ut_l4_csum_ok(err, false));
	ut_nat_free(t);
}

/*
 * The inside packet's UDP checksum is 0xffff (it summed to zero): the
 * quoted one, restored, must be 0xffff again, never 0 ("no checksum").
 */
static void icmperr_in_udp_csum_mangled_0(void)
{
	struct ut_nat *t = ut_nat_default();
	u8 in[UT_PKT_MAX], ext[UT_PKT_MAX], err[UT_PKT_MAX];
	unsigned int len, elen;
	u16 sum;

	REQUIRE(t);
	len = ut_udp(in, HOST(10), 5000, REM1, 53, 4);
	REQUIRE_EQ(ut_out(t, in, len), NF_ACCEPT);
	len = ut_udp(in, HOST(11), 5000, REM1, 53, 10);
	ut_put16(in, 26, 0);
	ut_put16(in, 28, 0);
	sum = ut_fold(ut_sum16(in + 20, len - 20, ut_pseudo(in)));
	ut_put16(in, 28, (u16)(0xffff - sum));
	ut_fix_l4csum(in);
	REQUIRE_EQ(ut_l4check(in), 0xffff);
	REQUIRE(ut_l4_csum_ok(in, false));
	memcpy(ext, in, len);
	REQUIRE_EQ(ut_out(t, ext, len), NF_ACCEPT);
	CHECK_NE(ut_sport(ext), 5000);
	CHECK_NE(ut_l4check(ext), 0xffff);
	elen = ut_icmp_err(err, REM1, EXT1, ICMP_DEST_UNREACH,
			   ICMP_PORT_UNREACH, ext, len);
	CHECK_EQ(ut_in(t, err, elen), NF_ACCEPT);
	CHECK_EQX(ut_l4check(err + 28), 0xffff);
	quoted_ok(err, in, len);
	ut_nat_free(t);
}

static void icmperr_in_tcp(void)
{
	struct ut_nat *t = ut_nat_default();
	struct pair p;
	struct snap s;

	REQUIRE(t);
	/* a SYN: the whole TCP header is the whole datagram */
	REQUIRE(mk_out(t, &p, IPPROTO_TCP, 0, UT_SYN));
	snap(t, &p, &s);
	kc_advance(3);
	err_in_case(t, &p, 28);		/* no checksum field quoted */
	err_in_case(t, &p, 38);		/* up to the checksum field */
	err_in_case(t, &p, 40);		/* the full header */
	snap_same(t, &p, &s);
	ut_nat_free(t);

	/* data: the full header of a longer segment, and all of it */
	t = ut_nat_default();
	REQUIRE(t);
	REQUIRE(mk_out(t, &p, IPPROTO_TCP, 333, UT_ACK | UT_PSH));
	snap(t, &p, &s);
	kc_advance(3);
	err_in_case(t, &p, 40);
	err_in_case(t, &p, p.len);
	snap_same(t, &p, &s);
	ut_nat_free(t);
}

static void icmperr_in_icmp_echo(void)
{
	struct ut_nat *t = ut_nat_default();
	struct pair p;
	struct snap s;

	REQUIRE(t);
	REQUIRE(mk_out(t, &p, IPPROTO_ICMP, 56, 0));
	snap(t, &p, &s);
	kc_advance(3);
	err_in_case(t, &p, 28);
	err_in_case(t, &p, p.len);
	snap_same(t, &p, &s);
	ut_nat_free(t);
}

/* The mapping exists, but its inside endpoint never sent to that remote. */
static void icmperr_in_no_session(void)
{
	static const u8 protos[] = { IPPROTO_UDP, IPPROTO_TCP, IPPROTO_ICMP };
	unsigned int i, drops = 0;

	for (i = 0; i < ARRAY_SIZE(protos); i++) {
		struct ut_nat *t = ut_nat_default();
		u8 q[UT_PKT_MAX], err[UT_PKT_MAX];
		unsigned int len, v;
		struct pair p;
		struct snap s;

		REQUIRE(t);
		REQUIRE(mk_out(t, &p, protos[i], 20, UT_SYN));
		snap(t, &p, &s);
		/* another remote address */
		memcpy(q, p.ext, p.len);
		memcpy(q + 16, &(__be32){ REM2 }, 4);
		ut_fix_ipcsum(q);
		ut_fix_l4csum(q);
		len = ut_icmp_err(err, REM2, EXT1, ICMP_DEST_UNREACH,
				  ICMP_PORT_UNREACH, q, 28);
		v = ut_in(t, err, len);
		CHECK_EQ(v, NF_DROP);
		drops += v == NF_DROP;
		CHECK_EQ(ut_stat(t, NAPT_STAT_DROP_ICMP_ERR), 1);
		/* the same address, another port (ICMP has none) */
		if (protos[i] != IPPROTO_ICMP) {
			memcpy(q, p.ext, p.len);
			ut_put16(q, 22, ut_dport(q) + 1);
			ut_fix_l4csum(q);
			len = ut_icmp_err(err, REM1, EXT1, ICMP_DEST_UNREACH,
					  ICMP_PORT_UNREACH, q, 28);
			CHECK_EQ(ut_in(t, err, len), NF_DROP);
			CHECK_EQ(ut_stat(t, NAPT_STAT_DROP_ICMP_ERR), 2);
		}
		CHECK_EQ(ut_stat(t, NAPT_STAT_ICMP_ERR_IN), 0);
		snap_same(t, &p, &s);
		ut_nat_free(t);
	}
	CHECK_EQ(drops, 3);
}

/* A session that expired (not swept yet) no longer lets errors in. */
static void icmperr_in_expired_session(void)
{
	struct ut_nat *t = ut_nat_default();
	u8 err[UT_PKT_MAX];
	struct pair p;

	REQUIRE(t);
	REQUIRE(mk_out(t, &p, IPPROTO_UDP, 8, 0));
	kc_advance(299);
	CHECK_EQ(unreach_in(t, err, REM1, p.ext, p.len), NF_ACCEPT);
	CHECK_EQX(ut_daddr(err), HOST(11));
	kc_advance(1);			/* 300 s: the session is over */
	CHECK_EQ(unreach_in(t, err, REM1, p.ext, p.len), NF_DROP);
	CHECK_EQ(ut_stat(t, NAPT_STAT_DROP_ICMP_ERR), 1);
	CHECK_EQ(atomic_read(&t->nn.nmaps), 2);	/* not swept by it */
	ut_nat_free(t);
}

/* A static mapping needs no session: it is open to every remote. */
static void icmperr_in_static(void)
{
	struct ut_nat *t = ut_nat_default();
	u8 q[UT_PKT_MAX], err[UT_PKT_MAX], want[UT_PKT_MAX];
	unsigned int len, elen;

	REQUIRE(t);
	REQUIRE_EQ(ut_static(t, IPPROTO_UDP, HOST(11), 5000, 6000, 0, 0, NULL,
			     false, NULL), 0);
	/* what the inside host would send to REM2, and its translation */
	len = ut_udp(want, HOST(11), 5000, REM2, 53, 16);
	len = ut_udp(q, EXT1, 6000, REM2, 53, 16);
	elen = ut_icmp_err(err, REM2, EXT1, ICMP_DEST_UNREACH,
			   ICMP_PORT_UNREACH, q, len);
	CHECK_EQ(ut_in(t, err, elen), NF_ACCEPT);
	CHECK_EQX(ut_daddr(err), HOST(11));
	/* ut_udp() numbers the IP ID: take the one quoted */
	memcpy(want + 4, q + 4, 2);
	ut_fix_ipcsum(want);
	quoted_ok(err, want, len);
	CHECK_EQ(atomic_read(&t->nn.nsess), 0);

	/* restricted to REM1: an error about REM2 is none of its business */
	REQUIRE_EQ(ut_static(t, IPPROTO_UDP, HOST(12), 5000, 7000, REM1, 0,
			     NULL, false, NULL), 0);
	len = ut_udp(q, EXT1, 7000, REM2, 53, 16);
	elen = ut_icmp_err(err, REM2, EXT1, ICMP_DEST_UNREACH,
			   ICMP_PORT_UNREACH, q, len);
	memcpy(want, err, elen);
	CHECK_EQ(ut_in(t, err, elen), NF_ACCEPT);
	CHECK(!memcmp(err, want, elen));
	ut_nat_free(t);
}

/* Errors that quote no mapping are the gateway's own: left alone. */
static void icmperr_in_not_ours(void)
{
	struct ut_nat *t = ut_nat_default();
	u8 q[UT_PKT_MAX], err[UT_PKT_MAX], orig[UT_PKT_MAX];
	unsigned int len, elen, i;
	struct pair p;

	REQUIRE(t);
	REQUIRE(mk_out(t, &p, IPPROTO_UDP, 8, 0));
	for (i = 0; i < 5; i++) {
		__be32 to = EXT1;

		memcpy(q, p.ext, p.len);
		len = p.len;
		switch (i) {
		case 0:		/* a port with no mapping */
			len = ut_udp(q, EXT1, 40000, REM1, 53, 8);
			break;
		case 1:		/* the gateway's own port */
			len = ut_udp(q, EXT1, 22, REM1, 53, 8);
			break;
		case 2:		/* not from the address it came to */
			memcpy(q + 12, &(__be32){ EXT2 }, 4);
			ut_fix_ipcsum(q);
			ut_fix_l4csum(q);
			break;
		case 3:		/* sent to an address not ours */
			to = EXT2;
			break;
		default:	/* an ICMP that is no error */
			break;
		}
		if (i == 4)
			elen = ut_icmp(err, REM1, EXT1, ICMP_TIMESTAMP, 0, 1,
				       2, 12);
		else
			elen = ut_icmp_err(err, REM1, to, ICMP_DEST_UNREACH,
					   ICMP_PORT_UNREACH, q, len);
		memcpy(orig, err, elen);
		CHECK_EQ(ut_in(t, err, elen), NF_ACCEPT);
		CHECK(!memcmp(err, orig, elen));
	}
	for (i = 0; i < __NAPT_STAT_MAX; i++)
		if (i != NAPT_STAT_OUT_PKTS && i != NAPT_STAT_OUT_BYTES &&
		    i != NAPT_STAT_MAPS_CREATED && i != NAPT_STAT_SESS_CREATED)
			CHECK_EQ(ut_stat(t, i), 0);
	/* once the mapping is gone, errors about it are not ours either */
	kc_advance(300);
	napt_gc_step(&t->nn, napt_now(), 1U << 30);
	REQUIRE_EQ(atomic_read(&t->nn.nmaps), 0);
	elen = ut_icmp_err(err, REM1, EXT1, ICMP_DEST_UNREACH,
			   ICMP_PORT_UNREACH, p.ext, p.len);
	memcpy(orig, err, elen);
	CHECK_EQ(ut_in(t, err, elen), NF_ACCEPT);
	CHECK(!memcmp(err, orig, elen));
	CHECK_EQ(atomic_read(&t->nn.nmaps), 0);
	ut_nat_free(t);
}

/* ---- outbound --------------------------------------------------------- */

/*
 * An error about @p->in (a packet that came in translated), quoting @qlen
 * bytes of it, leaving from @src (an inside host or the gateway): it
 * quotes @p->ext; the outer source is translated only from inside.
 */
static void err_out_case(struct ut_nat *t, const struct pair *p,
			 unsigned int qlen, __be32 src, u8 type, u8 code)
{
	unsigned int h;

	for (h = 0; h < ARRAY_SIZE(heads); h++) {
		u8 q[UT_PKT_MAX], want[UT_PKT_MAX], err[UT_PKT_MAX];
		u8 orig[UT_PKT_MAX];
		bool inside = napt_in_int_nets(&t->cfg, src);
		u8 summed = h == 2 ? CHECKSUM_COMPLETE : CHECKSUM_NONE;
		u64 before = ut_stat(t, NAPT_STAT_ICMP_ERR_OUT);
		unsigned int len;
		__wsum csum;

		memcpy(q, p->in, p->len);
		memcpy(want, p->ext, p->len);
		if (type == ICMP_TIME_EXCEEDED) {
			ttl1(q);
			ttl1(want);
		}
		len = ut_icmp_err(err, src, REM1, type, code, q, qlen);
		memcpy(orig, err, len);
		csum = ut_wsum(err, len);
		if (!CHECK_EQ(ut_xlate_skb(t, true, err, len, heads[h], summed,
					   &csum), NF_ACCEPT))
			return;
		CHECK_EQX(ut_saddr(err), inside ? EXT1 : src);
		CHECK_EQX(ut_daddr(err), REM1);
		if (!inside)	/* the outer header is not touched at all */
			CHECK(!memcmp(err, orig, 20));
		CHECK(!memcmp(err + 20, orig + 20, 2));
		CHECK(!memcmp(err + 24, orig + 24, 4));
		CHECK_EQX(ut_daddr(err + 28), EXT1);
		CHECK_EQ(ut_dport(err + 28), ut_dport(p->ext));
		if (!quoted_ok(err, want, qlen))
			return;
		if (summed == CHECKSUM_COMPLETE)
			CHECK_EQX(ut_wfold(csum), ut_wfold(ut_wsum(err, len)));
		CHECK_EQ(ut_stat(t, NAPT_STAT_ICMP_ERR_OUT), before + 1);
	}
}

static void icmperr_out(void)
{
	static const u8 protos[] = { IPPROTO_UDP, IPPROTO_TCP, IPPROTO_ICMP };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(protos); i++) {
		struct ut_nat *t = ut_nat_default();
		struct pair o, p;
		struct snap s;

		REQUIRE(t);
		REQUIRE(mk_out(t, &o, protos[i], 10, UT_SYN));
		REQUIRE(mk_in(t, &o, &p, 50));
		snap(t, &o, &s);
		kc_advance(11);
		/* from the inside host: port unreachable, say */
		err_out_case(t, &p, 28, HOST(11), ICMP_DEST_UNREACH,
			     ICMP_PORT_UNREACH);
		err_out_case(t, &p, p.len, HOST(11), ICMP_DEST_UNREACH,
			     ICMP_PORT_UNREACH);
		if (protos[i] == IPPROTO_TCP)
			err_out_case(t, &p, 40, HOST(11), ICMP_DEST_UNREACH,
				     ICMP_PROT_UNREACH);
		/* from the gateway: on its external address, or another */
		err_out_case(t, &p, 28, EXT1, ICMP_TIME_EXCEEDED,
			     ICMP_EXC_TTL);
		err_out_case(t, &p, p.len, EXT1, ICMP_DEST_UNREACH,
			     ICMP_FRAG_NEEDED);
		err_out_case(t, &p, p.len, ip4(10, 9, 9, 9),
			     ICMP_TIME_EXCEEDED, ICMP_EXC_TTL);
		snap_same(t, &o, &s);
		CHECK_EQ(ut_stat(t, NAPT_STAT_OUT_PKTS), 2);
		CHECK_EQ(ut_stat(t, NAPT_STAT_DROP_ICMP_ERR), 0);
		ut_nat_free(t);
	}
}

/* An inside host's error about nothing translated cannot leave. */
static void icmperr_out_not_ours(void)
{
	struct ut_nat *t = ut_nat_default();
	u8 q[UT_PKT_MAX], err[UT_PKT_MAX], orig[UT_PKT_MAX];
	unsigned int len, elen;

	REQUIRE(t);
	/* no mapping for the quoted inside endpoint */
	len = ut_udp(q, REM1, 53, HOST(12), 7777, 8);
	elen = ut_icmp_err(err, HOST(12), REM1, ICMP_DEST_UNREACH,
			   ICMP_PORT_UNREACH, q, len);
	CHECK_EQ(ut_out(t, err, elen), NF_DROP);
	CHECK_EQ(ut_stat(t, NAPT_STAT_DROP_ICMP_ERR), 1);
	/* the gateway's own about the same: its business */
	elen = ut_icmp_err(err, EXT1, REM1, ICMP_DEST_UNREACH,
			   ICMP_PORT_UNREACH, q, len);
	memcpy(orig, err, elen);
	CHECK_EQ(ut_out(t, err, elen), NF_ACCEPT);
	CHECK(!memcmp(err, orig, elen));
	/* the gateway's own about a packet to an outside address */
	len = ut_udp(q, REM1, 53, REM2, 7777, 8);
	elen = ut_icmp_err(err, EXT1, REM1, ICMP_DEST_UNREACH,
			   ICMP_PORT_UNREACH, q, len);
	memcpy(orig, err, elen);
	CHECK_EQ(ut_out(t, err, elen), NF_ACCEPT);
	CHECK(!memcmp(err, orig, elen));
	/* an inside host's error quoting an outside destination */
	elen = ut_icmp_err(err, HOST(12), REM1, ICMP_DEST_UNREACH,
			   ICMP_PORT_UNREACH, q, len);
	CHECK_EQ(ut_out(t, err, elen), NF_DROP);
	CHECK_EQ(ut_stat(t, NAPT_STAT_DROP_ICMP_ERR), 2);
	CHECK_EQ(ut_stat(t, NAPT_STAT_ICMP_ERR_OUT), 0);
	CHECK_EQ(atomic_read(&t->nn.nmaps), 0);
	ut_nat_free(t);
}

/* ---- malformed quotes ------------------------------------------------- */

/*
 * Mutation @i of quoted packet @q (@len bytes); returns how many bytes to
 * quote, or 0 when @i is past the last one. @wrong_echo is the echo type
 * that is not translated in this direction.
 */
static unsigned int bad_quote(u8 *q, unsigned int len, unsigned int i,
			      u8 wrong_echo)
{
	static const unsigned int cuts[] = { 1, 8, 19, 20, 21, 27 };

	if (i < ARRAY_SIZE(cuts))
		return cuts[i];
	i -= ARRAY_SIZE(cuts);
	switch (i) {
	case 0:			/* IHL below 5 */
		q[0] = 0x44;
		break;
	case 1:			/* IHL 15: no L4 header in 28 bytes */
		q[0] = 0x4f;
		ut_fix_ipcsum(q);
		return 28;
	case 2:			/* IHL 6: 4 bytes short */
		q[0] = 0x46;
		ut_fix_ipcsum(q);
		return 28;
	case 3:			/* not IPv4 */
		q[0] = 0x65;
		break;
	case 4:			/* a later fragment */
		ut_put16(q, 6, 0x0001);
		ut_fix_ipcsum(q);
		break;
	case 5:			/* a protocol napt does not map */
		q[9] = 47;
		ut_fix_ipcsum(q);
		break;
	case 6:			/* ICMP, but no echo */
		q[9] = IPPROTO_ICMP;
		q[20] = ICMP_TIMESTAMP;
		ut_fix_ipcsum(q);
		break;
	case 7:			/* the echo of the other direction */
		q[9] = IPPROTO_ICMP;
		q[20] = wrong_echo;
		ut_fix_ipcsum(q);
		break;
	case 8:			/* garbage */
		get_random_bytes(q, len);
		break;
	default:
		return 0;
	}
	return len;
}

static void icmperr_malformed_quotes(void)
{
	struct ut_nat *t = ut_nat_default();
	unsigned int i, h, qlen, n = 0;
	struct pair o, p;
	u64 drops = 0;

	REQUIRE(t);
	REQUIRE(mk_out(t, &o, IPPROTO_UDP, 12, 0));
	REQUIRE(mk_in(t, &o, &p, 12));
	for (i = 0;; i++) {
		for (h = 0; h < ARRAY_SIZE(heads); h++) {
			u8 q[UT_PKT_MAX], err[UT_PKT_MAX], orig[UT_PKT_MAX];
			unsigned int elen;

			/* inbound: about the outbound packet */
			memcpy(q, o.ext, o.len);
			qlen = bad_quote(q, o.len, i, ICMP_ECHOREPLY);
			if (!qlen)
				goto done;
			elen = ut_icmp_err(err, ROUTER, EXT1,
					   ICMP_DEST_UNREACH,
					   ICMP_PORT_UNREACH, q, qlen);
			memcpy(orig, err, elen);
			CHECK_EQ(ut_xlate_skb(t, false, err, elen, heads[h],
					      CHECKSUM_NONE, NULL), NF_ACCEPT);
			CHECK(!memcmp(err, orig, elen));

			/* outbound: about the inbound one */
			memcpy(q, p.in, p.len);
			qlen = bad_quote(q, p.len, i, ICMP_ECHO);
			/* from the inside host: dropped */
			elen = ut_icmp_err(err, HOST(11), REM1,
					   ICMP_DEST_UNREACH,
					   ICMP_PORT_UNREACH, q, qlen);
			CHECK_EQ(ut_xlate_skb(t, true, err, elen, heads[h],
					      CHECKSUM_NONE, NULL), NF_DROP);
			drops++;
			CHECK_EQ(ut_stat(t, NAPT_STAT_DROP_ICMP_ERR), drops);
			/* from the gateway: left alone */
			elen = ut_icmp_err(err, EXT1, REM1, ICMP_TIME_EXCEEDED,
					   ICMP_EXC_TTL, q, qlen);
			memcpy(orig, err, elen);
			CHECK_EQ(ut_xlate_skb(t, true, err, elen, heads[h],
					      CHECKSUM_NONE, NULL), NF_ACCEPT);
			CHECK(!memcmp(err, orig, elen));
			n++;
		}
	}
done:
	CHECK(n >= 15 * ARRAY_SIZE(heads));
	CHECK_EQ(ut_stat(t, NAPT_STAT_ICMP_ERR_IN), 0);
	CHECK_EQ(ut_stat(t, NAPT_STAT_ICMP_ERR_OUT), 0);
	/* an ICMP error cut inside its own header */
	{
		u8 err[UT_PKT_MAX], orig[UT_PKT_MAX];
		unsigned int cut;

		for (cut = 21; cut < 28; cut++) {
			ut_icmp_err(err, ROUTER, EXT1, ICMP_DEST_UNREACH,
				    ICMP_PORT_UNREACH, o.ext, 28);
			ut_put16(err, 2, cut);
			ut_fix_ipcsum(err);
			memcpy(orig, err, cut);
			CHECK_EQ(ut_xlate_skb(t, false, err, cut, 20,
					      CHECKSUM_NONE, NULL), NF_ACCEPT);
			CHECK(!memcmp(err, orig, cut));
			ut_icmp_err(err, HOST(11), REM1, ICMP_DEST_UNREACH,
				    ICMP_PORT_UNREACH, p.in, 28);
			ut_put16(err, 2, cut);
			ut_fix_ipcsum(err);
			CHECK_EQ(ut_xlate_skb(t, true, err, cut, 20,
					      CHECKSUM_NONE, NULL), NF_DROP);
		}
	}
	/* a quoted first fragment (MF, offset 0) is a packet like any */
	{
		u8 q[UT_PKT_MAX], err[UT_PKT_MAX];
		unsigned int elen;

		memcpy(q, o.ext, o.len);
		ut_put16(q, 6, 0x2000);
		ut_fix_ipcsum(q);
		elen = ut_icmp_err(err, ROUTER, EXT1, ICMP_DEST_UNREACH,
				   ICMP_FRAG_NEEDED, q, 28);
		CHECK_EQ(ut_in(t, err, elen), NF_ACCEPT);
		CHECK_EQX(ut_daddr(err), HOST(11));
		CHECK(ut_ip_csum_ok(err + 28));
		CHECK(ut_l4_csum_ok(err, false));
	}
	CHECK_EQ(atomic_read(&t->nn.nmaps), 2);
	ut_nat_free(t);
}

/*
 * RFC 5508 REQ-3, REQ-3a: an error with a wrong ICMP checksum, or whose
 * quoted IP header has a wrong checksum, is dropped silently (counted as
 * malformed) in both directions and on the hairpin; a device's
 * CHECKSUM_UNNECESSARY is taken for the ICMP sum, not for the quote.
 */
static void icmperr_bad_checksums(void)
{
	struct ut_nat *t = ut_nat_default();
	u8 err[UT_PKT_MAX], orig[UT_PKT_MAX], q[UT_PKT_MAX];
	unsigned int h, elen, bad;
	struct pair o, p;
	u64 mal = 0;

	REQUIRE(t);
	REQUIRE(mk_out(t, &o, IPPROTO_UDP, 12, 0));
	REQUIRE(mk_in(t, &o, &p, 12));
	for (bad = 0; bad < 2; bad++) {
		for (h = 0; h < ARRAY_SIZE(heads); h++) {
			/* inbound: about the outbound packet */
			memcpy(q, o.ext, o.len);
			elen = ut_icmp_err(err, ROUTER, EXT1,
					   ICMP_DEST_UNREACH,
					   ICMP_PORT_UNREACH, q, 28);
			if (bad) {
				err[28 + 10] ^= 0x01;	/* quoted IP sum */
				ut_fix_l4csum(err);	/* ICMP sum right */
			} else {
				err[22] ^= 0x01;	/* ICMP sum */
			}
			memcpy(orig, err, elen);
			CHECK_EQ(ut_l4_csum_ok(err, false), bad);
			CHECK_EQ(ut_xlate_skb(t, false, err, elen, heads[h],
					      CHECKSUM_NONE, NULL), NF_DROP);
			CHECK(!memcmp(err, orig, elen));
			CHECK_EQ(ut_stat(t, NAPT_STAT_DROP_MALFORMED), ++mal);

			/* outbound, from the inside host: about the inbound */
			elen = ut_icmp_err(err, HOST(11), REM1,
					   ICMP_DEST_UNREACH,
					   ICMP_PORT_UNREACH, p.in, 28);
			if (bad) {
				err[28 + 10] ^= 0x01;
				ut_fix_l4csum(err);
			} else {
				err[22] ^= 0x01;
			}
			CHECK_EQ(ut_xlate_skb(t, true, err, elen, heads[h],
					      CHECKSUM_NONE, NULL), NF_DROP);
			CHECK_EQ(ut_stat(t, NAPT_STAT_DROP_MALFORMED), ++mal);
		}
	}
	/* the device vouched for the ICMP sum: translated */
	elen = ut_icmp_err(err, ROUTER, EXT1, ICMP_DEST_UNREACH,
			   ICMP_PORT_UNREACH, o.ext, 28);
	err[22] ^= 0x01;
	CHECK_EQ(ut_xlate_skb(t, false, err, elen, 0, CHECKSUM_UNNECESSARY,
			      NULL), NF_ACCEPT);
	CHECK_EQX(ut_daddr(err), HOST(11));
	/* ... but not for the quoted header */
	elen = ut_icmp_err(err, ROUTER, EXT1, ICMP_DEST_UNREACH,
			   ICMP_PORT_UNREACH, o.ext, 28);
	err[28 + 10] ^= 0x01;
	CHECK_EQ(ut_xlate_skb(t, false, err, elen, 0, CHECKSUM_UNNECESSARY,
			      NULL), NF_DROP);
	CHECK_EQ(ut_stat(t, NAPT_STAT_DROP_MALFORMED), ++mal);
	/* errors never count as translated when dropped */
	CHECK_EQ(ut_stat(t, NAPT_STAT_ICMP_ERR_IN), 1);
	CHECK_EQ(ut_stat(t, NAPT_STAT_ICMP_ERR_OUT), 0);
	/* a good one still passes in both directions */
	elen = ut_icmp_err(err, ROUTER, EXT1, ICMP_DEST_UNREACH,
			   ICMP_PORT_UNREACH, o.ext, 28);
	CHECK_EQ(ut_in(t, err, elen), NF_ACCEPT);
	CHECK(ut_l4_csum_ok(err, false));
	elen = ut_icmp_err(err, HOST(11), REM1, ICMP_DEST_UNREACH,
			   ICMP_PORT_UNREACH, p.in, 28);
	CHECK_EQ(ut_out(t, err, elen), NF_ACCEPT);
	CHECK_EQX(ut_saddr(err), EXT1);
	CHECK(ut_l4_csum_ok(err, false));
	CHECK_EQ(atomic_read(&t->nn.nmaps), 2);
	ut_nat_free(t);
}

/* ---- ICMP 3/13 for refused flows --------------------------------------- */

static unsigned int send_udp(struct ut_nat *t, __be32 host, u16 port,
			     u8 *copy)
{
	u8 pkt[UT_PKT_MAX];
	unsigned int len = ut_udp(pkt, host, port, REM1, 53, 30);

	if (copy)
		memcpy(copy, pkt, len);
	return ut_out(t, pkt, len);
}

static void unreach_on_refusal(void)
{
	struct ut_nat *t = ut_nat_default();
	u8 orig[UT_PKT_MAX];

	REQUIRE(t);
	CHECK(t->cfg.flags & NAPT_F_ICMP_UNREACH);	/* on by default */
	t->cfg.port_min = 40000;
	t->cfg.port_max = 40001;
	CHECK_EQ(send_udp(t, HOST(1), 5000, NULL), NF_ACCEPT);
	CHECK_EQ(send_udp(t, HOST(2), 5000, NULL), NF_ACCEPT);
	CHECK_EQ(kc_unreach_calls, 0);
	/* no port: one answer per refused packet */
	CHECK_EQ(send_udp(t, HOST(3), 5000, orig), NF_DROP);
	CHECK_EQ(kc_unreach_calls, 1);
	CHECK_EQ(ut_stat(t, NAPT_STAT_ICMP_UNREACH_SENT), 1);
	CHECK_EQ(ut_stat(t, NAPT_STAT_DROP_NO_PORT), 1);
	/* about the packet as the inside host sent it */
	CHECK(!memcmp(kc_unreach_pkt, orig, 48));
	CHECK_EQ(send_udp(t, HOST(3), 5000, NULL), NF_DROP);
	CHECK_EQ(send_udp(t, HOST(4), 6000, NULL), NF_DROP);
	CHECK_EQ(kc_unreach_calls, 3);
	CHECK_EQ(ut_stat(t, NAPT_STAT_ICMP_UNREACH_SENT), 3);
	CHECK_EQ(ut_stat(t, NAPT_STAT_DROP_NO_PORT), 3);
	/* translated packets get none */
	CHECK_EQ(send_udp(t, HOST(1), 5000, NULL), NF_ACCEPT);
	CHECK_EQ(kc_unreach_calls, 3);

	/* max-maps */
	t->cfg.port_min = 1024;
	t->cfg.port_max = 65535;
	t->cfg.max_maps = 2;
	CHECK_EQ(send_udp(t, HOST(5), 5000, NULL), NF_DROP);
	CHECK_EQ(ut_stat(t, NAPT_STAT_DROP_MAP_LIMIT), 1);
	CHECK_EQ(kc_unreach_calls, 4);
	/* max-sessions */
	t->cfg.max_sess = 2;
	{
		u8 pkt[UT_PKT_MAX];
		unsigned int len = ut_udp(pkt, HOST(1), 5000, REM2, 53, 3);

		CHECK_EQ(ut_out(t, pkt, len), NF_DROP);
		CHECK_EQ(ut_stat(t, NAPT_STAT_DROP_SESS_LIMIT), 1);
		CHECK_EQ(kc_unreach_calls, 5);
	}
	CHECK_EQ(ut_stat(t, NAPT_STAT_ICMP_UNREACH_SENT), 5);
	/* max-maps-per-host */
	t->cfg.max_sess = 100;
	t->cfg.max_maps = 100;
	t->cfg.max_per_host = 1;
	CHECK_EQ(send_udp(t, HOST(1), 5001, NULL), NF_DROP);
	CHECK_EQ(ut_stat(t, NAPT_STAT_DROP_HOST_LIMIT), 1);
	CHECK_EQ(kc_unreach_calls, 6);
	t->cfg.max_per_host = 0;
	CHECK_EQ(ut_stat(t, NAPT_STAT_ICMP_UNREACH_SENT), 6);
	/* out of memory is not the remote's business: no answer */
	t->cfg.max_maps = 100;
	kc_fail_map_alloc = 1;
	CHECK_EQ(send_udp(t, HOST(6), 5000, NULL), NF_DROP);
	CHECK_EQ(ut_stat(t, NAPT_STAT_DROP_NOMEM), 1);
	CHECK_EQ(kc_unreach_calls, 6);
	/* nor malformed or unsupported packets */
	{
		u8 pkt[UT_PKT_MAX];
		unsigned int len = ut_rawip(pkt, HOST(6), REM1, 47, 8);

		CHECK_EQ(ut_out(t, pkt, len), NF_DROP);
		len = ut_udp(pkt, HOST(6), 5000, REM1, 53, 0);
		CHECK_EQ(ut_xlate_skb(t, true, pkt, 24, 0, CHECKSUM_NONE,
				      NULL), NF_DROP);
	}
	CHECK_EQ(kc_unreach_calls, 6);
	ut_nat_free(t);
}

static void unreach_flag_off(void)
{
	struct ut_nat *t = ut_nat_default();

	REQUIRE(t);
	t->cfg.flags &= ~NAPT_F_ICMP_UNREACH;
	t->cfg.port_min = 40000;
	t->cfg.port_max = 40000;
	CHECK_EQ(send_udp(t, HOST(1), 5000, NULL), NF_ACCEPT);
	CHECK_EQ(send_udp(t, HOST(2), 5000, NULL), NF_DROP);
	CHECK_EQ(send_udp(t, HOST(2), 5000, NULL), NF_DROP);
	CHECK_EQ(ut_stat(t, NAPT_STAT_DROP_NO_PORT), 2);
	t->cfg.max_maps = 1;
	CHECK_EQ(send_udp(t, HOST(3), 5000, NULL), NF_DROP);
	CHECK_EQ(kc_unreach_calls, 0);
	CHECK_EQ(ut_stat(t, NAPT_STAT_ICMP_UNREACH_SENT), 0);
	ut_nat_free(t);
}

const struct ut_case ut_icmperr_cases[] = {
	UT_CASE(icmperr_in_udp),
	UT_CASE(icmperr_in_udp_no_checksum),
	UT_CASE(icmperr_in_udp_csum_mangled_0),
	UT_CASE(icmperr_in_tcp),
	UT_CASE(icmperr_in_icmp_echo),
	UT_CASE(icmperr_in_no_session),
	UT_CASE(icmperr_in_expired_session),
	UT_CASE(icmperr_in_static),
	UT_CASE(icmperr_in_not_ours),
	UT_CASE(icmperr_out),
	UT_CASE(icmperr_out_not_ours),
	UT_CASE(icmperr_malformed_quotes),
	UT_CASE(icmperr_bad_checksums),
	UT_CASE(unreach_on_refusal),
	UT_CASE(unreach_flag_off),
	UT_END
};
