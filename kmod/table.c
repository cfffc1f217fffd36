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

#include "table.h"

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
 *
 * Return: the mapping (valid in the RCU read section), or NULL.
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

/*
 * Count static data @st in (@d 1) or out (@d -1) of its owner's total.
 * Context: the out-table lock of its mapping is held (where ->st is
 * replaced), or the mapping is not yet published.
 */
void napt_nstatic_add(struct napt_net *nn,
		      const struct napt_static *st, int d)
{
	if (st && st->owner <= NAPT_OWNER_MAX)
		atomic_add(d, &nn->nstatic[st->owner]);
}

/* Tell the event group about @m (made or removed): its endpoints only. */
void napt_event_map(struct napt_net *nn, const struct napt_map *m,
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
void napt_reap_rest(struct napt_net *nn, struct hlist_head *b,
		    struct napt_map *o)
{
	napt_assert_in_locked(nn, o);
	hlist_del_rcu(&o->in_node);
	napt_ports_update(nn, b, o->key.proto, o->ext_addr, o->ext_port);
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
	napt_ports_update(nn, b, m->key.proto, m->ext_addr, p);
	spin_unlock_bh(lock);
	return true;
busy:
	/* a holder the bitmap did not know of (or none left after a reap) */
	napt_ports_update(nn, b, m->key.proto, m->ext_addr, p);
	spin_unlock_bh(lock);
	return false;
}

/*
 * Count a mapping of inside address @addr. Context: any; takes a hosts
 * bucket lock.
 *
 * Return: 0; -ENOSPC if it has @max already (0: no limit); -ENOMEM.
 */
int napt_host_get(struct napt_net *nn, __be32 addr, u32 max)
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

void napt_host_put(struct napt_net *nn, __be32 addr)
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
 *
 * Return: true with @m linked in the in table on its port, false if no
 *	candidate was free.
 */
bool napt_alloc_port(struct napt_net *nn, const struct napt_cfg *cfg,
		     struct napt_map *m, __be32 rem_addr,
		     __be16 rem_port)
{
	u16 want = ntohs(m->key.int_port);
	u32 lo = cfg->port_min, hi = cfg->port_max, span, start, i, step = 1;
	bool parity = cfg->flags & NAPT_F_PORT_PARITY;
	const struct napt_port_bits *pb;
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
	pb = parity ? NULL : napt_port_bits_of(nn, m->ext_addr);
	if (pb) {
		struct napt_port_walk it;
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
 * lock. Claims are only ever made from NAPT_FIRST_SESS_FREE and not on a dead
 * mapping, so they cannot race with this.
 */
static bool napt_first_sess_end(struct napt_net *nn, struct napt_map *m)
{
	if (IS_ENABLED(CONFIG_LOCKDEP))
		lockdep_assert(lockdep_is_held(napt_out_lock(nn, m)) ||
			       (READ_ONCE(m->dead) &&
				lockdep_is_held(napt_in_lock(nn, m))));
	if (READ_ONCE(m->first_sess.state) != NAPT_FIRST_SESS_USED)
		return false;
	WRITE_ONCE(m->first_sess.state, NAPT_FIRST_SESS_DEAD);
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
void napt_unclaim(struct napt_net *nn, struct napt_map *m)
{
	u32 h = napt_hash_in(nn, m->key.proto, m->ext_addr, m->ext_port);
	struct hlist_head *b = &nn->in.buckets[h & nn->in.mask];
	spinlock_t *lock = napt_lock(&nn->in, h);

	spin_lock_bh(lock);
	hlist_del_rcu(&m->in_node);
	WRITE_ONCE(m->dead, true);
	/* no claim after this (dead), and no end: it is in no out table */
	napt_first_sess_end(nn, m);
	napt_ports_update(nn, b, m->key.proto, m->ext_addr, m->ext_port);
	spin_unlock_bh(lock);
	napt_map_put(m);
}

/*
 * The pool's address for @int_addr: with several configured addresses,
 * one inside host always gets the same one (paired pooling, RFC 4787
 * REQ-2); without any, @if_addr, the interface's.
 */
__be32 napt_pool_pick(const struct napt_net *nn,
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
bool napt_pool_has(const struct napt_cfg *cfg, __be32 if_addr,
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
 *
 * Return: the mapping for @key (ours or the other CPU's), or NULL with
 *	*@drop_reason set.
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
	memset(&m->first_sess, 0, sizeof(m->first_sess));	/* NAPT_FIRST_SESS_FREE */
	if (first) {
		/* before the port is claimed: nobody can see @m yet */
		if ((u32)atomic_inc_return(&nn->nsess) <= cfg->max_sess) {
			napt_sess_init(&m->first_sess, cfg, key->proto, rem_addr,
				       rem_port);
			m->first_sess.state = NAPT_FIRST_SESS_USED;
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
		*first = &m->first_sess;
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
 *
 * Return: the session, or NULL if @m has none with that remote.
 */
struct napt_sess *napt_sess_lookup(struct napt_net *nn, struct napt_map *m,
				   __be32 rem_addr, __be16 rem_port,
				   bool match_port)
{
	struct napt_sess *s = &m->first_sess;
	struct napt_xsess *x;
	u32 h;

	/*
	 * Pairs with napt_first_sess_claim() (or the publication of a new mapping):
	 * its fields are set once it is used.
	 */
	if (smp_load_acquire(&s->state) == NAPT_FIRST_SESS_USED &&
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
static int napt_first_sess_claim(struct napt_net *nn,
				 const struct napt_cfg *cfg, struct napt_map *m,
				 __be32 rem_addr, __be16 rem_port,
				 int *drop_reason)
{
	spinlock_t *lock = napt_in_lock(nn, m);
	int ret = 0;

	spin_lock_bh(lock);
	if (m->first_sess.state != NAPT_FIRST_SESS_FREE || READ_ONCE(m->dead)) {
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
	napt_sess_init(&m->first_sess, cfg, m->key.proto, rem_addr, rem_port);
	atomic_inc(&m->nsess);
	/* readers see the fields above once they see the state */
	smp_store_release(&m->first_sess.state, NAPT_FIRST_SESS_USED);
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
 *
 * Return: the session (ours or the other CPU's), or NULL with
 *	*@drop_reason set.
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
	struct napt_sess *first_sess = &m->first_sess, *s;
	struct napt_xsess *x, *o;
	struct mem_cgroup *memcg;
	unsigned int len = 0;
	int ret;

	if (READ_ONCE(first_sess->state) == NAPT_FIRST_SESS_FREE) {
		ret = napt_first_sess_claim(nn, cfg, m, rem_addr, rem_port,
					    drop_reason);
		if (!ret) {
			s = first_sess;
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
	x->s.state = NAPT_FIRST_SESS_FREE;	/* unused outside the mapping */

	spin_lock_bh(lock);
	/* the embedded one may have been claimed for it meanwhile */
	if (smp_load_acquire(&first_sess->state) == NAPT_FIRST_SESS_USED &&
	    first_sess->rem_addr == rem_addr && first_sess->rem_port == rem_port) {
		spin_unlock_bh(lock);
		napt_sess_free_rcu(x);
		atomic_dec(&nn->nsess);
		return first_sess;
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
void napt_map_remove(struct napt_net *nn, struct napt_map *m,
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
	napt_first_sess_end(nn, m);
	if (!keep)
		hlist_del_rcu(&m->in_node);
	/* gone or resting: the port is no longer held */
	napt_ports_update(nn, &nn->in.buckets[h & nn->in.mask], m->key.proto,
			  m->ext_addr, m->ext_port);
	spin_unlock(lock);
	if (!keep)
		napt_map_put(m);
	napt_host_put(nn, m->key.int_addr);
	atomic_dec(&nn->nmaps);
	napt_event_map(nn, m, NAPT_EVENT_REMOVED, reason);
}

/* Remove @m; caller holds the out-table lock of its bucket. */
void napt_map_unlink(struct napt_net *nn, struct napt_map *m,
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
			    napt_expired(READ_ONCE(m->first_sess.expires), now) &&
			    napt_first_sess_end(nn, m))
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
 *
 * Return: the number of mappings removed.
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
