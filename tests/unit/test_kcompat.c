// SPDX-License-Identifier: GPL-2.0
/*
 * test_kcompat.c: the kernel stand-ins themselves, against facts that do
 * not come from them: the SipHash paper's test vector, checksums computed
 * from scratch, the kernel's documented semantics.
 */
#include "ut.h"

/* key 00 01 .. 0f, as the SipHash paper and the reference vectors use */
static const siphash_key_t kc_test_key = {
	{ 0x0706050403020100ULL, 0x0f0e0d0c0b0a0908ULL }
};

/* Appendix A of the SipHash paper: 15 bytes 00..0e, SipHash-2-4. */
static void kc_siphash_paper_vector(void)
{
	u8 msg[15];
	unsigned int i;

	for (i = 0; i < sizeof(msg); i++)
		msg[i] = (u8)i;
	CHECK_EQX(siphash(msg, sizeof(msg), &kc_test_key),
		  0xa129ca6149be45e5ULL);
}

/* Entries of the reference implementation's table (input 00..len-1). */
static void kc_siphash_reference_lengths(void)
{
	static const struct {
		unsigned int len;
		u64 out;
	} v[] = {
		{ 0, 0x726fdb47dd0e0e31ULL },
		{ 4, 0xcf2794e0277187b7ULL },
		{ 7, 0xab0200f58b01d137ULL },
		{ 8, 0x93f5f5799a932462ULL },
		{ 12, 0x751e8fbc860ee5fbULL },
		{ 16, 0x3f2acc7f57c29bdbULL },
		{ 63, 0x958a324ceb064572ULL },
	};
	u8 msg[64];
	unsigned int i;

	for (i = 0; i < sizeof(msg); i++)
		msg[i] = (u8)i;
	for (i = 0; i < ARRAY_SIZE(v); i++)
		CHECK_EQX(siphash(msg, v[i].len, &kc_test_key), v[i].out);
}

/*
 * hsiphash on a 64-bit kernel is SipHash-1-3 truncated to 32 bits. Values
 * of the kernel's own 64-bit self-test table (lib/test_siphash.c, input
 * 00..len-1, key 00..0f), also recomputed with an independent script
 * from the algorithm: lengths 0, 1, 4, 7, 8, 12, 15, 16 and 63.
 */
static void kc_hsiphash_vectors(void)
{
	static const hsiphash_key_t hk = {
		{ 0x0706050403020100UL, 0x0f0e0d0c0b0a0908UL }
	};
	static const struct {
		unsigned int len;
		u32 out;
	} v[] = {
		{ 0, 0x050fc4dcU }, { 1, 0x7d57ca93U }, { 4, 0x88d38328U },
		{ 7, 0x9bb11140U }, { 8, 0x8d299a8eU }, { 12, 0x57b4d9a2U },
		{ 15, 0x2a519956U }, { 16, 0x7d908b66U }, { 63, 0xb7bbb3a8U },
	};
	u8 msg[64];
	unsigned int i;

	for (i = 0; i < sizeof(msg); i++)
		msg[i] = (u8)i;
	for (i = 0; i < ARRAY_SIZE(v); i++)
		CHECK_EQX(hsiphash(msg, v[i].len, &hk), v[i].out);
	/* the word forms pack as consecutive little-endian bytes */
	CHECK_EQX(hsiphash_1u32(0x03020100, &hk), 0x88d38328U);
	CHECK_EQX(hsiphash_2u32(0x03020100, 0x07060504, &hk), 0x8d299a8eU);
	CHECK_EQX(hsiphash_3u32(0x03020100, 0x07060504, 0x0b0a0908, &hk),
		  0x57b4d9a2U);
	CHECK_EQX(hsiphash_4u32(0x03020100, 0x07060504, 0x0b0a0908,
				0x0f0e0d0c, &hk), 0x7d908b66U);
	/* the key matters */
	{
		hsiphash_key_t k2 = hk;

		k2.key[0] ^= 1;
		CHECK_NE(hsiphash_1u32(0x03020100, &k2),
			 hsiphash_1u32(0x03020100, &hk));
	}
}

static u16 kc_mem16(const u8 *p)
{
	u16 v;

	memcpy(&v, p, 2);
	return v;
}

