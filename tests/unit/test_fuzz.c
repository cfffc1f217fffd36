// SPDX-License-Identifier: GPL-2.0
/*
 * test_fuzz.c: random and mutated packets into both directions, random
 * table operations; deterministic (the case name seeds the PRNG; UT_SEED
 * varies it). Nothing may crash (ASan/UBSan watch), the verdict must be a
 * verdict, and the tables must stay consistent.
 */
#include "ut.h"

#define FUZZ_ITERS 6000

static u32 rnd(u32 n)
{
	return get_random_u32_below(n);
}

static int count_map(struct napt_map *m, void *arg)
{
	(void)m;
	(*(unsigned int *)arg)++;
	return 0;
}

struct cons {
	struct ut_nat *t;
	unsigned int bad;
};

static int check_map(struct napt_map *m, void *arg)
{
	struct cons *c = arg;
	struct napt_net *nn = &c->t->nn;

	if (napt_map_lookup_out(nn, &m->key) != m ||
	    napt_map_lookup_in(nn, m->key.proto, m->ext_addr, m->ext_port) != m ||
	    m->dead || atomic_read(&m->nsess) < 0 ||
	    refcount_read(&m->ref) != 1 + (unsigned int)atomic_read(&m->nsess))
		c->bad++;
	return 0;
}

/*
 * Every linked mapping is found by both its keys and holds one reference
 * per session; the counters match what is linked.
 */
static void consistency(struct ut_nat *t)
{
	struct napt_net *nn = &t->nn;
	struct cons c = { t, 0 };
	unsigned int maps = 0, sess = 0;
	u32 bucket = 0, skip = 0, b;

	CHECK_EQ(napt_map_walk(nn, &bucket, &skip, count_map, &maps), 0);
	CHECK_EQ(maps, atomic_read(&nn->nmaps));
	bucket = skip = 0;
	napt_map_walk(nn, &bucket, &skip, check_map, &c);
	CHECK_EQ(c.bad, 0);
	for (b = 0; b <= nn->sess.mask; b++) {
		struct napt_sess *s;

		hlist_for_each_entry(s, &nn->sess.buckets[b], node) {
			sess++;
			if (!CHECK(napt_sess_lookup(nn, s->map, s->rem_addr,
						    s->rem_port, true) == s))
				return;
		}
	}
	CHECK_EQ(sess, atomic_read(&nn->nsess));
}

/* a translated outbound flow, to aim replies at */
struct flow {
	u8 proto;
	__be32 rem;
	u16 rport, ext;
};

/* an exact reply to @f, into @pkt; returns its length */
static unsigned int reply(u8 *pkt, const struct flow *f, unsigned int pay)
{
	switch (f->proto) {
	case IPPROTO_UDP:
		return ut_udp(pkt, f->rem, f->rport, EXT1, f->ext, pay);
	case IPPROTO_TCP:
		return ut_tcp(pkt, f->rem, f->rport, EXT1, f->ext,
			      (u8)rnd(64), pay);
	}
	return ut_icmp(pkt, f->rem, EXT1, ICMP_ECHOREPLY, 0, f->ext,
		       (u16)rnd(65536), pay);
}

/* a plausible packet of a random kind, into @pkt; returns its length */
static unsigned int plausible(u8 *pkt, bool out, const struct flow *flows,
			      unsigned int nflows)
{
	static const u8 icmp_types[] = { ICMP_ECHO, ICMP_ECHOREPLY,
					 ICMP_DEST_UNREACH, ICMP_TIME_EXCEEDED };
	__be32 rem = rnd(2) ? REM1 : REM2;
	__be32 src = out ? HOST(1 + rnd(8)) : rem;
	__be32 dst = out ? rem : (rnd(8) ? EXT1 : EXT2);
	u16 sport = out ? 1000 + rnd(8) * 1000 : 53 + rnd(3);
	u16 dport = out ? 53 + rnd(3) : (u16)rnd(65536);
	unsigned int pay = rnd(4) ? rnd(64) : rnd(1400);

	if (!out && nflows && rnd(2))
		return reply(pkt, &flows[rnd(nflows)], pay);
	switch (rnd(5)) {
	case 0:
	case 1:
		return ut_udp(pkt, src, sport, dst, dport, pay);
	case 2:
		return ut_tcp(pkt, src, sport, dst, dport, (u8)rnd(64), pay);
	case 3:
		return ut_icmp(pkt, src, dst, icmp_types[rnd(4)], 0,
			       out ? sport : dport, (u16)rnd(65536), pay);
	}
	return ut_rawip(pkt, src, dst, (u8)rnd(256), pay);
}

