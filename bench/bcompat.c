// SPDX-License-Identifier: GPL-2.0
/*
 * bcompat.c: the kernel interfaces of tests/unit/kcompat.h, implemented
 * for measuring instead of checking.
 *
 * tests/unit/kcompat.c checks every free against a list of live objects
 * (linear in the number of objects) and computes SipHash byte by byte:
 * right for tests, wrong for counting instructions at 4M entries.  Here
 * the allocator is malloc, RCU callbacks run at rcu_barrier(), and
 * hsiphash_Nu32() is SipHash-1-3 on 64-bit words as the kernel's
 * lib/siphash.c computes it on 64-bit (same values as kcompat.c: the
 * words are packed little-endian).  Misuse is still counted in kc_errors, which
 * ubench checks stays 0.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "napt.h"

unsigned long kc_errors;
bool kc_quiet;
int kc_locks_held;
int kc_rcu_depth;
unsigned long jiffies = INITIAL_JIFFIES;

void kc_error(const char *fmt, ...)
{
	va_list ap;

	kc_errors++;
	if (kc_quiet)
		return;
	va_start(ap, fmt);
	fputs("bcompat: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

static void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (!p) {
		fputs("bcompat: out of memory\n", stderr);
		abort();
	}
	return p;
}

void *kvcalloc(size_t n, size_t size, unsigned int gfp)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	(void)gfp;
	return p;
}

void kvfree(const void *p)
{
	free((void *)p);
}

void *kmalloc(size_t size, unsigned int gfp)
{
	(void)gfp;
	return xmalloc(size);
}

void *kzalloc(size_t size, unsigned int gfp)
{
	(void)gfp;
	return calloc(1, size ? size : 1);
}

void kfree(const void *p)
{
	free((void *)p);
}

/* xorshift64*: deterministic, cheap */
static u64 rng_state = 0x9e3779b97f4a7c15ULL;

static u64 rand64(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dULL;
}

void get_random_bytes(void *buf, size_t len)
{
	unsigned char *p = buf;

	while (len--)
		*p++ = (unsigned char)rand64();
}

u32 get_random_u32(void)
{
	return (u32)(rand64() >> 32);
}

/* Lemire's multiply-shift, as the kernel's get_random_u32_below() */
u32 get_random_u32_below(u32 ceil)
{
	return (u32)(((u64)get_random_u32() * ceil) >> 32);
}

/* ---- RCU: callbacks wait for rcu_barrier() ---------------------------- */

static struct rcu_head *rcu_list;

void call_rcu(struct rcu_head *head, void (*func)(struct rcu_head *head))
{
	head->func = func;
	head->next = rcu_list;
	rcu_list = head;
}

void rcu_barrier(void)
{
	while (rcu_list) {
		struct rcu_head *h = rcu_list;

		rcu_list = h->next;
		h->func(h);
	}
}

/* ---- hsiphash on words (lib/siphash.c's 64-bit structure) -------------- */

static inline u64 rol64(u64 x, unsigned int b)
{
	return (x << b) | (x >> (64 - b));
}

#define SIPROUND(v0, v1, v2, v3) do {					\
	v0 += v1; v1 = rol64(v1, 13); v1 ^= v0; v0 = rol64(v0, 32);	\
	v2 += v3; v3 = rol64(v3, 16); v3 ^= v2;				\
	v0 += v3; v3 = rol64(v3, 21); v3 ^= v0;				\
	v2 += v1; v1 = rol64(v1, 17); v1 ^= v2; v2 = rol64(v2, 32);	\
} while (0)

#define PREAMBLE(len)							\
	u64 v0 = 0x736f6d6570736575ULL ^ (u64)key->key[0];		\
	u64 v1 = 0x646f72616e646f6dULL ^ (u64)key->key[1];		\
	u64 v2 = 0x6c7967656e657261ULL ^ (u64)key->key[0];		\
	u64 v3 = 0x7465646279746573ULL ^ (u64)key->key[1];		\
	u64 b = ((u64)(len)) << 56

/* SipHash-1-3: one round per word, three at the end, low 32 bits */
#define HPOSTAMBLE							\
	v3 ^= b;							\
	SIPROUND(v0, v1, v2, v3);					\
	v0 ^= b;							\
	v2 ^= 0xff;							\
	SIPROUND(v0, v1, v2, v3);					\
	SIPROUND(v0, v1, v2, v3);					\
	SIPROUND(v0, v1, v2, v3);					\
	return (u32)((v0 ^ v1) ^ (v2 ^ v3))

