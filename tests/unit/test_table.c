// SPDX-License-Identifier: GPL-2.0
/*
 * test_table.c: kmod/table.c, the mapping and session tables.
 */
#include "ut.h"

/* A mapping for proto host:port, made as napt_xlate_out() makes it (EIM). */
static struct napt_map *mk(struct ut_nat *t, u8 proto, __be32 host, u16 port,
			   int *reason)
{
	struct napt_okey k = ut_key(proto, host, port);
	int dummy = -1;

	return ut_map_create(t, &k, NAPT_MAPPING_EIM, REM1,
			       htons(53), NULL, reason ? reason : &dummy);
}

/* the bitmaps of @addr, looked up as the packet path does (RCU) */
static struct napt_port_bits *port_bits_of(struct ut_nat *t, __be32 addr)
{
	struct napt_port_bits *pb;

	rcu_read_lock();
	pb = napt_port_bits_of(&t->nn, addr);
	rcu_read_unlock();
	return pb;
}

static struct napt_sess *mks(struct ut_nat *t, struct napt_map *m,
			     __be32 rem, u16 port, int *reason)
{
	int dummy = -1;

	return napt_sess_create(&t->nn, &t->cfg, m, rem, htons(port),
				reason ? reason : &dummy);
}

/* mappings and sessions really allocated (after a grace period) */
static long live_maps(void)
{
	rcu_barrier();
	return kc_live_maps;
}

static long live_sess(void)
{
	rcu_barrier();
	return kc_live_sess;
}

/* ---------------------------------------------------------------------- */

static void table_create_lookup(void)
{
	struct ut_nat *t = ut_nat_new(1024, 4096);
	struct napt_okey k = ut_key(IPPROTO_UDP, HOST(10), 5000);
	struct napt_okey k2 = ut_key(IPPROTO_UDP, HOST(10), 5001);
	struct napt_map *m, *m2;
	int reason = -1;

	REQUIRE(t);
	CHECK(napt_map_lookup_out(&t->nn, &k) == NULL);
	m = mk(t, IPPROTO_UDP, HOST(10), 5000, &reason);
	REQUIRE(m);
	CHECK_EQ(reason, -1);
	CHECK_EQX(m->key.int_addr, HOST(10));
	CHECK_EQ(ntohs(m->key.int_port), 5000);
	CHECK_EQ(m->key.rem_addr, 0);
	CHECK_EQ(m->key.rem_port, 0);
	CHECK_EQ(m->key.proto, IPPROTO_UDP);
	CHECK_EQX(m->ext_addr, EXT1);
	CHECK_EQ(ntohs(m->ext_port), 5000);	/* preserved */
	CHECK_EQ(m->type, NAPT_MAP_DYNAMIC);
	CHECK_EQ(m->mapping, NAPT_MAPPING_EIM);
	CHECK(!m->dead);
	CHECK_EQ(atomic_read(&m->nsess), 0);
	CHECK_EQ(refcount_read(&m->ref), 1);
	CHECK_EQ(m->expires, napt_now() + 300);
	CHECK_EQ(ut_nmaps(t), 1);
	CHECK_EQ(ut_stat(t, NAPT_STAT_MAPS_CREATED), 1);

	CHECK(napt_map_lookup_out(&t->nn, &k) == m);
	CHECK(napt_map_lookup_out(&t->nn, &k2) == NULL);
	k2 = k;
	k2.proto = IPPROTO_TCP;
	CHECK(napt_map_lookup_out(&t->nn, &k2) == NULL);
	k2 = k;
	k2.rem_addr = REM1;			/* an ADM key is another key */
	CHECK(napt_map_lookup_out(&t->nn, &k2) == NULL);
	CHECK(ut_lookup_in(t, IPPROTO_UDP, EXT1, htons(5000), REM1) == m);
	/* a dynamic mapping is found whatever the remote */
	CHECK(ut_lookup_in(t, IPPROTO_UDP, EXT1, htons(5000), REM2) == m);
	CHECK(ut_lookup_in(t, IPPROTO_UDP, EXT1, htons(5000), 0) == m);
	CHECK(ut_lookup_in(t, IPPROTO_TCP, EXT1, htons(5000), REM1) == NULL);
	CHECK(ut_lookup_in(t, IPPROTO_UDP, EXT2, htons(5000), REM1) == NULL);
	CHECK(ut_lookup_in(t, IPPROTO_UDP, EXT1, htons(5001), REM1) == NULL);

	/* creating an existing key gives the published mapping back */
	m2 = mk(t, IPPROTO_UDP, HOST(10), 5000, &reason);
	CHECK(m2 == m);
	CHECK_EQ(ut_nmaps(t), 1);
	CHECK_EQ(live_maps(), 1);
	CHECK_EQ(ut_stat(t, NAPT_STAT_MAPS_CREATED), 1);
	CHECK(ut_lookup_in(t, IPPROTO_UDP, EXT1, htons(5000), REM1) == m);

	/* the same port number in another protocol is another mapping */
	m2 = mk(t, IPPROTO_TCP, HOST(10), 5000, NULL);
	REQUIRE(m2);
	CHECK(m2 != m);
	CHECK_EQ(ntohs(m2->ext_port), 5000);
	CHECK(ut_lookup_in(t, IPPROTO_TCP, EXT1, htons(5000), REM1) == m2);
	CHECK_EQ(ut_nmaps(t), 2);
	ut_nat_free(t);
}

static void table_distinct_hosts_same_port(void)
{
	struct ut_nat *t = ut_nat_new(1024, 4096);
	struct napt_okey k1 = ut_key(IPPROTO_UDP, HOST(10), 5000);
	struct napt_okey k2 = ut_key(IPPROTO_UDP, HOST(11), 5000);
	struct napt_map *m1, *m2;

	REQUIRE(t);
	m1 = mk(t, IPPROTO_UDP, HOST(10), 5000, NULL);
	m2 = mk(t, IPPROTO_UDP, HOST(11), 5000, NULL);
	REQUIRE(m1 && m2);
	CHECK(m1 != m2);
	CHECK_EQ(ntohs(m1->ext_port), 5000);
	CHECK_NE(m2->ext_port, m1->ext_port);
	CHECK_RANGE(ntohs(m2->ext_port), 1024, 65535);
	CHECK_EQX(m2->ext_addr, EXT1);
	CHECK(napt_map_lookup_out(&t->nn, &k1) == m1);
	CHECK(napt_map_lookup_out(&t->nn, &k2) == m2);
	CHECK(ut_lookup_in(t, IPPROTO_UDP, EXT1, m1->ext_port, REM1) == m1);
	CHECK(ut_lookup_in(t, IPPROTO_UDP, EXT1, m2->ext_port, REM1) == m2);
	ut_nat_free(t);
}

static void table_port_preservation(void)
{
	struct ut_nat *t = ut_nat_new(1024, 4096);
	unsigned int i, kept = 0;

	REQUIRE(t);
	/* on by default */
	CHECK(t->cfg.flags & NAPT_F_PORT_PRESERVE);
	for (i = 0; i < 20; i++) {
		struct napt_map *m = mk(t, IPPROTO_UDP, HOST(10), 2000 + i, NULL);

		REQUIRE(m);
		CHECK_EQ(ntohs(m->ext_port), 2000 + i);
	}
	/* off by flag */
	t->cfg.flags &= ~NAPT_F_PORT_PRESERVE;
	for (i = 0; i < 20; i++) {
		struct napt_map *m = mk(t, IPPROTO_UDP, HOST(20), 3000 + i, NULL);

		REQUIRE(m);
		CHECK_RANGE(ntohs(m->ext_port), 1024, 65535);
		kept += ntohs(m->ext_port) == 3000 + i;
	}
	CHECK(kept <= 1);	/* 20 draws in 64512 ports */
	ut_nat_free(t);
}

static void table_port_parity(void)
{
	struct ut_nat *t = ut_nat_new(4096, 4096);
	unsigned int i;

	REQUIRE(t);
	t->cfg.flags = NAPT_F_PORT_PARITY;	/* no preservation */
	for (i = 0; i < 400; i++) {
		u16 want = 1024 + (u16)get_random_u32_below(60000);
		struct napt_map *m = mk(t, i % 2 ? IPPROTO_UDP : IPPROTO_TCP,
					HOST(1 + i % 200), want, NULL);

		REQUIRE(m);
		if (!CHECK_EQ(ntohs(m->ext_port) & 1, want & 1))
			break;
	}
	/* a range that starts odd, full of odd ports used up */
	napt_flush(&t->nn, NAPT_MAP_ANY, 0);
	t->cfg.port_min = 40001;
	t->cfg.port_max = 40010;
	for (i = 0; i < 5; i++) {
		struct napt_map *m = mk(t, IPPROTO_UDP, HOST(1 + i), 5001, NULL);
		struct napt_map *e = mk(t, IPPROTO_UDP, HOST(1 + i), 5002, NULL);

		REQUIRE(m && e);
		CHECK_EQ(ntohs(m->ext_port) & 1, 1);
		CHECK_EQ(ntohs(e->ext_port) & 1, 0);
		CHECK_RANGE(ntohs(m->ext_port), 40001, 40010);
		CHECK_RANGE(ntohs(e->ext_port), 40001, 40010);
	}
	/* with preservation too: a wanted port that is taken keeps parity */
	t->cfg.flags = NAPT_F_PORT_PRESERVE | NAPT_F_PORT_PARITY;
	t->cfg.port_min = 1024;
	t->cfg.port_max = 65535;
	for (i = 0; i < 50; i++) {
		struct napt_map *m = mk(t, IPPROTO_TCP, HOST(100 + i), 7777, NULL);

		REQUIRE(m);
		if (i == 0)
			CHECK_EQ(ntohs(m->ext_port), 7777);
		CHECK_EQ(ntohs(m->ext_port) & 1, 1);
	}
	ut_nat_free(t);
}

