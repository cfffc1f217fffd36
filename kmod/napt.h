/* SPDX-License-Identifier: GPL-2.0 */
/*
 * napt: internal types shared by the table, the translator, the hooks and
 * the netlink code. This header and table.c / xlate.c also compile in
 * userspace (tests/unit/) through a thin compat header: keep them to the
 * small set of kernel interfaces that header provides.
 */
#ifndef _NAPT_H
#define _NAPT_H

#ifdef __KERNEL__
#include <linux/types.h>
#include <linux/bitops.h>
#include <linux/spinlock.h>
#include <linux/mutex.h>
#include <linux/rculist.h>
#include <linux/llist.h>
#include <linux/refcount.h>
#include <linux/siphash.h>
#include <linux/percpu.h>
#include <linux/workqueue.h>
#include <linux/skbuff.h>
#include <linux/in.h>
#include <linux/jiffies.h>
#include <linux/math64.h>
#include <linux/sched/mm.h>
#include <linux/if.h>
#else
#include "kcompat.h"
#endif
#include <linux/napt.h>

#define NAPT_LOCKS		256	/* striped writer locks per table */
#define NAPT_CHAIN_MAX		32	/* entries one bucket may hold */
#define NAPT_RAND_PROBES	64	/* random port probes, then ... */
#define NAPT_LINEAR_PROBES	512	/* ... a bounded linear scan */

/* enum napt_flags defaults */
#define NAPT_F_DEFAULT (NAPT_F_PORT_PRESERVE | NAPT_F_HAIRPIN | \
			NAPT_F_INBOUND_REFRESH | NAPT_F_ICMP_UNREACH)

/* Index of a protocol in per-protocol arrays. */
enum napt_pidx { NAPT_UDP, NAPT_TCP, NAPT_ICMP, NAPT_NPROTO };

struct napt_prefix {
	__be32 addr;
	__be32 mask;
	u8 len;
};

/**
 * struct napt_cfg - the configuration of a running instance
 * @ext_ifindex: ifindex of the external (WAN) interface; 0 while one
 *	configured by name does not exist
 * @ext_ifname: the name it was configured by (followed), or "" when
 *	configured by index
 * @n_ext: entries used in @ext; 0: the pool is the external interface's
 *	primary address (napt_net.if_addr)
 * @ext: the configured external addresses (network byte order)
 * @n_int: entries used in @int_nets, at least 1
 * @int_nets: the internal prefixes, host bits clear
 * @port_min: lowest external port (and ICMP identifier) allocated, host
 *	byte order
 * @port_max: highest one, inclusive, host byte order
 * @timeout_udp: seconds an idle UDP session lives
 * @timeout_tcp_est: seconds an idle established TCP session lives
 * @timeout_tcp_trans: seconds an idle TCP session in any other state lives
 * @timeout_icmp: seconds an idle ICMP query session lives
 * @mapping: per protocol (enum napt_pidx), enum napt_mapping
 * @filtering: per protocol (enum napt_pidx), enum napt_filtering
 * @flags: enum napt_flags bits
 * @max_maps: most mappings, static ones included; fixed while up
 * @max_sess: most sessions, embedded ones included; fixed while up
 * @max_per_host: most mappings of one inside address, 0 for no limit
 * @reuse_delay: seconds a dynamic mapping's port rests before another
 *	inside host may have it (RFC 6888 REQ-8), 0: none
 * @syn_hold: seconds an unsolicited inbound SYN is held before 3/3 is
 *	sent, 0: off (RFC 5382 REQ-4)
 * @mark_static: the mark given to packets translated inbound through a
 *	static mapping (NAPT_A_MARK_STATIC), within @mark_static_mask
 * @mark_static_mask: the bits of skb->mark it sets; 0: none
 * @rcu: for kfree_rcu() once replaced
 *
 * Replaced as a whole (copy, change, rcu_assign_pointer) under the
 * instance mutex; the packet path reads it under RCU.
 */
struct napt_cfg {
	int ext_ifindex;
	char ext_ifname[IFNAMSIZ];
	unsigned int n_ext;
	__be32 ext[NAPT_MAX_EXT_ADDRS];
	unsigned int n_int;
	struct napt_prefix int_nets[NAPT_MAX_INT_NETS];
	u16 port_min, port_max;
	u32 timeout_udp, timeout_tcp_est, timeout_tcp_trans, timeout_icmp;
	u8 mapping[NAPT_NPROTO];
	u8 filtering[NAPT_NPROTO];
	u32 flags;
	u32 max_maps, max_sess;
	u32 max_per_host;
	u32 reuse_delay;
	u32 syn_hold;
	u32 mark_static, mark_static_mask;
	struct rcu_head rcu;
};

