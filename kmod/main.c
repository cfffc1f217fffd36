// SPDX-License-Identifier: GPL-2.0
/*
 * napt: module init and exit, and the slab caches and deferred frees of
 * mappings, sessions and static data (an instance's life cycle is in
 * instance.c).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/llist.h>
#include <linux/slab.h>
#include <linux/workqueue.h>

#include "kernel.h"

static struct kmem_cache *napt_map_cache __read_mostly;
static struct kmem_cache *napt_sess_cache __read_mostly;

struct napt_map *napt_map_alloc(void)
{
	return kmem_cache_alloc(napt_map_cache, GFP_ATOMIC);
}

/*
 * Mappings wait for their grace period on one lock-free list, linked
 * through their unused back pointers (struct napt_map), each with the
 * grace-period state of its free; a work frees those whose grace period
 * has ended, every NAPT_FREE_DELAY while the list is not empty.
 */
#define NAPT_FREE_DELAY	(HZ / 20)
static LLIST_HEAD(napt_free_list);
static void napt_free_work_fn(struct work_struct *work);
static DECLARE_DELAYED_WORK(napt_free_work, napt_free_work_fn);

static void napt_map_free_now(struct napt_map *m)
{
	kfree(rcu_dereference_protected(m->st, true));
	kmem_cache_free(napt_map_cache, m);
}

/* Free the waiting mappings whose grace period has ended (@all: every one). */
static void napt_free_ready(bool all)
{
	struct llist_node *n = llist_del_all(&napt_free_list), *next;

	for (; n; n = next) {
		struct napt_map *m = container_of(n, struct napt_map,
						  free_link);

		next = n->next;
		if (all || poll_state_synchronize_rcu(m->free_gp))
			napt_map_free_now(m);
		else
			llist_add(n, &napt_free_list);
	}
}

static void napt_free_work_fn(struct work_struct *work)
{
	napt_free_ready(false);
	if (llist_empty(&napt_free_list))
		return;
	/* what still waits gets a grace period, even on an idle system */
	start_poll_synchronize_rcu();
	queue_delayed_work(system_power_efficient_wq, &napt_free_work,
			   NAPT_FREE_DELAY);
}

/**
 * napt_map_free_rcu() - free a mapping after a grace period
 * @m: a mapping in neither table (or never published)
 *
 * The first of a batch (the list was empty) makes sure a grace period
 * starts: get_state_synchronize_rcu() only notes which one is needed,
 * and nothing would start it on an idle system. The others only note it;
 * the work asks again for those still waiting.
 *
 * Context: any.
 */
void napt_map_free_rcu(struct napt_map *m)
{
	m->free_gp = llist_empty(&napt_free_list) ?
		     start_poll_synchronize_rcu() :
		     get_state_synchronize_rcu();
	/* the first on an empty list starts the work */
	if (llist_add(&m->free_link, &napt_free_list))
		queue_delayed_work(system_power_efficient_wq, &napt_free_work,
				   NAPT_FREE_DELAY);
}

/* At module exit, once no instance is left: free what still waits. */
static void napt_free_drain(void)
{
	cancel_delayed_work_sync(&napt_free_work);
	synchronize_rcu();
	napt_free_ready(true);
}

struct napt_xsess *napt_sess_alloc(void)
{
	return kmem_cache_alloc(napt_sess_cache, GFP_ATOMIC);
}

static void napt_sess_free_cb(struct rcu_head *rcu)
{
	kmem_cache_free(napt_sess_cache,
			container_of(rcu, struct napt_xsess, rcu));
}

void napt_sess_free_rcu(struct napt_xsess *x)
{
	call_rcu(&x->rcu, napt_sess_free_cb);
}

struct napt_static *napt_static_alloc(void)
{
	return kmalloc(sizeof(struct napt_static), GFP_KERNEL_ACCOUNT);
}

void napt_static_free_rcu(struct napt_static *st)
{
	kfree_rcu(st, rcu);
}

/*
 * Caches are kept apart from look-alike ones so that an object left
 * behind shows at unload. No SLAB_HWCACHE_ALIGN: it would round the
 * 96-byte napt_map up to 128 bytes. SLAB_ACCOUNT: objects are charged to
 * the memory cgroup of the instance (napt_memcg_enter()).
 */
#ifdef SLAB_NO_MERGE
#define NAPT_SLAB_FLAGS (SLAB_NO_MERGE | SLAB_ACCOUNT)
#define NAPT_SLAB_CTOR NULL
#else
static void napt_slab_ctor(void *obj)
{
}

#define NAPT_SLAB_FLAGS SLAB_ACCOUNT
#define NAPT_SLAB_CTOR napt_slab_ctor
#endif

static int __init napt_init(void)
{
	int ret = -ENOMEM;

	napt_map_cache = kmem_cache_create("napt_map", sizeof(struct napt_map),
					   0, NAPT_SLAB_FLAGS, NAPT_SLAB_CTOR);
	if (!napt_map_cache)
		goto err_map;
	napt_sess_cache = kmem_cache_create("napt_sess",
					    sizeof(struct napt_xsess), 0,
					    NAPT_SLAB_FLAGS, NAPT_SLAB_CTOR);
	if (!napt_sess_cache)
		goto err_sess;
	ret = napt_instance_init();
	if (ret)
		goto err_instance;
	ret = napt_genl_init();
	if (ret)
		goto err_genl;
	pr_info("IPv4 NAPT gateway loaded\n");
	return 0;

err_genl:
	napt_instance_exit();
err_instance:
	kmem_cache_destroy(napt_sess_cache);
err_sess:
	kmem_cache_destroy(napt_map_cache);
err_map:
	return ret;
}

static void __exit napt_exit(void)
{
	napt_genl_exit();
	napt_instance_exit();
	napt_free_drain();
	rcu_barrier();
	kmem_cache_destroy(napt_sess_cache);
	kmem_cache_destroy(napt_map_cache);
}

module_init(napt_init);
module_exit(napt_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Conntrack-independent IPv4 NAPT gateway");
MODULE_AUTHOR("napt developers");
MODULE_ALIAS_GENL_FAMILY(NAPT_GENL_NAME);
