// SPDX-License-Identifier: GPL-2.0
/*
 * balloc.c: the allocator of the benchmarks, behind tests/unit/kcompat.c.
 *
 * tests/unit/kcompat_alloc.c checks every free against a list of live
 * objects (linear in the number of objects), fills objects with poison
 * and checks memory-cgroup charging: right for tests, wrong for counting
 * instructions at 4M entries. Here the allocator is malloc; mappings and
 * sessions are still counted in kc_live_maps/kc_live_sess, which ubench
 * checks are back to 0 after each size.
 */
#include <stdlib.h>

#include "napt.h"

void *kvcalloc(size_t n, size_t size, unsigned int gfp)
{
	(void)gfp;
	return calloc(n ? n : 1, size ? size : 1);
}

void kvfree(const void *p)
{
	free((void *)p);
}

void *kmalloc(size_t size, unsigned int gfp)
{
	(void)gfp;
	return kc_xmalloc(size);
}

void *kzalloc(size_t size, unsigned int gfp)
{
	(void)gfp;
	return calloc(1, size ? size : 1);
}

void kfree(const void *p)
{
	free((void *)p);
}

/* a mapping has no rcu_head (see kmod/main.c): one follows it here */
struct bmap {
	struct napt_map m;
	struct rcu_head rcu;
};

struct napt_map *napt_map_alloc(void)
{
	struct bmap *b = kc_xmalloc(sizeof(*b));

	kc_live_maps++;
	return &b->m;
}

/* as kmod/main.c: the mapping's napt_static goes with it */
static void map_free_cb(struct rcu_head *h)
{
	struct bmap *b = container_of(h, struct bmap, rcu);

	free(rcu_dereference_protected(b->m.st, true));
	kc_live_maps--;
	free(b);
}

void napt_map_free_rcu(struct napt_map *m)
{
	call_rcu(&container_of(m, struct bmap, m)->rcu, map_free_cb);
}

struct napt_xsess *napt_sess_alloc(void)
{
	kc_live_sess++;
	return kc_xmalloc(sizeof(struct napt_xsess));
}

static void sess_free_cb(struct rcu_head *h)
{
	kc_live_sess--;
	free(container_of(h, struct napt_xsess, rcu));
}

void napt_sess_free_rcu(struct napt_xsess *x)
{
	call_rcu(&x->rcu, sess_free_cb);
}

struct napt_static *napt_static_alloc(void)
{
	return kc_xmalloc(sizeof(struct napt_static));
}

static void static_free_cb(struct rcu_head *h)
{
	free(container_of(h, struct napt_static, rcu));
}

void napt_static_free_rcu(struct napt_static *st)
{
	call_rcu(&st->rcu, static_free_cb);
}