/* Outbound key: the inside endpoint, plus the remote for ADM/APDM. */
struct napt_okey {
	__be32 int_addr;
	__be32 rem_addr;	/* 0 unless ADM or APDM */
	__be16 int_port;
	__be16 rem_port;	/* 0 unless APDM */
	u8 proto;
	u8 pad[3];		/* always 0: keys compare as 16 bytes */
};

static_assert(sizeof(struct napt_okey) == 16, "napt_okey is two u64");

/**
 * struct napt_static - what a static mapping has beyond a dynamic one
 * @rem: the only remote allowed in, 0 for any
 * @lease: seconds granted, 0 for permanent
 * @owner: enum napt_map_owner, stored for userspace only
 * @cookie_len: bytes in @cookie, 0 for none
 * @cookie: opaque to the kernel, stored for userspace only
 * @rcu: freed by RCU when replaced or with the mapping
 * @desc: its description, NUL terminated
 *
 * Replaced as a whole when the mapping is renewed, so readers under RCU
 * always see the fields of one request together.
 */
struct napt_static {
	__be32 rem;
	u32 lease;
	u8 owner;
	u8 cookie_len;
	u8 cookie[NAPT_COOKIE_MAX];
	struct rcu_head rcu;
	char desc[NAPT_DESC_MAX];
};

/* TCP tracking bits of a session (RFC 5382, RFC 7857). */
enum {
	NAPT_TCP_SYN_OUT = 1 << 0,
	NAPT_TCP_SYN_IN = 1 << 1,
	NAPT_TCP_EST = 1 << 2,
	NAPT_TCP_FIN_OUT = 1 << 3,
	NAPT_TCP_FIN_IN = 1 << 4,
	NAPT_TCP_RST = 1 << 5,
};

/* States of a mapping's embedded first session (napt_map.first_sess). */
enum {
	NAPT_FIRST_SESS_FREE,		/* never used: the next new session takes it */
	NAPT_FIRST_SESS_USED,
	NAPT_FIRST_SESS_DEAD,		/* ended; later sessions go to the table */
};

/**
 * struct napt_sess - one remote endpoint a mapping has sent to
 * @rem_addr: the remote address
 * @rem_port: the remote port (0 for ICMP)
 * @proto: the mapping's protocol
 * @state: NAPT_FIRST_SESS_*, for the session embedded in a mapping only
 * @tcp: NAPT_TCP_* bits
 * @expires: napt_now() seconds, refreshed locklessly
 *
 * A mapping's first session lives in the mapping itself
 * (napt_map.first_sess): most mappings only ever talk to one remote, and
 * then there is nothing to allocate, hash or look up beyond the mapping.
 * Its remote is written once, before its state becomes
 * NAPT_FIRST_SESS_USED with release semantics, and it is never reused, so
 * readers need no lock. Any further session is a
 * struct napt_xsess in the session table.
 */
struct napt_sess {
	__be32 rem_addr;
	__be16 rem_port;
	u8 proto;
	u8 state;
	u32 tcp;
	u32 expires;
};

/**
 * struct napt_map - one mapping, inside endpoint <-> outside endpoint
 * @out_node: in napt_net.out by napt_hash_out(@key), under its bucket lock
 * @out_next_: @out_node.next, still followed by RCU readers once unlinked
 * @free_link: @out_node.pprev: on napt_free_list (kmod/main.c)
 * @in_node: in napt_net.in by (proto, @ext_addr, @ext_port), under its
 *	bucket lock
 * @in_next_: @in_node.next, still followed by RCU readers once unlinked
 * @free_gp: @in_node.pprev: the RCU grace-period cookie to wait for
 * @key: the outbound key; fixed once published
 * @ext_addr: the external address (network byte order)
 * @ext_port: the external port, ICMP: identifier (network byte order)
 * @type: enum napt_map_type; dynamic may turn static under the out-table
 *	lock, so read with READ_ONCE()
 * @mapping: the enum napt_mapping it was made under
 * @expires: napt_now() seconds, refreshed locklessly; static: lease end
 *	(meaningless for a permanent one); resting: end of the rest
 * @dead: set once unlinked from the out table (or never published); if
 *	still in the in table, its port is resting
 * @st: static data (RCU, replaced under the out-table lock), NULL if
 *	dynamic
 * @nsess: sessions in use, the embedded one included
 * @ref: references: the tables' one, one per session, and lookups'
 * @first_sess: the embedded first session
 *
 * Linked in the outbound table by @key and in the inbound table by
 * (proto, @ext_addr, @ext_port). One reference is held by the tables, one
 * by each session; the memory goes back after a grace period when the last
 * one drops. @first_sess is claimed and ended under the in-table bucket lock of
 * the mapping.
 *
 * There is no rcu_head: hlist_del_rcu() leaves a node's back pointer
 * unused (readers follow only ->next), so once a mapping is in neither
 * table the two back pointers carry its wait for the grace period
 * (@free_link, @free_gp; see napt_map_free_rcu() in kmod/main.c).
 */
