// SPDX-License-Identifier: GPL-2.0
/*
 * napt: the instance of a network namespace: its state, its life cycle
 * (up, set, down), the sweeper's work and its external address following
 * the interface's.
 */
#include <linux/inetdevice.h>
#include <linux/memcontrol.h>
#include <linux/slab.h>
#include <linux/workqueue.h>

#include "kernel.h"

unsigned int napt_net_id __read_mostly;

/**
 * napt_if_primary_addr() - the first IPv4 address of an interface
 * @net: its namespace
 * @ifindex: the interface
 *
 * Return: the address, or 0 if it has none.
 */
__be32 napt_if_primary_addr(struct net *net, int ifindex)
{
	const struct in_ifaddr *ifa;
	struct net_device *dev;
	struct in_device *idev;
	__be32 addr = 0;

	rcu_read_lock();
	dev = dev_get_by_index_rcu(net, ifindex);
	idev = dev ? __in_dev_get_rcu(dev) : NULL;
	if (idev) {
		in_dev_for_each_ifa_rcu(ifa, idev) {
			if (!(ifa->ifa_flags & IFA_F_SECONDARY)) {
				addr = ifa->ifa_local;
				break;
			}
		}
	}
	rcu_read_unlock();
	return addr;
}

static void napt_gc_work(struct work_struct *work)
{
	struct napt_net *nn = container_of(to_delayed_work(work),
					   struct napt_net, gc_work);
	/* every table is swept whole at least every 8 passes (seconds) */
	u32 budget = max_t(u32, 1024,
			   (max(nn->out.mask, nn->sess.mask) + 1) / 8);

	napt_gc_step(nn, napt_now(), budget);
	queue_delayed_work(system_power_efficient_wq, &nn->gc_work, HZ);
}

/*
 * The tables, counters and held-SYN slots of an instance coming up, all
 * charged to nn->memcg.
 */
static int napt_state_alloc(struct napt_net *nn, const struct napt_cfg *cfg)
{
	struct mem_cgroup *memcg = napt_memcg_enter(nn);
	int ret;

	ret = napt_table_init(nn, cfg->max_maps, cfg->max_sess);
	if (ret)
		goto out;
	ret = -ENOMEM;
	nn->stats = alloc_percpu_gfp(struct napt_stats, GFP_KERNEL_ACCOUNT);
	if (!nn->stats)
		goto err_stats;
	nn->synhold = kzalloc(sizeof(*nn->synhold), GFP_KERNEL_ACCOUNT);
	if (!nn->synhold)
		goto err_synhold;
	spin_lock_init(&nn->synhold->lock);
	ret = 0;
	goto out;

err_synhold:
	free_percpu(nn->stats);
	nn->stats = NULL;
err_stats:
	napt_table_free(nn);
out:
	napt_memcg_exit(memcg);
	return ret;
}

/* Undo napt_state_alloc(), once no packet and no work can reach it. */
static void napt_state_free(struct napt_net *nn)
{
	kfree(nn->synhold);
	nn->synhold = NULL;
	free_percpu(nn->stats);
	nn->stats = NULL;
	napt_table_free(nn);
}

/*
 * An interface configured by name: its index now, 0 while there is no
 * such device. Under nn->lock, which the device notifier takes too: a
 * device that registers after this finds the configuration in force.
 */
static void napt_resolve_ext_if(struct napt_net *nn, struct napt_cfg *cfg)
{
	struct net_device *dev;

	if (!cfg->ext_ifname[0])
		return;
	rcu_read_lock();
	dev = dev_get_by_name_rcu(nn->net, cfg->ext_ifname);
	cfg->ext_ifindex = dev ? dev->ifindex : 0;
	rcu_read_unlock();
}

/**
 * napt_up() - bring the instance of a namespace up
 * @nn: the instance, down
 * @cfg: its configuration, which it takes over on success
 * @extack: for the reason of a failure
 *
 * Allocates the tables (charged, as everything the instance allocates
 * later, to the caller's memory cgroup), publishes @cfg and registers the
 * hooks, the egress guard among them (egress.c). Context: process,
 * nn->lock held.
 *
 * Return: 0, -EEXIST if it is up, -ENOMEM, or the hooks' error.
 */