static void mutate(u8 *pkt, unsigned int *len)
{
	unsigned int n = rnd(6), i;

	for (i = 0; i < n; i++) {
		/* mostly the headers */
		unsigned int at = rnd(4) ? rnd(min(*len, 48u)) : rnd(*len);

		switch (rnd(3)) {
		case 0:
			pkt[at] = (u8)rnd(256);
			break;
		case 1:
			pkt[at] ^= (u8)(1u << rnd(8));
			break;
		default:
			pkt[at] = rnd(2) ? 0 : 0xff;
		}
	}
	if (rnd(3) == 0 && *len > 20)
		*len = 20 + rnd(*len - 20);	/* cut */
	if (rnd(2)) {
		/* keep what ip_rcv() guarantees: a sane IP header */
		pkt[0] = 0x45;
		ut_put16(pkt, 2, (u16)*len);
		ut_fix_ipcsum(pkt);
	}
}

static void fuzz_packets(void)
{
	struct ut_nat *t = ut_nat_new(1024, 4096);
	struct flow flows[64];
	unsigned int nflows = 0, i, accepted = 0, dropped = 0;

	REQUIRE(t);
	for (i = 0; i < FUZZ_ITERS; i++) {
		u8 pkt[UT_PKT_MAX];
		bool out = rnd(2);
		unsigned int len, headlen, v, kind = rnd(8);
		u8 summed = (u8)rnd(4);
		__wsum csum;
		bool valid;

		if (kind == 0) {
			/* noise, at least an IP header's worth */
			len = 20 + rnd(100);
			get_random_bytes(pkt, len);
			if (rnd(2)) {
				pkt[0] = 0x40 | (5 + rnd(11));
				memcpy(pkt + 12, out ? &(__be32){ HOST(7) } :
				       &(__be32){ REM1 }, 4);
				memcpy(pkt + 16, out ? &(__be32){ REM2 } :
				       &(__be32){ EXT1 }, 4);
			}
		} else {
			len = plausible(pkt, out, flows, nflows);
			if (kind > 3)
				mutate(pkt, &len);
		}
		valid = kind >= 1 && kind <= 3 && ut_pkt_ok(pkt);
		headlen = rnd(3) ? len : 20 + rnd(len - 19);
		csum = summed == CHECKSUM_COMPLETE ? ut_wsum(pkt, len) :
			(__force __wsum)get_random_u32();
		v = ut_xlate_skb(t, out, pkt, len, headlen, summed, &csum);
		if (v == NF_ACCEPT)
			accepted++;
		else
			dropped++;
		/* a valid packet that went out translated still verifies */
		if (valid && v == NF_ACCEPT && out &&
		    ut_saddr(pkt) == EXT1 && summed != CHECKSUM_PARTIAL) {
			if (!CHECK(ut_pkt_ok(pkt)))
				break;
			struct flow f = { pkt[9], ut_daddr(pkt),
					  ut_dport(pkt), ut_sport(pkt) };

			if (nflows < ARRAY_SIZE(flows))
				flows[nflows++] = f;
			else
				flows[rnd(nflows)] = f;
		}
		if (valid && v == NF_ACCEPT && !out &&
		    napt_in_int_nets(&t->cfg, ut_daddr(pkt)) &&
		    summed != CHECKSUM_PARTIAL && !CHECK(ut_pkt_ok(pkt)))
			break;
		/* CHECKSUM_COMPLETE: skb->csum still sums the packet */
		if (valid && summed == CHECKSUM_COMPLETE &&
		    !CHECK_EQX(ut_fold((__force u32)csum) % 0xffff,
			       ut_fold((__force u32)ut_wsum(pkt, len)) % 0xffff))
			break;
		if (i % 97 == 0) {
			kc_advance(rnd(120));
			napt_gc_step(&t->nn, napt_now(), 64);
		}
		if (i % 500 == 0) {
			/* behaviours may change under running traffic */
			unsigned int p = rnd(NAPT_NPROTO);

			t->cfg.mapping[p] = 1 + rnd(NAPT_MAPPING_MAX);
			t->cfg.filtering[p] = 1 + rnd(NAPT_FILTER_MAX);
			t->cfg.flags = rnd(__NAPT_F_ALL + 1);
			consistency(t);
		}
		if (kc_errors || kc_locks_held || kc_rcu_depth)
			break;
	}
	printf("    (%u accepted, %u dropped; translated %llu out, %llu in; "
	       "%llu malformed)\n", accepted, dropped,
	       (unsigned long long)ut_stat(t, NAPT_STAT_OUT_PKTS),
	       (unsigned long long)ut_stat(t, NAPT_STAT_IN_PKTS),
	       (unsigned long long)ut_stat(t, NAPT_STAT_DROP_MALFORMED));
	CHECK(accepted > FUZZ_ITERS / 10);
	CHECK(dropped > FUZZ_ITERS / 20);
	/* the fuzz got deep, both ways */
	CHECK(ut_stat(t, NAPT_STAT_OUT_PKTS) > FUZZ_ITERS / 20);
	CHECK(ut_stat(t, NAPT_STAT_IN_PKTS) > FUZZ_ITERS / 50);
	CHECK(ut_stat(t, NAPT_STAT_DROP_MALFORMED) > 0);
	consistency(t);
	ut_nat_free(t);
}