struct napt_map {
	union {
		struct hlist_node out_node;
		struct {
			struct hlist_node *out_next_;
			struct llist_node free_link;
		};
	};
	union {
		struct hlist_node in_node;
		struct {
			struct hlist_node *in_next_;
			unsigned long free_gp;
		};
	};
	struct napt_okey key;
	__be32 ext_addr;
	__be16 ext_port;
	u8 type;
	u8 mapping;
	u32 expires;
	bool dead;
	struct napt_static __rcu *st;
	atomic_t nsess;
	refcount_t ref;
	struct napt_sess first_sess;
};

static_assert(offsetof(struct napt_map, free_link) ==
	      offsetof(struct napt_map, out_node.pprev) &&
	      offsetof(struct napt_map, free_gp) ==
	      offsetof(struct napt_map, in_node.pprev),
	      "the free list lives in the unused back pointers");

/**
 * struct napt_xsess - a session beyond a mapping's first
 * @node: in napt_net.sess, under its bucket lock
 * @map: its mapping, of which it holds a reference
 * @s: the session
 * @rcu: freed by RCU once unlinked
 *
 * Hashed by (proto, ext_addr, ext_port, rem_addr) of its mapping only, so
 * that every session of one mapping with one remote address shares a
 * bucket: the address-dependent filter walks that bucket, the
 * address-and-port dependent one also compares the port.
 */
struct napt_xsess {
	struct hlist_node node;
	struct napt_map *map;
	struct napt_sess s;
	struct rcu_head rcu;
};

struct napt_htab {
	struct hlist_head *buckets;
	u32 mask;
	spinlock_t locks[NAPT_LOCKS];
};

struct napt_stats {
	u64 c[__NAPT_STAT_MAX];
};

/*
 * How many mappings one inside address has (RFC 6888 REQ-4). Only
 * writers see these, under the hosts table's bucket lock.
 */
struct napt_host {
	struct hlist_node node;
	__be32 addr;
	u32 n;
};

/* The IP header (at most 60 bytes) and 8 bytes of TCP of a held SYN. */
#define NAPT_HELD_MAX	(60 + 8)

/**
 * struct napt_held - an unsolicited inbound SYN held (RFC 5382 REQ-4)
 * @deadline: jiffies when it is answered with 3/3
 * @rem_addr: its source
 * @ext_addr: its destination, an external address
 * @rem_port: its source port
 * @ext_port: its destination port
 * @len: bytes in @hdr, 0 for a free slot
 * @hdr: what the ICMP error quotes: its IP header and 8 bytes of TCP
 */
struct napt_held {
	unsigned long deadline;
	__be32 rem_addr, ext_addr;
	__be16 rem_port, ext_port;
	u8 len;
	u8 hdr[NAPT_HELD_MAX];
};

/* The held SYNs of an instance: a fixed table, no allocation per SYN. */
struct napt_synhold {
	spinlock_t lock;
	unsigned int n;			/* slots in use */
	struct napt_held slot[NAPT_SYN_HOLD_SLOTS];
};

/**
 * struct napt_port_bits - the ports of one external address the in table holds
 * @addr: the address
 * @bits: per protocol (enum napt_pidx), bit P set while any entry of the
 *	in table is for (proto, @addr, P); see kmod/ports.c
 * @rcu: freed by RCU when the address leaves the pool
 */
struct napt_port_bits {
	__be32 addr;
	unsigned long bits[NAPT_NPROTO][BITS_TO_LONGS(65536)];
	struct rcu_head rcu;
};

