// SPDX-License-Identifier: GPL-2.0
/*
 * napt: static mappings, made by an administrator or a daemon (igdd) with
 * ADD_MAP, or a dynamic mapping promoted to one. A static mapping lives in
 * the same hash tables as a dynamic one (table.c) and carries a struct
 * napt_static: its owner, description, cookie and lease, which the sweeper
 * ends. Here: claiming a port for one (taking over or renewing the holder
 * where allowed), publishing it, moving static mappings to a new external
 * address, and deleting them.
 */
#include "table.h"

/**
 * napt_static_lookup_out() - a static mapping of an inside endpoint
 * @nn: the instance
 * @proto: protocol
 * @int_addr: inside address
 * @int_port: inside port
 * @rem_addr: the remote it is restricted to, 0 for one open to all
 *
 * Return: the static mapping (valid in the RCU read section), or NULL.
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
			     struct napt_map **res, enum napt_static_err *why)
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
		*why = NAPT_SERR_SOCKET;
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
				*why = NAPT_SERR_DYNAMIC;
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
		*why = NAPT_SERR_EXT_FORWARDED;
		ret = -EEXIST;
		goto out;
	}
	if (take && refcount_inc_not_zero(&take->ref)) {
		*res = take;
		ret = NAPT_CLAIM_TAKE;
	} else if (len >= NAPT_CHAIN_MAX) {
		*why = NAPT_SERR_CHAIN_FULL;
		ret = -ENOSPC;
	} else {
		m->ext_port = p;
		hlist_add_head_rcu(&m->in_node, b);
		*res = m;
	}
out:
	napt_ports_update(nn, b, m->key.proto, m->ext_addr, p);
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
				 enum napt_static_err *why)
{
	int ret;

	if (r->ext_port)
		return napt_static_claim(nn, r, m, ntohs(r->ext_port), res,
					 why);
	ret = napt_static_claim(nn, r, m, ntohs(r->int_port), res, why);
	if (ret != -EEXIST && ret != -EADDRINUSE)
		return ret;
	if (!napt_alloc_port(nn, cfg, m, 0, 0)) {
		*why = NAPT_SERR_NO_PORT;
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
			    struct napt_map *m, enum napt_static_err *why)
{
	u32 h = napt_hash_out(nn, &o->key);
	spinlock_t *lock = napt_lock(&nn->out, h);
	struct napt_static *old;

	spin_lock_bh(lock);
	if (READ_ONCE(o->dead) ||
	    !napt_out_holds(&nn->out.buckets[h & nn->out.mask], o)) {
		spin_unlock_bh(lock);
		napt_map_put(o);
		*why = NAPT_SERR_CHANGING;
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
			       enum napt_static_err *why)
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
			*why = NAPT_SERR_INT_FORWARDED;
			return -EEXIST;
		}
		napt_map_unlink(nn, o, NAPT_REASON_FLUSHED, true);
	}
	if (len >= NAPT_CHAIN_MAX) {
		spin_unlock_bh(lock);
		*why = NAPT_SERR_CHAIN_FULL;
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
 * @why: on failure, why (netlink.c words it)
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
		    enum napt_static_err *why)
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
		*why = NAPT_SERR_NOMEM;
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
	memset(&m->first_sess, 0, sizeof(m->first_sess));	/* NAPT_FIRST_SESS_FREE */
	m->expires = r->lease ? napt_now() + r->lease : 0;

	rcu_read_lock();
	m->ext_addr = r->ext_addr ?: napt_pick_ext_addr(nn, cfg, r->int_addr);
	if (!m->ext_addr) {
		*why = NAPT_SERR_NO_EXT_ADDR;
		ret = -EADDRNOTAVAIL;
		goto err;
	}
	if ((u32)atomic_inc_return(&nn->nmaps) > cfg->max_maps) {
		*why = NAPT_SERR_MAX_MAPS;
		ret = -ENOSPC;
		goto err_count;
	}
	/* counted, not limited: igdd and the operator set their own caps */
	memcg = napt_memcg_enter(nn);
	ret = napt_host_get(nn, r->int_addr, 0);
	napt_memcg_exit(memcg);
	if (ret) {
		*why = NAPT_SERR_NOMEM;
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
	enum napt_static_err why;
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
	memset(&n->first_sess, 0, sizeof(n->first_sess));	/* NAPT_FIRST_SESS_FREE */
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
