// SPDX-License-Identifier: GPL-2.0
/*
 * napt: packet parsing and rewriting.
 *
 * napt_xlate_out() runs at POST_ROUTING for packets leaving through the
 * external interface, napt_xlate_in() at PRE_ROUTING for packets arriving
 * on it. Both see whole datagrams: nf_defrag_ipv4 reassembles before them.
 * Checksums are updated incrementally with the kernel's helpers, which keep
 * CHECKSUM_PARTIAL (offload, GSO) and CHECKSUM_COMPLETE skbs right; a UDP
 * checksum of zero (none) stays zero.
 */
#include "napt.h"

#ifdef __KERNEL__
#include <linux/ip.h>
#include <linux/udp.h>
#include <linux/tcp.h>
#include <linux/icmp.h>
#include <linux/netfilter.h>
#include <net/checksum.h>
#include <net/ip.h>
#endif

/* What the translator needs to know of a packet. */
struct napt_pkt {
	unsigned int l4off;	/* from the network header */
	unsigned int l4len;	/* bytes of L4 header rewritten */
	__be32 saddr, daddr;
	__be16 sport, dport;	/* ICMP echo: the identifier in both */
	u8 proto;
	bool tcp_syn, tcp_ack, tcp_fin, tcp_rst;
};

bool napt_in_int_nets(const struct napt_cfg *cfg, __be32 addr)
{
	unsigned int i;

	for (i = 0; i < cfg->n_int; i++)
		if ((addr & cfg->int_nets[i].mask) == cfg->int_nets[i].addr)
			return true;
	return false;
}

bool napt_is_ext_addr(struct napt_net *nn, const struct napt_cfg *cfg,
		      __be32 addr)
{
	unsigned int i;

	if (!cfg->n_ext)
		return addr == READ_ONCE(nn->if_addr);
	for (i = 0; i < cfg->n_ext; i++)
		if (cfg->ext[i] == addr)
			return true;
	return false;
}

/*
 * Fill @p from @skb. @echo_type is the ICMP type that carries a mapped
 * identifier in this direction (echo request out, echo reply in).
 * Return: 1 parsed, 0 not ours (leave it), -1 malformed (drop).
 */
static int napt_parse(struct sk_buff *skb, struct napt_pkt *p, u8 echo_type)
{
	const struct iphdr *iph = ip_hdr(skb);
	union {
		struct udphdr udp;
		struct tcphdr tcp;
		struct icmphdr icmp;
	} buf;
	const void *h;

	p->saddr = iph->saddr;
	p->daddr = iph->daddr;
	p->proto = iph->protocol;
	p->l4off = ip_hdrlen(skb);
	p->tcp_syn = p->tcp_ack = p->tcp_fin = p->tcp_rst = false;

	switch (p->proto) {
	case IPPROTO_UDP:
		p->l4len = sizeof(struct udphdr);
		break;
	case IPPROTO_TCP:
		p->l4len = sizeof(struct tcphdr);
		break;
	case IPPROTO_ICMP:
		p->l4len = sizeof(struct icmphdr);
		break;
	default:
		return 0;
	}
	if (ip_is_fragment(iph))
		return -1;
	h = skb_header_pointer(skb, skb_network_offset(skb) + p->l4off,
			       p->l4len, &buf);
	if (!h)
		return -1;

	switch (p->proto) {
	case IPPROTO_UDP:
		p->sport = ((const struct udphdr *)h)->source;
		p->dport = ((const struct udphdr *)h)->dest;
		break;
	case IPPROTO_TCP: {
		const struct tcphdr *th = h;

		if (th->doff < sizeof(struct tcphdr) / 4)
			return -1;
		p->sport = th->source;
		p->dport = th->dest;
		p->tcp_syn = th->syn;
		p->tcp_ack = th->ack;
		p->tcp_fin = th->fin;
		p->tcp_rst = th->rst;
		break;
	}
	case IPPROTO_ICMP: {
		const struct icmphdr *ih = h;

		if (ih->type != echo_type)
			return 0;
		p->sport = ih->un.echo.id;
		p->dport = ih->un.echo.id;
		break;
	}
	}
	return 1;
}

/*
 * Rewrite the source (@src) or destination address and port of the packet
 * described by @p to @addr:@port, with incremental checksum updates.
 */
