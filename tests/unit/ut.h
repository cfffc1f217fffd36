/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ut.h: a tiny test framework and the helpers the napt unit tests share.
 *
 * A test case is a void function listed in its file's case table. CHECK*
 * record a failure and go on; REQUIRE* also leave the case. After every
 * case the runner waits for RCU and fails the case if it leaked a mapping,
 * a session or a table, left a lock or an RCU read section open, or made
 * the kernel stand-ins report misuse.
 */
#ifndef _NAPT_UT_H
#define _NAPT_UT_H

#include <stdio.h>
#include <stdlib.h>

#include "napt.h"

struct ut_case {
	const char *name;
	void (*fn)(void);
};
#define UT_CASE(f) { #f, f }
#define UT_END { NULL, NULL }

extern const struct ut_case ut_kcompat_cases[], ut_table_cases[],
	ut_xlate_cases[], ut_static_cases[], ut_icmperr_cases[],
	ut_hairpin_cases[], ut_event_cases[], ut_fuzz_cases[], ut_race_cases[];

extern unsigned int ut_case_failures;
void ut_fail(const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#define CHECK(cond) ({							\
	bool __ut_ok = !!(cond);					\
	if (!__ut_ok)							\
		ut_fail(__FILE__, __LINE__, "CHECK(%s)", #cond);	\
	__ut_ok; })

#define CHECK_EQ(a, b) ({						\
	long long __ut_a = (long long)(a), __ut_b = (long long)(b);	\
	bool __ut_ok = __ut_a == __ut_b;				\
	if (!__ut_ok)							\
		ut_fail(__FILE__, __LINE__, "%s == %s: %lld != %lld",	\
			#a, #b, __ut_a, __ut_b);			\
	__ut_ok; })

#define CHECK_NE(a, b) ({						\
	long long __ut_a = (long long)(a), __ut_b = (long long)(b);	\
	bool __ut_ok = __ut_a != __ut_b;				\
	if (!__ut_ok)							\
		ut_fail(__FILE__, __LINE__, "%s != %s: both %lld",	\
			#a, #b, __ut_a);				\
	__ut_ok; })

/* hex, for checksums, addresses and hashes */
#define CHECK_EQX(a, b) ({						\
	unsigned long long __ut_a = (unsigned long long)(a),		\
			   __ut_b = (unsigned long long)(b);		\
	bool __ut_ok = __ut_a == __ut_b;				\
	if (!__ut_ok)							\
		ut_fail(__FILE__, __LINE__, "%s == %s: 0x%llx != 0x%llx", \
			#a, #b, __ut_a, __ut_b);			\
	__ut_ok; })

#define CHECK_RANGE(v, lo, hi) ({					\
	long long __ut_v = (long long)(v);				\
	bool __ut_ok = __ut_v >= (long long)(lo) &&			\
		       __ut_v <= (long long)(hi);			\
	if (!__ut_ok)							\
		ut_fail(__FILE__, __LINE__, "%s = %lld not in [%s, %s]", \
			#v, __ut_v, #lo, #hi);				\
	__ut_ok; })

#define REQUIRE(cond) do { if (!CHECK(cond)) return; } while (0)
#define REQUIRE_EQ(a, b) do { if (!CHECK_EQ(a, b)) return; } while (0)

/* ---- addresses ------------------------------------------------------- */

static inline __be32 ip4(u8 a, u8 b, u8 c, u8 d)
{
	return htonl((u32)a << 24 | (u32)b << 16 | (u32)c << 8 | d);
}

#define EXT1 ip4(203, 0, 113, 1)
#define EXT2 ip4(203, 0, 113, 2)
#define HOST(n) ip4(192, 168, 1, (n))
#define REM1 ip4(198, 51, 100, 7)
#define REM2 ip4(198, 51, 100, 8)

/* ---- an instance ----------------------------------------------------- */

struct ut_nat {
	struct napt_net nn;
	struct napt_cfg cfg;
	struct napt_stats stats;
	struct napt_synhold synhold;	/* nn.synhold, as napt_up() makes */
	struct mem_cgroup memcg;	/* nn.memcg */
	u32 mark;			/* skb->mark into and out of xlate */
};