int napt_up(struct napt_net *nn, struct napt_cfg *cfg,
	    struct netlink_ext_ack *extack)
{
	int ret;

	lockdep_assert_held(&nn->lock);
	if (rcu_access_pointer(nn->cfg)) {
		NL_SET_ERR_MSG(extack, "napt is already up (use set)");
		return -EEXIST;
	}
	napt_resolve_ext_if(nn, cfg);
	nn->memcg = get_mem_cgroup_from_mm(current->mm);
	ret = napt_state_alloc(nn, cfg);
	if (ret) {
		NL_SET_ERR_MSG(extack, "cannot allocate the mapping table");
		goto err_state;
	}
	WRITE_ONCE(nn->if_addr, napt_if_primary_addr(nn->net,
						      cfg->ext_ifindex));
	napt_ports_sync(nn, cfg);
	nn->gen++;
	nn->reuse_delay = cfg->reuse_delay;
	/* inert until the configuration is published */
	ret = napt_egress_attach(nn, cfg->ext_ifindex);
	if (ret) {
		NL_SET_ERR_MSG(extack, "cannot guard the external device");
		goto err_egress;
	}
	ret = napt_hooks_register(nn);
	if (ret) {
		NL_SET_ERR_MSG(extack, "cannot register the netfilter hooks");
		goto err_hooks;
	}
	rcu_assign_pointer(nn->cfg, cfg);
	queue_delayed_work(system_power_efficient_wq, &nn->gc_work, HZ);
	return 0;

err_hooks:
	napt_egress_detach(nn);
err_egress:
	napt_ports_sync(nn, NULL);
	napt_state_free(nn);
err_state:
	mem_cgroup_put(nn->memcg);
	nn->memcg = NULL;
	return ret;
}

/* Whether a change from @o to @n makes the dynamic mappings wrong. */
static bool napt_cfg_moves_maps(const struct napt_cfg *o,
				const struct napt_cfg *n)
{
	return o->ext_ifindex != n->ext_ifindex || o->n_ext != n->n_ext ||
	       memcmp(o->ext, n->ext, sizeof(o->ext)) ||
	       o->n_int != n->n_int ||
	       memcmp(o->int_nets, n->int_nets, sizeof(o->int_nets)) ||
	       o->port_min != n->port_min || o->port_max != n->port_max;
}

/**
 * napt_set() - change the configuration of a running instance
 * @nn: the instance, up
 * @cfg: the new configuration (a changed copy of the one in force), which
 *	it takes over on success
 * @extack: for the reason of a failure
 *
 * Static mappings whose external address leaves the pool move first, then
 * @cfg is published; a change of the pool, the prefixes or the port range
 * flushes the dynamic mappings once packets under the old configuration
 * are done. A new external interface gets the egress guard first.
 * Context: process, nn->lock held.
 *
 * Return: 0, -ENOENT if the instance is down, or the egress guard's
 *	error (nothing changed).
 */
int napt_set(struct napt_net *nn, struct napt_cfg *cfg,
	     struct netlink_ext_ack *extack)
{
	struct napt_cfg *old = rcu_dereference_protected(nn->cfg,
						lockdep_is_held(&nn->lock));
	__be32 if_addr;
	int ret;