static int napt_rewrite(struct sk_buff *skb, const struct napt_pkt *p,
			bool src, __be32 addr, __be16 port)
{
	unsigned int off = skb_network_offset(skb) + p->l4off;
	struct iphdr *iph;
	__be32 *ap;
	__be16 *pp;
	void *l4;

	if (skb_ensure_writable(skb, off + p->l4len))
		return -ENOMEM;
	iph = ip_hdr(skb);
	l4 = skb->data + off;
	ap = src ? &iph->saddr : &iph->daddr;

	switch (p->proto) {
	case IPPROTO_UDP: {
		struct udphdr *uh = l4;

		pp = src ? &uh->source : &uh->dest;
		if (uh->check || skb->ip_summed == CHECKSUM_PARTIAL) {
			inet_proto_csum_replace4(&uh->check, skb, *ap, addr,
						 true);
			inet_proto_csum_replace2(&uh->check, skb, *pp, port,
						 false);
			if (!uh->check)
				uh->check = CSUM_MANGLED_0;
		}
		break;
	}
	case IPPROTO_TCP: {
		struct tcphdr *th = l4;

		pp = src ? &th->source : &th->dest;
		inet_proto_csum_replace4(&th->check, skb, *ap, addr, true);
		inet_proto_csum_replace2(&th->check, skb, *pp, port, false);
		break;
	}
	default: {
		struct icmphdr *ih = l4;

		pp = &ih->un.echo.id;
		inet_proto_csum_replace2(&ih->checksum, skb, *pp, port, false);
		break;
	}
	}
	*pp = port;
	csum_replace4(&iph->check, *ap, addr);
	*ap = addr;
	return 0;
}

/* Track the TCP state of @s for packet @p going out (@out) or in. */
static void napt_tcp_track(struct napt_sess *s, const struct napt_pkt *p,
			   bool out)
{
	u32 old = READ_ONCE(s->tcp), new = old;

	if (p->tcp_rst)
		new |= NAPT_TCP_RST;
	if (p->tcp_syn) {
		u32 syn = out ? NAPT_TCP_SYN_OUT : NAPT_TCP_SYN_IN;

		/*
		 * A SYN-ACK answers a SYN of the other end, which may have
		 * passed before this session existed (EIF/ADF let it in).
		 */
		if (p->tcp_ack)
			syn |= out ? NAPT_TCP_SYN_IN : NAPT_TCP_SYN_OUT;
		/* a new connection on the same endpoints starts afresh */
		if (old & (NAPT_TCP_RST | NAPT_TCP_FIN_OUT | NAPT_TCP_FIN_IN))
			new = syn;
		else
			new |= syn;
	}
	if ((new & (NAPT_TCP_SYN_OUT | NAPT_TCP_SYN_IN)) ==
	    (NAPT_TCP_SYN_OUT | NAPT_TCP_SYN_IN))
		new |= NAPT_TCP_EST;
	else if (!(new & (NAPT_TCP_SYN_OUT | NAPT_TCP_SYN_IN)))
		new |= NAPT_TCP_EST;	/* picked up mid-stream */
	if (p->tcp_fin)
		new |= out ? NAPT_TCP_FIN_OUT : NAPT_TCP_FIN_IN;
	/* a lost race is made good by the next packet */
	if (new != old)
		cmpxchg(&s->tcp, old, new);
}

/* Set *@t to @v unless it already is: keeps refreshes from dirtying lines. */
static void napt_refresh(u32 *t, u32 v)
{
	if (READ_ONCE(*t) != v)
		WRITE_ONCE(*t, v);
}

static void napt_refresh_sess(const struct napt_cfg *cfg, struct napt_sess *s,
			      struct napt_map *m, u32 now)
{
	napt_refresh(&s->expires, now + napt_sess_timeout(cfg, s->proto,
						       READ_ONCE(s->tcp)));
	if (m->type == NAPT_MAP_DYNAMIC)
		napt_refresh(&m->expires,
			     now + napt_map_timeout(cfg, m->key.proto));
}

unsigned int napt_xlate_out(struct napt_net *nn, const struct napt_cfg *cfg,
			    struct sk_buff *skb)
{
	struct napt_okey key = {};
	struct napt_pkt p;
	struct napt_map *m;
	struct napt_sess *s;
	int reason, pidx, ret;

	if (!napt_in_int_nets(cfg, ip_hdr(skb)->saddr))
		return NF_ACCEPT;
	ret = napt_parse(skb, &p, ICMP_ECHO);
	if (ret <= 0) {
		/*
		 * An inside source must not leave untranslated: what cannot
		 * be translated is dropped.
		 */
		reason = ret ? NAPT_STAT_DROP_MALFORMED : NAPT_STAT_DROP_PROTO;
		goto drop;
	}
	pidx = napt_pidx(p.proto);
	if (p.proto == IPPROTO_ICMP)
		p.dport = 0;	/* the remote has no port */

	key.proto = p.proto;
	key.int_addr = p.saddr;
	key.int_port = p.sport;
	if (cfg->mapping[pidx] != NAPT_MAPPING_EIM)
		key.rem_addr = p.daddr;
	if (cfg->mapping[pidx] == NAPT_MAPPING_APDM)
		key.rem_port = p.dport;