/* The values kmod/main.c's napt_cfg_defaults() sets. */
void ut_cfg_defaults(struct napt_cfg *cfg);
/*
 * Defaults plus ext 203.0.113.1 and int net 192.168.1.0/24; tables for
 * @max_maps / @max_sess (0: the defaults). Calloc'ed; NULL on failure.
 */
struct ut_nat *ut_nat_new(u32 max_maps, u32 max_sess);
/* the instance most cases use: tables for 4096 mappings, 16384 sessions */
static inline struct ut_nat *ut_nat_default(void)
{
	return ut_nat_new(4096, 16384);
}
/* napt_ports_sync() under the instance mutex, as its callers hold it */
void ut_ports_sync(struct ut_nat *t, const struct napt_cfg *cfg);
/* napt_flush(ANY) + napt_table_free(), and checks nothing is left. */
void ut_nat_free(struct ut_nat *t);
static inline u64 ut_stat(const struct ut_nat *t, int idx)
{
	return t->stats.c[idx];
}

/* mappings and sessions the instance counts */
static inline int ut_nmaps(struct ut_nat *t)
{
	return atomic_read(&t->nn.nmaps);
}

static inline int ut_nsess(struct ut_nat *t)
{
	return atomic_read(&t->nn.nsess);
}

/* one sweep over the whole table: everything expired goes */
static inline void ut_gc_all(struct ut_nat *t)
{
	napt_gc_step(&t->nn, napt_now(), 1U << 30);
}

/* the mapping of inside @host:@port (EIM key), or NULL */
struct napt_map *ut_map_of(struct ut_nat *t, u8 proto, __be32 host,
			   u16 port);
/* its session with @rem:@rport, or NULL */
struct napt_sess *ut_sess_of(struct ut_nat *t, u8 proto, __be32 host,
			     u16 port, __be32 rem, u16 rport);

/* napt_map_lookup_in() in an RCU read section, as its callers are */
static inline struct napt_map *ut_lookup_in(struct ut_nat *t, u8 proto,
					    __be32 addr, __be16 port,
					    __be32 rem)
{
	struct napt_map *m;

	rcu_read_lock();
	m = napt_map_lookup_in(&t->nn, proto, addr, port, rem);
	rcu_read_unlock();
	return m;
}

/*
 * napt_static_add() for (proto, int_addr:int_port); ext_port 0: let it
 * choose; the rest as in struct napt_static_req. Checks the contract of
 * the result (*res and the message); *@res (may be NULL) gets the mapping.
 */
int ut_static(struct ut_nat *t, u8 proto, __be32 int_addr, u16 int_port,
	      u16 ext_port, __be32 rem, u32 lease, const char *desc,
	      bool replace, struct napt_map **res);
/* napt_static_add() of a whole request, with the same checks */
int ut_static_req(struct ut_nat *t, const struct napt_static_req *r,
		  struct napt_map **res);

/* napt_map_create() in an RCU read section, as the packet path calls it */
static inline struct napt_map *ut_map_create(struct ut_nat *t,
					     const struct napt_okey *key,
					     u8 mapping, __be32 rem_addr,
					     __be16 rem_port,
					     struct napt_sess **first,
					     int *reason)
{
	struct napt_map *m;

	rcu_read_lock();
	m = napt_map_create(&t->nn, &t->cfg, key, mapping, rem_addr,
			    rem_port, first, reason);
	rcu_read_unlock();
	return m;
}

/* a key as napt_xlate_out() builds it under EIM */
static inline struct napt_okey ut_key(u8 proto, __be32 addr, u16 port)
{
	struct napt_okey k = {};

	k.proto = proto;
	k.int_addr = addr;
	k.int_port = htons(port);
	return k;
}

/* ---- packets --------------------------------------------------------- */

#define UT_PKT_MAX 2048

/* TCP flag bits as in byte 13 of the header */
#define UT_FIN 0x01
#define UT_SYN 0x02
#define UT_RST 0x04
#define UT_PSH 0x08
#define UT_ACK 0x10

/* Build a packet with valid checksums into @buf; return its length. */
unsigned int ut_udp(u8 *buf, __be32 src, u16 sport, __be32 dst, u16 dport,
		    unsigned int paylen);
