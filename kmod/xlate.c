// SPDX-License-Identifier: GPL-2.0
/*
 * napt: packet translation. In this order: parsing, rewriting and the
 * state a packet finds or makes, then the out, in and hairpin paths, and
 * last the ICMP errors (RFC 5508) they hand over. Held SYNs: synhold.c.
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

/* The packet an ICMP error quotes. */
struct napt_quoted {
	unsigned int ipoff;	/* its IP header, from the network header */
	struct napt_pkt e;	/* its addresses and ports; l4off from ipoff */
	unsigned int l4have;	/* bytes of its L4 header present */
};

/*
 * The ICMP error half (RFC 5508), at the end of the file: the three paths
 * hand an error to it, the hairpin path rewrites what it quotes.
 */
static int napt_parse_quoted(struct sk_buff *skb, const struct napt_pkt *p,
			     struct napt_quoted *q, u8 echo_type);
static bool napt_icmperr_bad_csum(struct napt_net *nn, struct sk_buff *skb,
				  const struct napt_pkt *p,
				  const struct napt_quoted *q);
static int napt_rewrite_quoted(struct sk_buff *skb, const struct napt_pkt *p,
			       const struct napt_quoted *q, bool src, __be32 addr,
			       __be16 port);
static void napt_rewrite_outer(struct sk_buff *skb, bool src, __be32 addr);
static unsigned int napt_icmperr_in(struct napt_net *nn, struct sk_buff *skb,
				    const struct napt_pkt *p);