	lockdep_assert_held(&nn->lock);
	if (!old) {
		NL_SET_ERR_MSG(extack, "napt is down (use up)");
		return -ENOENT;
	}
	napt_resolve_ext_if(nn, cfg);
	ret = napt_egress_attach(nn, cfg->ext_ifindex);
	if (ret) {
		NL_SET_ERR_MSG(extack, "cannot guard the external device");
		return ret;
	}
	if_addr = old->ext_ifindex == cfg->ext_ifindex ? nn->if_addr :
		  napt_if_primary_addr(nn->net, cfg->ext_ifindex);
	/* before new flows can take their ports on a new address */
	if (napt_cfg_moves_maps(old, cfg))
		napt_static_rehome(nn, cfg, if_addr);
	WRITE_ONCE(nn->if_addr, if_addr);
	WRITE_ONCE(nn->reuse_delay, cfg->reuse_delay);
	rcu_assign_pointer(nn->cfg, cfg);
	napt_ports_sync(nn, cfg);
	if (napt_cfg_moves_maps(old, cfg)) {
		/* packets under the old configuration must be done */
		synchronize_rcu();
		napt_flush(nn, NAPT_MAP_DYNAMIC, 0);
	}
	kfree_rcu(old, rcu);
	return 0;
}

/**
 * napt_down() - stop the instance of a namespace
 * @nn: the instance (nothing happens if it is down)
 *
 * Unregisters the hooks, waits for the packets and works that may still
 * use the tables, then frees every mapping, the tables and the
 * configuration. Context: process, nn->lock held.
 */
void napt_down(struct napt_net *nn)
{
	struct napt_cfg *cfg = rcu_dereference_protected(nn->cfg,
						lockdep_is_held(&nn->lock));

	lockdep_assert_held(&nn->lock);
	if (!cfg)
		return;
	napt_hooks_unregister(nn);
	napt_egress_detach(nn);
	cancel_delayed_work_sync(&nn->gc_work);
	RCU_INIT_POINTER(nn->cfg, NULL);
	synchronize_rcu();
	/* no packet holds a SYN any more: the held ones go unanswered */
	cancel_delayed_work_sync(&nn->syn_work);
	napt_synhold_clear(nn);
	napt_flush(nn, NAPT_MAP_ANY, 0);
	napt_ports_sync(nn, NULL);
	napt_state_free(nn);
	mem_cgroup_put(nn->memcg);
	nn->memcg = NULL;
	kfree(cfg);
}

/*
 * The external address follows the interface's unless configured: on a
 * change, static mappings move to the new address (napt_static_rehome())
 * and dynamic mappings on the old one are dropped.
 */
static int napt_inetaddr_event(struct notifier_block *nb, unsigned long ev,
			       void *ptr)
{
	struct in_ifaddr *ifa = ptr;
	struct net_device *dev = ifa->ifa_dev->dev;
	struct napt_net *nn = napt_pernet(dev_net(dev));
	struct napt_cfg *cfg;
	__be32 old, now;

	if (ev != NETDEV_UP && ev != NETDEV_DOWN)
		return NOTIFY_DONE;
	mutex_lock(&nn->lock);
	cfg = rcu_dereference_protected(nn->cfg, lockdep_is_held(&nn->lock));
	if (cfg && cfg->ext_ifindex == dev->ifindex) {
		old = nn->if_addr;
		now = napt_if_primary_addr(nn->net, dev->ifindex);
		/* an address being removed may still be listed */
		if (ev == NETDEV_DOWN && now == ifa->ifa_local)
			now = 0;
		/* before new flows can take their ports on @now */
		if (!cfg->n_ext && now != old)
			napt_static_rehome(nn, cfg, now);
		WRITE_ONCE(nn->if_addr, now);
		napt_ports_sync(nn, cfg);
		if (old && old != now && !cfg->n_ext) {
			synchronize_rcu();
			napt_flush(nn, NAPT_MAP_DYNAMIC, old);
		}
	}
	mutex_unlock(&nn->lock);
	return NOTIFY_DONE;
}

static struct notifier_block napt_inetaddr_nb = {
	.notifier_call = napt_inetaddr_event,
};

/*
 * An instance configured by name follows the name: when its device goes,
 * or one of that name registers (or is renamed to it), a napt_set() with
 * the same configuration finds the new index (0: waiting). Context: RTNL
 * and nn->lock held.
 */