static inline u32 hsip_1u64(u64 first, const hsiphash_key_t *key)
{
	PREAMBLE(8);
	v3 ^= first;
	SIPROUND(v0, v1, v2, v3);
	v0 ^= first;
	HPOSTAMBLE;
}

static inline u32 hsip_2u64(u64 first, u64 second, const hsiphash_key_t *key)
{
	PREAMBLE(16);
	v3 ^= first;
	SIPROUND(v0, v1, v2, v3);
	v0 ^= first;
	v3 ^= second;
	SIPROUND(v0, v1, v2, v3);
	v0 ^= second;
	HPOSTAMBLE;
}

static inline u32 hsip_1u64_1u32(u64 first, u32 second,
				 const hsiphash_key_t *key)
{
	PREAMBLE(12);
	v3 ^= first;
	SIPROUND(v0, v1, v2, v3);
	v0 ^= first;
	b |= second;
	HPOSTAMBLE;
}

static inline u32 hsip_1u32(u32 first, const hsiphash_key_t *key)
{
	PREAMBLE(4);
	b |= first;
	HPOSTAMBLE;
}

#ifdef BENCH_HASH_JHASH
/*
 * What-if build (ubench-jhash): the table's hashes as Bob Jenkins'
 * lookup3 (the kernel's jhash_3words()/jhash2()) keyed by the hsiphash
 * key's low word, to measure what the keyed SipHash-1-3 costs a lookup.
 * Not what the module does.
 */
static inline u32 rol32(u32 x, unsigned int b)
{
	return (x << b) | (x >> (32 - b));
}

#define JMIX(a, b, c) do {						\
	a -= c; a ^= rol32(c, 4); c += b;				\
	b -= a; b ^= rol32(a, 6); a += c;				\
	c -= b; c ^= rol32(b, 8); b += a;				\
	a -= c; a ^= rol32(c, 16); c += b;				\
	b -= a; b ^= rol32(a, 19); a += c;				\
	c -= b; c ^= rol32(b, 4); b += a;				\
} while (0)

#define JFINAL(a, b, c) do {						\
	c ^= b; c -= rol32(b, 14);					\
	a ^= c; a -= rol32(c, 11);					\
	b ^= a; b -= rol32(a, 25);					\
	c ^= b; c -= rol32(b, 16);					\
	a ^= c; a -= rol32(c, 4);					\
	b ^= a; b -= rol32(a, 14);					\
	c ^= b; c -= rol32(b, 24);					\
} while (0)

static u32 jwords(u32 n, u32 a, u32 b, u32 c, u32 d,
		  const hsiphash_key_t *key)
{
	u32 init = 0xdeadbeef + (n << 2) + (u32)key->key[0];
	u32 x = init + a, y = init + b, z = init + c;

	if (n > 3) {
		JMIX(x, y, z);
		x += d;
	}
	JFINAL(x, y, z);
	return z;
}

u32 hsiphash_1u32(u32 a, const hsiphash_key_t *key)
{
	return jwords(1, a, 0, 0, 0, key);
}

u32 hsiphash_2u32(u32 a, u32 b, const hsiphash_key_t *key)
{
	return jwords(2, a, b, 0, 0, key);
}

u32 hsiphash_3u32(u32 a, u32 b, u32 c, const hsiphash_key_t *key)
{
	return jwords(3, a, b, c, 0, key);
}

u32 hsiphash_4u32(u32 a, u32 b, u32 c, u32 d, const hsiphash_key_t *key)
{
	return jwords(4, a, b, c, d, key);
}
#else
u32 hsiphash_1u32(u32 a, const hsiphash_key_t *key)
{
	return hsip_1u32(a, key);
}

u32 hsiphash_2u32(u32 a, u32 b, const hsiphash_key_t *key)
{
	return hsip_1u64((u64)b << 32 | a, key);
}

u32 hsiphash_3u32(u32 a, u32 b, u32 c, const hsiphash_key_t *key)
{
	return hsip_1u64_1u32((u64)b << 32 | a, c, key);
}