/*
 * With only @lo..@hi in the range (the table flushed first), 50 hosts'
 * TCP port @port each get an external port in it. False on a failed
 * REQUIRE (the case is over).
 */
static bool range_only(struct ut_nat *t, u16 port, u16 lo, u16 hi)
{
	unsigned int i;

	napt_flush(&t->nn, NAPT_MAP_ANY, 0);
	t->cfg.port_min = lo;
	t->cfg.port_max = hi;
	for (i = 0; i < 50; i++) {
		struct napt_map *m = mk(t, IPPROTO_TCP, HOST(1 + i), port, NULL);

		if (!CHECK(m))
			return false;
		CHECK_RANGE(ntohs(m->ext_port), lo, hi);
	}
	return true;
}

/* RFC 4787 REQ-3: ports below 1024 for ports below 1024, where possible */
static void table_port_range_class(void)
{
	struct ut_nat *t = ut_nat_new(4096, 4096);
	unsigned int i;

	REQUIRE(t);
	t->cfg.flags &= ~NAPT_F_PORT_PRESERVE;
	t->cfg.port_min = 500;
	t->cfg.port_max = 2000;
	for (i = 0; i < 200; i++) {
		struct napt_map *lo = mk(t, IPPROTO_UDP, HOST(1 + i), 80, NULL);
		struct napt_map *hi = mk(t, IPPROTO_UDP, HOST(1 + i), 5000, NULL);

		REQUIRE(lo && hi);
		CHECK_RANGE(ntohs(lo->ext_port), 500, 1023);
		CHECK_RANGE(ntohs(hi->ext_port), 1024, 2000);
	}
	/* the range has no port below 1024: a low port gets a high one */
	if (!range_only(t, 22, 30000, 30099))
		return;
	/* ... and vice versa */
	if (!range_only(t, 40000, 100, 199))
		return;
	/* preservation of a low port when the range holds it */
	napt_flush(&t->nn, NAPT_MAP_ANY, 0);
	t->cfg.flags |= NAPT_F_PORT_PRESERVE;
	t->cfg.port_min = 1;
	t->cfg.port_max = 65535;
	{
		struct napt_map *m = mk(t, IPPROTO_UDP, HOST(9), 123, NULL);

		REQUIRE(m);
		CHECK_EQ(ntohs(m->ext_port), 123);
		m = mk(t, IPPROTO_UDP, HOST(10), 123, NULL);
		REQUIRE(m);
		CHECK_RANGE(ntohs(m->ext_port), 1, 1023);
	}
	ut_nat_free(t);
}

static void table_port_range_respected(void)
{
	struct ut_nat *t = ut_nat_new(4096, 4096);
	static bool used[100];
	unsigned int i;

	REQUIRE(t);
	memset(used, 0, sizeof(used));
	t->cfg.port_min = 40000;
	t->cfg.port_max = 40099;
	for (i = 0; i < 100; i++) {
		u8 proto = i % 2 ? IPPROTO_UDP : IPPROTO_ICMP;
		struct napt_map *m = mk(t, proto, HOST(1 + i), 1000 + i, NULL);
		u16 p;

		REQUIRE(m);
		p = ntohs(m->ext_port);
		if (!CHECK_RANGE(p, 40000, 40099))
			continue;
		/* one port per protocol: UDP and ICMP may share numbers */
		if (proto == IPPROTO_UDP) {
			CHECK(!used[p - 40000]);
			used[p - 40000] = true;
		}
	}
	ut_nat_free(t);
}

static void table_busy_socket_port(void)
{
	struct ut_nat *t = ut_nat_new(1024, 4096);
	unsigned int i;
	int reason = -1;
	struct napt_map *m;

	REQUIRE(t);
	/* preservation gives way to a local socket */
	kc_socket_set(IPPROTO_UDP, 5000, true);
	m = mk(t, IPPROTO_UDP, HOST(10), 5000, NULL);
	REQUIRE(m);
	CHECK_NE(ntohs(m->ext_port), 5000);
	/* a socket of another protocol does not matter */
	m = mk(t, IPPROTO_TCP, HOST(10), 5000, NULL);
	REQUIRE(m);
	CHECK_EQ(ntohs(m->ext_port), 5000);

	/* a small range with two busy ports */
	napt_flush(&t->nn, NAPT_MAP_ANY, 0);
	t->cfg.port_min = 40000;
	t->cfg.port_max = 40009;
	kc_socket_set(IPPROTO_UDP, 40003, true);
	kc_socket_set(IPPROTO_UDP, 40007, true);
	for (i = 0; i < 8; i++) {
		m = mk(t, IPPROTO_UDP, HOST(1 + i), 40003, NULL);
		REQUIRE(m);
		CHECK_NE(ntohs(m->ext_port), 40003);
		CHECK_NE(ntohs(m->ext_port), 40007);
		CHECK_RANGE(ntohs(m->ext_port), 40000, 40009);
	}
	CHECK(mk(t, IPPROTO_UDP, HOST(99), 40007, &reason) == NULL);
	CHECK_EQ(reason, NAPT_STAT_DROP_NO_PORT);
	ut_nat_free(t);
}

static void table_exhaustion(void)
{
	struct ut_nat *t = ut_nat_new(1024, 4096);
	struct napt_okey k = ut_key(IPPROTO_UDP, HOST(200), 6000);
	unsigned int i;
	int reason = -1;

	REQUIRE(t);
	t->cfg.port_min = 40000;
	t->cfg.port_max = 40009;
	for (i = 0; i < 10; i++)
		REQUIRE(mk(t, IPPROTO_UDP, HOST(1 + i), 6000, NULL));
	CHECK_EQ(live_maps(), 10);
	CHECK(mk(t, IPPROTO_UDP, HOST(200), 6000, &reason) == NULL);
	CHECK_EQ(reason, NAPT_STAT_DROP_NO_PORT);
	CHECK_EQ(ut_nmaps(t), 10);
	CHECK_EQ(live_maps(), 10);		/* the failed one is freed */
	CHECK(napt_map_lookup_out(&t->nn, &k) == NULL);
	/* the other protocols have their own ports */
	CHECK(mk(t, IPPROTO_TCP, HOST(200), 6000, NULL) != NULL);
	CHECK(mk(t, IPPROTO_ICMP, HOST(200), 6000, NULL) != NULL);
	ut_nat_free(t);
}

static void table_max_maps(void)
{
	struct ut_nat *t = ut_nat_new(1024, 4096);
	int reason = -1;

	REQUIRE(t);
	t->cfg.max_maps = 3;
	REQUIRE(mk(t, IPPROTO_UDP, HOST(1), 1111, NULL));
	REQUIRE(mk(t, IPPROTO_TCP, HOST(2), 1111, NULL));
	REQUIRE(mk(t, IPPROTO_ICMP, HOST(3), 1111, NULL));
	CHECK(mk(t, IPPROTO_UDP, HOST(4), 1111, &reason) == NULL);
	CHECK_EQ(reason, NAPT_STAT_DROP_MAP_LIMIT);
	CHECK_EQ(ut_nmaps(t), 3);
	CHECK_EQ(live_maps(), 3);
	/* room again once one expires (ICMP: 60 s; UDP 300, TCP 240) */
	kc_advance(60);
	ut_gc_all(t);
	CHECK_EQ(ut_nmaps(t), 2);
	REQUIRE(mk(t, IPPROTO_UDP, HOST(4), 1111, NULL));
	CHECK_EQ(ut_nmaps(t), 3);
	CHECK(mk(t, IPPROTO_UDP, HOST(5), 1111, &reason) == NULL);
	ut_nat_free(t);
}

/*
 * With 95% of a 1000-port range in use, a new mapping is still found, and
 * no allocation tries more than 1 + NAPT_RAND_PROBES + NAPT_LINEAR_PROBES
 * candidates.
 */
static void table_alloc_95pct_full(void)
{
	struct ut_nat *t = ut_nat_new(4096, 4096);
	unsigned long most = 0, most_h = 0, calls, hashes;
	unsigned int i, fails = 0;

	REQUIRE(t);
	t->cfg.port_min = 10000;
	t->cfg.port_max = 10999;
	for (i = 0; i < 970; i++) {
		calls = kc_socket_calls;
		hashes = kc_hash_calls;
		if (!mk(t, IPPROTO_UDP, HOST(1 + i % 250), 20000 + i, NULL))
			fails++;
		calls = kc_socket_calls - calls;
		hashes = kc_hash_calls - hashes;
		if (calls > most)
			most = calls;
		if (hashes > most_h)
			most_h = hashes;
	}
	CHECK_EQ(fails, 0);
	CHECK_EQ(ut_nmaps(t), 970);
	/*
	 * A candidate costs at most a look and a claim in the in table, a
	 * mapping also its out-table, host and address hashes; a socket is
	 * looked up only for a port no mapping holds.
	 */
	CHECK(most <= 1 + NAPT_RAND_PROBES + NAPT_LINEAR_PROBES);
	CHECK(most_h <= 3 + 2 * (NAPT_RAND_PROBES + NAPT_LINEAR_PROBES));
	/* with the address's bitmap, the first candidate is free: flat */
	CHECK_EQ(most, 1);
	CHECK(most_h <= 4);
	printf("    (up to 97%% full: at most %lu socket lookups and %lu hashes for one mapping)\n",
	       most, most_h);
	ut_nat_free(t);
}