static unsigned int napt_icmperr_out(struct napt_net *nn,
				     const struct napt_cfg *cfg,
				     struct sk_buff *skb,
				     const struct napt_pkt *p, bool outer);

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
 * Malformed, as conntrack and the receiving stacks judge it: a fragment,
 * an L4 header cut short, a TCP data offset below 5 or beyond the packet,
 * a UDP length below 8 or beyond the packet.
 * Return: 1 parsed, 0 not ours (leave it), -1 malformed (drop outbound; an
 * inbound one is left to the gateway's own stack, which drops it).
 */
static int napt_parse(struct sk_buff *skb, struct napt_pkt *p, u8 echo_type)
{
	const struct iphdr *iph = ip_hdr(skb);
	union {
		struct udphdr udp;
		struct tcphdr tcp;
		struct icmphdr icmp;
	} buf;
	unsigned int have;
	const void *h;

	p->saddr = iph->saddr;
	p->daddr = iph->daddr;
	p->proto = iph->protocol;
	p->l4off = ip_hdrlen(skb);
	p->icmp_type = 0;
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

	/* the L4 bytes the packet has, from its header on */
	have = skb->len - skb_network_offset(skb) - p->l4off;
	switch (p->proto) {
	case IPPROTO_UDP: {
		const struct udphdr *uh = h;

		/*
		 * A length that does not cover the header or reaches beyond
		 * the packet is a lie (udp_rcv() and conntrack refuse it).
		 */
		if (ntohs(uh->len) < sizeof(*uh) || ntohs(uh->len) > have)
			return -1;
		p->sport = uh->source;
		p->dport = uh->dest;
		break;
	}
	case IPPROTO_TCP: {
		const struct tcphdr *th = h;

		/* a header below 20 bytes or beyond the packet */
		if (th->doff < sizeof(struct tcphdr) / 4 || th->doff * 4 > have)
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

		p->icmp_type = ih->type;
		if (ih->type != echo_type)
			return 0;
		p->sport = ih->un.echo.id;
		p->dport = ih->un.echo.id;
		break;
	}
	}
	return 1;
}

static bool napt_icmp_is_error(u8 type)
{
	return type == ICMP_DEST_UNREACH || type == ICMP_SOURCE_QUENCH ||
	       type == ICMP_TIME_EXCEEDED || type == ICMP_PARAMETERPROB;
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
	u32 t = now + napt_sess_timeout(cfg, s->proto, READ_ONCE(s->tcp));

	/*
	 * The mapping is kept while it has sessions; its own time follows
	 * the last one used, so that it shows when the mapping would go.
	 */
	napt_refresh(&s->expires, t);
	if (m->type == NAPT_MAP_DYNAMIC)
		napt_refresh(&m->expires, t);
}

/* The session of @m with @addr:@port, if it has not expired. */
static struct napt_sess *napt_sess_live(struct napt_net *nn,
					struct napt_map *m, __be32 addr,
					__be16 port)
{
	struct napt_sess *s = napt_sess_lookup(nn, m, addr, port, true);

	if (s && napt_expired(READ_ONCE(s->expires), napt_now()))
		return NULL;
	return s;
}

/*
 * The outbound key of @p under the behaviour in force, and the mapping it
 * finds: a static mapping of the inside endpoint wins over a dynamic one
 * (its replies leave from the forwarded port whatever the behaviour).
 */
static struct napt_map *napt_find_out(struct napt_net *nn,
				      const struct napt_cfg *cfg,
				      const struct napt_pkt *p,
				      struct napt_okey *key)
{
	int pidx = napt_pidx(p->proto);
	struct napt_map *m;

	key->proto = p->proto;
	key->int_addr = p->saddr;
	key->int_port = p->sport;
	if (cfg->mapping[pidx] != NAPT_MAPPING_EIM)
		key->rem_addr = p->daddr;
	if (cfg->mapping[pidx] == NAPT_MAPPING_APDM)
		key->rem_port = p->dport;

	m = napt_map_lookup_out(nn, key);
	if (likely(m) || p->proto == IPPROTO_ICMP)
		return m;
	return napt_static_lookup_out(nn, p->proto, p->saddr, p->sport, 0) ?:
	       napt_static_lookup_out(nn, p->proto, p->saddr, p->sport,
				      p->daddr);
}

/*
 * The mapping and session for outbound packet @p, made if need be.
 * Return: the session, or NULL with *@reason set.
 */
static struct napt_sess *napt_out_state(struct napt_net *nn,
					const struct napt_cfg *cfg,
					const struct napt_pkt *p,
					struct napt_map **mp, int *reason)
{
	struct napt_okey key = {};
	struct napt_sess *s = NULL;
	struct napt_map *m;

	m = napt_find_out(nn, cfg, p, &key);
	if (unlikely(!m)) {
		m = napt_map_create(nn, cfg, &key, cfg->mapping[napt_pidx(p->proto)],
				    p->daddr, p->dport, &s, reason);
		if (!m)
			return NULL;
		if (s) {
			*mp = m;
			return s;
		}
	}
	s = napt_sess_lookup(nn, m, p->daddr, p->dport, true);
	if (unlikely(!s))
		s = napt_sess_create(nn, cfg, m, p->daddr, p->dport, reason);
	*mp = m;
	return s;
}

/*
 * Whether @m lets in a packet from @saddr:@sport; *@sp is set to the exact
 * session if there is one. Static mappings take any remote (their remote
 * restriction was applied by the lookup); dynamic ones filter by the
 * behaviour in force for the protocol.
 */
static bool napt_filter_ok(struct napt_net *nn, const struct napt_cfg *cfg,
			   struct napt_map *m, u8 proto, __be32 saddr,
			   __be16 sport, struct napt_sess **sp)
{
	struct napt_sess *s = napt_sess_live(nn, m, saddr, sport);

	*sp = s;
	if (rcu_access_pointer(m->st))
		return true;
	switch (cfg->filtering[napt_pidx(proto)]) {
	case NAPT_FILTER_EIF:
		return true;
	case NAPT_FILTER_ADF:
		return s || napt_sess_lookup(nn, m, saddr, 0, false);
	default:
		return s;
	}
}

/**
 * napt_xlate_out() - translate a packet leaving through the external interface
 * @nn: the instance
 * @cfg: its configuration (the packet's RCU read section holds it)
 * @skb: the packet, whole (reassembled), at POST_ROUTING
 *
 * A packet from an inside host gets its source rewritten to its mapping's
 * external endpoint; the mapping and the session with the remote are
 * found or made (napt_out_state()) and refreshed, TCP state is tracked,
 * and an outbound SYN forgets a held inbound one of the same connection.
 * An ICMP error goes to napt_icmperr_out(). The gateway's own packets pass.
 * Context: softirq or process with BHs off, RCU read side.
 *
 * Return: NF_ACCEPT (translated, or none of napt's business), or NF_DROP
 *	for an inside packet that cannot leave translated (counted; an
 *	ICMP 3/13 sent back if icmp-unreach is on).
 */
unsigned int napt_xlate_out(struct napt_net *nn, const struct napt_cfg *cfg,
			    struct sk_buff *skb)
{
	bool inside = napt_in_int_nets(cfg, ip_hdr(skb)->saddr);
	struct napt_pkt p;
	struct napt_map *m;
	struct napt_sess *s;
	int reason, ret;

	if (!inside && ip_hdr(skb)->protocol != IPPROTO_ICMP)
		return NF_ACCEPT;
	ret = napt_parse(skb, &p, ICMP_ECHO);
	if (ret == 0 && p.proto == IPPROTO_ICMP &&
	    napt_icmp_is_error(p.icmp_type))
		return napt_icmperr_out(nn, cfg, skb, &p, inside);
	if (!inside)
		return NF_ACCEPT;
	if (ret <= 0) {
		/*
		 * An inside source must not leave untranslated: what cannot
		 * be translated is dropped.
		 */
		reason = ret ? NAPT_STAT_DROP_MALFORMED : NAPT_STAT_DROP_PROTO;
		goto drop;
	}
	if (p.proto == IPPROTO_ICMP)
		p.dport = 0;	/* the remote has no port */

	s = napt_out_state(nn, cfg, &p, &m, &reason);
	if (unlikely(!s)) {
		if ((cfg->flags & NAPT_F_ICMP_UNREACH) &&
		    reason != NAPT_STAT_DROP_NOMEM) {
			napt_icmp_unreach(skb);
			napt_stat_inc(nn, NAPT_STAT_ICMP_UNREACH_SENT);
		}
		goto drop;
	}
	if (p.proto == IPPROTO_TCP)
		napt_tcp_track(s, &p, true);
	napt_refresh_sess(cfg, s, m, napt_now());

	if (napt_rewrite(skb, &p, true, m->ext_addr, m->ext_port)) {
		reason = NAPT_STAT_DROP_NOMEM;
		goto drop;
	}
	if (p.tcp_syn && !p.tcp_ack)
		napt_synhold_match(nn, p.daddr, p.dport, m->ext_addr,
				   m->ext_port);
	napt_stat_inc(nn, NAPT_STAT_OUT_PKTS);
	napt_stat_add(nn, NAPT_STAT_OUT_BYTES, skb->len);
	return NF_ACCEPT;

drop:
	napt_stat_inc(nn, reason);
	return NF_DROP;
}

/**
 * napt_xlate_in() - translate a packet arriving on the external interface
 * @nn: the instance
 * @cfg: its configuration (the packet's RCU read section holds it)
 * @skb: the packet, whole (reassembled), at PRE_ROUTING
 *
 * A packet to an external endpoint of a mapping that its filtering lets
 * in (napt_filter_ok()) gets its destination rewritten to the inside
 * endpoint, before routing. Packets for the gateway's own sockets and
 * outside the port range pass; an unsolicited TCP SYN is held for
 * syn-hold seconds (RFC 5382 REQ-4). An ICMP error goes to
 * napt_icmperr_in(). Context: softirq, RCU read side.
 *
 * Return: NF_ACCEPT (translated, or the gateway's own), or NF_DROP
 *	(no mapping, filtered, or unwritable: counted).
 */
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
	if (ret == 0 && p.proto == IPPROTO_ICMP &&
	    napt_icmp_is_error(p.icmp_type))
		return napt_icmperr_in(nn, skb, &p);
	if (ret <= 0)
		return NF_ACCEPT;	/* not translated: the host's own */
	if (p.proto == IPPROTO_ICMP)
		p.sport = 0;

	m = napt_map_lookup_in(nn, p.proto, p.daddr, p.dport, p.saddr);
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
		goto unsolicited;
	}
	now = napt_now();
	if (!napt_filter_ok(nn, cfg, m, p.proto, p.saddr, p.sport, &s)) {
		if (p.proto != IPPROTO_ICMP &&
		    napt_port_has_socket(nn, p.proto, p.daddr, p.dport,
					 p.saddr, p.sport)) {
			napt_stat_inc(nn, NAPT_STAT_PASS_LOCAL);
			return NF_ACCEPT;
		}
		reason = NAPT_STAT_DROP_FILTERED;
		goto unsolicited;
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
	if (cfg->mark_static_mask && m->type == NAPT_MAP_STATIC)
		skb->mark = (skb->mark & ~cfg->mark_static_mask) |
			    cfg->mark_static;
	napt_stat_inc(nn, NAPT_STAT_IN_PKTS);
	napt_stat_add(nn, NAPT_STAT_IN_BYTES, skb->len);
	return NF_ACCEPT;

unsolicited:
	/* RFC 5382 REQ-4: no answer now; 3/3 later unless a SYN goes out */
	if (p.proto == IPPROTO_TCP && p.tcp_syn && !p.tcp_ack && !p.tcp_rst)
		napt_synhold_add(nn, cfg, skb, &p);
drop:
	napt_stat_inc(nn, reason);
	return NF_DROP;
}

