// SPDX-License-Identifier: GPL-2.0
/*
 * napt: the guard at the external interface's egress.
 *
 * Every packet napt translates outbound is meant to pass POST_ROUTING.
 * Some do not: an nftables flowtable forwards the packets of an
 * established conntrack flow from the ingress hook of the device they
 * arrive on straight to the output device's neighbour, and conntrack
 * knows nothing of napt's translation. Without this guard such packets
 * left with their inside source (selftests/napt_flowtable.sh).
 *
 * While an instance runs and its external device exists, a netdev egress
 * hook on that device hands napt_xlate_out() every IPv4 packet that is
 * about to leave with an inside source: it leaves translated (counted as
 * NAPT_STAT_EGRESS_XLATE) or is dropped (counted by its reason), never
 * sent as it is. Packets napt translated at POST_ROUTING carry an external
 * source here and pass after one prefix test.
 *
 * The hook follows the device: registered by napt_up(), moved by
 * napt_set(), removed by napt_down() and, from the device notifier in
 * instance.c, when the device unregisters (or leaves the namespace); a
 * device that registers as the configured one gets it back. nn->lock
 * orders all of it (taken inside RTNL by the notifier, never the other
 * way round).
 */
#include <linux/netdevice.h>
#include <linux/netfilter.h>
#include <linux/netfilter_netdev.h>
#include <linux/rtnetlink.h>
#include <linux/ip.h>
#include <linux/slab.h>

#include "napt.h"
#include "kernel.h"

/* Before the egress chains of a ruleset, which expect translated packets. */
#define NAPT_PRI_EGRESS	(-500)

/**
 * struct napt_egress - the hook registered on one device
 * @ops: the registration; @ops.dev is the device, @ops.priv the instance
 */
struct napt_egress {
	struct nf_hook_ops ops;
};

static unsigned int napt_nf_egress(void *priv, struct sk_buff *skb,
				   const struct nf_hook_state *state)
{
	struct napt_net *nn = priv;
	const struct napt_cfg *cfg = rcu_dereference(nn->cfg);
	int off = skb_network_offset(skb);
	const struct iphdr *iph;
	unsigned int verdict;

	if (!cfg || skb->protocol != htons(ETH_P_IP) || off < 0 ||
	    state->out->ifindex != cfg->ext_ifindex)
		return NF_ACCEPT;
	if (!pskb_may_pull(skb, off + sizeof(*iph)))
		return NF_ACCEPT;
	iph = ip_hdr(skb);
	if (iph->version != 4 || !napt_in_int_nets(cfg, iph->saddr) ||
	    napt_is_ext_addr(nn, cfg, iph->saddr))
		return NF_ACCEPT;

	/*
	 * An inside source about to leave: it did not pass POST_ROUTING.
	 * napt_xlate_out() works from the network header, as there.
	 */
	__skb_pull(skb, off);
	verdict = napt_xlate_out(nn, cfg, skb);
	__skb_push(skb, off);
	if (verdict == NF_ACCEPT)
		napt_stat_inc(nn, NAPT_STAT_EGRESS_XLATE);
	return verdict;
}

static void napt_egress_free(struct napt_net *nn, struct napt_egress *eg)
{
	if (!eg)
		return;
	/* waits for the packets in the hook */
	nf_unregister_net_hook(nn->net, &eg->ops);
	kfree(eg);
}

/**
 * napt_egress_attach() - guard the external device of a configuration
 * @nn: the instance
 * @ifindex: its external interface
 *
 * Registers the hook on @ifindex's device, if it exists, before the one
 * on the device guarded so far goes; the hook acts only on the device of
 * the configuration in force, so both may be there for a moment. Context:
 * process, nn->lock held.
 *
 * Return: 0 (also when there is no such device: it is guarded when it
 *	registers), or -ENOMEM or the registration's error, the former
 *	guard left as it was.
 */
int napt_egress_attach(struct napt_net *nn, int ifindex)
{
	struct napt_egress *eg, *old;
	struct net_device *dev;
	int ret;

	lockdep_assert_held(&nn->lock);
	/* a kernel without egress hooks has no guard (design.md) */
	if (!IS_ENABLED(CONFIG_NETFILTER_EGRESS))
		return 0;
	old = nn->egress;
	if (old && old->ops.dev->ifindex == ifindex)
		return 0;
	dev = dev_get_by_index(nn->net, ifindex);
	if (!dev) {
		nn->egress = NULL;
		napt_egress_free(nn, old);
		return 0;
	}
	ret = -ENOMEM;
	eg = kzalloc(sizeof(*eg), GFP_KERNEL_ACCOUNT);
	if (!eg)
		goto out;
	eg->ops.hook = napt_nf_egress;
	eg->ops.pf = NFPROTO_NETDEV;
	eg->ops.hooknum = NF_NETDEV_EGRESS;
	eg->ops.priority = NAPT_PRI_EGRESS;
	eg->ops.dev = dev;
	eg->ops.priv = nn;
	/*
	 * Our reference keeps @dev registered until this is done; its
	 * NETDEV_UNREGISTER then waits for nn->lock and finds the hook.
	 */
	ret = nf_register_net_hook(nn->net, &eg->ops);
	if (ret) {
		kfree(eg);
		goto out;
	}
	nn->egress = eg;
	napt_egress_free(nn, old);
out:
	dev_put(dev);
	return ret;
}

/**
 * napt_egress_detach() - remove the guard, if there is one
 * @nn: the instance, going down
 *
 * Context: process, nn->lock held.
 */
void napt_egress_detach(struct napt_net *nn)
{
	lockdep_assert_held(&nn->lock);
	napt_egress_free(nn, nn->egress);
	nn->egress = NULL;
}

/**
 * napt_egress_dev_gone() - a device unregisters: no guard may stay on it
 * @nn: the instance of the device's namespace
 * @dev: the device, at NETDEV_UNREGISTER
 *
 * Context: RTNL and nn->lock held.
 */
void napt_egress_dev_gone(struct napt_net *nn, struct net_device *dev)
{
	lockdep_assert_held(&nn->lock);
	ASSERT_RTNL();
	if (nn->egress && nn->egress->ops.dev == dev)
		napt_egress_detach(nn);
}