u32 hsiphash_4u32(u32 a, u32 b, u32 c, u32 d, const hsiphash_key_t *key)
{
	return hsip_2u64((u64)b << 32 | a, (u64)d << 32 | c, key);
}
#endif

/* ---- checksums and skb (linear skbs only) ------------------------------ */

void inet_proto_csum_replace4(__sum16 *sum, struct sk_buff *skb,
			      __be32 from, __be32 to, bool pseudohdr)
{
	if (skb->ip_summed == CHECKSUM_COMPLETE) {
		kc_error("bcompat: CHECKSUM_COMPLETE skbs are not supported");
	} else if (skb->ip_summed != CHECKSUM_PARTIAL) {
		csum_replace4(sum, from, to);
	} else if (pseudohdr) {
		*sum = ~csum_fold(csum_add(csum_sub(csum_unfold(*sum),
						    (__force __wsum)from),
					   (__force __wsum)to));
	}
}

int skb_copy_bits(const struct sk_buff *skb, int offset, void *to, int len)
{
	if (offset < 0 || len < 0 || (unsigned int)(offset + len) > skb->len)
		return -EFAULT;
	if ((unsigned int)(offset + len) > skb_headlen(skb))
		return -EFAULT;	/* no paged data here */
	memcpy(to, skb->data + offset, len);
	return 0;
}

/* only ICMP errors are summed whole: not on the measured paths */
__wsum skb_checksum(const struct sk_buff *skb, int offset, int len,
		    __wsum csum)
{
	if (offset < 0 || len < 0 ||
	    (unsigned int)(offset + len) > skb_headlen(skb))
		return csum;
	return kc_csum_bytes(skb->data + offset, len, csum);
}

bool pskb_may_pull(struct sk_buff *skb, unsigned int len)
{
	return len <= skb_headlen(skb);
}

int skb_ensure_writable(struct sk_buff *skb, unsigned int write_len)
{
	return write_len <= skb_headlen(skb) ? 0 : -ENOMEM;
}

/* ---- the environment of table.c and xlate.c --------------------------- */

bool napt_port_has_socket(struct napt_net *nn, u8 proto, __be32 addr,
			  __be16 port, __be32 rem_addr, __be16 rem_port)
{
	(void)nn;
	(void)proto;
	(void)addr;
	(void)port;
	(void)rem_addr;
	(void)rem_port;
	return false;
}

long kc_live_maps, kc_live_sess;

/* a mapping has no rcu_head (see kmod/main.c): one follows it here */
struct bmap {
	struct napt_map m;
	struct rcu_head rcu;
};

struct napt_map *napt_map_alloc(void)
{
	struct bmap *b = xmalloc(sizeof(*b));

	kc_live_maps++;
	return &b->m;
}

static void map_free_cb(struct rcu_head *h)
{
	kc_live_maps--;
	free(container_of(h, struct bmap, rcu));
}

void napt_map_free_rcu(struct napt_map *m)
{
	call_rcu(&container_of(m, struct bmap, m)->rcu, map_free_cb);
}

struct napt_xsess *napt_sess_alloc(void)
{
	kc_live_sess++;
	return xmalloc(sizeof(struct napt_xsess));
}

static void sess_free_cb(struct rcu_head *h)
{
	kc_live_sess--;
	free(container_of(h, struct napt_xsess, rcu));
}

void napt_sess_free_rcu(struct napt_xsess *x)
{
	call_rcu(&x->rcu, sess_free_cb);
}

struct napt_static *napt_static_alloc(void)
{
	return xmalloc(sizeof(struct napt_static));
}

static void static_free_cb(struct rcu_head *h)
{
	free(container_of(h, struct napt_static, rcu));
}

void napt_static_free_rcu(struct napt_static *st)
{
	call_rcu(&st->rcu, static_free_cb);
}

void napt_event(struct napt_net *nn, const struct napt_ev *ev, u8 event,
		u8 reason)
{
	(void)nn;
	(void)ev;
	(void)event;
	(void)reason;
}

void napt_icmp_unreach(struct sk_buff *skb)
{
	(void)skb;
}

int napt_reroute(struct sk_buff *skb, __be32 daddr)
{
	(void)skb;
	(void)daddr;
	return 0;
}

/* held SYNs are answered by a work item in the kernel; none here */
void napt_synhold_kick(struct napt_net *nn, unsigned long delay)
{
	(void)nn;
	(void)delay;
}
