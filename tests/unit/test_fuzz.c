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

struct first_sess_count {
	struct napt_net *nn;
	unsigned int n, bad;
};

/* sessions embedded in linked mappings: each found by its remote */
static int count_first_sess(struct napt_map *m, void *arg)
{
	struct first_sess_count *c = arg;

	if (m->first_sess.state != NAPT_FIRST_SESS_USED)
		return 0;
	c->n++;
	if (napt_sess_lookup(c->nn, m, m->first_sess.rem_addr, m->first_sess.rem_port,
			     true) != &m->first_sess)
		c->bad++;
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

	const struct napt_static *st = rcu_dereference(m->st);

	/* a static mapping is found for the remote it names (0: any) */
	if (napt_map_lookup_out(nn, &m->key) != m ||
	    napt_map_lookup_in(nn, m->key.proto, m->ext_addr, m->ext_port,
			       st ? st->rem : REM1) != m ||
	    (st ? m->type != NAPT_MAP_STATIC : m->type != NAPT_MAP_DYNAMIC) ||
	    m->dead || atomic_read(&m->nsess) < 0 ||
	    refcount_read(&m->ref) != 1 + (unsigned int)atomic_read(&m->nsess))
		c->bad++;
	return 0;
}

/*
 * The free-port bitmaps say exactly which (proto, address, port) a mapping
 * that is not dead holds in the in table.
 */
static void ports_consistency(struct napt_net *nn)
{
	static unsigned long want[NAPT_NPROTO][BITS_TO_LONGS(65536)];
	const struct napt_ports *ps = nn->ports;
	unsigned int i, p, pidx, bad = 0;
	u32 b;

	for (i = 0; ps && i < ps->n; i++) {
		const struct napt_port_bits *pb = ps->pb[i];

		memset(want, 0, sizeof(want));
		for (b = 0; b <= nn->in.mask; b++) {
			struct napt_map *m;

			hlist_for_each_entry(m, &nn->in.buckets[b], in_node)
				if (m->ext_addr == pb->addr && !m->dead)
					set_bit(ntohs(m->ext_port),
						want[napt_pidx(m->key.proto)]);
		}
		for (pidx = 0; pidx < NAPT_NPROTO; pidx++)
			for (p = 0; p < 65536; p++)
				bad += test_bit(p, want[pidx]) !=
				       test_bit(p, pb->bits[pidx]);
	}
	CHECK_EQ(bad, 0);
}

/* Static mappings per owner, as the walk finds them. */
static int count_owner(struct napt_map *m, void *arg)
{
	const struct napt_static *st = rcu_dereference(m->st);
	unsigned int *n = arg;

	if (st && st->owner <= NAPT_OWNER_MAX)
		n[st->owner]++;
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
	struct first_sess_count first_sess = { nn, 0, 0 };
	unsigned int maps = 0, sess = 0;
	u32 bucket = 0, skip = 0, b;

	CHECK_EQ(napt_map_walk(nn, &bucket, &skip, count_map, &maps), 0);
	CHECK_EQ(maps, atomic_read(&nn->nmaps));
	bucket = skip = 0;
	napt_map_walk(nn, &bucket, &skip, check_map, &c);
	CHECK_EQ(c.bad, 0);
	bucket = skip = 0;
	napt_map_walk(nn, &bucket, &skip, count_first_sess, &first_sess);
	CHECK_EQ(first_sess.bad, 0);
	sess = first_sess.n;
	for (b = 0; b <= nn->sess.mask; b++) {
		struct napt_xsess *x;

		hlist_for_each_entry(x, &nn->sess.buckets[b], node) {
			sess++;
			if (!CHECK(napt_sess_lookup(nn, x->map, x->s.rem_addr,
						    x->s.rem_port,
						    true) == &x->s))
				return;
		}
	}
	CHECK_EQ(sess, atomic_read(&nn->nsess));
	{
		unsigned int owners[NAPT_OWNER_MAX + 1] = { 0 }, o;

		bucket = skip = 0;
		napt_map_walk(nn, &bucket, &skip, count_owner, owners);
		for (o = 0; o <= NAPT_OWNER_MAX; o++)
			CHECK_EQ(owners[o], atomic_read(&nn->nstatic[o]));
	}
	ports_consistency(nn);
}