	m = napt_map_lookup_out(nn, &key);
	if (unlikely(!m)) {
		m = napt_map_create(nn, cfg, &key, cfg->mapping[pidx], p.daddr,
				    p.dport, &reason);
		if (!m)
			goto drop;
	}
	s = napt_sess_lookup(nn, m, p.daddr, p.dport, true);
	if (unlikely(!s)) {
		s = napt_sess_create(nn, cfg, m, p.daddr, p.dport, &reason);
		if (!s)
			goto drop;
	}
	if (p.proto == IPPROTO_TCP)
		napt_tcp_track(s, &p, true);
	napt_refresh_sess(cfg, s, m, napt_now());

	if (napt_rewrite(skb, &p, true, m->ext_addr, m->ext_port)) {
		reason = NAPT_STAT_DROP_NOMEM;
		goto drop;
	}
	napt_stat_inc(nn, NAPT_STAT_OUT_PKTS);
	napt_stat_add(nn, NAPT_STAT_OUT_BYTES, skb->len);
	return NF_ACCEPT;

drop:
	napt_stat_inc(nn, reason);
	return NF_DROP;
}

/*
 * Whether the filtering behaviour in force lets @p into mapping @m;
 * *@sp is set to the exact session if there is one.
 */
static bool napt_filter_ok(struct napt_net *nn, const struct napt_cfg *cfg,
			   struct napt_map *m, const struct napt_pkt *p,
			   struct napt_sess **sp, u32 now)
{
	struct napt_sess *s;

	s = napt_sess_lookup(nn, m, p->saddr, p->sport, true);
	if (s && napt_expired(READ_ONCE(s->expires), now))
		s = NULL;
	*sp = s;
	switch (cfg->filtering[napt_pidx(p->proto)]) {
	case NAPT_FILTER_EIF:
		return true;
	case NAPT_FILTER_ADF:
		if (s)
			return true;
		s = napt_sess_lookup(nn, m, p->saddr, 0, false);
		return s && !napt_expired(READ_ONCE(s->expires), now);
	default:
		return s;
	}
}

unsigned int napt_xlate_in(struct napt_net *nn, const struct napt_cfg *cfg,
			   struct sk_buff *skb)
{
	struct napt_sess *s;
	struct napt_pkt p;
	struct napt_map *m;
	int reason, ret;
	u32 now;

	if (!napt_is_ext_addr(nn, cfg, ip_hdr(skb)->daddr))
		return NF_ACCEPT;
	ret = napt_parse(skb, &p, ICMP_ECHOREPLY);
	if (ret <= 0)
		return NF_ACCEPT;	/* not translated: the host's own */
	if (p.proto == IPPROTO_ICMP)
		p.sport = 0;

	m = napt_map_lookup_in(nn, p.proto, p.daddr, p.dport);
	if (unlikely(!m)) {
		u16 port = ntohs(p.dport);

		/*
		 * Not a mapping: the gateway's own traffic passes, the rest
		 * of the NAT's port range is closed.
		 */
		if (p.proto == IPPROTO_ICMP || port < cfg->port_min ||
		    port > cfg->port_max ||
		    napt_port_has_socket(nn, p.proto, p.daddr, p.dport,
					 p.saddr, p.sport))
			return NF_ACCEPT;
		reason = NAPT_STAT_DROP_NO_MAPPING;
		goto drop;
	}
	now = napt_now();
	if (!napt_filter_ok(nn, cfg, m, &p, &s, now)) {
		if (p.proto != IPPROTO_ICMP &&
		    napt_port_has_socket(nn, p.proto, p.daddr, p.dport,
					 p.saddr, p.sport)) {
			napt_stat_inc(nn, NAPT_STAT_PASS_LOCAL);
			return NF_ACCEPT;
		}
		reason = NAPT_STAT_DROP_FILTERED;
		goto drop;
	}
	if (s) {
		if (p.proto == IPPROTO_TCP)
			napt_tcp_track(s, &p, false);
		if (cfg->flags & NAPT_F_INBOUND_REFRESH)
			napt_refresh_sess(cfg, s, m, now);
	}

	if (napt_rewrite(skb, &p, false, m->key.int_addr, m->key.int_port)) {
		reason = NAPT_STAT_DROP_NOMEM;
		goto drop;
	}
	napt_stat_inc(nn, NAPT_STAT_IN_PKTS);
	napt_stat_add(nn, NAPT_STAT_IN_BYTES, skb->len);
	return NF_ACCEPT;

drop:
	napt_stat_inc(nn, reason);
	return NF_DROP;
}