/*
 * The free-port bitmaps (kmod/ports.c): allocation goes to a free port at
 * once; a port held before the address had a bitmap is found taken by the
 * claim, which repairs its bit; a gateway socket's port is passed over;
 * the bits follow the mappings as they go.
 */
static void table_ports_bitmap(void)
{
	struct ut_nat *t = ut_nat_new(1024, 4096);
	const struct napt_port_bits *pb;
	struct napt_map *st, *m, *m2;
	int reason = -1;

	REQUIRE(t);
	pb = port_bits_of(t, EXT1);
	REQUIRE(pb);
	CHECK(port_bits_of(t, EXT2) == NULL);
	m = mk(t, IPPROTO_UDP, HOST(1), 5000, NULL);
	REQUIRE(m);
	CHECK(test_bit(5000, pb->bits[NAPT_UDP]));
	CHECK(!test_bit(5000, pb->bits[NAPT_TCP]));

	/* a static mapping on EXT2 before EXT2 has a bitmap */
	t->cfg.ext[0] = EXT2;
	REQUIRE_EQ(ut_static(t, IPPROTO_UDP, HOST(2), 40000, 40000, 0, 0,
			     NULL, false, &st), 0);
	ut_ports_sync(t, &t->cfg);
	CHECK(port_bits_of(t, EXT1) == NULL);	/* left the pool */
	pb = port_bits_of(t, EXT2);
	REQUIRE(pb);
	CHECK(!test_bit(40000, pb->bits[NAPT_UDP]));	/* not known */
	t->cfg.port_min = 40000;
	t->cfg.port_max = 40001;
	t->cfg.flags &= ~NAPT_F_PORT_PRESERVE;
	m2 = mk(t, IPPROTO_UDP, HOST(3), 6000, NULL);
	REQUIRE(m2);
	CHECK_EQ(ntohs(m2->ext_port), 40001);
	CHECK(test_bit(40001, pb->bits[NAPT_UDP]));
	/* full: refused at once, and 40000's bit repaired on the way */
	CHECK(mk(t, IPPROTO_UDP, HOST(4), 6000, &reason) == NULL);
	CHECK_EQ(reason, NAPT_STAT_DROP_NO_PORT);
	CHECK(test_bit(40000, pb->bits[NAPT_UDP]));

	/* a socket's port is passed over; the bitmap does not record it */
	napt_flush(&t->nn, NAPT_MAP_ANY, 0);
	CHECK(!test_bit(40000, pb->bits[NAPT_UDP]));
	CHECK(!test_bit(40001, pb->bits[NAPT_UDP]));
	kc_socket_set(IPPROTO_UDP, 40000, true);
	m = mk(t, IPPROTO_UDP, HOST(5), 6000, NULL);
	REQUIRE(m);
	CHECK_EQ(ntohs(m->ext_port), 40001);
	CHECK(!test_bit(40000, pb->bits[NAPT_UDP]));
	kc_socket_set(IPPROTO_UDP, 40000, false);

	/* an address listed twice: one bitmap, freed once (ASan would say) */
	t->cfg.n_ext = 2;
	t->cfg.ext[1] = EXT2;
	ut_ports_sync(t, &t->cfg);
	REQUIRE(t->nn.ports);
	CHECK_EQ(t->nn.ports->n, 1);
	CHECK(port_bits_of(t, EXT2) == pb);	/* carried over */
	t->cfg.n_ext = 1;
	t->cfg.ext[0] = EXT1;
	ut_ports_sync(t, &t->cfg);
	CHECK(port_bits_of(t, EXT2) == NULL);
	CHECK(port_bits_of(t, EXT1) != NULL);
	ut_nat_free(t);
}

/* The bound, exactly: nothing free at all. */
static void table_alloc_probe_bound(void)
{
	struct ut_nat *t = ut_nat_new(1024, 4096);
	unsigned long calls;
	unsigned int p;
	int reason = -1;

	REQUIRE(t);
	t->cfg.port_min = 10000;
	t->cfg.port_max = 10999;
	for (p = 10000; p <= 10999; p++)
		kc_socket_set(IPPROTO_TCP, p, true);
	calls = kc_socket_calls;
	CHECK(mk(t, IPPROTO_TCP, HOST(1), 10500, &reason) == NULL);
	CHECK_EQ(reason, NAPT_STAT_DROP_NO_PORT);
	/* preserved port + random probes + a linear scan of at most 512 */
	CHECK_EQ(kc_socket_calls - calls,
		 1 + NAPT_RAND_PROBES + NAPT_LINEAR_PROBES);
	ut_nat_free(t);
}

/* A span within the linear scan is scanned whole: one free port is found. */
static void table_alloc_last_free_port(void)
{
	struct ut_nat *t = ut_nat_new(1024, 4096);
	unsigned int free_port, p;

	REQUIRE(t);
	t->cfg.port_min = 40000;
	t->cfg.port_max = 40299;
	for (free_port = 40000; free_port <= 40299; free_port += 23) {
		struct napt_map *m;

		for (p = 40000; p <= 40299; p++)
			kc_socket_set(IPPROTO_UDP, p, p != free_port);
		m = mk(t, IPPROTO_UDP, HOST(1), (u16)free_port + 1000, NULL);
		if (!CHECK(m))
			break;
		CHECK_EQ(ntohs(m->ext_port), free_port);
		napt_flush(&t->nn, NAPT_MAP_ANY, 0);
	}
	ut_nat_free(t);
}

static void table_sessions(void)
{
	struct ut_nat *t = ut_nat_new(1024, 4096);
	struct napt_map *m, *m2;
	struct napt_sess *s, *s2, *x;
	int reason = -1;

	REQUIRE(t);
	m = mk(t, IPPROTO_UDP, HOST(10), 5000, NULL);
	m2 = mk(t, IPPROTO_UDP, HOST(11), 5000, NULL);
	REQUIRE(m && m2);
	CHECK(napt_sess_lookup(&t->nn, m, REM1, htons(53), true) == NULL);
	s = mks(t, m, REM1, 53, &reason);
	REQUIRE(s);
	CHECK_EQ(reason, -1);
	/* the first session is the one embedded in the mapping */
	CHECK(s == &m->first_sess);
	CHECK_EQ(s->state, NAPT_FIRST_SESS_USED);
	CHECK_EQ(live_sess(), 0);
	CHECK_EQ(s->proto, IPPROTO_UDP);
	CHECK_EQX(s->rem_addr, REM1);
	CHECK_EQ(ntohs(s->rem_port), 53);
	CHECK_EQ(s->tcp, 0);
	CHECK_EQ(s->expires, napt_now() + 300);
	CHECK_EQ(ut_nsess(t), 1);
	CHECK_EQ(atomic_read(&m->nsess), 1);
	CHECK_EQ(refcount_read(&m->ref), 2);
	CHECK_EQ(ut_stat(t, NAPT_STAT_SESS_CREATED), 1);

	CHECK(napt_sess_lookup(&t->nn, m, REM1, htons(53), true) == s);
	CHECK(napt_sess_lookup(&t->nn, m, REM1, htons(54), true) == NULL);
	CHECK(napt_sess_lookup(&t->nn, m, REM1, htons(54), false) == s);
	CHECK(napt_sess_lookup(&t->nn, m, REM2, htons(53), false) == NULL);
	CHECK(napt_sess_lookup(&t->nn, m2, REM1, htons(53), false) == NULL);

	/* the same endpoint again: the existing session */
	x = mks(t, m, REM1, 53, NULL);
	CHECK(x == s);
	CHECK_EQ(ut_nsess(t), 1);
	CHECK_EQ(live_sess(), 0);
	CHECK_EQ(refcount_read(&m->ref), 2);

	/* a second one is allocated and hashed */
	s2 = mks(t, m, REM1, 54, NULL);
	REQUIRE(s2);
	CHECK(s2 != s);
	CHECK_EQ(live_sess(), 1);
	CHECK_EQ(s2->rem_addr, REM1);
	CHECK_EQ(ntohs(s2->rem_port), 54);
	CHECK(napt_sess_lookup(&t->nn, m, REM1, htons(54), true) == s2);
	x = napt_sess_lookup(&t->nn, m, REM1, 0, false);
	CHECK(x == s || x == s2);
	CHECK_EQ(atomic_read(&m->nsess), 2);
	CHECK_EQ(refcount_read(&m->ref), 3);
	/* another mapping, same remote */
	x = mks(t, m2, REM1, 53, NULL);
	REQUIRE(x);
	CHECK(napt_sess_lookup(&t->nn, m2, REM1, htons(53), true) == x);
	CHECK(x == &m2->first_sess);
	CHECK(napt_sess_lookup(&t->nn, m, REM1, htons(53), true) == s);
	CHECK_EQ(ut_nsess(t), 3);
	CHECK_EQ(live_sess(), 1);
	ut_nat_free(t);
}