/* The bitmaps of the pool's addresses, replaced as a whole. */
struct napt_ports {
	unsigned int n;
	struct napt_port_bits *pb[NAPT_MAX_EXT_ADDRS];
	struct rcu_head rcu;
};

/* A walk of the free ports of a range (napt_ports_start/next()). */
struct napt_port_walk {
	u32 lo, hi, start, from;
	bool wrapped;
};

/**
 * struct napt_net - the NAT instance of one network namespace
 * @net: the namespace
 * @lock: serializes control operations (up, set, down, static mappings)
 * @cfg: the configuration in force (RCU, replaced under @lock), NULL while
 *	down
 * @if_addr: the external interface's primary address, 0 if none (network
 *	byte order); written under @lock, read with READ_ONCE()
 * @hkey: hsiphash key of every table, new at each up
 * @out: mappings by outbound key (napt_map.out_node)
 * @in: mappings, resting ones included, by external endpoint
 *	(napt_map.in_node)
 * @sess: sessions beyond each mapping's first (struct napt_xsess)
 * @hosts: mappings per inside address (struct napt_host)
 * @ports: free-port bitmaps of the pool (RCU, replaced under @lock)
 * @nmaps: mappings now, static ones included
 * @nsess: sessions now, embedded ones included
 * @ntomb: resting ports in @in, at most @out's bucket count
 * @nstatic: static mappings per owner (enum napt_map_owner), for
 *	GET_CONFIG
 * @gc_out: next @out bucket the sweeper visits
 * @gc_sess: next @sess bucket the sweeper visits
 * @gc_in: next @in bucket the sweeper visits for ports done resting
 * @reuse_delay: @cfg's reuse_delay (seconds), for paths without @cfg;
 *	written under @lock, read with READ_ONCE()
 * @gen: bumped by every up, so a resumed dump can tell it restarted
 * @stats: per-CPU counters (enum napt_stat), NULL while down
 * @gc_work: the sweeper, run every second (HZ) while up
 * @synhold: the held SYNs, NULL while down
 * @syn_work: answers held SYNs when due
 * @memcg: charged for everything the instance allocates
 *	(napt_memcg_enter()), NULL while down
 * @hooks_on: the netfilter hooks are registered; under @lock
 * @egress: the guard on the external device (egress.c), NULL if there is
 *	none; under @lock
 */
struct napt_net {
	struct net *net;
	struct mutex lock;
	struct napt_cfg __rcu *cfg;
	__be32 if_addr;
	hsiphash_key_t hkey;
	struct napt_htab out, in, sess, hosts;
	struct napt_ports __rcu *ports;
	atomic_t nmaps, nsess, ntomb;
	atomic_t nstatic[NAPT_OWNER_MAX + 1];
	u32 gc_out, gc_sess, gc_in;
	u32 reuse_delay;
	u32 gen;
	struct napt_stats __percpu *stats;
	struct delayed_work gc_work;
	struct napt_synhold *synhold;
	struct delayed_work syn_work;
	struct mem_cgroup *memcg;
	bool hooks_on;
	struct napt_egress *egress;
};

/*
 * What an instance allocates, in whatever context (a packet in softirq,
 * the address notifier, the control path), is charged to the memory
 * cgroup of whoever brought it up: between these two, allocations with
 * __GFP_ACCOUNT or from a SLAB_ACCOUNT cache go to nn->memcg.
 */
static inline struct mem_cgroup *napt_memcg_enter(struct napt_net *nn)
{
	return set_active_memcg(nn->memcg);
}

static inline void napt_memcg_exit(struct mem_cgroup *old)
{
	set_active_memcg(old);
}

static inline void napt_stat_add(struct napt_net *nn, int idx, u64 v)
{
	this_cpu_add(nn->stats->c[idx], v);
}

static inline void napt_stat_inc(struct napt_net *nn, int idx)
{
	napt_stat_add(nn, idx, 1);
}

/*
 * Seconds on a monotonic clock; wraps after 136 years. From the 64-bit
 * jiffies: the 32-bit jiffies of a 32-bit kernel wraps after 49.7 days
 * (at HZ 1000), which would move every expiry time back.
 */
static inline u32 napt_now(void)
{
	return (u32)div_u64(get_jiffies_64(), HZ);
}

static inline bool napt_expired(u32 expires, u32 now)
{
	return (s32)(now - expires) >= 0;
}