/*
 * An echo reply from an inside host to an external address: the answer of
 * the kernel of the target of a hairpinned echo request, which saw the
 * request come from the sender's external address and identifier. Goes
 * back to the sender as if from the address it pinged. What answers no
 * hairpinned request is left to the gateway.
 */
static unsigned int napt_hairpin_echo_reply(struct napt_net *nn,
					    const struct napt_cfg *cfg,
					    struct sk_buff *skb)
{
	struct napt_sess *s;
	struct napt_pkt p;
	struct napt_map *m;
	__be32 from;

	if (napt_parse(skb, &p, ICMP_ECHOREPLY) <= 0)
		return NF_ACCEPT;
	m = napt_map_lookup_in(nn, IPPROTO_ICMP, p.daddr, p.dport, 0);
	if (!m)
		return NF_ACCEPT;
	/* the sender pinged the target's external address */
	from = napt_pick_ext_addr(nn, cfg, p.saddr);
	s = from ? napt_sess_live(nn, m, from, 0) : NULL;
	if (!s)
		return NF_ACCEPT;
	if (cfg->flags & NAPT_F_INBOUND_REFRESH)
		napt_refresh_sess(cfg, s, m, napt_now());
	if (napt_reroute(skb, m->key.int_addr) ||
	    napt_rewrite(skb, &p, false, m->key.int_addr, m->key.int_port) ||
	    napt_rewrite(skb, &p, true, from, m->key.int_port)) {
		napt_stat_inc(nn, NAPT_STAT_DROP_NOMEM);
		return NF_DROP;
	}
	napt_stat_inc(nn, NAPT_STAT_HAIRPIN_PKTS);
	return NF_ACCEPT;
}