/*
 * A translated flow, to aim replies, errors and hairpinned packets at:
 * inside host:hport <-> EXT1:ext <-> rem:rport (ICMP: the identifiers).
 */
struct flow {
	u8 proto;
	__be32 rem, host;
	u16 rport, ext, hport;
};

static void remember(struct flow *flows, unsigned int *n, unsigned int max,
		     const struct flow *f)
{
	if (*n < max)
		flows[(*n)++] = *f;
	else
		flows[rnd(*n)] = *f;
}

/*
 * A packet of flow @f: as it left (@out: EXT1 -> remote), or as it came
 * in translated (remote -> inside host). Into @pkt; returns its length.
 */
static unsigned int flow_pkt(u8 *pkt, const struct flow *f, bool out,
			     unsigned int pay)
{
	__be32 src = out ? EXT1 : f->rem, dst = out ? f->rem : f->host;
	u16 sport = out ? f->ext : f->rport, dport = out ? f->rport : f->hport;

	switch (f->proto) {
	case IPPROTO_UDP:
		return ut_udp(pkt, src, sport, dst, dport, pay);
	case IPPROTO_TCP:
		return ut_tcp(pkt, src, sport, dst, dport, (u8)rnd(64), pay);
	}
	return ut_icmp(pkt, src, dst, out ? ICMP_ECHO : ICMP_ECHOREPLY, 0,
		       out ? f->ext : f->hport, (u16)rnd(65536), pay);
}

/*
 * An ICMP error about a packet of @f: @out, from the inside host or the
 * gateway about one that came in; else from the remote or a router about
 * one that left. Into @pkt; returns its length.
 */
static unsigned int flow_err(u8 *pkt, const struct flow *f, bool out)
{
	static const u8 types[][2] = {
		{ ICMP_DEST_UNREACH, ICMP_PORT_UNREACH },
		{ ICMP_DEST_UNREACH, ICMP_FRAG_NEEDED },
		{ ICMP_DEST_UNREACH, ICMP_HOST_UNREACH },
		{ ICMP_TIME_EXCEEDED, ICMP_EXC_TTL },
		{ ICMP_PARAMETERPROB, 0 },
		{ ICMP_SOURCE_QUENCH, 0 },
	};
	u8 q[UT_PKT_MAX];
	unsigned int len = flow_pkt(q, f, !out, rnd(4) ? rnd(40) : rnd(600));
	unsigned int qlen, k = rnd(ARRAY_SIZE(types));
	__be32 src, dst;

	switch (rnd(4)) {
	case 0:
		qlen = 28;
		break;
	case 1:
		qlen = 20 + rnd(len - 19);
		break;
	default:
		qlen = len;
	}
	if (out) {
		src = rnd(4) ? f->host : EXT1;
		dst = f->rem;
	} else {
		src = rnd(2) ? f->rem : ip4(198, 51, 100, 254);
		dst = EXT1;
	}
	return ut_icmp_err(pkt, src, dst, types[k][0], types[k][1], q, qlen);
}

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

/* The IP header an ICMP error @pkt quotes is whole, its checksum right. */
static bool quoted_ok(const u8 *pkt, unsigned int len)
{
	return len >= 48 && (pkt[28] >> 4) == 4 &&
	       28 + (pkt[28] & 15) * 4u <= len && ut_ip_csum_ok(pkt + 28);
}

