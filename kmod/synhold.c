// SPDX-License-Identifier: GPL-2.0
/*
 * napt: held SYNs (RFC 5382 REQ-4). An unsolicited inbound SYN is dropped
 * (xlate.c) and its IP header and first 8 bytes kept here, in a fixed
 * table of NAPT_SYN_HOLD_SLOTS per instance, for syn-hold seconds; an
 * outbound SYN of the same connection translated meanwhile forgets it
 * (a simultaneous open), else the instance's work answers it with ICMP
 * port unreachable (3/3) from the external interface.
 *
 * The table is also compiled in userspace (tests/unit); the work and the
 * ICMP answer are kernel-only.
 */
#include "napt.h"

#ifdef __KERNEL__
#include <linux/netdevice.h>
#include <linux/skbuff.h>
#include <linux/workqueue.h>
#include <net/icmp.h>
#include <net/route.h>
#include <net/ip.h>

#include "kernel.h"
#endif

static bool napt_held_is(const struct napt_held *e, __be32 rem_addr,
			 __be16 rem_port, __be32 ext_addr, __be16 ext_port)
{
	return e->len && e->rem_addr == rem_addr && e->rem_port == rem_port &&
	       e->ext_addr == ext_addr && e->ext_port == ext_port;
}

/* Hold the inbound SYN @p (dropped by the caller). Context: softirq. */
void napt_synhold_add(struct napt_net *nn, const struct napt_cfg *cfg,
		      struct sk_buff *skb, const struct napt_pkt *p)
{
	struct napt_synhold *h = nn->synhold;
	struct napt_held *e, *free = NULL;
	unsigned long delay = (unsigned long)cfg->syn_hold * HZ;
	unsigned int i, len = p->l4off + 8;
	bool kick = false;

	if (!h || !cfg->syn_hold || len > NAPT_HELD_MAX)
		return;
	spin_lock_bh(&h->lock);
	for (i = 0; i < NAPT_SYN_HOLD_SLOTS; i++) {
		e = &h->slot[i];
		/* a retransmission keeps the first one's time */
		if (napt_held_is(e, p->saddr, p->sport, p->daddr, p->dport))
			goto out;
		if (!e->len && !free)
			free = e;
	}
	if (!free) {
		napt_stat_inc(nn, NAPT_STAT_SYN_HOLD_FULL);
		goto out;
	}
	if (skb_copy_bits(skb, skb_network_offset(skb), free->hdr, len))
		goto out;
	free->rem_addr = p->saddr;
	free->rem_port = p->sport;
	free->ext_addr = p->daddr;
	free->ext_port = p->dport;
	free->deadline = jiffies + delay;
	free->len = len;
	h->n++;
	kick = true;
	napt_stat_inc(nn, NAPT_STAT_SYN_HELD);
out:
	spin_unlock_bh(&h->lock);
	if (kick)
		napt_synhold_kick(nn, delay);
}

/*
 * An outbound SYN left as @ext_addr:@ext_port -> @rem_addr:@rem_port: a
 * SYN held for that connection is dropped for good, silently.
 */
void napt_synhold_match(struct napt_net *nn, __be32 rem_addr,
			__be16 rem_port, __be32 ext_addr,
			__be16 ext_port)
{
	struct napt_synhold *h = nn->synhold;
	unsigned int i;

	if (!h || !READ_ONCE(h->n))
		return;
	spin_lock_bh(&h->lock);
	for (i = 0; i < NAPT_SYN_HOLD_SLOTS; i++) {
		struct napt_held *e = &h->slot[i];

		if (napt_held_is(e, rem_addr, rem_port, ext_addr, ext_port)) {
			e->len = 0;
			h->n--;
			napt_stat_inc(nn, NAPT_STAT_SYN_HOLD_MATCHED);
		}
	}
	spin_unlock_bh(&h->lock);
}

/**
 * napt_synhold_expire() - take one held SYN whose time is up
 * @nn: the instance
 * @out: gets it, its slot freed
 * @next: when none is due: jiffies until the next one is, 0 if none held
 *
 * Context: process or softirq.
 * Return: true if *@out was filled.
 */