/* napt_map_create() with its first session, as the packet path makes it. */
static void table_create_with_first(void)
{
	struct ut_nat *t = ut_nat_new(1024, 4096);
	struct napt_okey k = ut_key(IPPROTO_UDP, HOST(10), 5000);
	struct napt_sess *first = (void *)1;
	struct napt_map *m, *m2;
	int reason = -1;

	REQUIRE(t);
	m = ut_map_create(t, &k, NAPT_MAPPING_EIM, REM1,
			    htons(53), &first, &reason);
	REQUIRE(m);
	CHECK(first == &m->first_sess);
	CHECK_EQ(m->first_sess.state, NAPT_FIRST_SESS_USED);
	CHECK_EQX(first->rem_addr, REM1);
	CHECK_EQ(ntohs(first->rem_port), 53);
	CHECK_EQ(first->expires, napt_now() + 300);
	CHECK_EQ(ut_nsess(t), 1);
	CHECK_EQ(atomic_read(&m->nsess), 1);
	CHECK_EQ(refcount_read(&m->ref), 2);
	CHECK_EQ(ut_stat(t, NAPT_STAT_SESS_CREATED), 1);
	CHECK_EQ(live_sess(), 0);
	CHECK(napt_sess_lookup(&t->nn, m, REM1, htons(53), true) == first);
	CHECK(mks(t, m, REM1, 53, NULL) == first);

	/* at max-sessions: the mapping without it, as before */
	t->cfg.max_sess = 1;
	k = ut_key(IPPROTO_UDP, HOST(11), 5000);
	first = (void *)1;
	m2 = ut_map_create(t, &k, NAPT_MAPPING_EIM, REM1,
			     htons(53), &first, &reason);
	REQUIRE(m2);
	CHECK(first == NULL);
	CHECK_EQ(m2->first_sess.state, NAPT_FIRST_SESS_FREE);
	CHECK_EQ(ut_nsess(t), 1);
	CHECK_EQ(refcount_read(&m2->ref), 1);
	CHECK(mks(t, m2, REM1, 53, &reason) == NULL);
	CHECK_EQ(reason, NAPT_STAT_DROP_SESS_LIMIT);

	/* refused (no port): nothing counted */
	t->cfg.max_sess = 100;
	t->cfg.port_min = t->cfg.port_max = ntohs(m->ext_port);
	k = ut_key(IPPROTO_UDP, HOST(12), 6000);
	first = (void *)1;
	CHECK(ut_map_create(t, &k, NAPT_MAPPING_EIM, REM1,
			      htons(53), &first, &reason) == NULL);
	CHECK_EQ(reason, NAPT_STAT_DROP_NO_PORT);
	CHECK(first == NULL);
	CHECK_EQ(ut_nsess(t), 1);
	CHECK_EQ(ut_nmaps(t), 2);
	/* refused earlier (max-maps): *first is still cleared */
	t->cfg.max_maps = 2;
	first = (void *)1;
	CHECK(ut_map_create(t, &k, NAPT_MAPPING_EIM, REM1,
			      htons(53), &first, &reason) == NULL);
	CHECK_EQ(reason, NAPT_STAT_DROP_MAP_LIMIT);
	CHECK(first == NULL);
	CHECK_EQ(ut_nsess(t), 1);

	kc_advance(301);
	ut_gc_all(t);
	CHECK_EQ(ut_nsess(t), 0);
	CHECK_EQ(ut_nmaps(t), 0);
	ut_nat_free(t);
}

/*
 * The embedded first session: ended by the sweeper when its time is up
 * (counted as an expired session), never reused (later sessions go to the
 * table, whatever their remote), ended with its mapping.
 */
static void table_s0_lifecycle(void)
{
	struct ut_nat *t = ut_nat_new(1024, 4096);
	struct napt_sess *s, *s2, *s3;
	struct napt_map *m;

	REQUIRE(t);
	m = mk(t, IPPROTO_UDP, HOST(10), 5000, NULL);
	REQUIRE(m);
	CHECK_EQ(m->first_sess.state, NAPT_FIRST_SESS_FREE);
	s = mks(t, m, REM1, 53, NULL);
	CHECK(s == &m->first_sess);
	kc_advance(200);
	s2 = mks(t, m, REM2, 53, NULL);		/* lives 100 s longer */
	REQUIRE(s2 && s2 != s);
	kc_advance(150);
	ut_gc_all(t);
	/* the embedded one is over, the mapping lives on by the other */
	CHECK_EQ(m->first_sess.state, NAPT_FIRST_SESS_DEAD);
	CHECK_EQ(ut_nsess(t), 1);
	CHECK_EQ(atomic_read(&m->nsess), 1);
	CHECK_EQ(refcount_read(&m->ref), 2);
	CHECK_EQ(ut_stat(t, NAPT_STAT_SESS_EXPIRED), 1);
	CHECK_EQ(ut_nmaps(t), 1);
	CHECK(napt_sess_lookup(&t->nn, m, REM1, htons(53), true) == NULL);
	CHECK(napt_sess_lookup(&t->nn, m, REM2, htons(53), true) == s2);
	/* the old remote again: a new session, in the table */
	s3 = mks(t, m, REM1, 53, NULL);
	REQUIRE(s3);
	CHECK(s3 != s);
	CHECK_EQ(m->first_sess.state, NAPT_FIRST_SESS_DEAD);
	CHECK_EQ(live_sess(), 2);
	CHECK(napt_sess_lookup(&t->nn, m, REM1, htons(53), true) == s3);
	CHECK(napt_sess_lookup(&t->nn, m, REM1, 0, false) == s3);
	CHECK_EQ(ut_nsess(t), 2);
	kc_advance(301);
	ut_gc_all(t);
	CHECK_EQ(ut_nsess(t), 0);
	CHECK_EQ(ut_nmaps(t), 0);
	CHECK_EQ(live_sess(), 0);
	CHECK_EQ(live_maps(), 0);

	/* flushed with its mapping */
	m = mk(t, IPPROTO_UDP, HOST(11), 5000, NULL);
	REQUIRE(m);
	REQUIRE(mks(t, m, REM1, 53, NULL) == &m->first_sess);
	CHECK_EQ(napt_flush(&t->nn, NAPT_MAP_ANY, 0), 1);
	CHECK_EQ(ut_nsess(t), 0);
	CHECK_EQ(ut_nmaps(t), 0);
	CHECK_EQ(live_maps(), 0);
	ut_nat_free(t);
}

/*
 * A packet that still holds a mapping the sweeper or a flush has just
 * taken must not give it a session: the embedded one is not claimed, and
 * one made in the table goes with the mapping.
 */
static void table_s0_gone_mapping(void)
{
	struct ut_nat *t = ut_nat_new(1024, 4096);
	struct napt_map *m;
	int reason = -1;

	REQUIRE(t);
	/* gone at once (no reuse delay): no reference left to take */
	m = mk(t, IPPROTO_UDP, HOST(10), 5000, NULL);
	REQUIRE(m);
	CHECK_EQ(napt_flush(&t->nn, NAPT_MAP_DYNAMIC, 0), 1);
	CHECK(mks(t, m, REM1, 53, &reason) == NULL);
	CHECK_EQ(reason, NAPT_STAT_DROP_NOMEM);
	CHECK_EQ(m->first_sess.state, NAPT_FIRST_SESS_FREE);
	CHECK_EQ(ut_nsess(t), 0);
	CHECK_EQ(live_maps(), 0);

	/* resting (reuse delay): the session is made, then swept with it */
	t->nn.reuse_delay = 120;
	m = mk(t, IPPROTO_UDP, HOST(10), 5001, NULL);
	REQUIRE(m);
	CHECK_EQ(napt_flush(&t->nn, NAPT_MAP_DYNAMIC, 0), 1);
	CHECK(m->dead);
	CHECK(mks(t, m, REM1, 53, NULL) != &m->first_sess);
	CHECK_EQ(m->first_sess.state, NAPT_FIRST_SESS_FREE);
	CHECK_EQ(ut_nsess(t), 1);
	ut_gc_all(t);
	CHECK_EQ(ut_nsess(t), 0);
	CHECK_EQ(live_sess(), 0);
	kc_advance(121);
	ut_gc_all(t);
	CHECK_EQ(live_maps(), 0);
	ut_nat_free(t);
}

