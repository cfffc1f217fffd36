/* SPDX-License-Identifier: GPL-2.0 */
/*
 * napt: what table.c (the hash tables, dynamic mappings, sessions, the
 * sweeper) shares with static.c (static mappings); not for the packet
 * path or netlink, which use napt.h.
 */
#ifndef _NAPT_TABLE_H
#define _NAPT_TABLE_H

#include "napt.h"

/*
 * An endpoint-independent key has no remote: one 64-bit word is hashed
 * instead of two (a pure function of the key, so every path agrees).
 */
static inline u32 napt_hash_out(const struct napt_net *nn,
				const struct napt_okey *k)
{
	if (!(k->rem_addr | k->rem_port))
		return hsiphash_2u32((__force u32)k->int_addr,
				     ((__force u32)k->int_port << 16) |
				     k->proto, &nn->hkey);
	return hsiphash_4u32((__force u32)k->int_addr,
			     (__force u32)k->rem_addr,
			     ((__force u32)k->int_port << 16) |
			     (__force u16)k->rem_port,
			     k->proto, &nn->hkey);
}

static inline u32 napt_hash_in(const struct napt_net *nn, u8 proto,
			       __be32 addr, __be16 port)
{
	return hsiphash_2u32((__force u32)addr,
			     ((__force u32)port << 8) | proto, &nn->hkey);
}

static inline u32 napt_hash_sess(const struct napt_net *nn, u8 proto,
				 __be32 addr, __be16 port, __be32 rem)
{
	return hsiphash_3u32((__force u32)addr,
			     ((__force u32)port << 8) | proto,
			     (__force u32)rem, &nn->hkey);
}

/*
 * Keys compare as two 64-bit words: every key is built zeroed (an empty
 * initializer, a memset, or a copy of such a key), so pad[] is always 0.
 */
static inline bool napt_okey_eq(const struct napt_okey *a,
				const struct napt_okey *b)
{
	u64 a0, a1, b0, b1;

	memcpy(&a0, a, 8);
	memcpy(&a1, (const u8 *)a + 8, 8);
	memcpy(&b0, b, 8);
	memcpy(&b1, (const u8 *)b + 8, 8);
	return !((a0 ^ b0) | (a1 ^ b1));
}

/* The lock of the bucket that @hash (or a bucket index) selects. */
static inline spinlock_t *napt_lock(struct napt_htab *t, u32 hash)
{
	return &t->locks[hash & t->mask & (NAPT_LOCKS - 1)];
}

/* The lock of @m's bucket in the in and the out table. */
static inline spinlock_t *napt_in_lock(struct napt_net *nn,
				       const struct napt_map *m)
{
	return napt_lock(&nn->in, napt_hash_in(nn, m->key.proto, m->ext_addr,
					       m->ext_port));
}

static inline spinlock_t *napt_out_lock(struct napt_net *nn,
					const struct napt_map *m)
{
	return napt_lock(&nn->out, napt_hash_out(nn, &m->key));
}

/*
 * What a function requires of its caller, checked on lockdep kernels
 * only (the lock of a mapping's bucket costs a hash to find).
 */
#define napt_assert_in_locked(nn, m)					\
	do {								\
		if (IS_ENABLED(CONFIG_LOCKDEP))				\
			lockdep_assert_held(napt_in_lock(nn, m));	\
	} while (0)
#define napt_assert_out_locked(nn, m)					\
	do {								\
		if (IS_ENABLED(CONFIG_LOCKDEP))				\
			lockdep_assert_held(napt_out_lock(nn, m));	\
	} while (0)

struct napt_map *napt_in_holder(struct hlist_head *b, u8 proto,
				__be32 addr, __be16 port);

/*
 * Tell ports.c whether in-table bucket @b, whose lock is held, still holds
 * (@proto, @addr, @port), after a change there.
 */
static inline void napt_ports_update(struct napt_net *nn,
				     struct hlist_head *b, u8 proto,
				     __be32 addr, __be16 port)
{
	/* a bucket's lock is the one its index selects: as napt_lock() */
	lockdep_assert_held(&nn->in.locks[(b - nn->in.buckets) &
					  (NAPT_LOCKS - 1)]);
	napt_ports_note(nn, proto, addr, port,
			napt_in_holder(b, proto, addr, port));
}

/*
 * table.c, for static.c. Each is documented where it is defined; the
 * locks they expect are those of the nesting rule at the top of table.c.
 */
bool napt_alloc_port(struct napt_net *nn, const struct napt_cfg *cfg,
		     struct napt_map *m, __be32 rem_addr,
		     __be16 rem_port);
void napt_event_map(struct napt_net *nn, const struct napt_map *m,
		    u8 event, u8 reason);
int napt_host_get(struct napt_net *nn, __be32 addr, u32 max);
void napt_host_put(struct napt_net *nn, __be32 addr);
void napt_map_remove(struct napt_net *nn, struct napt_map *m,
		     struct napt_map *by, u8 reason, bool rest);
void napt_map_unlink(struct napt_net *nn, struct napt_map *m,
		     u8 reason, bool rest);
void napt_nstatic_add(struct napt_net *nn,
		      const struct napt_static *st, int d);
bool napt_pool_has(const struct napt_cfg *cfg, __be32 if_addr,
		   __be32 addr);
__be32 napt_pool_pick(const struct napt_net *nn,
		      const struct napt_cfg *cfg, __be32 if_addr,
		      __be32 int_addr);
void napt_reap_rest(struct napt_net *nn, struct hlist_head *b,
		    struct napt_map *o);
void napt_unclaim(struct napt_net *nn, struct napt_map *m);

#endif /* _NAPT_TABLE_H */
