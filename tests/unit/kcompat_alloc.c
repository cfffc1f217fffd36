// SPDX-License-Identifier: GPL-2.0
/*
 * kcompat_alloc.c: the checked allocator of the unit tests (kcompat.h):
 * kmalloc() and friends, and the allocation of mappings, sessions and
 * static-mapping data that napt.h leaves to its host. Every live object is
 * on a list, so that a double or a stray free is reported; every
 * allocation must be charged to a memory cgroup; any of them can be made
 * to fail (kc_fail_*). bench/balloc.c is the fast one of the benchmarks.
 */
#include <stdlib.h>

#include "napt.h"

/*
 * Objects carry a header that tells whether they were handed to RCU:
 * a second free is reported instead of corrupting the callback list.
 * Fresh objects are filled with garbage, as a slab object would be.
 * Every live object is on one list, so that a pointer can be checked
 * to be one before it is freed.
 */
#define KC_OBJ_LIVE	0x4c495645UL
#define KC_OBJ_QUEUED	0x51554555UL
#define KC_POISON_ALLOC	0xa5
#define KC_POISON_FREE	0x6b

struct kc_obj {
	struct kc_obj *next, *prev;
	unsigned long state;
	unsigned long size;	/* keeps the object 16-byte aligned */
};

static struct kc_obj kc_objs = { &kc_objs, &kc_objs, 0, 0 };

static void *kc_obj_alloc(size_t size)
{
	struct kc_obj *o = kc_xmalloc(sizeof(*o) + size);

	o->state = KC_OBJ_LIVE;
	o->size = size;
	o->next = kc_objs.next;
	o->prev = &kc_objs;
	kc_objs.next->prev = o;
	kc_objs.next = o;
	memset(o + 1, KC_POISON_ALLOC, size);
	return o + 1;
}

/* Whether @p is a live (not yet freed or queued) object. */
static bool kc_obj_is_live(const void *p)
{
	const struct kc_obj *o;

	for (o = kc_objs.next; o != &kc_objs; o = o->next)
		if (o + 1 == p)
			return o->state == KC_OBJ_LIVE;
	return false;
}

static bool kc_obj_queue(void *p, const char *what)
{
	struct kc_obj *o = (struct kc_obj *)p - 1;

	if (!kc_obj_is_live(p)) {
		kc_error("%s freed twice (or never allocated)", what);
		return false;
	}
	o->state = KC_OBJ_QUEUED;
	return true;
}

static void kc_obj_free(void *p)
{
	struct kc_obj *o = (struct kc_obj *)p - 1;

	o->prev->next = o->next;
	o->next->prev = o->prev;
	memset(o, KC_POISON_FREE, sizeof(*o) + o->size);
	free(o);
}

/* An allocation the instance makes must be charged to its cgroup. */
static void kc_charged(const char *what, unsigned int gfp)
{
	if (!(gfp & __GFP_ACCOUNT) || !kc_active_memcg)
		kc_error("%s charged to no memory cgroup (gfp %#x, %s)", what,
			 gfp, kc_active_memcg ? "in napt_memcg_enter()" :
			 "outside napt_memcg_enter()");
}

void *kvcalloc(size_t n, size_t size, unsigned int gfp)
{
	void *p;

	kc_charged("kvcalloc", gfp);
	if (kc_inject(&kc_fail_kvcalloc))
		return NULL;
	p = calloc(n, size);
	if (p)
		kc_live_kv++;
	return p;
}

void kvfree(const void *p)
{
	if (!p)
		return;
	kc_live_kv--;
	free((void *)p);
}

void *kmalloc(size_t size, unsigned int gfp)
{
	kc_charged("kmalloc", gfp);
	if (kc_inject(&kc_fail_kmalloc))
		return NULL;
	kc_live_km++;
	return kc_obj_alloc(size);
}

void *kzalloc(size_t size, unsigned int gfp)
{
	void *p = kmalloc(size, gfp);

	if (p)
		memset(p, 0, size);
	return p;
}

void kfree(const void *p)
{
	if (!p)
		return;
	if (!kc_obj_is_live(p)) {
		kc_error("kfree of %p: freed twice or never allocated", p);
		return;
	}
	kc_live_km--;
	kc_obj_free((void *)p);
}

/* ---- the environment of table.c: mappings, sessions, static data ---- */

/*
 * A mapping has no rcu_head (kmod/main.c queues it through its unused
 * back pointers); here one follows it in the same allocation.
 */
struct kc_map {
	struct napt_map m;
	struct rcu_head rcu;
};

struct napt_map *napt_map_alloc(void)
{
	struct kc_map *km;

	/* the kernel's cache is SLAB_ACCOUNT */
	kc_charged("napt_map_alloc", __GFP_ACCOUNT);
	if (kc_inject(&kc_fail_map_alloc))
		return NULL;
	kc_live_maps++;
	km = kc_obj_alloc(sizeof(*km));
	return &km->m;
}

static void kc_static_free_now(struct napt_static *st);

/* As kmod/main.c: the mapping's napt_static goes with it. */
static void kc_map_free_cb(struct rcu_head *h)
{
	struct napt_map *m = &container_of(h, struct kc_map, rcu)->m;
	struct napt_static *st = rcu_dereference_protected(m->st, true);

	if (st) {
		if (kc_obj_is_live(st))
			kc_static_free_now(st);
		else
			kc_error("mapping freed with a stale ->st %p", st);
	}
	kc_live_maps--;
	kc_obj_free(m);
}

void napt_map_free_rcu(struct napt_map *m)
{
	struct kc_map *km = container_of(m, struct kc_map, m);

	if (!kc_obj_queue(km, "mapping"))
		return;
	/*
	 * What kmod/main.c stores there: the back pointers are the free
	 * list's from now on, so a reader that still used them would see
	 * this (and ASan or a wrong walk would tell).
	 */
	m->free_gp = 0x6b6b6b6b6b6b6b6bUL;
	m->free_link.next = (struct llist_node *)0x6b6b6b6b6b6b6b6bUL;
	call_rcu(&km->rcu, kc_map_free_cb);
}

struct napt_xsess *napt_sess_alloc(void)
{
	kc_charged("napt_sess_alloc", __GFP_ACCOUNT);
	if (kc_inject(&kc_fail_sess_alloc))
		return NULL;
	kc_live_sess++;
	return kc_obj_alloc(sizeof(struct napt_xsess));
}

static void kc_sess_free_cb(struct rcu_head *h)
{
	kc_live_sess--;
	kc_obj_free(container_of(h, struct napt_xsess, rcu));
}

void napt_sess_free_rcu(struct napt_xsess *x)
{
	if (kc_obj_queue(x, "session"))
		call_rcu(&x->rcu, kc_sess_free_cb);
}

struct napt_static *napt_static_alloc(void)
{
	kc_charged("napt_static_alloc", GFP_KERNEL_ACCOUNT);
	if (kc_inject(&kc_fail_static_alloc))
		return NULL;
	kc_live_st++;
	return kc_obj_alloc(sizeof(struct napt_static));
}

static void kc_static_free_now(struct napt_static *st)
{
	kc_live_st--;
	kc_obj_free(st);
}

static void kc_static_free_cb(struct rcu_head *h)
{
	kc_static_free_now(container_of(h, struct napt_static, rcu));
}

void napt_static_free_rcu(struct napt_static *st)
{
	if (kc_obj_queue(st, "napt_static"))
		call_rcu(&st->rcu, kc_static_free_cb);
}