/*
 * An ICMP error from an inside host (the target, or a router between) to
 * an external address, about a hairpinned packet: the quoted packet went
 * from the sender's external endpoint to the target's inside endpoint.
 * Translated so that the sender sees the error as from the target's
 * external address, quoting the packet it sent (RFC 5508 REQ-7).
 */
static unsigned int napt_hairpin_icmperr(struct napt_net *nn,
					 const struct napt_cfg *cfg,
					 struct sk_buff *skb,
					 const struct napt_pkt *p)
{
	struct napt_okey key = {};
	struct napt_map *m1, *m2;
	struct napt_pkt r;
	struct napt_quoted q;
	__be32 from;
	__be16 eport;

	if (napt_parse_quoted(skb, p, &q, ICMP_ECHO) < 0 ||
	    q.e.saddr != p->daddr || !napt_in_int_nets(cfg, q.e.daddr))
		return NF_ACCEPT;
	if (q.e.proto == IPPROTO_ICMP) {
		from = napt_pick_ext_addr(nn, cfg, q.e.daddr);
		eport = 0;
	} else {
		/* the target's mapping, found as its reply would find it */
		r.proto = q.e.proto;
		r.saddr = q.e.daddr;
		r.sport = q.e.dport;
		r.daddr = q.e.saddr;
		r.dport = q.e.sport;
		m2 = napt_find_out(nn, cfg, &r, &key);
		from = m2 ? m2->ext_addr : 0;
		eport = m2 ? m2->ext_port : 0;
	}
	m1 = napt_map_lookup_in(nn, q.e.proto, q.e.saddr, q.e.sport, from);
	if (!m1)
		return NF_ACCEPT;	/* about the gateway's own packet */
	if (napt_icmperr_bad_csum(nn, skb, p, &q))
		return NF_DROP;
	if (!from ||
	    (!rcu_access_pointer(m1->st) && !napt_sess_live(nn, m1, from, eport)))
		goto drop;
	if (q.e.proto == IPPROTO_ICMP)
		eport = m1->key.int_port;	/* one identifier for both */
	if (napt_reroute(skb, m1->key.int_addr) ||
	    napt_rewrite_quoted(skb, p, &q, true, m1->key.int_addr,
				m1->key.int_port) ||
	    napt_rewrite_quoted(skb, p, &q, false, from, eport))
		goto drop;
	napt_rewrite_outer(skb, false, m1->key.int_addr);
	napt_rewrite_outer(skb, true, from);
	napt_stat_inc(nn, NAPT_STAT_ICMP_ERR_IN);
	napt_stat_inc(nn, NAPT_STAT_HAIRPIN_PKTS);
	return NF_ACCEPT;
drop:
	napt_stat_inc(nn, NAPT_STAT_DROP_ICMP_ERR);
	return NF_DROP;
}

