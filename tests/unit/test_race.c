// SPDX-License-Identifier: GPL-2.0
/*
 * test_race.c: interleavings of two CPUs, forced.
 *
 * The unit tests are single-threaded; kcompat's lock hook (kc_lock_hook)
 * is called as a lock is about to be taken, and a case uses it to run
 * what another CPU would do, to completion, at exactly that point: the
 * window between two critical sections of the code under test.
 */
#include "ut.h"

static struct ut_nat *race_nat;

static bool in_table(spinlock_t *l, struct napt_htab *h)
{
	return l >= &h->locks[0] && l < &h->locks[NAPT_LOCKS];
}

/* The in-table holder of @proto on EXT1 for @host:@port other than @not. */
static struct napt_map *holder_other(struct ut_nat *t, u8 proto,
				     __be32 host, u16 port,
				     const struct napt_map *not)
{
	struct napt_map *m;
	u32 b;

	for (b = 0; b <= t->nn.in.mask; b++)
		hlist_for_each_entry(m, &t->nn.in.buckets[b], in_node)
			if (m != not && m->key.proto == proto &&
			    m->key.int_addr == host &&
			    m->key.int_port == htons(port) && !m->dead)
				return m;
	return NULL;
}

/*
 * What the second CPU does: ADD_MAP for HOST(10):5000 on the external
 * port that the first CPU's mapping in the making holds.
 */
static struct napt_map *race_dyn, *race_res;
static int race_ret = 1;
static u16 race_port;
static int race_stage;

static void race_add_static(void)
{
	struct napt_map *m;

	m = holder_other(race_nat, IPPROTO_UDP, HOST(10), 5000, race_dyn);
	if (!CHECK(m))
		return;
	race_port = ntohs(m->ext_port);
	race_ret = ut_static(race_nat, IPPROTO_UDP, HOST(10), 5000, race_port,
			     0, 0, "raced", false, &race_res);
}

/*
 * Fire at the first in-table lock after an out-table lock: in
 * napt_map_create(), that is the undo of a mapping whose out-table
 * publication lost to another CPU's, after the out-table lock was let go.
 */
static void hook_after_out_check(spinlock_t *l)
{
	if (race_stage == 0 && in_table(l, &race_nat->nn.out)) {
		race_stage = 1;
	} else if (race_stage == 1 && in_table(l, &race_nat->nn.in)) {
		race_stage = 2;
		kc_lock_hook = NULL;
		race_add_static();
	}
}

/*
 * Two CPUs miss the lookup for one key and both make a mapping; the one
 * that loses the out-table publication undoes its own. Meanwhile ADD_MAP
 * finds the loser, still in the in table, as "a dynamic mapping of the same
 * inside endpoint" and promotes it. The answer must be true: either the
 * static mapping stands in both tables, or the request failed (and can
 * be tried again); never a success for a mapping that is being freed.
 */
static void race_create_undo_vs_static_claim(void)
{
	struct napt_okey key = ut_key(IPPROTO_UDP, HOST(10), 5000);
	struct napt_map *m, *won;
	int reason = 0;

	race_nat = ut_nat_default();
	REQUIRE(race_nat);
	race_stage = 0;
	race_ret = 1;
	race_res = NULL;
	race_dyn = NULL;
	/* the first CPU's mapping: published */
	rcu_read_lock();
	race_dyn = napt_map_create(&race_nat->nn, &race_nat->cfg, &key,
				   NAPT_MAPPING_EIM, REM1, htons(53), NULL,
				   &reason);
	rcu_read_unlock();
	REQUIRE(race_dyn);
	/* the second CPU, which missed it in its lookup: loses, undoes */
	kc_lock_hook = hook_after_out_check;
	rcu_read_lock();
	won = napt_map_create(&race_nat->nn, &race_nat->cfg, &key,
			      NAPT_MAPPING_EIM, REM1, htons(53), NULL,
			      &reason);
	rcu_read_unlock();
	kc_lock_hook = NULL;
	REQUIRE_EQ(race_stage, 2);
	CHECK(won == race_dyn);
	CHECK_EQ(kc_errors, 0);

	if (race_ret == 0) {
		/* it stands: in the in table on its port, and outbound */
		m = ut_lookup_in(race_nat, IPPROTO_UDP, EXT1, htons(race_port),
				 REM2);
		CHECK(m == race_res);
		CHECK(m && m->type == NAPT_MAP_STATIC && !m->dead);
		m = napt_static_lookup_out(&race_nat->nn, IPPROTO_UDP,
					   HOST(10), htons(5000), 0);
		CHECK(m == race_res);
	} else {
		CHECK_EQ(race_ret, -EAGAIN);
		CHECK(!ut_lookup_in(race_nat, IPPROTO_UDP, EXT1,
				    htons(race_port), REM2));
	}
	rcu_barrier();
	/* nothing freed twice or used after the grace period */
	CHECK_EQ(kc_errors, 0);
	/* and no count is off: one dynamic or one static mapping is left */
	CHECK_EQ(atomic_read(&race_nat->nn.nmaps), 1);
	ut_nat_free(race_nat);
	race_nat = NULL;
}

/*
 * Fire at the out-table lock of napt_map_create(): its port is claimed in
 * the in table, the mapping not yet published.
 */
static void hook_before_out_check(spinlock_t *l)
{
	if (in_table(l, &race_nat->nn.out)) {
		kc_lock_hook = NULL;
		race_stage = 2;
		race_add_static();
	}
}

/*
 * ADD_MAP while a mapping of the same inside endpoint is half made (in the
 * in table only): whatever the outcome, the tables agree afterwards, the
 * counts are right and the mapping the request answered with stands.
 */
static void race_create_publish_vs_static_claim(void)
{
	struct napt_okey key = ut_key(IPPROTO_UDP, HOST(10), 5000);
	struct napt_map *m, *made;
	int reason = 0;

	race_nat = ut_nat_default();
	REQUIRE(race_nat);
	race_stage = 0;
	race_ret = 1;
	race_res = NULL;
	race_dyn = NULL;
	kc_lock_hook = hook_before_out_check;
	rcu_read_lock();
	made = napt_map_create(&race_nat->nn, &race_nat->cfg, &key,
			       NAPT_MAPPING_EIM, REM1, htons(53), NULL,
			       &reason);
	rcu_read_unlock();
	kc_lock_hook = NULL;
	REQUIRE_EQ(race_stage, 2);
	CHECK_EQ(kc_errors, 0);
	m = napt_map_lookup_out(&race_nat->nn, &key);
	if (race_ret == 0) {
		CHECK(m == race_res);
		CHECK(m && m->type == NAPT_MAP_STATIC);
	} else {
		CHECK_EQ(race_ret, -EAGAIN);
		CHECK(m == made);
		CHECK(m && m->type == NAPT_MAP_DYNAMIC);
	}
	CHECK(m && ut_lookup_in(race_nat, IPPROTO_UDP, EXT1, m->ext_port,
				REM2) == m);
	CHECK_EQ(atomic_read(&race_nat->nn.nmaps), 1);
	rcu_barrier();
	CHECK_EQ(kc_errors, 0);
	ut_nat_free(race_nat);
	race_nat = NULL;
}

const struct ut_case ut_race_cases[] = {
	UT_CASE(race_create_undo_vs_static_claim),
	UT_CASE(race_create_publish_vs_static_claim),
	UT_END
};