/* csum_replace4 on a header with a checksum, vs. a recomputation. */
static void kc_csum_replace4_matches_recompute(void)
{
	u8 h[20];
	unsigned int it;

	for (it = 0; it < 2000; it++) {
		__sum16 c;
		__be32 from, to;
		unsigned int off = 4 * get_random_u32_below(5);

		get_random_bytes(h, sizeof(h));
		if (it % 7 == 0)
			memset(h, it % 2 ? 0xff : 0, sizeof(h));
		if (off == 8)
			off = 12;	/* keep the checksum field out */
		ut_put16(h, 10, 0);
		ut_put16(h, 10, (u16)~ut_fold(ut_sum16(h, 20, 0)));
		memcpy(&c, h + 10, 2);
		memcpy(&from, h + off, 4);
		get_random_bytes(&to, sizeof(to));
		if (it % 5 == 0)
			to = it % 2 ? 0 : 0xffffffff;
		csum_replace4(&c, from, to);
		memcpy(h + off, &to, 4);
		memcpy(h + 10, &c, 2);
		if (!CHECK_EQX(ut_fold(ut_sum16(h, 20, 0)), 0xffff))
			break;
	}
}

/* csum_replace2 on a 16-bit field, vs. a recomputation. */
static void kc_csum_replace2_matches_recompute(void)
{
	u8 h[20];
	unsigned int it;

	for (it = 0; it < 2000; it++) {
		unsigned int off = 2 * get_random_u32_below(10);
		__sum16 c;
		__be16 from, to;

		if (off == 10)
			off = 0;	/* keep the checksum field out */
		get_random_bytes(h, sizeof(h));
		if (it % 7 == 0)
			memset(h, it % 2 ? 0xff : 0, sizeof(h));
		ut_put16(h, 10, 0);
		ut_put16(h, 10, (u16)~ut_fold(ut_sum16(h, 20, 0)));
		memcpy(&c, h + 10, 2);
		memcpy(&from, h + off, 2);
		get_random_bytes(&to, sizeof(to));
		if (it % 5 == 0)
			to = it % 2 ? 0 : 0xffff;
		csum_replace2(&c, from, to);
		memcpy(h + off, &to, 2);
		memcpy(h + 10, &c, 2);
		if (!CHECK_EQX(ut_fold(ut_sum16(h, 20, 0)), 0xffff))
			break;
	}
	/* the end-around carry */
	CHECK_EQX(csum16_add((__force __sum16)0xffff, (__force __be16)1), 1);
	CHECK_EQX(csum16_sub((__force __sum16)5, (__force __be16)5), 0xffff);
}

/*
 * inet_proto_csum_replace4/2 (net/core/utils.c): CHECKSUM_PARTIAL keeps
 * the folded pseudo-header sum in the field and changes it only for a
 * pseudo-header field; otherwise the field follows every change.
 */
static void kc_inet_proto_csum_semantics(void)
{
	struct sk_buff skb = {};
	__be32 a = ip4(192, 168, 1, 10), b = ip4(203, 0, 113, 1);
	__sum16 f, g;
	u8 ps[12];
	u16 want;

	/* PARTIAL: pseudo-header of (a -> REM1, UDP, len 100) */
	memcpy(ps, &a, 4);
	memcpy(ps + 4, &(__be32){ REM1 }, 4);
	ps[8] = 0;
	ps[9] = IPPROTO_UDP;
	ut_put16(ps, 10, 100);
	f = htons(ut_fold(ut_sum16(ps, 12, 0)));
	skb.ip_summed = CHECKSUM_PARTIAL;
	g = f;
	inet_proto_csum_replace2(&g, &skb, htons(5000), htons(6000), false);
	CHECK_EQX(g, f);		/* a port: not in the pseudo-header */
	inet_proto_csum_replace4(&g, &skb, a, b, true);
	memcpy(ps, &b, 4);
	want = ut_fold(ut_sum16(ps, 12, 0));
	CHECK_EQX(ntohs(g), want);

	/* NONE: the field follows the port change as well */
	skb.ip_summed = CHECKSUM_NONE;
	g = htons(0x1234);
	inet_proto_csum_replace2(&g, &skb, htons(5000), htons(6000), false);
	CHECK_EQX(ntohs(g), (u16)~ut_fold((u16)~0x1234 + (u16)~5000 + 6000));

	/* COMPLETE: skb->csum follows the field for a pseudo-header change */
	skb.ip_summed = CHECKSUM_COMPLETE;
	{
		u8 seg[8] = { 0x13, 0x88, 0x00, 0x35, 0x00, 0x08, 0, 0 };
		__wsum before;

		ut_put16(seg, 6, 0xabcd);
		skb.csum = ut_wsum(seg, 8);
		before = skb.csum;
		memcpy(&g, seg + 6, 2);
		inet_proto_csum_replace4(&g, &skb, a, b, true);
		memcpy(seg + 6, &g, 2);
		CHECK_NE(before, skb.csum);
		CHECK_NE(kc_mem16(seg + 6), htons(0xabcd));
		/* both are sums in memory order: compare them folded */
		CHECK_EQX(ut_fold(skb.csum) % 0xffff,
			  ut_fold(ut_wsum(seg, 8)) % 0xffff);
	}
}