static inline int napt_pidx(u8 proto)
{
	switch (proto) {
	case IPPROTO_UDP:
		return NAPT_UDP;
	case IPPROTO_TCP:
		return NAPT_TCP;
	case IPPROTO_ICMP:
		return NAPT_ICMP;
	}
	return -1;
}

/**
 * struct napt_ev - what an event may say of a mapping (NAPT_CMD_MAP_EVENT)
 * @proto: its protocol
 * @type: enum napt_map_type
 * @has_ext: false for a refused one, which has no external endpoint
 * @int_addr: the inside address
 * @int_port: the inside port (ICMP: identifier)
 * @ext_addr: the external address, if @has_ext
 * @ext_port: the external port, if @has_ext
 *
 * There is no field for a remote endpoint: an event cannot name one (RFC
 * 6888 REQ-12), whatever the mapping's key holds under ADM or APDM.
 */
struct napt_ev {
	u8 proto;
	u8 type;
	bool has_ext;
	__be32 int_addr;
	__be16 int_port;
	__be32 ext_addr;
	__be16 ext_port;
};

/* table.c */
void napt_cfg_defaults(struct napt_cfg *cfg);
int napt_table_init(struct napt_net *nn, u32 max_maps, u32 max_sess);
void napt_table_free(struct napt_net *nn);
void napt_map_put(struct napt_map *m);
struct napt_map *napt_map_lookup_out(struct napt_net *nn,
				     const struct napt_okey *key);
struct napt_map *napt_map_lookup_in(struct napt_net *nn, u8 proto,
				    __be32 ext_addr, __be16 ext_port,
				    __be32 rem_addr);
struct napt_map *napt_static_lookup_out(struct napt_net *nn, u8 proto,
					__be32 int_addr, __be16 int_port,
					__be32 rem_addr);
struct napt_map *napt_map_create(struct napt_net *nn,
				 const struct napt_cfg *cfg,
				 const struct napt_okey *key, u8 mapping,
				 __be32 rem_addr, __be16 rem_port,
				 struct napt_sess **first, int *drop_reason);
struct napt_sess *napt_sess_lookup(struct napt_net *nn, struct napt_map *m,
				   __be32 rem_addr, __be16 rem_port,
				   bool match_port);
struct napt_sess *napt_sess_create(struct napt_net *nn,
				   const struct napt_cfg *cfg,
				   struct napt_map *m, __be32 rem_addr,
				   __be16 rem_port, int *drop_reason);
__be32 napt_pick_ext_addr(struct napt_net *nn, const struct napt_cfg *cfg,
			  __be32 int_addr);
unsigned int napt_gc_step(struct napt_net *nn, u32 now, u32 budget);
unsigned int napt_flush(struct napt_net *nn, u8 type, __be32 ext_addr);

/* ports.c */
struct napt_port_bits *napt_port_bits_of(struct napt_net *nn, __be32 addr);
void napt_ports_note(struct napt_net *nn, u8 proto, __be32 addr,
		     __be16 port, bool held);
void napt_ports_sync(struct napt_net *nn, const struct napt_cfg *cfg);
void napt_ports_start(struct napt_port_walk *it, u32 lo, u32 hi);
int napt_ports_next(const struct napt_port_bits *pb, u8 proto,
		    struct napt_port_walk *it);

/* A request for a static mapping (NAPT_CMD_ADD_MAP). */
struct napt_static_req {
	u8 proto;
	bool replace;
	__be32 int_addr, ext_addr, rem;
	__be16 int_port, ext_port;	/* ext_port 0: choose one */
	u32 lease;
	const char *desc;		/* NULL: none */
	u8 owner;			/* enum napt_map_owner */
	u8 cookie_len;			/* 0: none */
	const u8 *cookie;
};

/**
 * enum napt_static_err - why napt_static_add() refused, for netlink.c to
 *	word as an extack message on the attribute at fault
 * @NAPT_SERR_NONE: no reason given
 * @NAPT_SERR_SOCKET: a socket of the gateway holds the external port
 * @NAPT_SERR_DYNAMIC: a dynamic mapping holds the external port
 * @NAPT_SERR_EXT_FORWARDED: another static mapping has the external port
 * @NAPT_SERR_INT_FORWARDED: the inside endpoint is forwarded already
 * @NAPT_SERR_NO_PORT: no free external port
 * @NAPT_SERR_CHAIN_FULL: a hash chain is full (NAPT_CHAIN_MAX)
 * @NAPT_SERR_CHANGING: the mapping to take over kept changing (-EAGAIN)
 * @NAPT_SERR_NOMEM: out of memory
 * @NAPT_SERR_NO_EXT_ADDR: the instance has no external address
 * @NAPT_SERR_MAX_MAPS: max-maps (or a user namespace's cap) reached
 */