/**
 * napt_xlate_hairpin() - an inside host to another's external endpoint
 * @nn: the instance
 * @cfg: its configuration
 * @skb: the packet, at PRE_ROUTING from an inside interface
 *
 * The packet is translated both ways at once (RFC 4787 REQ-9, RFC 5382
 * REQ-8): its destination to the inside endpoint of the mapping it
 * targets, its source to the sender's own mapping, made or refreshed as
 * for an outbound packet; the target mapping's filtering sees the
 * sender's external endpoint. It is routed before its source becomes the
 * gateway's own address, which input routing would refuse.
 *
 * An ICMP echo request to the external address and identifier of an ICMP
 * mapping reaches that mapping's inside host with the sender's external
 * identifier, so that the echo reply of its kernel comes back the same
 * way (napt_hairpin_echo_reply()); one to an identifier without a mapping
 * is for the gateway. ICMP errors about hairpinned packets are translated
 * back to the sender (RFC 5508 REQ-7).
 *
 * Return: NF_ACCEPT (translated and rerouted, or not a hairpin
 *	packet), or NF_DROP (counted).
 */
unsigned int napt_xlate_hairpin(struct napt_net *nn,
				const struct napt_cfg *cfg,
				struct sk_buff *skb)
{
	struct napt_map *m1, *m2;
	struct napt_sess *s1, *s2;
	struct napt_pkt p;
	int reason, ret;
	__be16 dport;
	u32 now;

	ret = napt_parse(skb, &p, ICMP_ECHO);
	if (ret == 0 && p.proto == IPPROTO_ICMP) {
		if (p.icmp_type == ICMP_ECHOREPLY)
			return napt_hairpin_echo_reply(nn, cfg, skb);
		if (napt_icmp_is_error(p.icmp_type))
			return napt_hairpin_icmperr(nn, cfg, skb, &p);
	}
	if (ret <= 0)
		return NF_ACCEPT;
	dport = p.dport;
	if (!napt_map_lookup_in(nn, p.proto, p.daddr, dport, 0) &&
	    !napt_map_lookup_in(nn, p.proto, p.daddr, dport, p.daddr))
		return NF_ACCEPT;	/* for the gateway itself */
	if (p.proto == IPPROTO_ICMP)
		p.dport = 0;		/* the remote has no port */