unsigned int ut_tcp(u8 *buf, __be32 src, u16 sport, __be32 dst, u16 dport,
		    u8 flags, unsigned int paylen);
unsigned int ut_icmp(u8 *buf, __be32 src, __be32 dst, u8 type, u8 code,
		     u16 id, u16 seq, unsigned int paylen);
unsigned int ut_rawip(u8 *buf, __be32 src, __be32 dst, u8 proto,
		      unsigned int paylen);

/* Field access (host byte order for ports; network order for addrs). */
u16 ut_get16(const u8 *p, unsigned int off);
void ut_put16(u8 *p, unsigned int off, u16 v);
__be32 ut_saddr(const u8 *pkt);
__be32 ut_daddr(const u8 *pkt);
unsigned int ut_l4off(const u8 *pkt);
u16 ut_sport(const u8 *pkt);	/* ICMP: the identifier */
u16 ut_dport(const u8 *pkt);	/* ICMP: the identifier */
u16 ut_l4check(const u8 *pkt);
unsigned int ut_l4check_off(const u8 *pkt);
/* after editing the IP header by hand */
void ut_fix_ipcsum(u8 *pkt);
/* recompute the L4 checksum of a packet (after editing it by hand) */
void ut_fix_l4csum(u8 *pkt);

/*
 * Checksums recomputed from scratch (RFC 1071, big-endian words), with no
 * use of the code under test or of kcompat's helpers.
 */
u32 ut_sum16(const u8 *p, unsigned int len, u32 sum);
u16 ut_fold(u32 sum);			/* not complemented */
bool ut_ip_csum_ok(const u8 *pkt);
/* UDP with checksum 0 counts as valid only if @zero_ok */
bool ut_l4_csum_ok(const u8 *pkt, bool zero_ok);
/* folded pseudo-header sum (not complemented), host order */
u16 ut_pseudo(const u8 *pkt);
/* all checksums of a translated packet verify */
bool ut_pkt_ok(const u8 *pkt);
/* the 32-bit sum over @len bytes in memory order, as skb->csum holds */
__wsum ut_wsum(const u8 *p, unsigned int len);
/* skb->csum folded, 0xffff as 0: a value to compare two of them by */
static inline u16 ut_wfold(__wsum w)
{
	return ut_fold((__force u32)w) % 0xffff;
}

/*
 * Run one packet through napt_xlate_out (@out) or napt_xlate_in, in an
 * RCU read section as the hooks do. The packet is copied into an skb with
 * @headlen linear bytes (0: all) and the given ip_summed; *@csum is the
 * skb->csum in and out (for CHECKSUM_COMPLETE; may be NULL). The result
 * is copied back into @pkt. Returns the verdict.
 */
unsigned int ut_xlate_skb(struct ut_nat *t, bool out, u8 *pkt,
			  unsigned int len, unsigned int headlen,
			  u8 ip_summed, __wsum *csum);
static inline unsigned int ut_out(struct ut_nat *t, u8 *pkt, unsigned int len)
{
	return ut_xlate_skb(t, true, pkt, len, 0, CHECKSUM_NONE, NULL);
}
static inline unsigned int ut_in(struct ut_nat *t, u8 *pkt, unsigned int len)
{
	return ut_xlate_skb(t, false, pkt, len, 0, CHECKSUM_NONE, NULL);
}

/* napt_xlate_hairpin() on a copy of @pkt, as ut_xlate_skb() does */
unsigned int ut_hairpin_skb(struct ut_nat *t, u8 *pkt, unsigned int len,
			    unsigned int headlen);
static inline unsigned int ut_hairpin(struct ut_nat *t, u8 *pkt,
				      unsigned int len)
{
	return ut_hairpin_skb(t, pkt, len, 0);
}

/*
 * An ICMP error @type/@code from @src to @dst quoting @qlen bytes of
 * @quoted (an IP packet, as is or cut), with a valid ICMP checksum.
 */
unsigned int ut_icmp_err(u8 *buf, __be32 src, __be32 dst, u8 type, u8 code,
			 const u8 *quoted, unsigned int qlen);

#endif /* _NAPT_UT_H */