bool napt_synhold_expire(struct napt_net *nn, struct napt_held *out,
			 unsigned long *next)
{
	struct napt_synhold *h = nn->synhold;
	unsigned long now = jiffies, wait = 0;
	unsigned int i;
	bool got = false;

	*next = 0;
	if (!h)
		return false;
	spin_lock_bh(&h->lock);
	for (i = 0; i < NAPT_SYN_HOLD_SLOTS; i++) {
		struct napt_held *e = &h->slot[i];
		long left = (long)(e->deadline - now);

		if (!e->len)
			continue;
		if (left <= 0) {
			*out = *e;
			e->len = 0;
			h->n--;
			got = true;
			break;
		}
		if (!wait || (unsigned long)left < wait)
			wait = left;
	}
	if (!got)
		*next = wait;
	spin_unlock_bh(&h->lock);
	return got;
}

/* Forget every held SYN (the instance goes down). */
void napt_synhold_clear(struct napt_net *nn)
{
	struct napt_synhold *h = nn->synhold;

	if (!h)
		return;
	spin_lock_bh(&h->lock);
	memset(h->slot, 0, sizeof(h->slot));
	h->n = 0;
	spin_unlock_bh(&h->lock);
}

#ifdef __KERNEL__
/**
 * napt_synhold_send() - answer a held SYN with ICMP port unreachable
 * @nn: the instance
 * @e: the SYN, taken from the table
 *
 * The IP header and 8 bytes of TCP that were kept become a packet again,
 * routed in from the external interface as the SYN was, so that
 * icmp_send() answers it (from the external address it was sent to, with
 * the kernel's rate limits). Nothing is sent if the instance went down or
 * syn-hold was turned off meanwhile. Context: process (the work).
 */
static void napt_synhold_send(struct napt_net *nn, const struct napt_held *e)
{
	const struct napt_cfg *cfg;
	struct net_device *dev;
	const struct iphdr *iph;
	struct sk_buff *skb;

	skb = alloc_skb(LL_MAX_HEADER + e->len, GFP_KERNEL);
	if (!skb)
		return;
	skb_reserve(skb, LL_MAX_HEADER);
	skb_reset_network_header(skb);
	skb_put_data(skb, e->hdr, e->len);
	skb->protocol = htons(ETH_P_IP);
	iph = ip_hdr(skb);

	rcu_read_lock();
	local_bh_disable();
	cfg = rcu_dereference(nn->cfg);
	dev = cfg && cfg->syn_hold ?
	      dev_get_by_index_rcu(nn->net, cfg->ext_ifindex) : NULL;
	if (dev) {
		skb->dev = dev;
		if (!ip_route_input_noref(skb, iph->daddr, iph->saddr,
					  iph->tos, dev)) {
			icmp_send(skb, ICMP_DEST_UNREACH, ICMP_PORT_UNREACH, 0);
			napt_stat_inc(nn, NAPT_STAT_SYN_HOLD_UNREACH);
		}
	}
	/* the route is not referenced: let it go under RCU */
	kfree_skb(skb);
	local_bh_enable();
	rcu_read_unlock();
}

/* Answer the held SYNs whose time is up, then wait for the next one. */
void napt_synhold_work(struct work_struct *work)
{
	struct napt_net *nn = container_of(to_delayed_work(work),
					   struct napt_net, syn_work);
	struct napt_held e;
	unsigned long next;

	while (napt_synhold_expire(nn, &e, &next))
		napt_synhold_send(nn, &e);
	if (next)
		queue_delayed_work(system_power_efficient_wq, &nn->syn_work,
				   next);
}

void napt_synhold_kick(struct napt_net *nn, unsigned long delay)
{
	/* a pending run is due no later: every hold lasts the same */
	queue_delayed_work(system_power_efficient_wq, &nn->syn_work, delay);
}
#endif /* __KERNEL__ */