static void table_session_limit(void)
{
	struct ut_nat *t = ut_nat_new(1024, 4096);
	struct napt_map *m;
	int reason = -1;

	REQUIRE(t);
	t->cfg.max_sess = 2;
	m = mk(t, IPPROTO_UDP, HOST(10), 5000, NULL);
	REQUIRE(m);
	REQUIRE(mks(t, m, REM1, 1, NULL));
	REQUIRE(mks(t, m, REM1, 2, NULL));
	CHECK(mks(t, m, REM1, 3, &reason) == NULL);
	CHECK_EQ(reason, NAPT_STAT_DROP_SESS_LIMIT);
	CHECK_EQ(ut_nsess(t), 2);
	CHECK_EQ(atomic_read(&m->nsess), 2);
	CHECK_EQ(refcount_read(&m->ref), 3);
	CHECK_EQ(live_sess(), 1);	/* the first is embedded */
	/* the existing ones still work at the limit (xlate looks up first) */
	CHECK(napt_sess_lookup(&t->nn, m, REM1, htons(2), true) != NULL);
	/* and a freed slot can be used again */
	kc_advance(300);
	m->expires = napt_now() + 300;	/* as traffic would refresh it */
	ut_gc_all(t);
	CHECK_EQ(ut_nsess(t), 0);
	CHECK_EQ(ut_nmaps(t), 1);
	CHECK(mks(t, m, REM1, 3, NULL) != NULL);
	ut_nat_free(t);
}

static void table_alloc_failures(void)
{
	struct ut_nat *t = ut_nat_new(1024, 4096);
	struct napt_map *m;
	int reason = -1;

	REQUIRE(t);
	kc_fail_map_alloc = 1;
	CHECK(mk(t, IPPROTO_UDP, HOST(10), 5000, &reason) == NULL);
	CHECK_EQ(reason, NAPT_STAT_DROP_NOMEM);
	CHECK_EQ(ut_nmaps(t), 0);
	m = mk(t, IPPROTO_UDP, HOST(10), 5000, NULL);
	REQUIRE(m);
	CHECK_EQ(ntohs(m->ext_port), 5000);	/* nothing was left claimed */
	/* the first session allocates nothing */
	kc_fail_sess_alloc = 1;
	reason = -1;
	CHECK(mks(t, m, REM1, 53, &reason) == &m->first_sess);
	CHECK_EQ(reason, -1);
	CHECK_EQ(ut_nsess(t), 1);
	CHECK_EQ(refcount_read(&m->ref), 2);
	/* the second does */
	CHECK(mks(t, m, REM1, 54, &reason) == NULL);
	CHECK_EQ(reason, NAPT_STAT_DROP_NOMEM);
	CHECK_EQ(ut_nsess(t), 1);
	CHECK_EQ(atomic_read(&m->nsess), 1);
	CHECK_EQ(refcount_read(&m->ref), 2);
	CHECK_EQ(live_sess(), 0);
	ut_nat_free(t);
}

static void table_init_failures(void)
{
	struct napt_net *nn = calloc(1, sizeof(*nn));
	long kv = kc_live_kv;
	struct mem_cgroup cg;
	unsigned int n;

	REQUIRE(nn);
	nn->memcg = &cg;
	napt_memcg_enter(nn);		/* as napt_up() */
	/* out, in, sess and hosts: each allocation may fail */
	for (n = 1; n <= 4; n++) {
		kc_fail_kvcalloc = n;
		CHECK_EQ(napt_table_init(nn, 100, 100), -ENOMEM);
		CHECK_EQ(kc_live_kv, kv);
	}
	kc_fail_kvcalloc = 0;
	REQUIRE_EQ(napt_table_init(nn, 100, 1000), 0);
	CHECK_EQ(nn->out.mask, 255);		/* at least NAPT_LOCKS */
	CHECK_EQ(nn->in.mask, 255);
	/* only sessions beyond a mapping's first: a quarter */
	CHECK_EQ(nn->sess.mask, 255);
	CHECK_EQ(nn->hosts.mask, 255);
	napt_table_free(nn);
	CHECK_EQ(kc_live_kv, kv);
	REQUIRE_EQ(napt_table_init(nn, 65536, 4 * 65536), 0);
	CHECK_EQ(nn->out.mask, 65535);
	CHECK_EQ(nn->sess.mask, 65535);
	CHECK_EQ(nn->hosts.mask, 4095);		/* one per 16 mappings */
	napt_table_free(nn);
	CHECK_EQ(kc_live_kv, kv);
	napt_memcg_exit(NULL);
	free(nn);
}

static void table_timeouts(void)
{
	struct napt_cfg c;
	const u32 both = NAPT_TCP_SYN_OUT | NAPT_TCP_SYN_IN | NAPT_TCP_EST;

	ut_cfg_defaults(&c);
	CHECK_EQ(napt_map_timeout(&c, IPPROTO_UDP), 300);
	CHECK_EQ(napt_map_timeout(&c, IPPROTO_TCP), 240);
	CHECK_EQ(napt_map_timeout(&c, IPPROTO_ICMP), 60);
	CHECK_EQ(napt_sess_timeout(&c, IPPROTO_UDP, 0), 300);
	CHECK_EQ(napt_sess_timeout(&c, IPPROTO_ICMP, 0), 60);
	CHECK_EQ(napt_sess_timeout(&c, IPPROTO_TCP, 0), 240);
	CHECK_EQ(napt_sess_timeout(&c, IPPROTO_TCP, NAPT_TCP_SYN_OUT), 240);
	CHECK_EQ(napt_sess_timeout(&c, IPPROTO_TCP, both), 7440);
	CHECK_EQ(napt_sess_timeout(&c, IPPROTO_TCP, both | NAPT_TCP_FIN_OUT),
		 7440);
	CHECK_EQ(napt_sess_timeout(&c, IPPROTO_TCP, both | NAPT_TCP_FIN_IN),
		 7440);
	CHECK_EQ(napt_sess_timeout(&c, IPPROTO_TCP,
				   both | NAPT_TCP_FIN_IN | NAPT_TCP_FIN_OUT),
		 240);
	CHECK_EQ(napt_sess_timeout(&c, IPPROTO_TCP, both | NAPT_TCP_RST), 240);
}

static void table_pick_ext_addr(void)
{
	struct ut_nat *t = ut_nat_new(1024, 4096);
	unsigned int i, hits[3] = {};

	REQUIRE(t);
	CHECK_EQX(napt_pick_ext_addr(&t->nn, &t->cfg, HOST(1)), EXT1);
	t->cfg.n_ext = 0;
	t->nn.if_addr = ip4(203, 0, 113, 77);
	CHECK_EQX(napt_pick_ext_addr(&t->nn, &t->cfg, HOST(1)),
		  ip4(203, 0, 113, 77));
	t->cfg.n_ext = 3;
	t->cfg.ext[1] = EXT2;
	t->cfg.ext[2] = ip4(203, 0, 113, 3);
	for (i = 1; i < 255; i++) {
		__be32 a = napt_pick_ext_addr(&t->nn, &t->cfg, HOST(i));
		unsigned int j;

		/* paired: the same one every time */
		CHECK_EQX(napt_pick_ext_addr(&t->nn, &t->cfg, HOST(i)), a);
		for (j = 0; j < 3; j++)
			hits[j] += a == t->cfg.ext[j];
	}
	CHECK_EQ(hits[0] + hits[1] + hits[2], 254);
	CHECK(hits[0] > 40 && hits[1] > 40 && hits[2] > 40);
	/* no address at all: no mapping */
	{
		int reason = -1;

		t->cfg.n_ext = 0;
		t->nn.if_addr = 0;
		CHECK(mk(t, IPPROTO_UDP, HOST(1), 5000, &reason) == NULL);
		CHECK_EQ(reason, NAPT_STAT_DROP_NO_PORT);
		CHECK_EQ(ut_nmaps(t), 0);
	}
	ut_nat_free(t);
}

static void table_gc_expiry(void)
{
	struct ut_nat *t = ut_nat_new(1024, 4096);
	struct napt_okey k = ut_key(IPPROTO_UDP, HOST(10), 5000);
	struct napt_map *m;

	REQUIRE(t);
	m = mk(t, IPPROTO_UDP, HOST(10), 5000, NULL);
	REQUIRE(m);
	REQUIRE(mks(t, m, REM1, 53, NULL));
	kc_advance(299);
	CHECK_EQ(napt_gc_step(&t->nn, napt_now(), 1U << 30), 0);
	CHECK_EQ(ut_nmaps(t), 1);
	CHECK_EQ(ut_nsess(t), 1);
	CHECK(napt_sess_lookup(&t->nn, m, REM1, htons(53), true) != NULL);
	kc_advance(1);				/* 300 s: time is up */
	CHECK_EQ(napt_gc_step(&t->nn, napt_now(), 1U << 30), 1);
	CHECK_EQ(ut_nsess(t), 0);
	CHECK_EQ(ut_nmaps(t), 0);
	CHECK_EQ(ut_stat(t, NAPT_STAT_SESS_EXPIRED), 1);
	CHECK_EQ(ut_stat(t, NAPT_STAT_MAPS_EXPIRED), 1);
	CHECK(napt_map_lookup_out(&t->nn, &k) == NULL);
	CHECK(ut_lookup_in(t, IPPROTO_UDP, EXT1, htons(5000), REM1) ==
	      NULL);
	CHECK_EQ(live_maps(), 0);
	CHECK_EQ(live_sess(), 0);
	ut_nat_free(t);
}