enum napt_static_err {
	NAPT_SERR_NONE,
	NAPT_SERR_SOCKET,
	NAPT_SERR_DYNAMIC,
	NAPT_SERR_EXT_FORWARDED,
	NAPT_SERR_INT_FORWARDED,
	NAPT_SERR_NO_PORT,
	NAPT_SERR_CHAIN_FULL,
	NAPT_SERR_CHANGING,
	NAPT_SERR_NOMEM,
	NAPT_SERR_NO_EXT_ADDR,
	NAPT_SERR_MAX_MAPS,
};

int napt_static_add(struct napt_net *nn, const struct napt_cfg *cfg,
		    const struct napt_static_req *r, struct napt_map **res,
		    enum napt_static_err *why);
int napt_static_del(struct napt_net *nn, u8 proto, __be32 ext_addr,
		    __be16 ext_port, __be32 rem);
unsigned int napt_static_rehome(struct napt_net *nn,
				const struct napt_cfg *cfg, __be32 if_addr);
u32 napt_sess_timeout(const struct napt_cfg *cfg, u8 proto, u32 tcp);
u32 napt_map_timeout(const struct napt_cfg *cfg, u8 proto);
int napt_map_walk(struct napt_net *nn, u32 *bucket, u32 *skip,
		  int (*fn)(struct napt_map *m, void *arg), void *arg);

/* Provided by the environment: hooks.c in the kernel, a stub in tests. */
bool napt_port_has_socket(struct napt_net *nn, u8 proto, __be32 addr,
			  __be16 port, __be32 rem_addr, __be16 rem_port);
struct napt_map *napt_map_alloc(void);
void napt_map_free_rcu(struct napt_map *m);
struct napt_xsess *napt_sess_alloc(void);
void napt_sess_free_rcu(struct napt_xsess *x);
struct napt_static *napt_static_alloc(void);
void napt_static_free_rcu(struct napt_static *st);
void napt_event(struct napt_net *nn, const struct napt_ev *ev, u8 event,
		u8 reason);
void napt_icmp_unreach(struct sk_buff *skb);
int napt_reroute(struct sk_buff *skb, __be32 daddr);
int napt_egress_attach(struct napt_net *nn, int ifindex);
void napt_egress_detach(struct napt_net *nn);
struct net_device;
void napt_egress_dev_gone(struct napt_net *nn, struct net_device *dev);
/* (Re)arm the work that answers held SYNs, @delay jiffies from now. */
void napt_synhold_kick(struct napt_net *nn, unsigned long delay);

/* What the translator needs to know of a packet. */
struct napt_pkt {
	unsigned int l4off;	/* from the network header */
	unsigned int l4len;	/* bytes of L4 header rewritten */
	__be32 saddr, daddr;
	__be16 sport, dport;	/* ICMP echo: the identifier in both */
	u8 proto;
	u8 icmp_type;		/* ICMP: the type, echo or not */
	bool tcp_syn, tcp_ack, tcp_fin, tcp_rst;
};

/* xlate.c */
unsigned int napt_xlate_out(struct napt_net *nn, const struct napt_cfg *cfg,
			    struct sk_buff *skb);
unsigned int napt_xlate_in(struct napt_net *nn, const struct napt_cfg *cfg,
			   struct sk_buff *skb);
unsigned int napt_xlate_hairpin(struct napt_net *nn,
				const struct napt_cfg *cfg,
				struct sk_buff *skb);
bool napt_in_int_nets(const struct napt_cfg *cfg, __be32 addr);
bool napt_is_ext_addr(struct napt_net *nn, const struct napt_cfg *cfg,
		      __be32 addr);

/* synhold.c */
void napt_synhold_add(struct napt_net *nn, const struct napt_cfg *cfg,
		      struct sk_buff *skb, const struct napt_pkt *p);
void napt_synhold_match(struct napt_net *nn, __be32 rem_addr,
			__be16 rem_port, __be32 ext_addr, __be16 ext_port);
bool napt_synhold_expire(struct napt_net *nn, struct napt_held *out,
			 unsigned long *next);
void napt_synhold_clear(struct napt_net *nn);

#endif /* _NAPT_H */