	s1 = napt_out_state(nn, cfg, &p, &m1, &reason);
	if (!s1)
		goto drop;
	m2 = napt_map_lookup_in(nn, p.proto, p.daddr, dport, m1->ext_addr);
	now = napt_now();
	if (!m2 || !napt_filter_ok(nn, cfg, m2, p.proto, m1->ext_addr,
				   p.proto == IPPROTO_ICMP ? 0 : m1->ext_port,
				   &s2)) {
		reason = NAPT_STAT_DROP_FILTERED;
		goto drop;
	}
	if (p.proto == IPPROTO_TCP) {
		napt_tcp_track(s1, &p, true);
		if (s2)
			napt_tcp_track(s2, &p, false);
	}
	napt_refresh_sess(cfg, s1, m1, now);
	if (s2 && (cfg->flags & NAPT_F_INBOUND_REFRESH))
		napt_refresh_sess(cfg, s2, m2, now);

	/* ICMP: the target sees the sender's external identifier */
	if (napt_reroute(skb, m2->key.int_addr) ||
	    napt_rewrite(skb, &p, false, m2->key.int_addr,
			 p.proto == IPPROTO_ICMP ? m1->ext_port :
			 m2->key.int_port) ||
	    napt_rewrite(skb, &p, true, m1->ext_addr, m1->ext_port)) {
		reason = NAPT_STAT_DROP_NOMEM;
		goto drop;
	}
	napt_stat_inc(nn, NAPT_STAT_HAIRPIN_PKTS);
	return NF_ACCEPT;

drop:
	napt_stat_inc(nn, reason);
	return NF_DROP;
}

/* ICMP errors (RFC 5508) */

/*
 * Parse the packet quoted by the ICMP error @p. It must be UDP, TCP or an
 * ICMP echo (request if @echo_type is ICMP_ECHO), unfragmented, with at
 * least the 8 bytes of L4 header RFC 792 guarantees.
 * Return: 1 parsed, -1 not translatable.
 */
static int napt_parse_quoted(struct sk_buff *skb, const struct napt_pkt *p,
			     struct napt_quoted *q, u8 echo_type)
{
	unsigned int off = skb_network_offset(skb) + p->l4off + 8;
	struct iphdr _iph;
	const struct iphdr *iph;
	u8 _l4[8];
	const u8 *l4;

	iph = skb_header_pointer(skb, off, sizeof(_iph), &_iph);
	if (!iph || iph->ihl < 5 || iph->version != 4 ||
	    (iph->frag_off & htons(IP_OFFSET)))
		return -1;
	q->ipoff = p->l4off + 8;
	q->e.l4off = iph->ihl * 4;
	q->e.proto = iph->protocol;
	q->e.saddr = iph->saddr;
	q->e.daddr = iph->daddr;
	l4 = skb_header_pointer(skb, off + q->e.l4off, sizeof(_l4), _l4);
	if (!l4)
		return -1;
	q->l4have = skb->len - (off + q->e.l4off);
	switch (q->e.proto) {
	case IPPROTO_UDP:
	case IPPROTO_TCP:
		memcpy(&q->e.sport, l4, 2);
		memcpy(&q->e.dport, l4 + 2, 2);
		return 1;
	case IPPROTO_ICMP:
		if (l4[0] != echo_type)
			return -1;
		memcpy(&q->e.sport, l4 + 4, 2);
		q->e.dport = q->e.sport;
		return 1;
	}
	return -1;
}