static void kc_random_below(void)
{
	static const u32 ceils[] = { 1, 2, 3, 7, 1000, 65536, 0x80000001u,
				     0xffffffffu };
	unsigned int hist[10] = {}, i, j;
	u32 a[8], b[8];

	for (i = 0; i < ARRAY_SIZE(ceils); i++)
		for (j = 0; j < 1000; j++)
			if (!CHECK(get_random_u32_below(ceils[i]) < ceils[i]))
				return;
	for (j = 0; j < 10000; j++)
		hist[get_random_u32_below(10)]++;
	for (i = 0; i < 10; i++)
		CHECK_RANGE(hist[i], 850, 1150);
	/* deterministic for a seed */
	kc_seed(42);
	for (i = 0; i < 8; i++)
		a[i] = get_random_u32();
	kc_seed(42);
	for (i = 0; i < 8; i++)
		b[i] = get_random_u32();
	CHECK(!memcmp(a, b, sizeof(a)));
	CHECK_NE(a[0], a[1]);
}

static void kc_roundup(void)
{
	CHECK_EQ(roundup_pow_of_two(1), 1);
	CHECK_EQ(roundup_pow_of_two(2), 2);
	CHECK_EQ(roundup_pow_of_two(3), 4);
	CHECK_EQ(roundup_pow_of_two(256), 256);
	CHECK_EQ(roundup_pow_of_two(257), 512);
	CHECK_EQ(roundup_pow_of_two(65536), 65536);
	CHECK_EQ(min(3u, 4u), 3);
	CHECK_EQ(max_t(u32, 5, 9), 9);
}

struct kc_item {
	int v;
	struct hlist_node node;
};

static void kc_hlist(void)
{
	struct hlist_head h;
	struct kc_item it[3], *p;
	struct hlist_node *tmp;
	int seen[3], n = 0, i;

	kc_quiet = true;

	INIT_HLIST_HEAD(&h);
	CHECK(hlist_empty(&h));
	for (i = 0; i < 3; i++) {
		it[i].v = i;
		hlist_add_head_rcu(&it[i].node, &h);
	}
	hlist_for_each_entry(p, &h, node)
		seen[n++] = p->v;
	CHECK_EQ(n, 3);
	CHECK_EQ(seen[0], 2);	/* head insertion */
	CHECK_EQ(seen[2], 0);
	hlist_del_rcu(&it[1].node);
	/* a reader standing on the deleted node can still walk on */
	CHECK(it[1].node.next == &it[0].node);
	n = 0;
	hlist_for_each_entry_rcu(p, &h, node)
		seen[n++] = p->v;
	CHECK_EQ(n, 2);
	CHECK_EQ(seen[0], 2);
	CHECK_EQ(seen[1], 0);
	hlist_for_each_entry_safe(p, tmp, &h, node)
		hlist_del_rcu(&p->node);
	CHECK(hlist_empty(&h));
	/* a second unlink is a bug the stand-in reports */
	hlist_del_rcu(&it[1].node);
	CHECK_EQ(kc_errors, 1);
	kc_errors = 0;
}