/* A random static mapping added, renewed or deleted. */
static void static_op(struct ut_nat *t)
{
	u8 proto = rnd(2) ? IPPROTO_UDP : IPPROTO_TCP;
	__be32 rem = rnd(3) ? 0 : REM1;
	u16 ext = rnd(3) ? 0 : (u16)(1000 + rnd(8) * 1000);
	int ret;

	if (rnd(3) == 0) {
		ret = napt_static_del(&t->nn, proto, EXT1, htons(ext ?: 80),
				      rem);
		CHECK(ret == 0 || ret == -ENOENT);
		return;
	}
	ret = ut_static(t, proto, HOST(1 + rnd(8)), 1000 + rnd(8) * 1000,
			ext, rem, rnd(2) ? 0 : 1 + rnd(300),
			rnd(2) ? "fuzz" : NULL, rnd(2), NULL);
	CHECK(ret == 0 || ret == -EEXIST || ret == -EADDRINUSE ||
	      ret == -ENOSPC);
}

static void fuzz_packets(void)
{
	struct ut_nat *t = ut_nat_new(1024, 4096);
	struct flow flows[64], iflows[64];
	unsigned int nflows = 0, niflows = 0, i, accepted = 0, dropped = 0;
	unsigned int errs = 0, hairpins = 0;

	REQUIRE(t);
	for (i = 0; i < FUZZ_ITERS; i++) {
		u8 pkt[UT_PKT_MAX], orig[UT_PKT_MAX];
		bool out = rnd(2), err = false, hairpin = false;
		unsigned int len, headlen, v, kind = rnd(10);
		u8 summed = (u8)rnd(4);
		u64 err_in = ut_stat(t, NAPT_STAT_ICMP_ERR_IN);
		u64 err_out = ut_stat(t, NAPT_STAT_ICMP_ERR_OUT);
		u64 hp = ut_stat(t, NAPT_STAT_HAIRPIN_PKTS);
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
		} else if (kind >= 8 && (out ? niflows : nflows)) {
			/* an ICMP error about a translated packet */
			const struct flow *f = out ? &iflows[rnd(niflows)] :
						     &flows[rnd(nflows)];

			len = flow_err(pkt, f, out);
			/* mutated, it may be anything: not counted as one */
			if (rnd(3) == 0)
				mutate(pkt, &len);
			else
				err = true;
		} else if (kind == 7 && nflows) {
			/* an inside host to another's external endpoint */
			const struct flow *f = &flows[rnd(nflows)];
			const struct flow *g = &flows[rnd(nflows)];
			u8 p = rnd(4) ? f->proto : IPPROTO_UDP;
			__be32 src = HOST(1 + rnd(8));
			u16 sport = 1000 + rnd(8) * 1000;
			unsigned int pay = rnd(200);

			/* often from another flow's endpoint: both mapped */
			if (rnd(2)) {
				src = g->host;
				sport = g->hport;
			}

			if (p == IPPROTO_TCP)
				len = ut_tcp(pkt, src, sport, EXT1, f->ext,
					     (u8)rnd(64), pay);
			else if (p == IPPROTO_UDP)
				len = ut_udp(pkt, src, sport, EXT1, f->ext,
					     pay);
			else
				len = ut_icmp(pkt, src, EXT1, ICMP_ECHO, 0,
					      f->ext, 1, pay);
			hairpin = true;
			if (rnd(4) == 0)
				mutate(pkt, &len);
		} else {
			len = plausible(pkt, out, flows, nflows);
			if (kind > 3)
				mutate(pkt, &len);
		}
		valid = ((kind >= 1 && kind <= 3) || err || hairpin) &&
			ut_pkt_ok(pkt) && ut_get16(pkt, 2) == len;
		headlen = rnd(3) ? len : 20 + rnd(len - 19);
		csum = summed == CHECKSUM_COMPLETE ? ut_wsum(pkt, len) :
			(__force __wsum)get_random_u32();
		memcpy(orig, pkt, len);
		/* hooks.c's choice for a packet from an inside interface */
		if (hairpin && (!(t->cfg.flags & NAPT_F_HAIRPIN) ||
				!napt_in_int_nets(&t->cfg, ut_saddr(pkt)) ||
				!napt_is_ext_addr(&t->nn, &t->cfg,
						  ut_daddr(pkt))))
			v = NF_ACCEPT;
		else if (hairpin)
			v = ut_hairpin_skb(t, pkt, len, headlen);
		else
			v = ut_xlate_skb(t, out, pkt, len, headlen, summed,
					 &csum);
		if (v == NF_ACCEPT)
			accepted++;
		else
			dropped++;
		if (hairpin) {
			if (ut_stat(t, NAPT_STAT_HAIRPIN_PKTS) == hp)
				continue;
			hairpins++;
			CHECK_EQ(v, NF_ACCEPT);
			/* both ends translated, checksums right */
			if (valid && (!CHECK(napt_in_int_nets(&t->cfg,
							      ut_daddr(pkt))) ||
				      !CHECK_EQX(ut_saddr(pkt), EXT1) ||
				      !CHECK(ut_pkt_ok(pkt))))
				break;
			continue;
		}
		if (ut_stat(t, NAPT_STAT_ICMP_ERR_IN) != err_in ||
		    ut_stat(t, NAPT_STAT_ICMP_ERR_OUT) != err_out) {
			errs++;
			CHECK_EQ(v, NF_ACCEPT);
			CHECK(pkt[9] == IPPROTO_ICMP);
			/*
			 * A translated error: the outer IP and the quoted IP
			 * checksums are right; so is the ICMP one but with
			 * CHECKSUM_PARTIAL (the device fills it in).
			 */
			if (valid &&
			    (!CHECK(ut_ip_csum_ok(pkt)) ||
			     (quoted_ok(orig, len) &&
			      !CHECK(ut_ip_csum_ok(pkt + 28))) ||
			     (summed != CHECKSUM_PARTIAL &&
			      !CHECK(ut_l4_csum_ok(pkt, false)))))
				break;
			if (!out && !CHECK(napt_in_int_nets(&t->cfg,
							    ut_daddr(pkt))))
				break;
		} else if (err && out && valid && v == NF_ACCEPT) {
			/* not translated: let go only as it was */
			CHECK(!memcmp(pkt, orig, len));
		}
		/* a valid packet that went out translated still verifies */
		if (valid && !err && v == NF_ACCEPT && out &&
		    ut_saddr(pkt) == EXT1 && summed != CHECKSUM_PARTIAL) {
			if (!CHECK(ut_pkt_ok(pkt)))
				break;
			struct flow f = { pkt[9], ut_daddr(pkt), ut_saddr(orig),
					  ut_dport(pkt), ut_sport(pkt),
					  ut_sport(orig) };

			remember(flows, &nflows, ARRAY_SIZE(flows), &f);
		}
		if (valid && !err && v == NF_ACCEPT && !out &&
		    napt_in_int_nets(&t->cfg, ut_daddr(pkt)) &&
		    summed != CHECKSUM_PARTIAL) {
			if (!CHECK(ut_pkt_ok(pkt)))
				break;
			struct flow f = { pkt[9], ut_saddr(pkt), ut_daddr(pkt),
					  ut_sport(pkt), ut_dport(orig),
					  ut_dport(pkt) };

			remember(iflows, &niflows, ARRAY_SIZE(iflows), &f);
		}
		/* CHECKSUM_COMPLETE: skb->csum still sums the packet */
		if (valid && summed == CHECKSUM_COMPLETE &&
		    !CHECK_EQX(ut_fold((__force u32)csum) % 0xffff,
			       ut_fold((__force u32)ut_wsum(pkt, len)) % 0xffff))
			break;
		if (i % 97 == 0) {
			kc_advance(rnd(120));
			napt_gc_step(&t->nn, napt_now(), 64);
		}
		if (i % 61 == 0)
			static_op(t);
		if (i % 500 == 0) {
			/* behaviours may change under running traffic */
			unsigned int p = rnd(NAPT_NPROTO);

			t->cfg.mapping[p] = 1 + rnd(NAPT_MAPPING_MAX);
			t->cfg.filtering[p] = 1 + rnd(NAPT_FILTER_MAX);
			t->cfg.flags = rnd(__NAPT_F_ALL + 1);
			if (rnd(4))
				t->cfg.flags |= NAPT_F_HAIRPIN;
			t->cfg.max_per_host = rnd(3) ? 0 : 1 + rnd(20);
			t->nn.reuse_delay = rnd(2) ? 0 : rnd(200);
			consistency(t);
		}
		if (kc_errors || kc_locks_held || kc_rcu_depth)
			break;
	}
	printf("    (%u accepted, %u dropped; translated %llu out, %llu in, "
	       "%u errors, %u hairpinned; %llu malformed; %u unreach)\n",
	       accepted, dropped,
	       (unsigned long long)ut_stat(t, NAPT_STAT_OUT_PKTS),
	       (unsigned long long)ut_stat(t, NAPT_STAT_IN_PKTS), errs,
	       hairpins,
	       (unsigned long long)ut_stat(t, NAPT_STAT_DROP_MALFORMED),
	       kc_unreach_calls);
	CHECK(accepted > FUZZ_ITERS / 10);
	CHECK(dropped > FUZZ_ITERS / 20);
	/* the fuzz got deep, every way */
	CHECK(ut_stat(t, NAPT_STAT_OUT_PKTS) > FUZZ_ITERS / 20);
	CHECK(ut_stat(t, NAPT_STAT_IN_PKTS) > FUZZ_ITERS / 50);
	CHECK(ut_stat(t, NAPT_STAT_ICMP_ERR_IN) > FUZZ_ITERS / 100);
	CHECK(ut_stat(t, NAPT_STAT_ICMP_ERR_OUT) > FUZZ_ITERS / 100);
	CHECK(ut_stat(t, NAPT_STAT_HAIRPIN_PKTS) > 0);
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
	ut_ports_sync(t, &t->cfg);	/* bitmaps for both */
	for (i = 0; i < FUZZ_ITERS; i++) {
		u8 proto = (u8[]){ IPPROTO_UDP, IPPROTO_TCP,
				   IPPROTO_ICMP }[rnd(3)];
		struct napt_okey k = ut_key(proto, HOST(1 + rnd(40)),
					    (u16)(19990 + rnd(30)));
		struct napt_sess *first;
		struct napt_map *m;
		int reason = -1;
		__be32 rem;
		__be16 rport;

		switch (rnd(10)) {
		case 0:
			kc_advance(rnd(200));
			napt_gc_step(&t->nn, napt_now(), 1 + rnd(300));
			if (rnd(20) == 0) {
				t->cfg.max_per_host = rnd(2) ? 0 : 1 + rnd(8);
				t->nn.reuse_delay = rnd(2) ? 0 : rnd(300);
			}
			break;
		case 1:
			if (rnd(10) == 0)
				napt_flush(&t->nn, (u8)rnd(3),
					   rnd(2) ? 0 : (rnd(2) ? EXT1 : EXT2));
			else if (proto != IPPROTO_ICMP)
				static_op(t);
			break;
		default:
			m = napt_map_lookup_out(&t->nn, &k);
			/* with its first session (as xlate makes it) or not */
			if (!m)
				m = ut_map_create(t, &k,
						    NAPT_MAPPING_EIM, REM1,
						    htons(53),
						    rnd(2) ? &first : NULL,
						    &reason);
			if (!m) {
				CHECK(reason == NAPT_STAT_DROP_NO_PORT ||
				      reason == NAPT_STAT_DROP_MAP_LIMIT ||
				      reason == NAPT_STAT_DROP_HOST_LIMIT ||
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