/**
 * napt_icmperr_bad_csum() - whether an ICMP error must be dropped for its sums
 * @nn: the instance, whose drop_malformed counts it
 * @skb: the error
 * @p: its parsed outer packet
 * @q: its parsed quoted packet
 *
 * An error whose ICMP checksum is wrong, or whose quoted IP header's
 * checksum is wrong, is dropped silently (RFC 5508 REQ-3, REQ-3a): the
 * incremental updates of a translation would carry a bad sum to a host
 * that could no longer tell. Errors are rare: summed in software unless
 * the device vouched for the packet.
 *
 * Return: true if the error is to be dropped (counted), false if its
 *	checksums are right.
 */
static bool napt_icmperr_bad_csum(struct napt_net *nn, struct sk_buff *skb,
				  const struct napt_pkt *p,
				  const struct napt_quoted *q)
{
	unsigned int off = skb_network_offset(skb) + p->l4off;
	const struct iphdr *eip;
	u8 _eip[60];

	if (skb->ip_summed != CHECKSUM_UNNECESSARY &&
	    csum_fold(skb_checksum(skb, off, skb->len - off, 0)))
		goto bad;
	eip = skb_header_pointer(skb, skb_network_offset(skb) + q->ipoff,
				 q->e.l4off, _eip);
	if (eip && !ip_fast_csum(eip, eip->ihl))
		return false;
bad:
	napt_stat_inc(nn, NAPT_STAT_DROP_MALFORMED);
	return true;
}

/*
 * In the quoted packet, set the source (@src) or destination address and
 * port to @addr:@port, fixing its IP and L4 checksums where present and the
 * ICMP checksum that covers them all.
 */
static int napt_rewrite_quoted(struct sk_buff *skb, const struct napt_pkt *p,
			       const struct napt_quoted *q, bool src, __be32 addr,
			       __be16 port)
{
	unsigned int ioff = skb_network_offset(skb) + q->ipoff;
	unsigned int loff = ioff + q->e.l4off;
	unsigned int want = q->e.proto == IPPROTO_TCP && q->l4have >= 18 ?
			    18 : 8;
	struct icmphdr *ih;
	struct iphdr *eip;
	__sum16 *l4sum = NULL, old;
	__be32 *ap;
	__be16 *pp;
	u8 *l4;

	if (skb_ensure_writable(skb, loff + want))
		return -ENOMEM;
	ih = (struct icmphdr *)(skb_network_header(skb) + p->l4off);
	eip = (struct iphdr *)(skb->data + ioff);
	l4 = skb->data + loff;
	ap = src ? &eip->saddr : &eip->daddr;
	pp = (__be16 *)(l4 + (src || q->e.proto == IPPROTO_ICMP ? 0 : 2));

	switch (q->e.proto) {
	case IPPROTO_UDP:
		l4sum = (__sum16 *)(l4 + 6);
		if (!*l4sum)
			l4sum = NULL;	/* no checksum stays none */
		break;
	case IPPROTO_TCP:
		if (want == 18)
			l4sum = (__sum16 *)(l4 + 16);
		break;
	default:
		pp = (__be16 *)(l4 + 4);
		l4sum = (__sum16 *)(l4 + 2);
		break;
	}
	if (l4sum) {
		old = *l4sum;
		if (q->e.proto != IPPROTO_ICMP)
			csum_replace4(l4sum, *ap, addr);
		csum_replace2(l4sum, *pp, port);
		if (q->e.proto == IPPROTO_UDP && !*l4sum)
			*l4sum = CSUM_MANGLED_0;
		inet_proto_csum_replace2(&ih->checksum, skb, (__force __be16)old,
					 (__force __be16)*l4sum, false);
	}
	inet_proto_csum_replace2(&ih->checksum, skb, *pp, port, false);
	*pp = port;
	old = eip->check;
	csum_replace4(&eip->check, *ap, addr);
	inet_proto_csum_replace2(&ih->checksum, skb, (__force __be16)old,
				 (__force __be16)eip->check, false);
	inet_proto_csum_replace4(&ih->checksum, skb, *ap, addr, false);
	*ap = addr;
	return 0;
}

