// SPDX-License-Identifier: GPL-2.0
/*
 * napt: netfilter hooks and the view of the gateway's own sockets.
 *
 * Placement (see Documentation/design.md):
 *
 *   PRE_ROUTING  -400 nf_defrag_ipv4 (enabled by napt while it runs)
 *                -300 raw
 *                -250 napt_nf_in: outside -> inside, before conntrack,
 *                     so conntrack and the forward filter see the inside
 *                     address, as they did for the outbound packet
 *                -200 conntrack
 *   FORWARD         0 filter: sees inside addresses both ways
 *   POST_ROUTING  110 napt_nf_out: inside -> outside, after filter and
 *                     after nf_nat's SNAT (100), before conntrack confirm
 */
#include <linux/netfilter.h>
#include <linux/netfilter_ipv4.h>
#include <linux/netdevice.h>
#include <net/netfilter/ipv4/nf_defrag_ipv4.h>
#include <net/inet_hashtables.h>
#include <net/udp.h>
#include <net/sock.h>
#include <net/icmp.h>
#include <net/route.h>
#include <net/ip.h>

#include "napt.h"
#include "kernel.h"

#define NAPT_PRI_IN	(NF_IP_PRI_RAW + 50)
#define NAPT_PRI_OUT	(NF_IP_PRI_NAT_SRC + 10)

static unsigned int napt_nf_in(void *priv, struct sk_buff *skb,
			       const struct nf_hook_state *state)
{
	struct napt_net *nn = napt_pernet(state->net);
	const struct napt_cfg *cfg = rcu_dereference(nn->cfg);

	if (!cfg)
		return NF_ACCEPT;
	if (state->in->ifindex == cfg->ext_ifindex)
		return napt_xlate_in(nn, cfg, skb);
	if ((cfg->flags & NAPT_F_HAIRPIN) &&
	    napt_is_ext_addr(nn, cfg, ip_hdr(skb)->daddr) &&
	    napt_in_int_nets(cfg, ip_hdr(skb)->saddr))
		return napt_xlate_hairpin(nn, cfg, skb);
	return NF_ACCEPT;
}

static unsigned int napt_nf_out(void *priv, struct sk_buff *skb,
				const struct nf_hook_state *state)
{
	struct napt_net *nn = napt_pernet(state->net);
	const struct napt_cfg *cfg = rcu_dereference(nn->cfg);

	if (!cfg || state->out->ifindex != cfg->ext_ifindex)
		return NF_ACCEPT;
	return napt_xlate_out(nn, cfg, skb);
}

static const struct nf_hook_ops napt_nf_ops[] = {
	{
		.hook = napt_nf_in,
		.pf = NFPROTO_IPV4,
		.hooknum = NF_INET_PRE_ROUTING,
		.priority = NAPT_PRI_IN,
	},
	{
		.hook = napt_nf_out,
		.pf = NFPROTO_IPV4,
		.hooknum = NF_INET_POST_ROUTING,
		.priority = NAPT_PRI_OUT,
	},
};

/**
 * napt_hooks_register() - start translating in the instance's namespace
 * @nn: the instance, coming up
 *
 * Enables nf_defrag_ipv4 (the hooks see whole datagrams) and registers
 * the PRE_ROUTING and POST_ROUTING hooks. Context: process, nn->lock held.
 *
 * Return: 0 or the registration's error (nothing left registered).
 */
int napt_hooks_register(struct napt_net *nn)
{
	int ret;

	lockdep_assert_held(&nn->lock);
	ret = nf_defrag_ipv4_enable(nn->net);
	if (ret)
		return ret;
	ret = nf_register_net_hooks(nn->net, napt_nf_ops,
				    ARRAY_SIZE(napt_nf_ops));
	if (ret) {
		nf_defrag_ipv4_disable(nn->net);
		return ret;
	}
	nn->hooks_on = true;
	return 0;
}

/**
 * napt_hooks_unregister() - undo napt_hooks_register(), if it was done
 * @nn: the instance, going down
 *
 * Packets in flight may still be in the hooks: the caller waits for RCU.
 * Context: process, nn->lock held.
 */
void napt_hooks_unregister(struct napt_net *nn)
{
	lockdep_assert_held(&nn->lock);
	if (!nn->hooks_on)
		return;
	nf_unregister_net_hooks(nn->net, napt_nf_ops, ARRAY_SIZE(napt_nf_ops));
	nf_defrag_ipv4_disable(nn->net);
	nn->hooks_on = false;
}

/**
 * napt_port_has_socket() - whether a local socket owns an endpoint
 * @nn: the instance
 * @proto: IPPROTO_UDP or IPPROTO_TCP (any other: false)
 * @addr: local (external) address
 * @port: local port
 * @rem_addr: remote address of the packet
 * @rem_port: remote port of the packet
 *
 * True if a socket of the gateway would take a packet from
 * @rem_addr:@rem_port to @addr:@port.
 * Such a port is never given to a mapping, and inbound packets that no
 * mapping takes are left to it. Context: RCU read side.
 *
 * Return: true if such a socket exists.
 */
bool napt_port_has_socket(struct napt_net *nn, u8 proto, __be32 addr,
			  __be16 port, __be32 rem_addr, __be16 rem_port)
{
	const struct napt_cfg *cfg = rcu_dereference(nn->cfg);
	int dif = cfg ? cfg->ext_ifindex : 0;
	struct net *net = nn->net;
	struct sock *sk;

	switch (proto) {
	case IPPROTO_UDP:
		sk = udp4_lib_lookup(net, rem_addr, rem_port, addr, port, dif);
		break;
	case IPPROTO_TCP:
		sk = inet_lookup(net, net->ipv4.tcp_death_row.hashinfo, NULL, 0,
				 rem_addr, rem_port, addr, port, dif);
		break;
	default:
		return false;
	}
	if (!sk)
		return false;
	sock_gen_put(sk);
	return true;
}

/* Refuse a new flow the NAT cannot map (RFC 5508 REQ-8, RFC 6888 REQ-11). */
void napt_icmp_unreach(struct sk_buff *skb)
{
	icmp_send(skb, ICMP_DEST_UNREACH, ICMP_PKT_FILTERED, 0);
}

/**
 * napt_reroute() - route a packet at PRE_ROUTING to a new destination
 * @skb: the packet, its source still the one it arrived with
 * @daddr: where it is to go
 *
 * For hairpinning: routed now, before napt gives it the gateway's own
 * address as source (which input routing refuses as martian). No ICMP
 * redirect is sent for it: the sender must keep using the gateway.
 *
 * Return: 0 or the routing error.
 */
int napt_reroute(struct sk_buff *skb, __be32 daddr)
{
	const struct iphdr *iph = ip_hdr(skb);
	int ret;

	skb_dst_drop(skb);
	ret = ip_route_input_noref(skb, daddr, iph->saddr, iph->tos, skb->dev);
	IPCB(skb)->flags &= ~IPSKB_DOREDIRECT;
	return ret;
}
