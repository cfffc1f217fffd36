// SPDX-License-Identifier: GPL-2.0
/*
 * napt: the mapping table.
 *
 * Three hash tables hold the state of an instance:
 *
 *   out:  (proto, inside addr:port [, remote addr[:port]]) -> mapping
 *   in:   (proto, outside addr:port)                      -> mapping
 *   sess: (proto, outside addr:port, remote addr)         -> sessions
 *
 * The first session of a mapping is embedded in it, so the session table
 * holds only the further ones (mappings with several remotes).
 *
 * Readers (the packet path) walk the chains under RCU with no lock and no
 * atomic operation. Writers take one of NAPT_LOCKS striped spinlocks of the
 * bucket they change. Each table's locks are a lockdep class of their own;
 * the only nesting is out -> in and out -> hosts, where a mapping is
 * unlinked (napt_map_unlink()): no in, sess or hosts lock is ever held
 * while another lock is taken. Hashes
 * are hsiphash (SipHash-1-3 on 64-bit kernels) with a per-instance random
 * key, and no chain grows beyond NAPT_CHAIN_MAX: an insert that would is
 * refused and counted, so a flood of crafted flows costs the flooder, not
 * the lookup.
 *
 * Expiry: every object carries an expiry time in seconds that the packet
 * path refreshes with a plain store. A worker sweeps a bounded number of
 * buckets per pass and unlinks what has expired; memory goes back by RCU.
 */
#include "napt.h"

#ifdef __KERNEL__
#include <linux/random.h>
#include <linux/slab.h>
#include <linux/mm.h>
#endif

/*
 * An endpoint-independent key has no remote: one 64-bit word is hashed
 * instead of two (a pure function of the key, so every path agrees).
 */
static u32 napt_hash_out(const struct napt_net *nn, const struct napt_okey *k)
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

static u32 napt_hash_in(const struct napt_net *nn, u8 proto, __be32 addr,
			__be16 port)
{
	return hsiphash_2u32((__force u32)addr,
			     ((__force u32)port << 8) | proto, &nn->hkey);
}

static u32 napt_hash_sess(const struct napt_net *nn, u8 proto, __be32 addr,
			  __be16 port, __be32 rem)
{
	return hsiphash_3u32((__force u32)addr,
			     ((__force u32)port << 8) | proto,
			     (__force u32)rem, &nn->hkey);
}

/*
 * Keys compare as two 64-bit words: every key is built zeroed (an empty
 * initializer, a memset, or a copy of such a key), so pad[] is always 0.
 */
static bool napt_okey_eq(const struct napt_okey *a, const struct napt_okey *b)
{
	u64 a0, a1, b0, b1;

	memcpy(&a0, a, 8);
	memcpy(&a1, (const u8 *)a + 8, 8);
	memcpy(&b0, b, 8);
	memcpy(&b1, (const u8 *)b + 8, 8);
	return !((a0 ^ b0) | (a1 ^ b1));
}

/* The lock of the bucket that @hash (or a bucket index) selects. */
static spinlock_t *napt_lock(struct napt_htab *t, u32 hash)
{
	return &t->locks[hash & t->mask & (NAPT_LOCKS - 1)];
}

/* The lock of @m's bucket in the in and the out table. */
static spinlock_t *napt_in_lock(struct napt_net *nn, const struct napt_map *m)
{
	return napt_lock(&nn->in, napt_hash_in(nn, m->key.proto, m->ext_addr,
					       m->ext_port));
}