static void kc_refcount_and_locks(void)
{
	refcount_t r;
	spinlock_t l;

	kc_quiet = true;

	refcount_set(&r, 1);
	CHECK(refcount_inc_not_zero(&r));
	CHECK(!refcount_dec_and_test(&r));
	CHECK(refcount_dec_and_test(&r));
	CHECK(!refcount_inc_not_zero(&r));
	CHECK_EQ(kc_errors, 0);
	CHECK(!refcount_dec_and_test(&r));	/* underflow: reported */
	CHECK_EQ(kc_errors, 1);

	spin_lock_init(&l);
	spin_lock_bh(&l);
	CHECK_EQ(kc_locks_held, 1);
	spin_lock_bh(&l);			/* self-deadlock: reported */
	CHECK_EQ(kc_errors, 2);
	spin_unlock_bh(&l);
	CHECK_EQ(kc_locks_held, 1);
	spin_unlock_bh(&l);			/* not held: reported */
	CHECK_EQ(kc_errors, 3);
	kc_locks_held = 0;
	kc_errors = 0;
}

/*
 * Lock classes: an order opposite to one seen before is reported, unless
 * the benchmarks' kc_lockdep_off is set; a self-deadlock is either way.
 */
static void kc_lock_order(void)
{
	static struct lock_class_key ka = { "kc_a" }, kb = { "kc_b" };
	spinlock_t a, b;
	int pass;

	kc_quiet = true;
	spin_lock_init(&a);
	spin_lock_init(&b);
	lockdep_set_class(&a, &ka);
	lockdep_set_class(&b, &kb);
	for (pass = 0; pass < 2; pass++) {
		kc_errors = 0;
		kc_lockdep_off = pass;
		spin_lock(&a);
		spin_lock(&b);
		spin_unlock(&b);
		spin_unlock(&a);
		CHECK_EQ(kc_errors, 0);
		spin_lock(&b);
		spin_lock(&a);			/* b -> a after a -> b */
		CHECK_EQ(kc_errors, pass ? 0 : 1);
		spin_unlock(&a);
		spin_unlock(&b);
		spin_lock(&a);
		spin_lock(&a);			/* self-deadlock */
		CHECK_EQ(kc_errors, pass ? 1 : 2);
		spin_unlock(&a);
		CHECK_EQ(kc_locks_held, 1);	/* counted twice */
		kc_locks_held = 0;
	}
	kc_lockdep_off = false;
	kc_errors = 0;
}

static void kc_skb_paged(void)
{
	u8 pkt[64], buf[16], out[64];
	struct sk_buff *skb;
	const u8 *h;
	unsigned int i;

	for (i = 0; i < sizeof(pkt); i++)
		pkt[i] = (u8)i;
	skb = kc_skb_new(pkt, sizeof(pkt), 20);
	CHECK_EQ(skb_headlen(skb), 20);
	CHECK_EQ(skb_network_offset(skb), 0);
	h = skb_header_pointer(skb, 4, 8, buf);
	CHECK(h == skb->data + 4);		/* linear: in place */
	h = skb_header_pointer(skb, 16, 8, buf);
	CHECK(h == buf);			/* straddles: copied */
	CHECK(h && h[0] == 16 && h[7] == 23);
	CHECK(skb_header_pointer(skb, 60, 8, buf) == NULL);
	CHECK(skb_header_pointer(skb, 56, 8, buf) == buf);
	CHECK_EQ(skb_ensure_writable(skb, 65), -ENOMEM);
	kc_fail_pull = 1;
	CHECK_EQ(skb_ensure_writable(skb, 30), -ENOMEM);
	CHECK_EQ(skb_ensure_writable(skb, 30), 0);
	CHECK_EQ(skb_headlen(skb), 30);
	CHECK_EQ(skb->data[29], 29);
	CHECK_EQ(kc_skb_read(skb, out, sizeof(out)), 64);
	CHECK(!memcmp(out, pkt, sizeof(pkt)));
	CHECK_EQ(ip_hdrlen(skb), (pkt[0] & 15) * 4);
	kc_skb_free(skb);
}

static void kc_clock_and_env(void)
{
	struct mem_cgroup cg;
	struct napt_map *m;
	u32 t0 = napt_now();

	kc_quiet = true;

	CHECK_EQ(jiffies, INITIAL_JIFFIES);
	kc_advance(10);
	CHECK_EQ(napt_now() - t0, 10);

	set_active_memcg(&cg);
	m = napt_map_alloc();
	set_active_memcg(NULL);
	REQUIRE(m);
	CHECK_EQ(kc_live_maps, 1);
	RCU_INIT_POINTER(m->st, NULL);	/* as every user of one does */
	napt_map_free_rcu(m);
	CHECK_EQ(kc_live_maps, 1);		/* a grace period first */
	CHECK_EQ(kc_rcu_pending, 1);
	napt_map_free_rcu(m);			/* twice: reported */
	CHECK_EQ(kc_errors, 1);
	kc_errors = 0;
	rcu_barrier();
	CHECK_EQ(kc_live_maps, 0);
	CHECK_EQ(kc_rcu_pending, 0);

	kc_socket_set(IPPROTO_UDP, 53, true);
	CHECK(napt_port_has_socket(NULL, IPPROTO_UDP, EXT1, htons(53), 0, 0));
	CHECK(!napt_port_has_socket(NULL, IPPROTO_TCP, EXT1, htons(53), 0, 0));
	CHECK(!napt_port_has_socket(NULL, IPPROTO_ICMP, EXT1, htons(53), 0, 0));
	CHECK_EQ(kc_socket_calls, 3);
}