/* Set the outer source (@src) or destination address to @addr. */
static void napt_rewrite_outer(struct sk_buff *skb, bool src, __be32 addr)
{
	struct iphdr *iph = ip_hdr(skb);
	__be32 *ap = src ? &iph->saddr : &iph->daddr;

	csum_replace4(&iph->check, *ap, addr);
	*ap = addr;
}

/*
 * An ICMP error arriving from outside about a packet napt translated: the
 * quoted packet left as ext_addr:ext_port -> remote. Errors never create,
 * refresh or remove a mapping (RFC 5508 REQ-6, RFC 4787 REQ-12).
 */
static unsigned int napt_icmperr_in(struct napt_net *nn, struct sk_buff *skb,
				    const struct napt_pkt *p)
{
	struct napt_quoted q;
	struct napt_map *m;

	/* what quotes no translated packet is for the gateway itself */
	if (napt_parse_quoted(skb, p, &q, ICMP_ECHO) < 0 ||
	    q.e.saddr != p->daddr)
		return NF_ACCEPT;
	m = napt_map_lookup_in(nn, q.e.proto, q.e.saddr, q.e.sport, q.e.daddr);
	if (!m)
		return NF_ACCEPT;
	if (napt_icmperr_bad_csum(nn, skb, p, &q))
		return NF_DROP;
	/* only about a remote the inside endpoint has sent to */
	if ((!rcu_access_pointer(m->st) && !napt_sess_live(nn, m, q.e.daddr,
			q.e.proto == IPPROTO_ICMP ? 0 : q.e.dport)) ||
	    napt_rewrite_quoted(skb, p, &q, true, m->key.int_addr,
				m->key.int_port)) {
		napt_stat_inc(nn, NAPT_STAT_DROP_ICMP_ERR);
		return NF_DROP;
	}
	napt_rewrite_outer(skb, false, m->key.int_addr);
	napt_stat_inc(nn, NAPT_STAT_ICMP_ERR_IN);
	return NF_ACCEPT;
}

/*
 * An ICMP error leaving through the external interface about a packet that
 * came in translated: the quoted packet is remote -> inside endpoint. From
 * an inside host (@outer: its address is translated too) or from the
 * gateway itself (a hop limit or MTU error for a packet it forwarded in).
 */
static unsigned int napt_icmperr_out(struct napt_net *nn,
				     const struct napt_cfg *cfg,
				     struct sk_buff *skb,
				     const struct napt_pkt *p, bool outer)
{
	struct napt_okey key = {};
	struct napt_pkt r;
	struct napt_quoted q;
	struct napt_map *m;

	/*
	 * From the gateway itself, an error that quotes no inside endpoint
	 * is none of napt's business; from an inside host it cannot leave
	 * untranslated.
	 */
	if (napt_parse_quoted(skb, p, &q, ICMP_ECHOREPLY) < 0 ||
	    !napt_in_int_nets(cfg, q.e.daddr))
		goto none;
	/* look it up as the reply the inside endpoint would send */
	r.proto = q.e.proto;
	r.saddr = q.e.daddr;
	r.sport = q.e.dport;
	r.daddr = q.e.saddr;
	r.dport = q.e.proto == IPPROTO_ICMP ? 0 : q.e.sport;
	m = napt_find_out(nn, cfg, &r, &key);
	if (!m)
		goto none;
	if (napt_icmperr_bad_csum(nn, skb, p, &q))
		return NF_DROP;
	if (napt_rewrite_quoted(skb, p, &q, false, m->ext_addr, m->ext_port))
		goto drop;
	if (outer)
		napt_rewrite_outer(skb, true, m->ext_addr);
	napt_stat_inc(nn, NAPT_STAT_ICMP_ERR_OUT);
	return NF_ACCEPT;
none:
	if (!outer)
		return NF_ACCEPT;
drop:
	napt_stat_inc(nn, NAPT_STAT_DROP_ICMP_ERR);
	return NF_DROP;
}