static spinlock_t *napt_out_lock(struct napt_net *nn,
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

/* One lockdep class per table: see the nesting rule at the top. */
static struct lock_class_key napt_out_lock_key, napt_in_lock_key,
	napt_sess_lock_key, napt_hosts_lock_key;

static int napt_htab_init(struct napt_htab *t, u32 entries,
			  struct lock_class_key *key)
{
	u32 n = roundup_pow_of_two(max_t(u32, entries, NAPT_LOCKS));
	int i;

	t->buckets = kvcalloc(n, sizeof(*t->buckets), GFP_KERNEL_ACCOUNT);
	if (!t->buckets)
		return -ENOMEM;
	t->mask = n - 1;
	for (i = 0; i < NAPT_LOCKS; i++) {
		spin_lock_init(&t->locks[i]);
		lockdep_set_class(&t->locks[i], key);
	}
	return 0;
}

static void napt_htab_free(struct napt_htab *t)
{
	kvfree(t->buckets);
	t->buckets = NULL;
}

/**
 * napt_table_init() - allocate the tables of an instance
 * @nn: the instance
 * @max_maps: most mappings; sizes the out and in tables (load <= 1)
 * @max_sess: most sessions; sizes the session table, which holds only
 *	the sessions beyond each mapping's first (load <= 4 at @max_sess)
 *
 * Context: process, in napt_memcg_enter().
 * Return: 0 or -ENOMEM.
 */
int napt_table_init(struct napt_net *nn, u32 max_maps, u32 max_sess)
{
	int ret;

	get_random_bytes(&nn->hkey, sizeof(nn->hkey));
	atomic_set(&nn->nmaps, 0);
	atomic_set(&nn->nsess, 0);
	atomic_set(&nn->ntomb, 0);
	for (ret = 0; ret <= NAPT_OWNER_MAX; ret++)
		atomic_set(&nn->nstatic[ret], 0);
	nn->gc_out = 0;
	nn->gc_sess = 0;
	nn->gc_in = 0;
	ret = napt_htab_init(&nn->out, max_maps, &napt_out_lock_key);
	if (ret)
		return ret;
	ret = napt_htab_init(&nn->in, max_maps, &napt_in_lock_key);
	if (ret)
		goto err_in;
	ret = napt_htab_init(&nn->sess, max_sess / 4, &napt_sess_lock_key);
	if (ret)
		goto err_sess;
	ret = napt_htab_init(&nn->hosts, max_maps / 16,
			     &napt_hosts_lock_key);
	if (ret)
		goto err_hosts;
	return 0;

err_hosts:
	napt_htab_free(&nn->sess);
err_sess:
	napt_htab_free(&nn->in);
err_in:
	napt_htab_free(&nn->out);
	return ret;
}

/* Only once nothing can reach the tables: after napt_flush(nn, ANY). */
void napt_table_free(struct napt_net *nn)
{
	napt_htab_free(&nn->hosts);
	napt_htab_free(&nn->sess);
	napt_htab_free(&nn->in);
	napt_htab_free(&nn->out);
}

struct napt_map *napt_map_lookup_out(struct napt_net *nn,
				     const struct napt_okey *key)
{
	u32 h = napt_hash_out(nn, key);
	struct napt_map *m;

	hlist_for_each_entry_rcu(m, &nn->out.buckets[h & nn->out.mask],
				 out_node) {
		if (napt_okey_eq(&m->key, key))
			return m;
	}
	return NULL;
}

/**
 * napt_map_lookup_in() - the mapping an inbound packet belongs to
 * @nn: the instance
 * @proto: its protocol
 * @ext_addr: its destination address
 * @ext_port: its destination port (ICMP: the echo identifier)
 * @rem_addr: its source address
 *
 * A dynamic mapping is alone on its external port; static ones may share
 * one if their remotes differ, and one naming @rem_addr beats one for any.
 */
struct napt_map *napt_map_lookup_in(struct napt_net *nn, u8 proto,
				    __be32 ext_addr, __be16 ext_port,
				    __be32 rem_addr)
{
	u32 h = napt_hash_in(nn, proto, ext_addr, ext_port);
	struct napt_map *m, *any = NULL;

	hlist_for_each_entry_rcu(m, &nn->in.buckets[h & nn->in.mask],
				 in_node) {
		const struct napt_static *st;

		if (m->ext_port != ext_port || m->ext_addr != ext_addr ||
		    m->key.proto != proto || READ_ONCE(m->dead))
			continue;
		st = rcu_dereference(m->st);
		if (!st || st->rem == rem_addr)
			return m;
		if (!st->rem)
			any = m;
	}
	return any;
}

/**
 * napt_static_lookup_out() - a static mapping of an inside endpoint
 * @nn: the instance
 * @proto: protocol
 * @int_addr: inside address
 * @int_port: inside port
 * @rem_addr: the remote it is restricted to, 0 for one open to all
 */
struct napt_map *napt_static_lookup_out(struct napt_net *nn, u8 proto,
					__be32 int_addr, __be16 int_port,
					__be32 rem_addr)
{
	struct napt_okey key = {
		.int_addr = int_addr,
		.rem_addr = rem_addr,
		.int_port = int_port,
		.proto = proto,
	};
	struct napt_map *m = napt_map_lookup_out(nn, &key);

	return m && rcu_access_pointer(m->st) ? m : NULL;
}

/*
 * Count static data @st in (@d 1) or out (@d -1) of its owner's total.
 * Context: the out-table lock of its mapping is held (where ->st is
 * replaced), or the mapping is not yet published.
 */
static void napt_nstatic_add(struct napt_net *nn,
			     const struct napt_static *st, int d)
{
	if (st && st->owner <= NAPT_OWNER_MAX)
		atomic_add(d, &nn->nstatic[st->owner]);
}

/* Tell the event group about @m (made or removed): its endpoints only. */
static void napt_event_map(struct napt_net *nn, const struct napt_map *m,
			   u8 event, u8 reason)
{
	struct napt_ev ev = {
		.proto = m->key.proto,
		.type = READ_ONCE(m->type),
		.has_ext = true,
		.int_addr = m->key.int_addr,
		.int_port = m->key.int_port,
		.ext_addr = m->ext_addr,
		.ext_port = m->ext_port,
	};

	napt_event(nn, &ev, event, reason);
}

/* A new flow of @key's inside endpoint got no mapping. */
static void napt_event_refused(struct napt_net *nn,
			       const struct napt_okey *key, u8 reason)
{
	struct napt_ev ev = {
		.proto = key->proto,
		.type = NAPT_MAP_DYNAMIC,
		.int_addr = key->int_addr,
		.int_port = key->int_port,
	};

	napt_event(nn, &ev, NAPT_EVENT_REFUSED, reason);
}

/**
 * napt_map_put() - drop a reference to a mapping
 * @m: the mapping
 *
 * The last one frees it after a grace period. Context: any.
 */
void napt_map_put(struct napt_map *m)
{
	if (refcount_dec_and_test(&m->ref))
		napt_map_free_rcu(m);
}

/* Take resting port @o out of in-table bucket @b; caller holds its lock. */
static void napt_reap_rest(struct napt_net *nn, struct hlist_head *b,
			   struct napt_map *o)
{
	napt_assert_in_locked(nn, o);
	hlist_del_rcu(&o->in_node);
	napt_ports_note(nn, b, o->key.proto, o->ext_addr, o->ext_port);
	atomic_dec(&nn->ntomb);
	napt_map_put(o);
}

/*
 * Claim (proto, m->ext_addr, port) in the inbound table for @m. Fails if a
 * mapping holds it, if it rests after another inside host's mapping
 * (RFC 6888 REQ-8; the same host may have it back), or if the chain is
 * full. A port whose rest is over is reaped on the way.
 */
static bool napt_claim_port(struct napt_net *nn, struct napt_map *m,
			    u16 port)
{
	__be16 p = htons(port);
	u32 h = napt_hash_in(nn, m->key.proto, m->ext_addr, p);
	struct hlist_head *b = &nn->in.buckets[h & nn->in.mask];
	spinlock_t *lock = napt_lock(&nn->in, h);
	unsigned int len = 0;
	struct hlist_node *tmp;
	struct napt_map *o;

	spin_lock_bh(lock);
	hlist_for_each_entry_safe(o, tmp, b, in_node) {
		if (o->ext_port == p && o->ext_addr == m->ext_addr &&
		    o->key.proto == m->key.proto) {
			if (!o->dead ||
			    (o->key.int_addr != m->key.int_addr &&
			     !napt_expired(o->expires, napt_now())))
				goto busy;
			napt_reap_rest(nn, b, o);
			continue;
		}
		if (++len >= NAPT_CHAIN_MAX)
			goto busy;
	}
	m->ext_port = p;
	hlist_add_head_rcu(&m->in_node, b);
	napt_ports_note(nn, b, m->key.proto, m->ext_addr, p);
	spin_unlock_bh(lock);
	return true;
busy:
	/* a holder the bitmap did not know of (or none left after a reap) */
	napt_ports_note(nn, b, m->key.proto, m->ext_addr, p);
	spin_unlock_bh(lock);
	return false;
}

/*
 * Count a mapping of inside address @addr. Context: any; takes a hosts
 * bucket lock.
 *
 * Return: 0; -ENOSPC if it has @max already (0: no limit); -ENOMEM.
 */
static int napt_host_get(struct napt_net *nn, __be32 addr, u32 max)
{
	u32 h = hsiphash_1u32((__force u32)addr, &nn->hkey);
	struct hlist_head *b = &nn->hosts.buckets[h & nn->hosts.mask];
	spinlock_t *lock = napt_lock(&nn->hosts, h);
	struct napt_host *e;
	int ret = 0;

	spin_lock_bh(lock);
	hlist_for_each_entry(e, b, node) {
		if (e->addr == addr) {
			if (max && e->n >= max)
				ret = -ENOSPC;
			else
				e->n++;
			goto out;
		}
	}
	e = kmalloc(sizeof(*e), GFP_ATOMIC | __GFP_ACCOUNT);
	if (!e) {
		ret = -ENOMEM;
		goto out;
	}
	e->addr = addr;
	e->n = 1;
	hlist_add_head(&e->node, b);
out:
	spin_unlock_bh(lock);
	return ret;
}

static void napt_host_put(struct napt_net *nn, __be32 addr)
{
	u32 h = hsiphash_1u32((__force u32)addr, &nn->hkey);
	struct hlist_head *b = &nn->hosts.buckets[h & nn->hosts.mask];
	spinlock_t *lock = napt_lock(&nn->hosts, h);
	struct napt_host *e;

	spin_lock_bh(lock);
	hlist_for_each_entry(e, b, node) {
		if (e->addr == addr) {
			if (!--e->n) {
				hlist_del(&e->node);
				kfree(e);
			}
			break;
		}
	}
	spin_unlock_bh(lock);
}

/**
 * napt_in_holder() - a mapping that holds an external endpoint
 * @b: the in-table bucket of (@proto, @addr, @port)
 * @proto: protocol
 * @addr: external address
 * @port: external port
 *
 * Context: RCU read side, or the bucket's lock held.
 * Return: a mapping on (@proto, @addr, @port) that is not dead (resting
 * ports do not count), or NULL.
 */
struct napt_map *napt_in_holder(struct hlist_head *b, u8 proto,
				__be32 addr, __be16 port)
{
	struct napt_map *o;

	hlist_for_each_entry_rcu(o, b, in_node) {
		if (o->ext_port == port && o->ext_addr == addr &&
		    o->key.proto == proto && !READ_ONCE(o->dead))
			return o;
	}
	return NULL;
}

/*
 * Whether a live mapping holds (proto, ext_addr, port): a look without the
 * lock, so that a full range costs a probe no lock and no socket lookup.
 * What it misses, napt_claim_port() sees under the lock.
 */
static bool napt_port_taken(struct napt_net *nn, u8 proto, __be32 ext_addr,
			    __be16 port)
{
	u32 h = napt_hash_in(nn, proto, ext_addr, port);

	return napt_in_holder(&nn->in.buckets[h & nn->in.mask], proto,
			      ext_addr, port);
}

/*
 * @look: first look without the lock; worth it from the second candidate
 * on, when the range is likely to be full around here
 */
static bool napt_try_port(struct napt_net *nn, struct napt_map *m, u16 port,
			  __be32 rem_addr, __be16 rem_port, bool look)
{
	if ((look &&
	     napt_port_taken(nn, m->key.proto, m->ext_addr, htons(port))) ||
	    napt_port_has_socket(nn, m->key.proto, m->ext_addr, htons(port),
				 rem_addr, rem_port))
		return false;
	return napt_claim_port(nn, m, port);
}

/**
 * napt_alloc_port() - choose the external port of a new mapping
 * @nn: the instance
 * @cfg: its configuration
 * @m: the mapping, with key and ext_addr set; linked in the in table on
 *     success
 * @rem_addr: remote address of the packet that creates the mapping
 * @rem_port: its port (for the local socket check)
 *
 * Keeps the inside port when it is free and allowed (port preservation,
 * endpoint-independent mappings only); else, if the external address has
 * a free-port bitmap (kmod/ports.c), takes the free ports it shows from a
 * random place on (RFC 6056: an unpredictable start), so that the cost
 * does not grow as the range fills; else (port parity asked, or no
 * bitmap) draws random ports and finally scans linearly from a random
 * place. Ports below 1024 are given for inside ports below 1024
 * and vice versa where the range allows (RFC 4787 REQ-3), and the parity
 * is kept on request (REQ-4). At most NAPT_RAND_PROBES + NAPT_LINEAR_PROBES
 * candidates are tried, so the cost is bounded however full the range is.
 */
static bool napt_alloc_port(struct napt_net *nn, const struct napt_cfg *cfg,
			    struct napt_map *m, __be32 rem_addr,
			    __be16 rem_port)
{
	u16 want = ntohs(m->key.int_port);
	u32 lo = cfg->port_min, hi = cfg->port_max, span, start, i, step = 1;
	bool parity = cfg->flags & NAPT_F_PORT_PARITY;
	const struct napt_pbits *pb;
	bool look = false;

	if (m->key.proto != IPPROTO_ICMP) {
		if (want < 1024 && lo < 1024)
			hi = min_t(u32, hi, 1023);
		else if (want >= 1024 && hi >= 1024)
			lo = max_t(u32, lo, 1024);
	} else {
		parity = false;
	}

	/*
	 * A destination-dependent mapping gets an unpredictable port for
	 * every destination: only endpoint-independent ones keep the port.
	 */
	if ((cfg->flags & NAPT_F_PORT_PRESERVE) &&
	    m->mapping == NAPT_MAPPING_EIM && want >= lo && want <= hi) {
		if (napt_try_port(nn, m, want, rem_addr, rem_port, false))
			return true;
		look = true;
	}

	/* the bitmap leads to free ports at once, however full the range */
	pb = parity ? NULL : napt_pbits_of(nn, m->ext_addr);
	if (pb) {
		struct napt_pwalk it;
		int p;

		napt_ports_start(&it, lo, hi);
		for (i = 0; i < NAPT_RAND_PROBES + NAPT_LINEAR_PROBES; i++) {
			p = napt_ports_next(pb, m->key.proto, &it);
			if (p < 0)
				return false;
			if (napt_try_port(nn, m, p, rem_addr, rem_port, false))
				return true;
		}
		return false;
	}

	span = hi - lo + 1;
	if (parity && span >= 2) {
		/* work on pairs: candidate = lo + 2 * k + (want & 1) */
		if (((lo ^ want) & 1) && ++lo > hi)
			return false;
		span = (hi - lo) / 2 + 1;
		step = 2;
	}

	for (i = 0; i < NAPT_RAND_PROBES; i++) {
		u32 p = lo + step * get_random_u32_below(span);

		if (napt_try_port(nn, m, p, rem_addr, rem_port, look))
			return true;
		look = true;
	}
	start = get_random_u32_below(span);
	for (i = 0; i < min_t(u32, span, NAPT_LINEAR_PROBES); i++) {
		u32 p = lo + step * ((start + i) % span);

		if (napt_try_port(nn, m, p, rem_addr, rem_port, true))
			return true;
	}
	return false;
}

/*
 * End @m's embedded session if it is in use. Context: the out-table lock
 * of @m's bucket is held, which serializes every end of a published
 * mapping; or, for one never published (napt_unclaim()), its in-table
 * lock. Claims are only ever made from NAPT_S0_FREE and not on a dead
 * mapping, so they cannot race with this.
 */
static bool napt_s0_end(struct napt_net *nn, struct napt_map *m)
{
	if (IS_ENABLED(CONFIG_LOCKDEP))
		lockdep_assert(lockdep_is_held(napt_out_lock(nn, m)) ||
			       (READ_ONCE(m->dead) &&
				lockdep_is_held(napt_in_lock(nn, m))));
	if (READ_ONCE(m->s0.state) != NAPT_S0_USED)
		return false;
	WRITE_ONCE(m->s0.state, NAPT_S0_DEAD);
	atomic_dec(&m->nsess);
	atomic_dec(&nn->nsess);
	napt_map_put(m);
	return true;
}

/*
 * Undo napt_claim_port() (or napt_static_claim()) for a mapping that was
 * never published in the out table. Others may have found it in the in
 * table meanwhile and hold a reference (napt_static_claim()): it leaves
 * dead, under the lock they found it under, its embedded session ends, and
 * the table's reference goes with a put, so the memory stays theirs until
 * they drop it.
 */
static void napt_unclaim(struct napt_net *nn, struct napt_map *m)
{
	u32 h = napt_hash_in(nn, m->key.proto, m->ext_addr, m->ext_port);
	struct hlist_head *b = &nn->in.buckets[h & nn->in.mask];
	spinlock_t *lock = napt_lock(&nn->in, h);

	spin_lock_bh(lock);
	hlist_del_rcu(&m->in_node);
	WRITE_ONCE(m->dead, true);
	/* no claim after this (dead), and no end: it is in no out table */
	napt_s0_end(nn, m);
	napt_ports_note(nn, b, m->key.proto, m->ext_addr, m->ext_port);
	spin_unlock_bh(lock);
	napt_map_put(m);
}

/*
 * The pool's address for @int_addr: with several configured addresses,
 * one inside host always gets the same one (paired pooling, RFC 4787
 * REQ-2); without any, @if_addr, the interface's.
 */
static __be32 napt_pool_pick(const struct napt_net *nn,
			     const struct napt_cfg *cfg, __be32 if_addr,
			     __be32 int_addr)
{
	if (!cfg->n_ext)
		return if_addr;
	if (cfg->n_ext == 1)
		return cfg->ext[0];
	return cfg->ext[hsiphash_1u32((__force u32)int_addr, &nn->hkey) %
			cfg->n_ext];
}

/* Whether @addr is in the pool of @cfg, the interface's being @if_addr. */
static bool napt_pool_has(const struct napt_cfg *cfg, __be32 if_addr,
			  __be32 addr)
{
	unsigned int i;

	if (!cfg->n_ext)
		return addr == if_addr;
	for (i = 0; i < cfg->n_ext; i++)
		if (cfg->ext[i] == addr)
			return true;
	return false;
}

/**
 * napt_pick_ext_addr() - the external address for an inside host
 * @nn: the instance
 * @cfg: its configuration
 * @int_addr: the inside host
 *
 * Return: the address its mappings use (see napt_pool_pick()), 0 if the
 * pool follows an interface that has none.
 */
__be32 napt_pick_ext_addr(struct napt_net *nn, const struct napt_cfg *cfg,
			  __be32 int_addr)
{
	return napt_pool_pick(nn, cfg, READ_ONCE(nn->if_addr), int_addr);
}

static void napt_sess_init(struct napt_sess *s, const struct napt_cfg *cfg,
			   u8 proto, __be32 rem_addr, __be16 rem_port)
{
	s->rem_addr = rem_addr;
	s->rem_port = rem_port;
	s->proto = proto;
	s->tcp = 0;
	s->expires = napt_now() + napt_sess_timeout(cfg, proto, 0);
}

/**
 * napt_map_create() - make and publish a dynamic mapping
 * @nn: the instance
 * @cfg: its configuration
 * @key: the outbound key (remote fields already reduced per @mapping)
 * @mapping: the mapping behaviour in force
 * @rem_addr: remote address of the packet
 * @rem_port: remote port of the packet
 * @first: if not NULL, the mapping is made with its first session (with
 *	@rem_addr:@rem_port, embedded), which *@first is set to; NULL if
 *	max-sessions is reached or another CPU's mapping is returned: then
 *	napt_sess_lookup() / napt_sess_create() on it, which say why
 * @drop_reason: set to a NAPT_STAT_DROP_* on failure
 *
 * If another CPU published a mapping for @key meanwhile, that one is
 * returned and ours is undone. Context: softirq, RCU read side.
 */
struct napt_map *napt_map_create(struct napt_net *nn,
				 const struct napt_cfg *cfg,
				 const struct napt_okey *key, u8 mapping,
				 __be32 rem_addr, __be16 rem_port,
				 struct napt_sess **first, int *drop_reason)
{
	u32 h = napt_hash_out(nn, key);
	struct hlist_head *b = &nn->out.buckets[h & nn->out.mask];
	spinlock_t *lock = napt_lock(&nn->out, h);
	struct mem_cgroup *memcg;
	struct napt_map *m, *o;
	unsigned int len = 0;
	bool with_first = false;
	int ret;

	if (first)
		*first = NULL;
	if ((u32)atomic_inc_return(&nn->nmaps) > cfg->max_maps) {
		*drop_reason = NAPT_STAT_DROP_MAP_LIMIT;
		goto err_count;
	}
	memcg = napt_memcg_enter(nn);
	ret = napt_host_get(nn, key->int_addr, cfg->max_per_host);
	m = ret ? NULL : napt_map_alloc();
	napt_memcg_exit(memcg);
	if (ret) {
		*drop_reason = ret == -ENOMEM ? NAPT_STAT_DROP_NOMEM :
						NAPT_STAT_DROP_HOST_LIMIT;
		goto err_count;
	}
	if (!m) {
		*drop_reason = NAPT_STAT_DROP_NOMEM;
		goto err_host;
	}
	m->key = *key;
	RCU_INIT_POINTER(m->st, NULL);
	m->type = NAPT_MAP_DYNAMIC;
	m->mapping = mapping;
	m->dead = false;
	atomic_set(&m->nsess, 0);
	refcount_set(&m->ref, 1);
	memset(&m->s0, 0, sizeof(m->s0));	/* NAPT_S0_FREE */
	if (first) {
		/* before the port is claimed: nobody can see @m yet */
		if ((u32)atomic_inc_return(&nn->nsess) <= cfg->max_sess) {
			napt_sess_init(&m->s0, cfg, key->proto, rem_addr,
				       rem_port);
			m->s0.state = NAPT_S0_USED;
			atomic_set(&m->nsess, 1);
			refcount_set(&m->ref, 2);
			with_first = true;
		} else {
			atomic_dec(&nn->nsess);
		}
	}
	m->expires = napt_now() + napt_map_timeout(cfg, key->proto);
	m->ext_addr = napt_pick_ext_addr(nn, cfg, key->int_addr);
	if (!m->ext_addr || !napt_alloc_port(nn, cfg, m, rem_addr, rem_port)) {
		*drop_reason = NAPT_STAT_DROP_NO_PORT;
		goto err_free;
	}

	spin_lock_bh(lock);
	hlist_for_each_entry(o, b, out_node) {
		if (napt_okey_eq(&o->key, key)) {
			spin_unlock_bh(lock);
			napt_unclaim(nn, m);
			napt_host_put(nn, key->int_addr);
			atomic_dec(&nn->nmaps);
			return o;
		}
		len++;
	}
	if (len >= NAPT_CHAIN_MAX) {
		spin_unlock_bh(lock);
		napt_unclaim(nn, m);
		*drop_reason = NAPT_STAT_DROP_CHAIN;
		goto err_host;
	}
	hlist_add_head_rcu(&m->out_node, b);
	spin_unlock_bh(lock);
	napt_stat_inc(nn, NAPT_STAT_MAPS_CREATED);
	/* (a flush may already have ended it: as for any session) */
	if (with_first) {
		napt_stat_inc(nn, NAPT_STAT_SESS_CREATED);
		*first = &m->s0;
	}
	napt_event_map(nn, m, NAPT_EVENT_CREATED, NAPT_REASON_NONE);
	return m;

err_free:
	/* never visible to anyone: no reference to honour */
	if (with_first)
		atomic_dec(&nn->nsess);
	napt_map_free_rcu(m);
err_host:
	napt_host_put(nn, key->int_addr);
err_count:
	atomic_dec(&nn->nmaps);
	napt_event_refused(nn, key, *drop_reason == NAPT_STAT_DROP_NO_PORT ?
			   NAPT_REASON_NO_PORT : NAPT_REASON_LIMIT);
	return NULL;
}

/**
 * napt_sess_lookup() - find the session of @m with a remote endpoint
 * @nn: the instance
 * @m: the mapping
 * @rem_addr: remote address
 * @rem_port: remote port, compared only if @match_port
 * @match_port: false for the address-dependent filter: then any session
 *	with @rem_addr that has not expired (an expired one the sweeper has
 *	not reached yet must not hide a live one behind it)
 *
 * The mapping's embedded session is tried first; only if it is not the one
 * is the session table searched.
 */
struct napt_sess *napt_sess_lookup(struct napt_net *nn, struct napt_map *m,
				   __be32 rem_addr, __be16 rem_port,
				   bool match_port)
{
	struct napt_sess *s = &m->s0;
	struct napt_xsess *x;
	u32 h;

	/*
	 * Pairs with napt_s0_claim() (or the publication of a new mapping):
	 * its fields are set once it is used.
	 */
	if (smp_load_acquire(&s->state) == NAPT_S0_USED &&
	    s->rem_addr == rem_addr &&
	    (match_port ? s->rem_port == rem_port :
	     !napt_expired(READ_ONCE(s->expires), napt_now())))
		return s;

	h = napt_hash_sess(nn, m->key.proto, m->ext_addr, m->ext_port,
			   rem_addr);
	hlist_for_each_entry_rcu(x, &nn->sess.buckets[h & nn->sess.mask],
				 node) {
		s = &x->s;
		if (x->map == m && s->rem_addr == rem_addr &&
		    (match_port ? s->rem_port == rem_port :
		     !napt_expired(READ_ONCE(s->expires), napt_now())))
			return s;
	}
	return NULL;
}

/*
 * Make @m's embedded session the one with @rem_addr:@rem_port, under the
 * in-table lock of @m (napt_map_unlink() ends it under the same lock, so
 * none is claimed after the mapping is gone).
 *
 * Return: 0 if claimed, -EAGAIN if it is taken (or @m is gone): use the
 * session table, or -ENOSPC / -ENOMEM with *@drop_reason set.
 */
static int napt_s0_claim(struct napt_net *nn, const struct napt_cfg *cfg,
			 struct napt_map *m, __be32 rem_addr,
			 __be16 rem_port, int *drop_reason)
{
	spinlock_t *lock = napt_in_lock(nn, m);
	int ret = 0;

	spin_lock_bh(lock);
	if (m->s0.state != NAPT_S0_FREE || READ_ONCE(m->dead)) {
		ret = -EAGAIN;
		goto out;
	}
	if ((u32)atomic_inc_return(&nn->nsess) > cfg->max_sess) {
		*drop_reason = NAPT_STAT_DROP_SESS_LIMIT;
		ret = -ENOSPC;
		goto err_count;
	}
	if (!refcount_inc_not_zero(&m->ref)) {
		ret = -EAGAIN;
		goto err_count;
	}
	napt_sess_init(&m->s0, cfg, m->key.proto, rem_addr, rem_port);
	atomic_inc(&m->nsess);
	/* readers see the fields above once they see the state */
	smp_store_release(&m->s0.state, NAPT_S0_USED);
	goto out;

err_count:
	atomic_dec(&nn->nsess);
out:
	spin_unlock_bh(lock);
	return ret;
}

/**
 * napt_sess_create() - make the session of @m with a remote endpoint
 * @nn: the instance
 * @cfg: its configuration
 * @m: the mapping
 * @rem_addr: remote address
 * @rem_port: remote port (0 for ICMP)
 * @drop_reason: set to a NAPT_STAT_DROP_* on failure
 *
 * The first session of a mapping takes the one embedded in it; later ones
 * are allocated and hashed. If another CPU made the same session
 * meanwhile, that one is returned. Context: softirq, RCU read side.
 */
struct napt_sess *napt_sess_create(struct napt_net *nn,
				   const struct napt_cfg *cfg,
				   struct napt_map *m, __be32 rem_addr,
				   __be16 rem_port, int *drop_reason)
{
	u32 h = napt_hash_sess(nn, m->key.proto, m->ext_addr, m->ext_port,
			       rem_addr);
	struct hlist_head *b = &nn->sess.buckets[h & nn->sess.mask];
	spinlock_t *lock = napt_lock(&nn->sess, h);
	struct napt_sess *s0 = &m->s0, *s;
	struct napt_xsess *x, *o;
	struct mem_cgroup *memcg;
	unsigned int len = 0;
	int ret;

	if (READ_ONCE(s0->state) == NAPT_S0_FREE) {
		ret = napt_s0_claim(nn, cfg, m, rem_addr, rem_port,
				    drop_reason);
		if (!ret) {
			s = s0;
			goto created;
		}
		if (ret != -EAGAIN)
			return NULL;
	}

	if ((u32)atomic_inc_return(&nn->nsess) > cfg->max_sess) {
		*drop_reason = NAPT_STAT_DROP_SESS_LIMIT;
		goto err_count;
	}
	memcg = napt_memcg_enter(nn);
	x = napt_sess_alloc();
	napt_memcg_exit(memcg);
	if (!x) {
		*drop_reason = NAPT_STAT_DROP_NOMEM;
		goto err_count;
	}
	x->map = m;
	napt_sess_init(&x->s, cfg, m->key.proto, rem_addr, rem_port);
	x->s.state = NAPT_S0_FREE;	/* unused outside the mapping */

	spin_lock_bh(lock);
	/* the embedded one may have been claimed for it meanwhile */
	if (smp_load_acquire(&s0->state) == NAPT_S0_USED &&
	    s0->rem_addr == rem_addr && s0->rem_port == rem_port) {
		spin_unlock_bh(lock);
		napt_sess_free_rcu(x);
		atomic_dec(&nn->nsess);
		return s0;
	}
	hlist_for_each_entry(o, b, node) {
		if (o->map == m && o->s.rem_addr == rem_addr &&
		    o->s.rem_port == rem_port) {
			spin_unlock_bh(lock);
			napt_sess_free_rcu(x);
			atomic_dec(&nn->nsess);
			return &o->s;
		}
		len++;
	}
	if (len >= NAPT_CHAIN_MAX || !refcount_inc_not_zero(&m->ref)) {
		spin_unlock_bh(lock);
		*drop_reason = len >= NAPT_CHAIN_MAX ? NAPT_STAT_DROP_CHAIN :
						       NAPT_STAT_DROP_NOMEM;
		napt_sess_free_rcu(x);
		goto err_count;
	}
	atomic_inc(&m->nsess);
	hlist_add_head_rcu(&x->node, b);
	spin_unlock_bh(lock);
	s = &x->s;
created:
	napt_stat_inc(nn, NAPT_STAT_SESS_CREATED);
	return s;

err_count:
	atomic_dec(&nn->nsess);
	return NULL;
}

/* The configuration of a fresh instance (documented in the uapi header). */
void napt_cfg_defaults(struct napt_cfg *cfg)
{
	int i;

	memset(cfg, 0, sizeof(*cfg));
	cfg->port_min = 1024;
	cfg->port_max = 65535;
	cfg->timeout_udp = 300;
	cfg->timeout_tcp_est = 7440;
	cfg->timeout_tcp_trans = 240;
	cfg->timeout_icmp = 60;
	for (i = 0; i < NAPT_NPROTO; i++) {
		cfg->mapping[i] = NAPT_MAPPING_EIM;
		cfg->filtering[i] = NAPT_FILTER_APDF;
	}
	cfg->flags = NAPT_F_DEFAULT;
	cfg->max_maps = 65536;
	cfg->max_sess = 4 * 65536;
	cfg->max_per_host = 0;
	cfg->reuse_delay = 120;
	cfg->syn_hold = 6;
}

u32 napt_map_timeout(const struct napt_cfg *cfg, u8 proto)
{
	switch (proto) {
	case IPPROTO_TCP:
		return cfg->timeout_tcp_trans;
	case IPPROTO_ICMP:
		return cfg->timeout_icmp;
	}
	return cfg->timeout_udp;
}

/*
 * A TCP session gets the established timeout once both ends have sent a
 * SYN (or it was picked up mid-stream) and neither a RST nor both FINs
 * were seen; any other state is transitory (RFC 5382 REQ-5, RFC 7857).
 */
u32 napt_sess_timeout(const struct napt_cfg *cfg, u8 proto, u32 tcp)
{
	const u32 fins = NAPT_TCP_FIN_OUT | NAPT_TCP_FIN_IN;

	if (proto != IPPROTO_TCP)
		return napt_map_timeout(cfg, proto);
	if ((tcp & NAPT_TCP_EST) && !(tcp & NAPT_TCP_RST) &&
	    (tcp & fins) != fins)
		return cfg->timeout_tcp_est;
	return cfg->timeout_tcp_trans;
}

/* Caller holds the session-table lock of @x's bucket. */
static void napt_sess_unlink(struct napt_net *nn, struct napt_xsess *x)
{
	struct napt_map *m = x->map;

	if (IS_ENABLED(CONFIG_LOCKDEP))
		lockdep_assert_held(napt_lock(&nn->sess,
			napt_hash_sess(nn, m->key.proto, m->ext_addr,
				       m->ext_port, x->s.rem_addr)));

	hlist_del_rcu(&x->node);
	atomic_dec(&m->nsess);
	atomic_dec(&nn->nsess);
	napt_map_put(m);
	napt_sess_free_rcu(x);
}

/*
 * Remove @m from the tables, @by taking its place in the out table if not
 * NULL (readers see one or the other). Caller holds the out-table lock of
 * @m's bucket. A dynamic mapping's port rests in the in table for
 * reuse_delay seconds (@rest), so no other inside host is given it at
 * once; at most max-maps ports rest.
 */
static void napt_map_remove(struct napt_net *nn, struct napt_map *m,
			    struct napt_map *by, u8 reason, bool rest)
{
	u32 delay = READ_ONCE(nn->reuse_delay);
	u32 h = napt_hash_in(nn, m->key.proto, m->ext_addr, m->ext_port);
	spinlock_t *lock = napt_lock(&nn->in, h);
	bool keep = rest && delay && !rcu_access_pointer(m->st);

	napt_assert_out_locked(nn, m);
	if (by)
		hlist_replace_rcu(&m->out_node, &by->out_node);
	else
		hlist_del_rcu(&m->out_node);
	napt_nstatic_add(nn, rcu_dereference_protected(m->st,
			 lockdep_is_held(napt_out_lock(nn, m))), -1);
	if (by)
		napt_nstatic_add(nn, rcu_dereference_protected(by->st, true), 1);
	WRITE_ONCE(m->dead, true);
	if (keep && (u32)atomic_inc_return(&nn->ntomb) >
		    (u32)(nn->out.mask + 1)) {
		atomic_dec(&nn->ntomb);
		keep = false;
	}
	if (keep)
		WRITE_ONCE(m->expires, napt_now() + delay);
	spin_lock(lock);		/* out -> in: the one nesting */
	/* the lock new embedded sessions are claimed under: none after */
	napt_s0_end(nn, m);
	if (!keep)
		hlist_del_rcu(&m->in_node);
	/* gone or resting: the port is no longer held */
	napt_ports_note(nn, &nn->in.buckets[h & nn->in.mask], m->key.proto,
			m->ext_addr, m->ext_port);
	spin_unlock(lock);
	if (!keep)
		napt_map_put(m);
	napt_host_put(nn, m->key.int_addr);
	atomic_dec(&nn->nmaps);
	napt_event_map(nn, m, NAPT_EVENT_REMOVED, reason);
}

/* Remove @m; caller holds the out-table lock of its bucket. */
static void napt_map_unlink(struct napt_net *nn, struct napt_map *m,
			    u8 reason, bool rest)
{
	napt_map_remove(nn, m, NULL, reason, rest);
}

/* Sweep @n in buckets from *@pos for ports whose rest is over (@all: any). */
static void napt_sweep_rest(struct napt_net *nn, u32 now, u32 *pos, u32 n,
			    bool all)
{
	u32 i;

	for (i = 0; i < n; i++) {
		u32 bkt = (*pos + i) & nn->in.mask;
		spinlock_t *lock = napt_lock(&nn->in, bkt);
		struct napt_map *m;
		struct hlist_node *tmp;

		if (hlist_empty(&nn->in.buckets[bkt]))
			continue;
		spin_lock_bh(lock);
		hlist_for_each_entry_safe(m, tmp, &nn->in.buckets[bkt],
					  in_node) {
			if (m->dead && (all || napt_expired(m->expires, now)))
				napt_reap_rest(nn, &nn->in.buckets[bkt], m);
		}
		spin_unlock_bh(lock);
	}
	*pos = (*pos + n) & nn->in.mask;
}

/* Whether the sweeper may take @m now; @lock: its out bucket's, held. */
static bool napt_map_done(struct napt_map *m, u32 now, spinlock_t *lock)
{
	const struct napt_static *st =
		rcu_dereference_protected(m->st, lockdep_is_held(lock));

	if (st)
		return st->lease && napt_expired(READ_ONCE(m->expires), now);
	return !atomic_read(&m->nsess) &&
	       napt_expired(READ_ONCE(m->expires), now);
}

/* Sweep @n session buckets from *@pos; all of them if @all. */
static unsigned int napt_sweep_sess(struct napt_net *nn, u32 now, u32 *pos,
				    u32 n, bool all)
{
	unsigned int freed = 0;
	u32 i;

	for (i = 0; i < n; i++) {
		u32 bkt = (*pos + i) & nn->sess.mask;
		spinlock_t *lock = napt_lock(&nn->sess, bkt);
		struct napt_xsess *x;
		struct hlist_node *tmp;

		if (hlist_empty(&nn->sess.buckets[bkt]))
			continue;
		spin_lock_bh(lock);
		hlist_for_each_entry_safe(x, tmp, &nn->sess.buckets[bkt],
					  node) {
			if (all || READ_ONCE(x->map->dead) ||
			    napt_expired(READ_ONCE(x->s.expires), now)) {
				napt_sess_unlink(nn, x);
				freed++;
			}
		}
		spin_unlock_bh(lock);
	}
	*pos = (*pos + n) & nn->sess.mask;
	return freed;
}

/*
 * Sweep @n out buckets from *@pos, unlinking the mappings that @type
 * selects (ANY: all) and whose @ext_addr matches (0: any); with
 * @expired_only, only those whose time is up: dynamic ones without
 * sessions, static ones at the end of their lease (their embedded
 * sessions are ended on the way when their time is up).
 */
static unsigned int napt_sweep_maps(struct napt_net *nn, u32 now, u32 *pos,
				    u32 n, u8 type, __be32 ext_addr,
				    bool expired_only, bool rest)
{
	unsigned int freed = 0;
	u32 i;

	for (i = 0; i < n; i++) {
		u32 bkt = (*pos + i) & nn->out.mask;
		spinlock_t *lock = napt_lock(&nn->out, bkt);
		struct napt_map *m;
		struct hlist_node *tmp;

		if (hlist_empty(&nn->out.buckets[bkt]))
			continue;
		spin_lock_bh(lock);
		hlist_for_each_entry_safe(m, tmp, &nn->out.buckets[bkt],
					  out_node) {
			if (type != NAPT_MAP_ANY && m->type != type)
				continue;
			if (ext_addr && m->ext_addr != ext_addr)
				continue;
			if (expired_only &&
			    napt_expired(READ_ONCE(m->s0.expires), now) &&
			    napt_s0_end(nn, m))
				napt_stat_inc(nn, NAPT_STAT_SESS_EXPIRED);
			if (expired_only && !napt_map_done(m, now, lock))
				continue;
			napt_map_unlink(nn, m, expired_only ?
					NAPT_REASON_EXPIRED :
					NAPT_REASON_FLUSHED, rest);
			freed++;
		}
		spin_unlock_bh(lock);
	}
	*pos = (*pos + n) & nn->out.mask;
	return freed;
}

/**
 * napt_gc_step() - one bounded pass of the sweeper
 * @nn: the instance
 * @now: napt_now()
 * @budget: buckets to visit in each table
 *
 * Return: the number of mappings that expired.
 */
unsigned int napt_gc_step(struct napt_net *nn, u32 now, u32 budget)
{
	unsigned int freed;

	freed = napt_sweep_sess(nn, now, &nn->gc_sess,
				min(budget, nn->sess.mask + 1), false);
	napt_stat_add(nn, NAPT_STAT_SESS_EXPIRED, freed);
	freed = napt_sweep_maps(nn, now, &nn->gc_out,
				min(budget, nn->out.mask + 1),
				NAPT_MAP_ANY, 0, true, true);
	napt_stat_add(nn, NAPT_STAT_MAPS_EXPIRED, freed);
	napt_sweep_rest(nn, now, &nn->gc_in, min(budget, nn->in.mask + 1),
			false);
	return freed;
}

/**
 * napt_flush() - remove mappings at once
 * @nn: the instance
 * @type: NAPT_MAP_DYNAMIC, NAPT_MAP_STATIC or NAPT_MAP_ANY
 * @ext_addr: only those on this external address (0: any)
 *
 * Their sessions go too. Context: process, may take a while on big tables.
 */
unsigned int napt_flush(struct napt_net *nn, u8 type, __be32 ext_addr)
{
	unsigned int n;
	u32 pos = 0;
	bool all = type == NAPT_MAP_ANY && !ext_addr;

	n = napt_sweep_maps(nn, 0, &pos, nn->out.mask + 1, type, ext_addr,
			    false, !all);
	pos = 0;
	napt_sweep_sess(nn, napt_now(), &pos, nn->sess.mask + 1, all);
	if (all) {
		pos = 0;
		napt_sweep_rest(nn, 0, &pos, nn->in.mask + 1, true);
	}
	return n;
}

/**
 * napt_map_walk() - visit mappings for a netlink dump, resumably
 * @nn: the instance
 * @bucket: first out bucket to visit; where to resume on return
 * @skip: mappings of that bucket already visited; updated likewise
 * @fn: called for each; non-zero stops the walk before that mapping
 * @arg: for @fn
 *
 * Return: 0 when every bucket was visited, else @fn's value.
 */
int napt_map_walk(struct napt_net *nn, u32 *bucket, u32 *skip,
		  int (*fn)(struct napt_map *m, void *arg), void *arg)
{
	int ret = 0;

	rcu_read_lock();
	for (; *bucket <= nn->out.mask; (*bucket)++, *skip = 0) {
		struct napt_map *m;
		u32 idx = 0;

		hlist_for_each_entry_rcu(m, &nn->out.buckets[*bucket],
					 out_node) {
			if (idx++ < *skip)
				continue;
			ret = fn(m, arg);
			if (ret)
				goto out;
			(*skip)++;
		}
	}
out:
	rcu_read_unlock();
	return ret;
}

/*
 * Claim @port for the static mapping @m (key, ext_addr and st set). An
 * existing static mapping for the same remote is to be renewed (r->replace,
 * same inside endpoint) or is a conflict; a dynamic mapping of the same
 * inside endpoint is to be promoted to static in place (it keeps its
 * sessions), or, if its key names a remote (ADM, APDM), to be flushed
 * after; any other holder is a conflict.
 *
 * Return: 0 with @m linked in the in table, NAPT_CLAIM_TAKE with *@res the
 * mapping to renew or promote (a reference held: see napt_static_take()),
 * or a negative errno with *@why set.
 */
#define NAPT_CLAIM_TAKE 1
/* napt_static_take() attempts on a mapping that keeps changing */
#define NAPT_STATIC_TRIES 3
static int napt_static_claim(struct napt_net *nn,
			     const struct napt_static_req *r,
			     struct napt_map *m, u16 port,
			     struct napt_map **res, const char **why)
{
	__be16 p = htons(port);
	u32 h = napt_hash_in(nn, m->key.proto, m->ext_addr, p);
	struct hlist_head *b = &nn->in.buckets[h & nn->in.mask];
	spinlock_t *lock = napt_lock(&nn->in, h);
	struct napt_map *o, *take = NULL;
	struct hlist_node *tmp;
	unsigned int len = 0;
	int ret = 0;

	if (napt_port_has_socket(nn, m->key.proto, m->ext_addr, p, 0, 0)) {
		*why = "a socket of the gateway holds the external port";
		return -EADDRINUSE;
	}
	spin_lock_bh(lock);
	hlist_for_each_entry_safe(o, tmp, b, in_node) {
		struct napt_static *ost;
		bool same_int = o->key.int_addr == r->int_addr &&
				o->key.int_port == r->int_port;

		len++;
		if (o->ext_port != p || o->ext_addr != m->ext_addr ||
		    o->key.proto != m->key.proto)
			continue;
		if (o->dead) {	/* a resting port: forwarding overrides */
			napt_reap_rest(nn, b, o);
			len--;
			continue;
		}
		ost = rcu_dereference_protected(o->st, lockdep_is_held(lock));
		if (!ost) {
			if (same_int && !r->rem && !o->key.rem_addr)
				take = o;
			else if (!same_int) {
				*why = "a dynamic mapping holds the external port";
				ret = -EADDRINUSE;
				goto out;
			}
			continue;
		}
		if (ost->rem != r->rem)
			continue;
		if (r->replace && same_int) {
			take = o;
			break;
		}
		*why = "the external port is already forwarded";
		ret = -EEXIST;
		goto out;
	}
	if (take && refcount_inc_not_zero(&take->ref)) {
		*res = take;
		ret = NAPT_CLAIM_TAKE;
	} else if (len >= NAPT_CHAIN_MAX) {
		*why = "hash chain full";
		ret = -ENOSPC;
	} else {
		m->ext_port = p;
		hlist_add_head_rcu(&m->in_node, b);
		*res = m;
	}
out:
	napt_ports_note(nn, b, m->key.proto, m->ext_addr, p);
	spin_unlock_bh(lock);
	return ret;
}

/*
 * napt_static_claim() on the port asked for; without one, on the inside
 * port if that is free, else on any the allocator finds.
 */
static int napt_static_claim_any(struct napt_net *nn,
				 const struct napt_cfg *cfg,
				 const struct napt_static_req *r,
				 struct napt_map *m, struct napt_map **res,
				 const char **why)
{
	int ret;

	if (r->ext_port)
		return napt_static_claim(nn, r, m, ntohs(r->ext_port), res,
					 why);
	ret = napt_static_claim(nn, r, m, ntohs(r->int_port), res, why);
	if (ret != -EEXIST && ret != -EADDRINUSE)
		return ret;
	if (!napt_alloc_port(nn, cfg, m, 0, 0)) {
		*why = "no free external port";
		return -ENOSPC;
	}
	*res = m;
	return 0;
}

/* Whether @m is linked in out-table bucket @b, whose lock is held. */
static bool napt_out_holds(struct hlist_head *b, const struct napt_map *m)
{
	const struct napt_map *o;

	hlist_for_each_entry(o, b, out_node)
		if (o == m)
			return true;
	return false;
}

/*
 * Give @o (from napt_static_claim()) @m's static data: a renewal, or the
 * promotion of a dynamic mapping. Done under @o's out-table lock, where
 * the sweeper decides and where a new mapping is published or given up
 * (napt_map_create()): only a mapping that is in the out table is taken,
 * so neither one the sweeper has just removed nor one that another CPU
 * is still making, and may undo, comes back as the static one.
 *
 * Return: 0, @o keeping the claim's reference for the caller; or -EAGAIN
 * with the reference dropped.
 */
static int napt_static_take(struct napt_net *nn, struct napt_map *o,
			    struct napt_map *m, const char **why)
{
	u32 h = napt_hash_out(nn, &o->key);
	spinlock_t *lock = napt_lock(&nn->out, h);
	struct napt_static *old;

	spin_lock_bh(lock);
	if (READ_ONCE(o->dead) ||
	    !napt_out_holds(&nn->out.buckets[h & nn->out.mask], o)) {
		spin_unlock_bh(lock);
		napt_map_put(o);
		*why = "the mapping is changing meanwhile, try again";
		return -EAGAIN;
	}
	old = rcu_dereference_protected(o->st, lockdep_is_held(lock));
	/* @m is ours alone: never published */
	rcu_assign_pointer(o->st, rcu_dereference_protected(m->st, true));
	RCU_INIT_POINTER(m->st, NULL);
	napt_nstatic_add(nn, old, -1);
	napt_nstatic_add(nn, rcu_dereference_protected(o->st,
						       lockdep_is_held(lock)), 1);
	WRITE_ONCE(o->expires, m->expires);
	WRITE_ONCE(o->type, NAPT_MAP_STATIC);
	spin_unlock_bh(lock);
	if (old)
		napt_static_free_rcu(old);
	return 0;
}

/*
 * Link the static mapping @m, already in the in table, in the out table.
 * A dynamic mapping with the same key (the inside endpoint talked out
 * before) gives way; a static one is a conflict.
 */
static int napt_static_publish(struct napt_net *nn, struct napt_map *m,
			       const char **why)
{
	u32 h = napt_hash_out(nn, &m->key);
	struct hlist_head *b = &nn->out.buckets[h & nn->out.mask];
	spinlock_t *lock = napt_lock(&nn->out, h);
	struct hlist_node *tmp;
	struct napt_map *o;
	unsigned int len = 0;

	spin_lock_bh(lock);
	hlist_for_each_entry_safe(o, tmp, b, out_node) {
		if (!napt_okey_eq(&o->key, &m->key)) {
			len++;
			continue;
		}
		if (rcu_access_pointer(o->st)) {
			spin_unlock_bh(lock);
			*why = "the inside endpoint is already forwarded";
			return -EEXIST;
		}
		napt_map_unlink(nn, o, NAPT_REASON_FLUSHED, true);
	}
	if (len >= NAPT_CHAIN_MAX) {
		spin_unlock_bh(lock);
		*why = "hash chain full";
		return -ENOSPC;
	}
	hlist_add_head_rcu(&m->out_node, b);
	napt_nstatic_add(nn, rcu_dereference_protected(m->st,
						       lockdep_is_held(lock)), 1);
	spin_unlock_bh(lock);
	return 0;
}

/*
 * Remove the dynamic mappings of an inside endpoint (all keys: under ADM
 * and APDM it has one per remote), so that its packets find its new static
 * mapping. A whole-table walk: static mappings are added rarely.
 */
static void napt_flush_endpoint(struct napt_net *nn, u8 proto,
				__be32 int_addr, __be16 int_port)
{
	u32 bkt;

	for (bkt = 0; bkt <= nn->out.mask; bkt++) {
		spinlock_t *lock = napt_lock(&nn->out, bkt);
		struct hlist_node *tmp;
		struct napt_map *m;

		if (hlist_empty(&nn->out.buckets[bkt]))
			continue;
		spin_lock_bh(lock);
		hlist_for_each_entry_safe(m, tmp, &nn->out.buckets[bkt],
					  out_node) {
			if (m->key.proto == proto &&
			    m->key.int_addr == int_addr &&
			    m->key.int_port == int_port &&
			    !rcu_access_pointer(m->st))
				napt_map_unlink(nn, m, NAPT_REASON_FLUSHED,
						false);
		}
		spin_unlock_bh(lock);
	}
}

/**
 * napt_static_add() - add (or renew) a static mapping
 * @nn: the instance
 * @cfg: its configuration
 * @r: what is asked
 * @res: the mapping that stands on success
 * @why: a message for the caller on failure
 *
 * Without an external port, the inside port is taken if free, else one is
 * allocated as for a dynamic mapping. Other dynamic mappings of the inside
 * endpoint go, so that its packets leave from the static port whatever
 * the mapping behaviour. On success *@res holds a reference for the
 * caller, who drops it with napt_map_put() once done with it (the
 * mapping may be removed meanwhile: by the sweeper, a flush, a packet).
 * Context: process.
 *
 * Return: 0, or -EEXIST, -EADDRINUSE, -ENOSPC, -EADDRNOTAVAIL, -ENOMEM,
 * or -EAGAIN if the mapping to renew or promote kept changing under it.
 */
int napt_static_add(struct napt_net *nn, const struct napt_cfg *cfg,
		    const struct napt_static_req *r, struct napt_map **res,
		    const char **why)
{
	struct napt_static *st;
	struct mem_cgroup *memcg;
	struct napt_map *m;
	unsigned int tries;
	int ret;

	*res = NULL;
	memcg = napt_memcg_enter(nn);
	st = napt_static_alloc();
	m = napt_map_alloc();
	napt_memcg_exit(memcg);
	if (!st || !m) {
		if (st)
			napt_static_free_rcu(st);
		if (m) {
			RCU_INIT_POINTER(m->st, NULL);
			napt_map_free_rcu(m);
		}
		*why = "out of memory";
		return -ENOMEM;
	}
	memset(st->desc, 0, sizeof(st->desc));
	if (r->desc)
		memcpy(st->desc, r->desc,
		       strnlen(r->desc, sizeof(st->desc) - 1));
	st->rem = r->rem;
	st->lease = r->lease;
	st->owner = r->owner;
	memset(st->cookie, 0, sizeof(st->cookie));
	st->cookie_len = min_t(u8, r->cookie_len, sizeof(st->cookie));
	if (r->cookie && st->cookie_len)
		memcpy(st->cookie, r->cookie, st->cookie_len);
	else
		st->cookie_len = 0;

	memset(&m->key, 0, sizeof(m->key));
	m->key.proto = r->proto;
	m->key.int_addr = r->int_addr;
	m->key.int_port = r->int_port;
	m->key.rem_addr = r->rem;
	RCU_INIT_POINTER(m->st, st);
	m->type = NAPT_MAP_STATIC;
	m->mapping = NAPT_MAPPING_EIM;
	m->dead = false;
	atomic_set(&m->nsess, 0);
	/* the tables' and the caller's */
	refcount_set(&m->ref, 2);
	memset(&m->s0, 0, sizeof(m->s0));	/* NAPT_S0_FREE */
	m->expires = r->lease ? napt_now() + r->lease : 0;

	rcu_read_lock();
	m->ext_addr = r->ext_addr ?: napt_pick_ext_addr(nn, cfg, r->int_addr);
	if (!m->ext_addr) {
		*why = "no external address";
		ret = -EADDRNOTAVAIL;
		goto err;
	}
	if ((u32)atomic_inc_return(&nn->nmaps) > cfg->max_maps) {
		*why = "max-maps reached";
		ret = -ENOSPC;
		goto err_count;
	}
	/* counted, not limited: igdd and the operator set their own caps */
	memcg = napt_memcg_enter(nn);
	ret = napt_host_get(nn, r->int_addr, 0);
	napt_memcg_exit(memcg);
	if (ret) {
		*why = "out of memory";
		ret = -ENOMEM;
		goto err_count;
	}
	for (tries = 0;; tries++) {
		ret = napt_static_claim_any(nn, cfg, r, m, res, why);
		if (ret != NAPT_CLAIM_TAKE)
			break;
		ret = napt_static_take(nn, *res, m, why);
		/* another CPU is a few instructions from done with it */
		if (ret != -EAGAIN || tries == NAPT_STATIC_TRIES - 1)
			break;
		cpu_relax();
	}
	if (ret)
		goto err_host;
	if (*res != m) {		/* renewed or promoted */
		napt_host_put(nn, r->int_addr);
		atomic_dec(&nn->nmaps);
		rcu_read_unlock();
		napt_map_free_rcu(m);	/* never visible */
		napt_flush_endpoint(nn, r->proto, r->int_addr, r->int_port);
		return 0;
	}
	ret = napt_static_publish(nn, m, why);
	if (ret) {
		napt_unclaim(nn, m);
		napt_host_put(nn, r->int_addr);
		atomic_dec(&nn->nmaps);
		rcu_read_unlock();
		napt_map_put(m);	/* the caller's: frees it */
		*res = NULL;
		return ret;
	}
	rcu_read_unlock();
	napt_stat_inc(nn, NAPT_STAT_MAPS_CREATED);
	napt_event_map(nn, m, NAPT_EVENT_CREATED, NAPT_REASON_NONE);
	napt_flush_endpoint(nn, r->proto, r->int_addr, r->int_port);
	return 0;

err_host:
	napt_host_put(nn, r->int_addr);
err_count:
	atomic_dec(&nn->nmaps);
err:
	rcu_read_unlock();
	*res = NULL;
	napt_map_free_rcu(m);	/* never visible */
	return ret;
}

/*
 * Give the static mapping @m (a reference held) the address @to: a copy
 * of it on @to (its inside endpoint, port, remote and static data, the
 * lease end too) takes its place in the out table, so its inside
 * endpoint's packets find one or the other; its sessions stay behind
 * (their remotes knew the old address). If its port cannot be had on
 * @to (a socket of the gateway or another mapping holds it there), it is
 * removed.
 *
 * Return: true if @m is no longer in the tables (moved, removed, or gone
 * meanwhile); false if the copy could not be allocated.
 */
static bool napt_static_rehome_one(struct napt_net *nn, struct napt_map *m,
				   __be32 to)
{
	struct napt_static_req r = {
		.proto = m->key.proto,
		.int_addr = m->key.int_addr,
		.int_port = m->key.int_port,
		.rem = m->key.rem_addr,
	};
	spinlock_t *lock = napt_out_lock(nn, m);
	const struct napt_static *ost;
	struct mem_cgroup *memcg;
	struct napt_map *n, *res;
	struct napt_static *st;
	const char *why;
	bool moved;
	int ret;

	memcg = napt_memcg_enter(nn);
	st = napt_static_alloc();
	n = napt_map_alloc();
	napt_memcg_exit(memcg);
	if (!st || !n) {
		if (st)
			napt_static_free_rcu(st);
		if (n) {
			RCU_INIT_POINTER(n->st, NULL);
			napt_map_free_rcu(n);
		}
		return false;
	}
	rcu_read_lock();
	ost = rcu_dereference(m->st);
	memcpy(st, ost, sizeof(*st));
	n->key = m->key;
	RCU_INIT_POINTER(n->st, st);
	n->type = NAPT_MAP_STATIC;
	n->mapping = NAPT_MAPPING_EIM;
	n->dead = false;
	atomic_set(&n->nsess, 0);
	refcount_set(&n->ref, 1);
	memset(&n->s0, 0, sizeof(n->s0));	/* NAPT_S0_FREE */
	n->expires = READ_ONCE(m->expires);
	n->ext_addr = to;
	memcg = napt_memcg_enter(nn);
	ret = napt_host_get(nn, m->key.int_addr, 0);
	napt_memcg_exit(memcg);
	if (ret) {
		rcu_read_unlock();
		napt_map_free_rcu(n);		/* with its st */
		return false;
	}
	atomic_inc(&nn->nmaps);		/* @m's count goes with it */
	ret = napt_static_claim(nn, &r, n, ntohs(m->ext_port), &res, &why);
	if (ret == NAPT_CLAIM_TAKE) {
		/* a dynamic mapping of its endpoint: not on @to */
		napt_map_put(res);
		ret = -EADDRINUSE;
	}
	if (ret)
		napt_host_put(nn, m->key.int_addr);
	spin_lock_bh(lock);
	moved = !READ_ONCE(m->dead) &&
		napt_out_holds(&nn->out.buckets[napt_hash_out(nn, &m->key) &
						nn->out.mask], m);
	if (moved)
		napt_map_remove(nn, m, ret ? NULL : n, NAPT_REASON_ADDRESS,
				false);
	spin_unlock_bh(lock);
	if (!ret && moved) {
		napt_stat_inc(nn, NAPT_STAT_MAPS_CREATED);
		napt_event_map(nn, n, NAPT_EVENT_CREATED, NAPT_REASON_NONE);
	}
	rcu_read_unlock();
	if (ret) {
		atomic_dec(&nn->nmaps);
		napt_map_free_rcu(n);		/* never visible */
	} else if (!moved) {
		napt_unclaim(nn, n);
		napt_host_put(nn, m->key.int_addr);
		atomic_dec(&nn->nmaps);
	}
	return true;
}

/**
 * napt_static_rehome() - move static mappings onto the address pool
 * @nn: the instance
 * @cfg: the configuration about to be in force
 * @if_addr: the external interface's address it will use (no configured
 *	addresses)
 *
 * After the external address changes (the interface's, followed; or
 * configured ones), every static mapping on an address that is no longer
 * in the pool moves to the one its inside host gets (napt_pool_pick()),
 * on the same port; one whose port is taken there is removed. Both are
 * told as REMOVED with NAPT_REASON_ADDRESS, a move then as CREATED. Called
 * before the new pool is in force, so that no new dynamic mapping takes
 * their ports on it first. Nothing moves while the pool is empty (the
 * interface has no address): they wait where they are.
 *
 * Context: process, under the instance mutex.
 * Return: the number of static mappings moved or removed.
 */
unsigned int napt_static_rehome(struct napt_net *nn,
				const struct napt_cfg *cfg, __be32 if_addr)
{
	unsigned int n = 0;
	u32 bkt;

	lockdep_assert_held(&nn->lock);
	if (!cfg->n_ext && !if_addr)
		return 0;
	for (bkt = 0; bkt <= nn->out.mask; bkt++) {
		spinlock_t *lock = napt_lock(&nn->out, bkt);
		struct napt_map *m, *o;

		for (;;) {
			m = NULL;
			spin_lock_bh(lock);
			hlist_for_each_entry(o, &nn->out.buckets[bkt],
					     out_node) {
				if (rcu_access_pointer(o->st) &&
				    !napt_pool_has(cfg, if_addr, o->ext_addr) &&
				    refcount_inc_not_zero(&o->ref)) {
					m = o;
					break;
				}
			}
			spin_unlock_bh(lock);
			if (!m)
				break;
			if (!napt_static_rehome_one(nn, m,
					napt_pool_pick(nn, cfg, if_addr,
						       m->key.int_addr))) {
				napt_map_put(m);
				break;	/* no memory: the rest stays */
			}
			napt_map_put(m);
			n++;
		}
	}
	return n;
}

/*
 * The static mapping on (@proto, any external address, @ext_port) for
 * @rem, in *@found. Context: RCU read side.
 * Return: 0, 1, or 2 for several.
 */
static unsigned int napt_static_find_port(struct napt_net *nn, u8 proto,
					  __be16 ext_port, __be32 rem,
					  struct napt_map **found)
{
	unsigned int n = 0;
	struct napt_map *m;
	u32 bkt;

	for (bkt = 0; bkt <= nn->out.mask; bkt++) {
		hlist_for_each_entry_rcu(m, &nn->out.buckets[bkt], out_node) {
			const struct napt_static *st = rcu_dereference(m->st);

			if (st && st->rem == rem && m->ext_port == ext_port &&
			    m->key.proto == proto && !READ_ONCE(m->dead)) {
				*found = m;
				if (++n == 2)
					return n;
			}
		}
	}
	return n;
}

/**
 * napt_static_del() - remove a static mapping
 * @nn: the instance
 * @proto: its protocol
 * @ext_addr: its external address; 0: whichever it is on, if only one
 *	static mapping holds the port for @rem (a whole-table walk, so that
 *	one left on an address the interface no longer has is found too)
 * @ext_port: its external port
 * @rem: the remote it is restricted to (0: the one open to all)
 *
 * Return: 0, -ENOENT if there is no such mapping, or -ENOTUNIQ if
 * @ext_addr is 0 and several are.
 */
int napt_static_del(struct napt_net *nn, u8 proto, __be32 ext_addr,
		    __be16 ext_port, __be32 rem)
{
	u32 h = napt_hash_in(nn, proto, ext_addr, ext_port);
	struct napt_map *m, *found = NULL;
	spinlock_t *lock;
	int ret = -ENOENT;

	rcu_read_lock();
	if (!ext_addr) {
		if (napt_static_find_port(nn, proto, ext_port, rem,
					  &found) > 1) {
			rcu_read_unlock();
			return -ENOTUNIQ;
		}
		goto del;
	}
	hlist_for_each_entry_rcu(m, &nn->in.buckets[h & nn->in.mask],
				 in_node) {
		const struct napt_static *st = rcu_dereference(m->st);

		if (m->ext_port == ext_port && m->ext_addr == ext_addr &&
		    m->key.proto == proto && st && st->rem == rem) {
			found = m;
			break;
		}
	}
del:
	if (found) {
		lock = napt_out_lock(nn, found);
		spin_lock_bh(lock);
		if (!READ_ONCE(found->dead)) {
			napt_map_unlink(nn, found, NAPT_REASON_DELETED, false);
			ret = 0;
		}
		spin_unlock_bh(lock);
	}
	rcu_read_unlock();
	return ret;
}