/* What lockdep/PROVE_RCU would say, the stand-ins report. */
static void kc_rcu_pointer_checks(void)
{
	struct napt_static *p = (struct napt_static *)0x1234, *q;
	spinlock_t l;

	kc_quiet = true;
	q = rcu_dereference(p);		/* outside a read section */
	CHECK(q == p);
	CHECK_EQ(kc_errors, 1);
	rcu_read_lock();
	q = rcu_dereference(p);
	rcu_read_unlock();
	CHECK_EQ(kc_errors, 1);
	q = rcu_dereference_check(p, true);	/* the condition holds */
	CHECK_EQ(kc_errors, 1);
	spin_lock_init(&l);
	CHECK(!lockdep_is_held(&l));
	q = rcu_dereference_protected(p, lockdep_is_held(&l));
	CHECK_EQ(kc_errors, 2);
	spin_lock(&l);
	CHECK(lockdep_is_held(&l));
	q = rcu_dereference_protected(p, lockdep_is_held(&l));
	spin_unlock(&l);
	CHECK_EQ(kc_errors, 2);
	RCU_INIT_POINTER(q, NULL);
	CHECK(q == NULL);
	CHECK(rcu_access_pointer(p) == p);	/* anywhere */
	CHECK_EQ(kc_errors, 2);
	kc_errors = 0;
}

static void kc_kmalloc(void)
{
	struct mem_cgroup cg;
	u8 *a, *b;

	kc_quiet = true;
	set_active_memcg(&cg);
	a = kmalloc(32, GFP_ATOMIC | __GFP_ACCOUNT);
	b = kzalloc(32, GFP_KERNEL_ACCOUNT);
	REQUIRE(a && b);
	CHECK_EQ(kc_live_km, 2);
	CHECK_EQ(a[0], 0xa5);			/* garbage, as a slab's */
	CHECK_EQ(b[31], 0);
	kfree(a);
	kfree(NULL);
	CHECK_EQ(kc_live_km, 1);
	CHECK_EQ(kc_errors, 0);
	kfree(a);				/* twice: reported */
	CHECK_EQ(kc_errors, 1);
	CHECK_EQ(kc_live_km, 1);
	kfree(b);
	kc_fail_kmalloc = 2;
	a = kmalloc(8, GFP_ATOMIC | __GFP_ACCOUNT);
	CHECK(a != NULL);
	CHECK(kmalloc(8, GFP_ATOMIC | __GFP_ACCOUNT) == NULL);
	kfree(a);
	CHECK_EQ(kc_live_km, 0);
	CHECK_EQ(kc_errors, 1);
	/* charged to nobody: reported, with the flag or the cgroup missing */
	a = kmalloc(8, GFP_ATOMIC);
	CHECK_EQ(kc_errors, 2);
	kfree(a);
	set_active_memcg(NULL);
	a = kmalloc(8, GFP_ATOMIC | __GFP_ACCOUNT);
	CHECK_EQ(kc_errors, 3);
	kfree(a);
	kc_errors = 0;
}