/* Random operations on the table API, checked for consistency. */
static void fuzz_table_ops(void)
{
	struct ut_nat *t = ut_nat_new(256, 512);
	unsigned int i;

	REQUIRE(t);
	t->cfg.max_maps = 200;
	t->cfg.max_sess = 400;
	t->cfg.port_min = 20000;
	t->cfg.port_max = 20199;	/* small enough to run out */
	t->cfg.n_ext = 2;
	t->cfg.ext[1] = EXT2;
	for (i = 0; i < FUZZ_ITERS; i++) {
		u8 proto = (u8[]){ IPPROTO_UDP, IPPROTO_TCP,
				   IPPROTO_ICMP }[rnd(3)];
		struct napt_okey k = ut_key(proto, HOST(1 + rnd(40)),
					    (u16)(19990 + rnd(30)));
		struct napt_map *m;
		int reason = -1;
		__be32 rem;
		__be16 rport;

		switch (rnd(10)) {
		case 0:
			kc_advance(rnd(200));
			napt_gc_step(&t->nn, napt_now(), 1 + rnd(300));
			break;
		case 1:
			if (rnd(10) == 0)
				napt_flush(&t->nn, (u8)rnd(3),
					   rnd(2) ? 0 : (rnd(2) ? EXT1 : EXT2));
			break;
		default:
			m = napt_map_lookup_out(&t->nn, &k);
			if (!m)
				m = napt_map_create(&t->nn, &t->cfg, &k,
						    NAPT_MAPPING_EIM, REM1,
						    htons(53), &reason);
			if (!m) {
				CHECK(reason == NAPT_STAT_DROP_NO_PORT ||
				      reason == NAPT_STAT_DROP_MAP_LIMIT ||
				      reason == NAPT_STAT_DROP_CHAIN);
				break;
			}
			rem = ip4(198, 51, 100, (u8)(1 + rnd(3)));
			rport = htons((u16)rnd(4));
			if (!napt_sess_lookup(&t->nn, m, rem, rport, true))
				napt_sess_create(&t->nn, &t->cfg, m, rem,
						 rport, &reason);
		}
		if (i % 250 == 0)
			consistency(t);
		if (kc_errors || kc_locks_held)
			break;
	}
	consistency(t);
	ut_nat_free(t);
}

const struct ut_case ut_fuzz_cases[] = {
	UT_CASE(fuzz_packets),
	UT_CASE(fuzz_table_ops),
	UT_END
};