static void napt_follow_ext_if(struct napt_net *nn)
{
	struct napt_cfg *old = rcu_dereference_protected(nn->cfg,
						lockdep_is_held(&nn->lock));
	struct mem_cgroup *memcg;
	struct napt_cfg *cfg;

	memcg = napt_memcg_enter(nn);
	cfg = kmemdup(old, sizeof(*cfg), GFP_KERNEL_ACCOUNT);
	napt_memcg_exit(memcg);
	if (cfg) {
		napt_resolve_ext_if(nn, cfg);
		if (cfg->ext_ifindex == old->ext_ifindex) {
			kfree(cfg);
			return;
		}
		if (!napt_set(nn, cfg, NULL))
			return;
		kfree(cfg);
	}
	pr_warn_ratelimited("cannot follow interface %s\n", old->ext_ifname);
}

static int napt_netdev_event(struct notifier_block *nb, unsigned long ev,
			     void *ptr)
{
	struct net_device *dev = netdev_notifier_info_to_dev(ptr);
	struct napt_net *nn = napt_pernet(dev_net(dev));
	const struct napt_cfg *cfg;

	if (ev != NETDEV_REGISTER && ev != NETDEV_UNREGISTER &&
	    ev != NETDEV_CHANGENAME)
		return NOTIFY_DONE;
	mutex_lock(&nn->lock);
	if (ev == NETDEV_UNREGISTER)
		napt_egress_dev_gone(nn, dev);
	cfg = rcu_dereference_protected(nn->cfg, lockdep_is_held(&nn->lock));
	if (!cfg)
		goto out;
	if (cfg->ext_ifname[0])
		napt_follow_ext_if(nn);
	else if (ev == NETDEV_REGISTER && cfg->ext_ifindex == dev->ifindex &&
		 napt_egress_attach(nn, dev->ifindex))
		pr_warn_ratelimited("cannot guard the egress of %s\n",
				    dev->name);
out:
	mutex_unlock(&nn->lock);
	return NOTIFY_DONE;
}

static struct notifier_block napt_netdev_nb = {
	.notifier_call = napt_netdev_event,
};

static int __net_init napt_net_init(struct net *net)
{
	struct napt_net *nn = napt_pernet(net);

	nn->net = net;
	mutex_init(&nn->lock);
	RCU_INIT_POINTER(nn->cfg, NULL);
	INIT_DELAYED_WORK(&nn->gc_work, napt_gc_work);
	INIT_DELAYED_WORK(&nn->syn_work, napt_synhold_work);
	return 0;
}

static void __net_exit napt_net_exit(struct net *net)
{
	struct napt_net *nn = napt_pernet(net);

	mutex_lock(&nn->lock);
	napt_down(nn);
	mutex_unlock(&nn->lock);
}

static struct pernet_operations napt_net_ops = {
	.init = napt_net_init,
	.exit = napt_net_exit,
	.id = &napt_net_id,
	.size = sizeof(struct napt_net),
};

/**
 * napt_instance_init() - give every namespace its (down) instance
 *
 * Registers the per-namespace state, the address notifier and the
 * device notifier (interfaces followed by name, egress guards).
 * Context: module init.
 *
 * Return: 0 or the registration's error.
 */
int __init napt_instance_init(void)
{
	int ret;

	ret = register_pernet_subsys(&napt_net_ops);
	if (ret)
		return ret;
	ret = register_inetaddr_notifier(&napt_inetaddr_nb);
	if (ret)
		goto err_inetaddr;
	ret = register_netdevice_notifier(&napt_netdev_nb);
	if (ret)
		goto err_netdev;
	return 0;

err_netdev:
	unregister_inetaddr_notifier(&napt_inetaddr_nb);
err_inetaddr:
	unregister_pernet_subsys(&napt_net_ops);
	return ret;
}

/**
 * napt_instance_exit() - undo napt_instance_init()
 *
 * Every namespace's instance goes down. Context: module exit, after the
 * netlink family is gone.
 */
void napt_instance_exit(void)
{
	unregister_netdevice_notifier(&napt_netdev_nb);
	unregister_inetaddr_notifier(&napt_inetaddr_nb);
	unregister_pernet_subsys(&napt_net_ops);
}
