// SPDX-License-Identifier: GPL-2.0
/*
 * napt: which ports of each external address the in table holds.
 *
 * One bitmap per (external address of the pool, protocol): bit P is set
 * while the in table has a mapping for (proto, address, P) that is not
 * dead (a resting port's bit is clear: the claim decides whether its rest
 * is over or the same inside host takes it back, RFC 6888 REQ-8). Port
 * allocation reads the bitmap to go straight to a free port after a
 * random start, so that a nearly full range costs what an empty one does;
 * the in table stays the authority (a claim is still made under its
 * bucket lock).
 *
 * Every entry of one (proto, address, port) hashes to one in-table bucket,
 * so table.c, under that bucket's lock after any change there, tells
 * napt_ports_note() whether the bucket still holds the port: exact. This
 * file knows nothing of the in table itself. A
 * bitmap made for an address that already has entries (one added to the
 * pool while static mappings use it) lacks their bits; a claim that finds
 * such a port taken notes it, which repairs the bit.
 *
 * The set of bitmaps follows the pool: configured addresses, or the
 * external interface's address when none is. It is replaced as a whole
 * under the instance mutex and read under RCU; a bitmap of an address that
 * stays is carried over. An address whose bitmap cannot be allocated has
 * none: its ports are then found by probing alone.
 */
#include "napt.h"

#ifdef __KERNEL__
#include <linux/slab.h>
#include <linux/mm.h>
#include <linux/bitops.h>
#endif

/*
 * The bitmaps of @addr, or NULL. Context: RCU read side (a table lock,
 * taken with BH off, is one) or nn->lock.
 */
struct napt_port_bits *napt_port_bits_of(struct napt_net *nn, __be32 addr)
{
	const struct napt_ports *ps =
		rcu_dereference_check(nn->ports, lockdep_is_held(&nn->lock) ||
					       rcu_read_lock_bh_held());
	unsigned int i;

	if (!ps)
		return NULL;
	for (i = 0; i < ps->n; i++)
		if (ps->pb[i]->addr == addr)
			return ps->pb[i];
	return NULL;
}

/**
 * napt_ports_note() - set or clear one port's bit
 * @nn: the instance
 * @proto: protocol
 * @addr: external address
 * @port: external port
 * @held: whether the in table now holds (@proto, @addr, @port)
 *
 * The caller (table.c's napt_ports_update()) tells from the in-table
 * bucket of the port, under its lock. Context: that lock held.
 */
void napt_ports_note(struct napt_net *nn, u8 proto, __be32 addr,
		     __be16 port, bool held)
{
	struct napt_port_bits *pb = napt_port_bits_of(nn, addr);
	int pidx = napt_pidx(proto);

	if (!pb || pidx < 0)
		return;
	if (held)
		set_bit(ntohs(port), pb->bits[pidx]);
	else
		clear_bit(ntohs(port), pb->bits[pidx]);
}

static void napt_port_bits_free_cb(struct rcu_head *rcu)
{
	kvfree(container_of(rcu, struct napt_port_bits, rcu));
}

static void napt_ports_free_cb(struct rcu_head *rcu)
{
	kvfree(container_of(rcu, struct napt_ports, rcu));
}

/*
 * Replace the set by @ps (NULL: none): bitmaps of the old set that @ps
 * does not carry go after a grace period, with the old set.
 */
static void napt_ports_replace(struct napt_net *nn, struct napt_ports *ps)
{
	struct napt_ports *old =
		rcu_dereference_protected(nn->ports,
					  lockdep_is_held(&nn->lock));
	unsigned int i, j;

	rcu_assign_pointer(nn->ports, ps);
	if (!old)
		return;
	for (i = 0; i < old->n; i++) {
		for (j = 0; ps && j < ps->n; j++)
			if (ps->pb[j] == old->pb[i])
				break;
		if (!ps || j == ps->n)
			call_rcu(&old->pb[i]->rcu, napt_port_bits_free_cb);
	}
	call_rcu(&old->rcu, napt_ports_free_cb);
}

/**
 * napt_ports_sync() - make the bitmaps follow the address pool
 * @nn: the instance
 * @cfg: its configuration (NULL: the instance goes down, drop them all)
 *
 * Context: process, under the instance mutex. Allocation failures leave
 * an address without a bitmap.
 */
void napt_ports_sync(struct napt_net *nn, const struct napt_cfg *cfg)
{
	__be32 want[NAPT_MAX_EXT_ADDRS];
	struct mem_cgroup *memcg;
	struct napt_ports *ps;
	unsigned int n = 0, i;

	lockdep_assert_held(&nn->lock);
	if (cfg && cfg->n_ext) {
		for (i = 0; i < cfg->n_ext; i++) {
			unsigned int j;

			/* an address listed twice gets one bitmap */
			for (j = 0; j < n && want[j] != cfg->ext[i]; j++)
				;
			if (j == n)
				want[n++] = cfg->ext[i];
		}
	} else if (cfg && nn->if_addr) {
		want[n++] = nn->if_addr;
	}
	if (!n) {
		napt_ports_replace(nn, NULL);
		return;
	}
	memcg = napt_memcg_enter(nn);
	ps = kvzalloc(sizeof(*ps), GFP_KERNEL_ACCOUNT);
	for (i = 0; ps && i < n; i++) {
		struct napt_port_bits *pb = napt_port_bits_of(nn, want[i]);

		if (!pb) {
			pb = kvzalloc(sizeof(*pb), GFP_KERNEL_ACCOUNT);
			if (!pb)
				continue;
			pb->addr = want[i];
		}
		ps->pb[ps->n++] = pb;
	}
	napt_memcg_exit(memcg);
	napt_ports_replace(nn, ps);
}

/**
 * napt_ports_next() - the next free port by the bitmap, for allocation
 * @pb: the bitmaps of the address
 * @proto: the protocol
 * @it: the walk: set up by napt_ports_start(), advanced by each call
 *
 * Walks the ports of [lo, hi] whose bit is clear from a random start,
 * wrapping once. Context: RCU read side.
 *
 * Return: a port, or -1 when the walk has come round.
 */
int napt_ports_next(const struct napt_port_bits *pb, u8 proto,
		    struct napt_port_walk *it)
{
	const unsigned long *bits = pb->bits[napt_pidx(proto)];
	u32 p = find_next_zero_bit(bits, it->hi + 1, it->from);

	if (p > it->hi && !it->wrapped) {
		it->wrapped = true;
		p = find_next_zero_bit(bits, it->hi + 1, it->lo);
	}
	if (p > it->hi || (it->wrapped && p >= it->start))
		return -1;
	it->from = p + 1;
	return p;
}

/* Begin a walk of [@lo, @hi] at a random port. */
void napt_ports_start(struct napt_port_walk *it, u32 lo, u32 hi)
{
	it->lo = lo;
	it->hi = hi;
	it->start = lo + get_random_u32_below(hi - lo + 1);
	it->from = it->start;
	it->wrapped = false;
}