/* A mapping whose own time is up stays while a session lives. */
static void table_gc_map_kept_by_session(void)
{
	struct ut_nat *t = ut_nat_new(1024, 4096);
	const u32 est = NAPT_TCP_SYN_OUT | NAPT_TCP_SYN_IN | NAPT_TCP_EST;
	struct napt_map *m, *lone;
	struct napt_sess *s;

	REQUIRE(t);
	m = mk(t, IPPROTO_TCP, HOST(10), 5000, NULL);
	lone = mk(t, IPPROTO_TCP, HOST(11), 5000, NULL);
	REQUIRE(m && lone);
	s = mks(t, m, REM1, 443, NULL);
	REQUIRE(s);
	s->tcp = est;
	s->expires = napt_now() + napt_sess_timeout(&t->cfg, IPPROTO_TCP, est);
	kc_advance(241);	/* both mappings' 240 s are over */
	CHECK_EQ(napt_gc_step(&t->nn, napt_now(), 1U << 30), 1);
	CHECK_EQ(ut_nmaps(t), 1);
	CHECK(ut_lookup_in(t, IPPROTO_TCP, EXT1, m->ext_port, REM1) == m);
	CHECK_EQ(ut_nsess(t), 1);
	kc_advance(7440 - 241 - 1);
	ut_gc_all(t);
	CHECK_EQ(ut_nmaps(t), 1);
	kc_advance(1);
	CHECK_EQ(napt_gc_step(&t->nn, napt_now(), 1U << 30), 1);
	CHECK_EQ(ut_nmaps(t), 0);
	CHECK_EQ(ut_nsess(t), 0);
	ut_nat_free(t);
}

/* A small budget sweeps the tables piecewise and covers them all. */
static void table_gc_budget(void)
{
	struct ut_nat *t = ut_nat_new(256, 256);
	unsigned int i, freed = 0;

	REQUIRE(t);
	for (i = 0; i < 100; i++) {
		struct napt_map *m = mk(t, IPPROTO_UDP, HOST(1 + i), 5000, NULL);

		REQUIRE(m);
		REQUIRE(mks(t, m, REM1, 53, NULL));
	}
	kc_advance(300);
	/*
	 * A mapping's bucket may come before its session's: the first round
	 * frees the sessions, the second the rest.
	 */
	for (i = 0; i < 2 * 256 / 16; i++)
		freed += napt_gc_step(&t->nn, napt_now(), 16);
	CHECK_EQ(ut_nsess(t), 0);
	CHECK_EQ(freed, 100);
	CHECK_EQ(ut_nmaps(t), 0);
	ut_nat_free(t);
}

/* Expiry across the wrap of napt_now()'s u32 seconds. */
static void table_gc_clock_wrap(void)
{
	struct ut_nat *t = ut_nat_new(1024, 4096);
	struct napt_map *m;

	REQUIRE(t);
	jiffies = (unsigned long)(0xffffffffUL - 100) * HZ;
	CHECK_EQX(napt_now(), 0xffffffffU - 100);
	m = mk(t, IPPROTO_UDP, HOST(10), 5000, NULL);
	REQUIRE(m);
	REQUIRE(mks(t, m, REM1, 53, NULL));
	CHECK_EQ(m->expires, 199);		/* wrapped */
	ut_gc_all(t);				/* 0xffffff9b is before 199 */
	CHECK_EQ(ut_nmaps(t), 1);
	CHECK_EQ(ut_nsess(t), 1);
	kc_advance(150);
	ut_gc_all(t);
	CHECK_EQ(ut_nmaps(t), 1);
	CHECK_EQ(ut_nsess(t), 1);
	kc_advance(149);
	ut_gc_all(t);
	CHECK_EQ(ut_nmaps(t), 1);
	kc_advance(1);
	ut_gc_all(t);
	CHECK_EQ(ut_nmaps(t), 0);
	CHECK_EQ(ut_nsess(t), 0);
	ut_nat_free(t);
}

static void table_flush_by_type(void)
{
	struct ut_nat *t = ut_nat_new(1024, 4096);
	struct napt_map *d1, *d2, *st;

	REQUIRE(t);
	d1 = mk(t, IPPROTO_UDP, HOST(1), 1111, NULL);
	d2 = mk(t, IPPROTO_TCP, HOST(2), 2222, NULL);
	REQUIRE(d1 && d2);
	REQUIRE_EQ(ut_static(t, IPPROTO_UDP, HOST(3), 3333, 3333, 0, 0, NULL,
			     false, &st), 0);
	REQUIRE(mks(t, d1, REM1, 53, NULL));
	REQUIRE(mks(t, st, REM1, 53, NULL));
	REQUIRE(mks(t, st, REM2, 53, NULL));

	CHECK_EQ(napt_flush(&t->nn, NAPT_MAP_STATIC, EXT2), 0);
	CHECK_EQ(napt_flush(&t->nn, NAPT_MAP_DYNAMIC, 0), 2);
	CHECK_EQ(ut_nmaps(t), 1);
	CHECK_EQ(ut_nsess(t), 2);		/* the static one's */
	CHECK(ut_lookup_in(t, IPPROTO_UDP, EXT1, st->ext_port, REM1) == st);
	CHECK(ut_lookup_in(t, IPPROTO_UDP, EXT1, htons(1111), REM1) == NULL);
	CHECK(napt_sess_lookup(&t->nn, st, REM2, htons(53), true) != NULL);
	CHECK_EQ(live_maps(), 1);
	CHECK_EQ(live_sess(), 1);	/* its first is embedded */
	/* the sweeper never expires a permanent static mapping */
	kc_advance(100000);
	ut_gc_all(t);
	CHECK_EQ(ut_nmaps(t), 1);
	CHECK_EQ(ut_nsess(t), 0);		/* its sessions do expire */
	CHECK_EQ(napt_flush(&t->nn, NAPT_MAP_STATIC, 0), 1);
	CHECK_EQ(ut_nmaps(t), 0);
	CHECK_EQ(napt_flush(&t->nn, NAPT_MAP_ANY, 0), 0);
	ut_nat_free(t);
}

static void table_flush_by_addr(void)
{
	struct ut_nat *t = ut_nat_new(1024, 4096);
	struct napt_map *maps[40];
	unsigned int i, on1 = 0, on2 = 0;

	REQUIRE(t);
	t->cfg.n_ext = 2;
	t->cfg.ext[1] = EXT2;
	for (i = 0; i < 40; i++) {
		maps[i] = mk(t, IPPROTO_UDP, HOST(1 + i / 2), 4000 + i, NULL);
		REQUIRE(maps[i]);
		REQUIRE(mks(t, maps[i], REM1, 53, NULL));
		REQUIRE(mks(t, maps[i], REM2, 53, NULL));
		if (maps[i]->ext_addr == EXT1)
			on1++;
		else if (CHECK_EQX(maps[i]->ext_addr, EXT2))
			on2++;
		/* paired pooling: one host, one address */
		if (i % 2)
			CHECK_EQX(maps[i]->ext_addr, maps[i - 1]->ext_addr);
	}
	REQUIRE(on1 > 0 && on2 > 0);
	CHECK_EQ(napt_flush(&t->nn, NAPT_MAP_DYNAMIC, EXT1), on1);
	CHECK_EQ(ut_nmaps(t), on2);
	CHECK_EQ(ut_nsess(t), 2 * on2);
	CHECK_EQ(live_maps(), on2);
	CHECK_EQ(live_sess(), on2);	/* the first of each is embedded */
	for (i = 0; i < 40; i++) {
		struct napt_okey k = ut_key(IPPROTO_UDP, HOST(1 + i / 2),
					    4000 + i);
		struct napt_map *m = napt_map_lookup_out(&t->nn, &k);

		if (m) {
			CHECK_EQX(m->ext_addr, EXT2);
			CHECK(napt_sess_lookup(&t->nn, m, REM2, htons(53),
					       true) != NULL);
		}
	}
	CHECK_EQ(napt_flush(&t->nn, NAPT_MAP_ANY, EXT2), on2);
	CHECK_EQ(ut_nmaps(t), 0);
	CHECK_EQ(ut_nsess(t), 0);
	ut_nat_free(t);
}

/* Force every entry of one table into bucket 0. */
static void table_chain_bound_out(void)
{
	struct ut_nat *t = ut_nat_new(256, 4096);
	unsigned int i, made = 0;
	int reason = -1;

	REQUIRE(t);
	t->nn.out.mask = 0;
	for (i = 0; i < NAPT_CHAIN_MAX; i++)
		made += mk(t, IPPROTO_UDP, HOST(1 + i), 5000, NULL) != NULL;
	CHECK_EQ(made, NAPT_CHAIN_MAX);
	CHECK(mk(t, IPPROTO_UDP, HOST(200), 5000, &reason) == NULL);
	CHECK_EQ(reason, NAPT_STAT_DROP_CHAIN);
	CHECK_EQ(ut_nmaps(t), NAPT_CHAIN_MAX);
	CHECK_EQ(live_maps(), NAPT_CHAIN_MAX);
	/* the refused one left no port claimed */
	for (i = 0; i < NAPT_CHAIN_MAX; i++) {
		struct napt_okey k = ut_key(IPPROTO_UDP, HOST(1 + i), 5000);
		struct napt_map *m = napt_map_lookup_out(&t->nn, &k);

		REQUIRE(m);
		CHECK(ut_lookup_in(t, IPPROTO_UDP, EXT1,
					 m->ext_port, REM1) == m);
	}
	/* an existing key is still found at the bound */
	CHECK(mk(t, IPPROTO_UDP, HOST(1), 5000, NULL) != NULL);
	ut_nat_free(t);
}