/* napt_static objects, and a mapping's going with it (as main.c). */
static void kc_static_objects(void)
{
	struct napt_static *st, *st2;
	struct mem_cgroup cg;
	struct napt_map *m;

	kc_quiet = true;
	set_active_memcg(&cg);
	st = napt_static_alloc();
	st2 = napt_static_alloc();
	m = napt_map_alloc();
	REQUIRE(st && st2 && m);
	CHECK_EQ(kc_live_st, 2);
	napt_static_free_rcu(st2);
	CHECK_EQ(kc_live_st, 2);		/* a grace period first */
	rcu_barrier();
	CHECK_EQ(kc_live_st, 1);
	RCU_INIT_POINTER(m->st, st);
	napt_map_free_rcu(m);
	rcu_barrier();
	CHECK_EQ(kc_live_st, 0);
	CHECK_EQ(kc_live_maps, 0);
	CHECK_EQ(kc_errors, 0);
	/* a mapping pointing at a napt_static already freed: reported */
	st = napt_static_alloc();
	m = napt_map_alloc();
	REQUIRE(st && m);
	RCU_INIT_POINTER(m->st, st);
	napt_static_free_rcu(st);
	napt_map_free_rcu(m);
	rcu_barrier();
	CHECK_EQ(kc_errors, 1);
	CHECK_EQ(kc_live_st, 0);
	CHECK_EQ(kc_live_maps, 0);
	kc_fail_static_alloc = 1;
	CHECK(napt_static_alloc() == NULL);
	set_active_memcg(NULL);
	kc_errors = 0;
}

static void kc_environment_log(void)
{
	struct napt_okey k = ut_key(IPPROTO_TCP, HOST(3), 22);
	u8 pkt[UT_PKT_MAX];
	struct sk_buff *skb;
	unsigned int len;

	{
		struct napt_ev e1 = {
			.proto = IPPROTO_UDP, .type = NAPT_MAP_DYNAMIC,
			.has_ext = true, .int_addr = HOST(2),
			.int_port = htons(53), .ext_addr = EXT1,
			.ext_port = htons(4000),
		};
		struct napt_ev e2 = {
			.proto = k.proto, .int_addr = k.int_addr,
			.int_port = k.int_port,
			/* ignored without has_ext */
			.ext_addr = EXT1, .ext_port = htons(1),
		};

		napt_event(NULL, &e1, NAPT_EVENT_REMOVED, NAPT_REASON_EXPIRED);
		napt_event(NULL, &e2, NAPT_EVENT_REFUSED, NAPT_REASON_NO_PORT);
	}
	REQUIRE_EQ(kc_nevents, 2);
	CHECK_EQ(kc_events[0].event, NAPT_EVENT_REMOVED);
	CHECK_EQ(kc_events[0].reason, NAPT_REASON_EXPIRED);
	CHECK(!kc_events[0].m_null);
	CHECK_EQX(kc_events[0].int_addr, HOST(2));
	CHECK_EQ(ntohs(kc_events[0].ext_port), 4000);
	CHECK(kc_events[1].m_null);
	CHECK_EQ(kc_events[1].proto, IPPROTO_TCP);
	CHECK_EQ(kc_events[1].ext_addr, 0);
	CHECK_EQ(kc_events[1].ext_port, 0);

	len = ut_udp(pkt, HOST(2), 53, REM1, 99, 100);
	skb = kc_skb_new(pkt, len, 20);
	napt_icmp_unreach(skb);
	CHECK_EQ(kc_unreach_calls, 1);
	CHECK(!memcmp(kc_unreach_pkt, pkt, KC_PKT_COPY));
	kc_reroute_ret = -ENETUNREACH;
	CHECK_EQ(napt_reroute(skb, HOST(9)), -ENETUNREACH);
	CHECK_EQ(kc_reroute_calls, 1);
	CHECK_EQX(kc_reroute_daddr, HOST(9));
	CHECK(!memcmp(kc_reroute_pkt, pkt, KC_PKT_COPY));
	kc_skb_free(skb);
}

const struct ut_case ut_kcompat_cases[] = {
	UT_CASE(kc_siphash_paper_vector),
	UT_CASE(kc_siphash_reference_lengths),
	UT_CASE(kc_hsiphash_vectors),
	UT_CASE(kc_csum_replace4_matches_recompute),
	UT_CASE(kc_csum_replace2_matches_recompute),
	UT_CASE(kc_inet_proto_csum_semantics),
	UT_CASE(kc_random_below),
	UT_CASE(kc_roundup),
	UT_CASE(kc_hlist),
	UT_CASE(kc_refcount_and_locks),
	UT_CASE(kc_lock_order),
	UT_CASE(kc_skb_paged),
	UT_CASE(kc_clock_and_env),
	UT_CASE(kc_rcu_pointer_checks),
	UT_CASE(kc_kmalloc),
	UT_CASE(kc_static_objects),
	UT_CASE(kc_environment_log),
	UT_END
};