static void table_chain_bound_in(void)
{
	struct ut_nat *t = ut_nat_new(256, 4096);
	unsigned int i, made = 0;
	unsigned long calls;
	int reason = -1;

	REQUIRE(t);
	t->nn.in.mask = 0;
	for (i = 0; i < NAPT_CHAIN_MAX; i++)
		made += mk(t, IPPROTO_UDP, HOST(1 + i), 6000 + i, NULL) != NULL;
	CHECK_EQ(made, NAPT_CHAIN_MAX);
	calls = kc_socket_calls;
	CHECK(mk(t, IPPROTO_UDP, HOST(200), 5000, &reason) == NULL);
	CHECK_EQ(reason, NAPT_STAT_DROP_NO_PORT);
	CHECK(kc_socket_calls - calls <= 1 + NAPT_RAND_PROBES +
	      NAPT_LINEAR_PROBES);
	CHECK_EQ(ut_nmaps(t), NAPT_CHAIN_MAX);
	CHECK_EQ(live_maps(), NAPT_CHAIN_MAX);
	ut_nat_free(t);
}

static void table_chain_bound_sess(void)
{
	struct ut_nat *t = ut_nat_new(256, 256);
	struct napt_map *m;
	unsigned int i, made = 0;
	int reason = -1;

	REQUIRE(t);
	t->nn.sess.mask = 0;
	m = mk(t, IPPROTO_UDP, HOST(1), 5000, NULL);
	REQUIRE(m);
	/* the first session is embedded, the next ones fill the chain */
	for (i = 0; i < 1 + NAPT_CHAIN_MAX; i++)
		made += mks(t, m, REM1, 1 + i, NULL) != NULL;
	CHECK_EQ(made, 1 + NAPT_CHAIN_MAX);
	CHECK(mks(t, m, REM2, 1, &reason) == NULL);
	CHECK_EQ(reason, NAPT_STAT_DROP_CHAIN);
	CHECK_EQ(ut_nsess(t), 1 + NAPT_CHAIN_MAX);
	CHECK_EQ(atomic_read(&m->nsess), 1 + NAPT_CHAIN_MAX);
	CHECK_EQ(refcount_read(&m->ref), 2 + NAPT_CHAIN_MAX);
	CHECK_EQ(live_sess(), NAPT_CHAIN_MAX);
	ut_nat_free(t);
}

struct walk {
	struct napt_map *seen[512];
	unsigned int n, budget, calls;
};

static int walk_fn(struct napt_map *m, void *arg)
{
	struct walk *w = arg;

	w->calls++;
	if (!w->budget)
		return -EMSGSIZE;	/* "message full": stop before @m */
	w->budget--;
	if (w->n < ARRAY_SIZE(w->seen))
		w->seen[w->n++] = m;
	return 0;
}

/* A dump in pieces of @per visits each mapping exactly once. */
static void walk_check(struct ut_nat *t, struct napt_map **maps,
		       unsigned int n, unsigned int per)
{
	static struct walk w;
	u32 bucket = 0, skip = 0;
	unsigned int rounds = 0, i, j;
	int ret;

	memset(&w, 0, sizeof(w));
	do {
		w.budget = per;
		ret = napt_map_walk(&t->nn, &bucket, &skip, walk_fn, &w);
		if (!CHECK(ret == 0 || ret == -EMSGSIZE))
			return;
		if (!CHECK(++rounds <= n / per + 2))
			return;
	} while (ret);
	CHECK_EQ(w.n, n);
	for (i = 0; i < n; i++) {
		unsigned int hits = 0;

		for (j = 0; j < w.n; j++)
			hits += w.seen[j] == maps[i];
		if (!CHECK_EQ(hits, 1))
			break;
	}
	/* a finished walk stays finished */
	w.budget = 100;
	CHECK_EQ(napt_map_walk(&t->nn, &bucket, &skip, walk_fn, &w), 0);
	CHECK_EQ(w.n, n);
}

static void table_map_walk_resume(void)
{
	struct ut_nat *t = ut_nat_new(256, 256);
	struct napt_map *maps[120];
	unsigned int i, n = 0;

	REQUIRE(t);
	t->nn.out.mask = 7;		/* ~15 per bucket: skips matter */
	for (i = 0; i < ARRAY_SIZE(maps); i++) {
		struct napt_map *m = mk(t, IPPROTO_UDP, HOST(1 + i), 5000, NULL);

		if (m)
			maps[n++] = m;
	}
	CHECK(n >= 100);
	walk_check(t, maps, n, 1);
	walk_check(t, maps, n, 3);
	walk_check(t, maps, n, 16);
	walk_check(t, maps, n, 1000);
	/* a table with one mapping per bucket at most */
	napt_flush(&t->nn, NAPT_MAP_ANY, 0);
	t->nn.out.mask = 255;
	maps[0] = mk(t, IPPROTO_UDP, HOST(1), 5000, NULL);
	REQUIRE(maps[0]);
	walk_check(t, maps, 1, 1);
	ut_nat_free(t);
}

/* RFC 6888 REQ-4: max-maps-per-host, counted per inside address. */
static void table_per_host_limit(void)
{
	struct ut_nat *t = ut_nat_new(1024, 4096);
	unsigned int ev, i;
	int reason = -1;

	REQUIRE(t);
	t->cfg.max_per_host = 3;
	REQUIRE(mk(t, IPPROTO_UDP, HOST(10), 5000, NULL));
	REQUIRE(mk(t, IPPROTO_UDP, HOST(10), 5001, NULL));
	REQUIRE(mk(t, IPPROTO_TCP, HOST(10), 5000, NULL));
	ev = kc_nevents;
	CHECK(mk(t, IPPROTO_ICMP, HOST(10), 7, &reason) == NULL);
	CHECK_EQ(reason, NAPT_STAT_DROP_HOST_LIMIT);
	REQUIRE_EQ(kc_nevents, ev + 1);
	CHECK_EQ(kc_events[ev].event, NAPT_EVENT_REFUSED);
	CHECK_EQ(kc_events[ev].reason, NAPT_REASON_LIMIT);
	CHECK(kc_events[ev].m_null);
	CHECK_EQX(kc_events[ev].int_addr, HOST(10));
	CHECK_EQ(ut_nmaps(t), 3);
	CHECK_EQ(live_maps(), 3);
	/* other hosts have their own count */
	for (i = 0; i < 3; i++)
		REQUIRE(mk(t, IPPROTO_UDP, HOST(11), 6000 + i, NULL));
	CHECK(mk(t, IPPROTO_UDP, HOST(11), 6003, NULL) == NULL);
	/* a mapping that goes makes room (TCP: 240 s, UDP: 300 s) */
	kc_advance(240);
	ut_gc_all(t);
	CHECK_EQ(ut_nmaps(t), 5);
	REQUIRE(mk(t, IPPROTO_ICMP, HOST(10), 7, NULL));
	CHECK(mk(t, IPPROTO_ICMP, HOST(10), 8, NULL) == NULL);
	/* static mappings count, but are never refused for it */
	for (i = 0; i < 4; i++)
		CHECK_EQ(ut_static(t, IPPROTO_TCP, HOST(13), 80 + i, 0, 0, 0,
				   NULL, false, NULL), 0);
	reason = -1;
	CHECK(mk(t, IPPROTO_UDP, HOST(13), 5000, &reason) == NULL);
	CHECK_EQ(reason, NAPT_STAT_DROP_HOST_LIMIT);
	CHECK_EQ(napt_flush(&t->nn, NAPT_MAP_STATIC, 0), 4);
	CHECK(mk(t, IPPROTO_UDP, HOST(13), 5000, NULL) != NULL);
	/* no limit */
	t->cfg.max_per_host = 0;
	for (i = 0; i < 20; i++)
		REQUIRE(mk(t, IPPROTO_UDP, HOST(14), 7000 + i, NULL));
	/* every count goes with its last mapping */
	napt_flush(&t->nn, NAPT_MAP_ANY, 0);
	rcu_barrier();
	CHECK_EQ(kc_live_km, 0);
	ut_nat_free(t);
}

/*
 * The per-host count needs memory for a host's first mapping; failing to
 * get it is an allocation failure (DROP_NOMEM, no ICMP 3/13 as for a
 * mapping that cannot be allocated), not a limit.
 */
static void table_host_count_nomem(void)
{
	struct ut_nat *t = ut_nat_new(1024, 4096);
	u8 pkt[UT_PKT_MAX];
	unsigned int len;
	int reason = -1;

	REQUIRE(t);
	kc_fail_kmalloc = 1;
	CHECK(mk(t, IPPROTO_UDP, HOST(10), 5000, &reason) == NULL);
	CHECK_EQ(reason, NAPT_STAT_DROP_NOMEM);
	CHECK_EQ(ut_nmaps(t), 0);
	kc_fail_kmalloc = 1;
	len = ut_udp(pkt, HOST(10), 5000, REM1, 53, 8);
	CHECK_EQ(ut_out(t, pkt, len), NF_DROP);
	CHECK_EQ(ut_stat(t, NAPT_STAT_DROP_NOMEM), 1);
	CHECK_EQ(ut_stat(t, NAPT_STAT_DROP_HOST_LIMIT), 0);
	CHECK_EQ(kc_unreach_calls, 0);
	CHECK_EQ(ut_stat(t, NAPT_STAT_ICMP_UNREACH_SENT), 0);
	/* and then it works */
	CHECK(mk(t, IPPROTO_UDP, HOST(10), 5000, NULL) != NULL);
	ut_nat_free(t);
}

/* RFC 6888 REQ-8: a freed port rests before another host gets it. */
static void table_reuse_delay(void)
{
	struct ut_nat *t = ut_nat_new(1024, 4096);
	struct napt_map *m;
	unsigned int ev;
	int reason = -1;

	REQUIRE(t);
	t->nn.reuse_delay = 120;
	t->cfg.port_min = 40000;
	t->cfg.port_max = 40000;		/* one port */
	m = mk(t, IPPROTO_UDP, HOST(1), 5000, NULL);
	REQUIRE(m);
	REQUIRE(mks(t, m, REM1, 53, NULL));
	ev = kc_nevents;
	CHECK_EQ(napt_flush(&t->nn, NAPT_MAP_DYNAMIC, 0), 1);
	REQUIRE_EQ(kc_nevents, ev + 1);		/* removed, once */
	CHECK_EQ(kc_events[ev].event, NAPT_EVENT_REMOVED);
	CHECK_EQ(kc_events[ev].reason, NAPT_REASON_FLUSHED);
	CHECK_EQ(ut_nmaps(t), 0);
	CHECK_EQ(ut_nsess(t), 0);
	CHECK_EQ(live_maps(), 1);		/* resting */
	CHECK_EQ(atomic_read(&t->nn.ntomb), 1);
	/* found by nothing */
	CHECK(ut_lookup_in(t, IPPROTO_UDP, EXT1, htons(40000), REM1) == NULL);
	CHECK(napt_static_del(&t->nn, IPPROTO_UDP, EXT1, htons(40000), 0) ==
	      -ENOENT);
	/* another host: not before 120 s */
	CHECK(mk(t, IPPROTO_UDP, HOST(2), 5000, &reason) == NULL);
	CHECK_EQ(reason, NAPT_STAT_DROP_NO_PORT);
	kc_advance(119);
	CHECK(mk(t, IPPROTO_UDP, HOST(2), 5000, NULL) == NULL);
	/* the same inside address: at once, any port of it */
	m = mk(t, IPPROTO_UDP, HOST(1), 6000, NULL);
	REQUIRE(m);
	CHECK_EQ(ntohs(m->ext_port), 40000);
	CHECK_EQ(live_maps(), 1);		/* the resting one reaped */
	CHECK_EQ(atomic_read(&t->nn.ntomb), 0);
	/* expiry rests the port too */
	kc_advance(300);
	ut_gc_all(t);
	CHECK_EQ(ut_nmaps(t), 0);
	CHECK_EQ(live_maps(), 1);
	kc_advance(119);
	CHECK(mk(t, IPPROTO_UDP, HOST(2), 5000, NULL) == NULL);
	kc_advance(1);
	m = mk(t, IPPROTO_UDP, HOST(2), 5000, NULL);	/* rest is over */
	REQUIRE(m);
	CHECK_EQ(ntohs(m->ext_port), 40000);
	CHECK_EQ(live_maps(), 1);
	/* the sweeper reaps a rest that is over */
	napt_flush(&t->nn, NAPT_MAP_DYNAMIC, 0);
	kc_advance(119);
	ut_gc_all(t);
	CHECK_EQ(live_maps(), 1);
	kc_advance(1);
	ut_gc_all(t);
	CHECK_EQ(live_maps(), 0);
	CHECK_EQ(atomic_read(&t->nn.ntomb), 0);
	/* other protocols have their own ports */
	m = mk(t, IPPROTO_UDP, HOST(3), 5000, NULL);
	REQUIRE(m);
	napt_flush(&t->nn, NAPT_MAP_DYNAMIC, 0);
	CHECK(mk(t, IPPROTO_TCP, HOST(4), 5000, NULL) != NULL);
	/* a static mapping takes a resting port at once */
	CHECK_EQ(ut_static(t, IPPROTO_UDP, HOST(4), 80, 40000, 0, 0, NULL,
			   false, &m), 0);
	CHECK_EQ(atomic_read(&t->nn.ntomb), 0);
	/* and its own port does not rest */
	CHECK_EQ(napt_static_del(&t->nn, IPPROTO_UDP, EXT1, htons(40000), 0),
		 0);
	CHECK(mk(t, IPPROTO_UDP, HOST(5), 5000, NULL) != NULL);
	/* flushing everything ends every rest (UDP and TCP 40000 here) */
	napt_flush(&t->nn, NAPT_MAP_DYNAMIC, 0);
	CHECK_EQ(atomic_read(&t->nn.ntomb), 2);
	napt_flush(&t->nn, NAPT_MAP_ANY, 0);
	CHECK_EQ(atomic_read(&t->nn.ntomb), 0);
	CHECK_EQ(live_maps(), 0);
	ut_nat_free(t);
}

/* At most as many ports rest as the out table has buckets. */
static void table_reuse_delay_bound(void)
{
	struct ut_nat *t = ut_nat_new(256, 4096);
	unsigned int i;

	REQUIRE(t);
	t->nn.reuse_delay = 120;
	t->cfg.max_maps = 1000;
	REQUIRE_EQ(t->nn.out.mask, 255);
	for (i = 0; i < 300; i++)
		REQUIRE(mk(t, i % 2 ? IPPROTO_UDP : IPPROTO_TCP,
			   HOST(1 + i % 200), 2000 + i, NULL));
	CHECK_EQ(napt_flush(&t->nn, NAPT_MAP_DYNAMIC, 0), 300);
	CHECK_EQ(atomic_read(&t->nn.ntomb), 256);
	CHECK_EQ(live_maps(), 256);
	kc_advance(120);
	ut_gc_all(t);
	CHECK_EQ(atomic_read(&t->nn.ntomb), 0);
	CHECK_EQ(live_maps(), 0);
	ut_nat_free(t);
}

/* Everything at once, then nothing may be left. */
static void table_no_leak_after_all(void)
{
	struct ut_nat *t = ut_nat_new(1024, 4096);
	unsigned int i;

	REQUIRE(t);
	for (i = 0; i < 300; i++) {
		u8 proto = i % 3 == 0 ? IPPROTO_UDP :
			   i % 3 == 1 ? IPPROTO_TCP : IPPROTO_ICMP;
		struct napt_map *m = mk(t, proto, HOST(1 + i % 100),
					1000 + i, NULL);

		REQUIRE(m);
		if (i % 4)
			REQUIRE(mks(t, m, REM1, i, NULL));
		if (i % 5 == 0)
			REQUIRE(mks(t, m, REM2, i, NULL));
		if (i % 50 == 0) {
			kc_advance(30);
			ut_gc_all(t);
		}
	}
	CHECK(ut_nmaps(t) > 0);
	CHECK(ut_nsess(t) > 0);
	napt_flush(&t->nn, NAPT_MAP_ANY, 0);
	CHECK_EQ(ut_nmaps(t), 0);
	CHECK_EQ(ut_nsess(t), 0);
	ut_ports_sync(t, NULL);		/* as napt_down() */
	rcu_barrier();
	napt_table_free(&t->nn);
	CHECK_EQ(kc_live_maps, 0);
	CHECK_EQ(kc_live_sess, 0);
	CHECK_EQ(kc_live_kv, 0);
	free(t);
}

const struct ut_case ut_table_cases[] = {
	UT_CASE(table_create_lookup),
	UT_CASE(table_distinct_hosts_same_port),
	UT_CASE(table_port_preservation),
	UT_CASE(table_port_parity),
	UT_CASE(table_port_range_class),
	UT_CASE(table_port_range_respected),
	UT_CASE(table_busy_socket_port),
	UT_CASE(table_exhaustion),
	UT_CASE(table_max_maps),
	UT_CASE(table_alloc_95pct_full),
	UT_CASE(table_ports_bitmap),
	UT_CASE(table_alloc_probe_bound),
	UT_CASE(table_alloc_last_free_port),
	UT_CASE(table_sessions),
	UT_CASE(table_create_with_first),
	UT_CASE(table_s0_lifecycle),
	UT_CASE(table_s0_gone_mapping),
	UT_CASE(table_session_limit),
	UT_CASE(table_alloc_failures),
	UT_CASE(table_init_failures),
	UT_CASE(table_timeouts),
	UT_CASE(table_pick_ext_addr),
	UT_CASE(table_gc_expiry),
	UT_CASE(table_gc_map_kept_by_session),
	UT_CASE(table_gc_budget),
	UT_CASE(table_gc_clock_wrap),
	UT_CASE(table_flush_by_type),
	UT_CASE(table_flush_by_addr),
	UT_CASE(table_chain_bound_out),
	UT_CASE(table_chain_bound_in),
	UT_CASE(table_chain_bound_sess),
	UT_CASE(table_map_walk_resume),
	UT_CASE(table_per_host_limit),
	UT_CASE(table_host_count_nomem),
	UT_CASE(table_reuse_delay),
	UT_CASE(table_reuse_delay_bound),
	UT_CASE(table_no_leak_after_all),
	UT_END
};
