/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kcompat.h: the kernel interfaces that kmod/table.c and kmod/xlate.c use,
 * for a single-threaded userspace build (tests/unit/; bench/ubench links
 * the same kcompat.c with an allocator and a hash of its own).
 *
 * The semantics follow the kernel's where the code under test can tell the
 * difference (list poisoning, refcount misuse, checksum arithmetic, the
 * linear/paged split of an skb, RCU-deferred frees); concurrency is absent.
 * Misuse the kernel would warn about (or crash on) is counted in kc_errors
 * with a message, and every test fails if that counter moves: a double
 * free, a refcount underflow, a lock taken twice, an RCU pointer read
 * outside a read section or without the lock it is protected by.
 *
 * Everything named kc_* is test control, not a kernel interface.
 */
#ifndef _NAPT_KCOMPAT_H
#define _NAPT_KCOMPAT_H

#include <assert.h>
#include <stdbool.h>
#include <stddef.h>
#include <string.h>
#include <errno.h>

/* uapi headers of the system: types, IPPROTO_*, and the protocol headers */
#include <linux/types.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/udp.h>
#include <linux/tcp.h>
#include <linux/if.h>		/* IFNAMSIZ */
#include <linux/icmp.h>

/* ---- types and annotations ------------------------------------------- */

typedef __u8 u8;
typedef __u16 u16;
typedef __u32 u32;
typedef __u64 u64;
typedef __s8 s8;
typedef __s16 s16;
typedef __s32 s32;
typedef __s64 s64;

#ifndef __force
#define __force
#endif
#define __rcu
#define __percpu
#define __read_mostly
#define __must_check __attribute__((warn_unused_result))
#ifndef __always_inline
#define __always_inline inline __attribute__((always_inline))
#endif
#define __aligned(x) __attribute__((aligned(x)))

#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
/* only for the CONFIG_ options defined here (CONFIG_LOCKDEP) */
#define IS_ENABLED(option) (option)

#define container_of(ptr, type, member) \
	((type *)((char *)(ptr) - offsetof(type, member)))

#define READ_ONCE(x) (*(const volatile __typeof__(x) *)&(x))
#define WRITE_ONCE(x, val) \
	do { *(volatile __typeof__(x) *)&(x) = (val); } while (0)

/* Like the kernel's: both operands must have the same type. */
#define __kc_cmp(x, y, op) ({				\
	__typeof__(x) __kc_x = (x);			\
	__typeof__(y) __kc_y = (y);			\
	(void)(&__kc_x == &__kc_y);			\
	__kc_x op __kc_y ? __kc_x : __kc_y; })
#define min(x, y) __kc_cmp(x, y, <)
#define max(x, y) __kc_cmp(x, y, >)
#define min_t(type, x, y) ({ type __kc_a = (x), __kc_b = (y); \
			     __kc_a < __kc_b ? __kc_a : __kc_b; })
#define max_t(type, x, y) ({ type __kc_a = (x), __kc_b = (y); \
			     __kc_a > __kc_b ? __kc_a : __kc_b; })

/* ---- test control: misuse counter ------------------------------------ */

extern unsigned long kc_errors;
extern bool kc_quiet;	/* a test that provokes misuse on purpose */
void kc_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* ---- byte order (the build host is little- or big-endian) ------------ */

#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
static inline __be16 htons(u16 x) { return (__force __be16)__builtin_bswap16(x); }
static inline u16 ntohs(__be16 x) { return __builtin_bswap16((__force u16)x); }
static inline __be32 htonl(u32 x) { return (__force __be32)__builtin_bswap32(x); }
static inline u32 ntohl(__be32 x) { return __builtin_bswap32((__force u32)x); }
#else
static inline __be16 htons(u16 x) { return (__force __be16)x; }
static inline u16 ntohs(__be16 x) { return (__force u16)x; }
static inline __be32 htonl(u32 x) { return (__force __be32)x; }
static inline u32 ntohl(__be32 x) { return (__force u32)x; }
#endif

/* ---- bitmaps (set_bit/clear_bit atomic, as the kernel's) -------------- */

#define BITS_PER_LONG (8 * (int)sizeof(long))
#define BITS_TO_LONGS(n) (((n) + BITS_PER_LONG - 1) / BITS_PER_LONG)

static inline void set_bit(unsigned int nr, unsigned long *addr)
{
	__atomic_fetch_or(&addr[nr / BITS_PER_LONG],
			  1UL << (nr % BITS_PER_LONG), __ATOMIC_RELAXED);
}

static inline void clear_bit(unsigned int nr, unsigned long *addr)
{
	__atomic_fetch_and(&addr[nr / BITS_PER_LONG],
			   ~(1UL << (nr % BITS_PER_LONG)), __ATOMIC_RELAXED);
}

static inline bool test_bit(unsigned int nr, const unsigned long *addr)
{
	return (READ_ONCE(addr[nr / BITS_PER_LONG]) >> (nr % BITS_PER_LONG)) & 1;
}

/* The first clear bit at or after @off below @size, else @size. */
static inline unsigned long find_next_zero_bit(const unsigned long *addr,
					       unsigned long size,
					       unsigned long off)
{
	while (off < size) {
		unsigned long w = ~READ_ONCE(addr[off / BITS_PER_LONG]) >>
				  (off % BITS_PER_LONG);

		if (w) {
			off += __builtin_ctzl(w);
			return off < size ? off : size;
		}
		off = (off / BITS_PER_LONG + 1) * BITS_PER_LONG;
	}
	return size;
}

/* ---- misc kernel helpers --------------------------------------------- */

#define GFP_KERNEL 0x1u
#define GFP_ATOMIC 0x2u
#define __GFP_ACCOUNT 0x4u
#define GFP_KERNEL_ACCOUNT (GFP_KERNEL | __GFP_ACCOUNT)

/*
 * Memory cgroups: napt_memcg_enter() makes the instance's the active one.
 * Every allocation of the code under test must be charged: kvcalloc() and
 * kmalloc() with __GFP_ACCOUNT, the object allocators of kcompat_alloc.c
 * (the kernel's are SLAB_ACCOUNT caches) with an active cgroup; anything
 * else is reported (bench/balloc.c does not check).
 */
struct mem_cgroup {
	int id;
};
extern struct mem_cgroup *kc_active_memcg;

static inline struct mem_cgroup *set_active_memcg(struct mem_cgroup *m)
{
	struct mem_cgroup *old = kc_active_memcg;

	kc_active_memcg = m;
	return old;
}

void *kvcalloc(size_t n, size_t size, unsigned int gfp);
void kvfree(const void *p);
#define kvzalloc(size, gfp) kvcalloc(1, (size), (gfp))
/* garbage-filled like a slab object; a double kfree() is reported */
void *kmalloc(size_t size, unsigned int gfp);
void *kzalloc(size_t size, unsigned int gfp);
void kfree(const void *p);

static inline unsigned long roundup_pow_of_two(unsigned long n)
{
	unsigned long r = 1;

	if (n == 0)
		kc_error("roundup_pow_of_two(0) is undefined");
	while (r < n)
		r <<= 1;
	return r;
}

static inline void cpu_relax(void)
{
}

/* "per-CPU" data is one plain copy */
#define this_cpu_add(pcp, val) ((void)((pcp) += (val)))

/* ---- time ------------------------------------------------------------ */

#define HZ 250
/* The kernel starts jiffies 5 minutes before a 32-bit wrap; so do we. */
#define INITIAL_JIFFIES ((unsigned long)(unsigned int)(-300 * HZ))
extern unsigned long jiffies;
/* a 64-bit host: jiffies is the 64-bit count */
static inline u64 get_jiffies_64(void)
{
	return jiffies;
}

static inline u64 div_u64(u64 dividend, u32 divisor)
{
	return dividend / divisor;
}

/* ---- randomness (deterministic, seeded by kc_seed()) ----------------- */

void get_random_bytes(void *buf, size_t len);
u32 get_random_u32(void);
u32 get_random_u32_below(u32 ceil);

/* ---- atomics and refcounts ------------------------------------------- */

typedef struct {
	int counter;
} atomic_t;

static inline int atomic_read(const atomic_t *v) { return READ_ONCE(v->counter); }
static inline void atomic_set(atomic_t *v, int i) { WRITE_ONCE(v->counter, i); }
static inline void atomic_inc(atomic_t *v) { v->counter++; }
static inline void atomic_dec(atomic_t *v) { v->counter--; }
static inline void atomic_add(int i, atomic_t *v) { v->counter += i; }
static inline int atomic_inc_return(atomic_t *v) { return ++v->counter; }
static inline int atomic_dec_return(atomic_t *v) { return --v->counter; }
static inline bool atomic_dec_and_test(atomic_t *v) { return --v->counter == 0; }

#define smp_load_acquire(p) __atomic_load_n(p, __ATOMIC_ACQUIRE)
#define smp_store_release(p, v) __atomic_store_n(p, v, __ATOMIC_RELEASE)
#define cmpxchg(ptr, old, new) __sync_val_compare_and_swap(ptr, old, new)

typedef struct {
	atomic_t refs;
} refcount_t;

static inline void refcount_set(refcount_t *r, int n) { atomic_set(&r->refs, n); }
static inline unsigned int refcount_read(const refcount_t *r)
{
	return atomic_read(&r->refs);
}

static inline bool refcount_inc_not_zero(refcount_t *r)
{
	if (r->refs.counter <= 0) {
		if (r->refs.counter < 0)
			kc_error("refcount_inc_not_zero on saturated/underflowed refcount");
		return false;
	}
	r->refs.counter++;
	return true;
}

static inline void refcount_inc(refcount_t *r)
{
	if (r->refs.counter <= 0)
		kc_error("refcount_inc on %d: use-after-free", r->refs.counter);
	r->refs.counter++;
}

static inline bool __must_check refcount_dec_and_test(refcount_t *r)
{
	if (r->refs.counter <= 0) {
		kc_error("refcount_dec_and_test on %d: underflow",
			 r->refs.counter);
		return false;
	}
	return --r->refs.counter == 0;
}

/* ---- locks ----------------------------------------------------------
 *
 * A self-deadlock or an unbalanced unlock counts as an error, and so does
 * what lockdep reports: every lock has a class (its spin_lock_init() call
 * site, or the key lockdep_set_class() gave it); taking a lock of a class
 * already held ("possible recursive locking", unless spin_lock_nested()
 * says which level), or in an order opposite to one seen before in this
 * run ("possible circular locking"), is reported.
 */

#define KC_SPIN_MAGIC 0xdead4eadu
#define SINGLE_DEPTH_NESTING 1
#define CONFIG_LOCKDEP 1

struct lock_class_key {
	const char *name;
};

typedef struct {
	unsigned int magic;
	int locked;
	const struct lock_class_key *key;
} spinlock_t;

extern int kc_locks_held;

/*
 * Test control: called by every spin_lock*() before the lock is taken, so
 * that a case can run "another CPU" to completion at that very point and
 * force an interleaving (NULL: none). A hook that takes locks itself must
 * disarm first: it is not called recursively.
 */
extern void (*kc_lock_hook)(spinlock_t *l);
void kc_lock_hook_call(spinlock_t *l);

void kc_lock_acquire(spinlock_t *l, int subclass);
void kc_lock_release(spinlock_t *l);

/*
 * Benchmark control: no lock classes kept, so no recursive or circular
 * locking reported (a self-deadlock or an unbalanced unlock still is).
 * To be set before any lock is taken; kc_reset() clears it.
 */
extern bool kc_lockdep_off;

static inline void kc_spin_lock_init(spinlock_t *l,
				     const struct lock_class_key *key)
{
	l->magic = KC_SPIN_MAGIC;
	l->locked = 0;
	l->key = key;
}

/* as the kernel's: one class per call site */
#define spin_lock_init(l) do {					\
	static struct lock_class_key __kc_key = { #l };		\
	kc_spin_lock_init((l), &__kc_key);			\
} while (0)

#define lockdep_set_class(l, k) ((l)->key = (k))

static inline void spin_lock_nested(spinlock_t *l, int subclass)
{
	if (kc_lock_hook)
		kc_lock_hook_call(l);
	if (l->magic != KC_SPIN_MAGIC)
		kc_error("spin_lock: bad magic (uninitialized lock)");
	if (l->locked)
		kc_error("spin_lock: recursion (self-deadlock)");
	else if (!kc_lockdep_off)
		kc_lock_acquire(l, subclass);
	l->locked = 1;
	kc_locks_held++;
}

static inline void spin_lock(spinlock_t *l)
{
	spin_lock_nested(l, 0);
}

static inline void spin_unlock(spinlock_t *l)
{
	if (l->magic != KC_SPIN_MAGIC)
		kc_error("spin_unlock: bad magic (uninitialized lock)");
	if (!l->locked)
		kc_error("spin_unlock: lock not held");
	else if (!kc_lockdep_off)
		kc_lock_release(l);
	l->locked = 0;
	kc_locks_held--;
}

static inline void spin_lock_bh(spinlock_t *l) { spin_lock(l); }
static inline void spin_unlock_bh(spinlock_t *l) { spin_unlock(l); }

struct mutex {
	int locked;
};

static inline void mutex_init(struct mutex *m) { m->locked = 0; }
static inline void mutex_lock(struct mutex *m)
{
	if (m->locked)
		kc_error("mutex_lock: recursion (self-deadlock)");
	m->locked = 1;
}

static inline void mutex_unlock(struct mutex *m)
{
	if (!m->locked)
		kc_error("mutex_unlock: mutex not held");
	m->locked = 0;
}

/* Single-threaded: a lock is held by "us" iff it is locked. */
#define lockdep_is_held(l) ((l)->locked != 0)
#define lockdep_assert(c) do {						\
	if (!(c))							\
		kc_error("lockdep_assert(%s) failed at %s:%d", #c,	\
			 __FILE__, __LINE__);				\
} while (0)
#define lockdep_assert_held(l) lockdep_assert(lockdep_is_held(l))

/* ---- RCU ------------------------------------------------------------- */

struct rcu_head {
	struct rcu_head *next;
	void (*func)(struct rcu_head *head);
};

extern int kc_rcu_depth;

static inline void rcu_read_lock(void) { kc_rcu_depth++; }
static inline void rcu_read_unlock(void)
{
	if (--kc_rcu_depth < 0)
		kc_error("rcu_read_unlock without rcu_read_lock");
}

/*
 * As with lockdep and CONFIG_PROVE_RCU: rcu_dereference() outside an RCU
 * read section, or rcu_dereference_protected() whose condition is false,
 * is reported ("suspicious RCU usage"). rcu_access_pointer() may be used
 * anywhere (its value is not to be dereferenced).
 */
#define rcu_dereference_check(p, c) ({					\
	if (!(c) && kc_rcu_depth <= 0)					\
		kc_error("suspicious rcu_dereference_check() usage "	\
			 "at %s:%d", __FILE__, __LINE__);		\
	READ_ONCE(p); })
#define rcu_dereference(p) rcu_dereference_check(p, 0)
/* a spin_lock_bh() section is an RCU read side too */
#define rcu_read_lock_bh_held() (kc_locks_held > 0 || kc_rcu_depth > 0)
#define rcu_dereference_protected(p, c) ({				\
	if (!(c))							\
		kc_error("suspicious rcu_dereference_protected() usage " \
			 "at %s:%d", __FILE__, __LINE__);		\
	(p); })
#define rcu_access_pointer(p) READ_ONCE(p)
#define rcu_assign_pointer(p, v) WRITE_ONCE(p, v)
#define RCU_INIT_POINTER(p, v) WRITE_ONCE(p, v)

/* Callbacks run at the next rcu_barrier()/synchronize_rcu(), in order. */
void call_rcu(struct rcu_head *head, void (*func)(struct rcu_head *head));
void rcu_barrier(void);
static inline void synchronize_rcu(void) { rcu_barrier(); }

/* ---- hash lists ------------------------------------------------------ */

struct hlist_head {
	struct hlist_node *first;
};

struct hlist_node {
	struct hlist_node *next, **pprev;
};

struct llist_node {
	struct llist_node *next;
};

#define LIST_POISON1 ((void *)0x100)
#define LIST_POISON2 ((void *)0x122)

static inline void INIT_HLIST_HEAD(struct hlist_head *h) { h->first = NULL; }
static inline bool hlist_empty(const struct hlist_head *h)
{
	return !READ_ONCE(h->first);
}
static inline bool hlist_unhashed(const struct hlist_node *n) { return !n->pprev; }

static inline void hlist_add_head(struct hlist_node *n, struct hlist_head *h)
{
	struct hlist_node *first = h->first;

	n->next = first;
	if (first)
		first->pprev = &n->next;
	n->pprev = &h->first;
	WRITE_ONCE(h->first, n);
}

/* Single-threaded: the publication order does not matter here. */
static inline void hlist_add_head_rcu(struct hlist_node *n,
				      struct hlist_head *h)
{
	hlist_add_head(n, h);
}

static inline void hlist_del_rcu(struct hlist_node *n)
{
	if (n->pprev == LIST_POISON2 || !n->pprev) {
		kc_error("hlist_del_rcu of a node that is not linked");
		return;
	}
	*n->pprev = n->next;
	if (n->next)
		n->next->pprev = n->pprev;
	/* like the kernel: ->next stays for readers walking past it */
	n->pprev = LIST_POISON2;
}

/* @new takes @old's place; readers walking see one or the other */
static inline void hlist_replace_rcu(struct hlist_node *old,
				     struct hlist_node *new)
{
	struct hlist_node *next = old->next;

	if (old->pprev == LIST_POISON2 || !old->pprev) {
		kc_error("hlist_replace_rcu of a node that is not linked");
		return;
	}
	new->next = next;
	new->pprev = old->pprev;
	WRITE_ONCE(*new->pprev, new);
	if (next)
		next->pprev = &new->next;
	old->pprev = LIST_POISON2;
}

static inline void hlist_del(struct hlist_node *n)
{
	hlist_del_rcu(n);
	n->next = LIST_POISON1;
}

#define hlist_entry(ptr, type, member) container_of(ptr, type, member)
#define hlist_entry_safe(ptr, type, member) ({			\
	struct hlist_node *__kc_p = (ptr);			\
	__kc_p ? hlist_entry(__kc_p, type, member) : NULL; })

#define hlist_for_each_entry(pos, head, member)				\
	for ((pos) = hlist_entry_safe((head)->first,			\
				      __typeof__(*(pos)), member);	\
	     (pos);							\
	     (pos) = hlist_entry_safe((pos)->member.next,		\
				      __typeof__(*(pos)), member))

/* the optional lockdep condition of the kernel's version is ignored */
#define hlist_for_each_entry_rcu(pos, head, member, ...)		\
	for ((pos) = hlist_entry_safe(READ_ONCE((head)->first),		\
				      __typeof__(*(pos)), member);	\
	     (pos);							\
	     (pos) = hlist_entry_safe(READ_ONCE((pos)->member.next),	\
				      __typeof__(*(pos)), member))

#define hlist_for_each_entry_safe(pos, n, head, member)			\
	for ((pos) = hlist_entry_safe((head)->first,			\
				      __typeof__(*(pos)), member);	\
	     (pos) && ({ (n) = (pos)->member.next; 1; });		\
	     (pos) = hlist_entry_safe((n), __typeof__(*(pos)), member))

/* ---- siphash (SipHash-2-4) ------------------------------------------- */

typedef struct {
	u64 key[2];
} siphash_key_t;

/*
 * SipHash-2-4 of a byte string; key->key[0] is k0, read little-endian.
 * napt itself uses hsiphash only: this is here because the published
 * SipHash test vectors are 2-4, and they check the core both share.
 */
u64 siphash(const void *data, size_t len, const siphash_key_t *key);

/*
 * hsiphash as on a 64-bit kernel: SipHash-1-3 (one round per word, three
 * at the end), same packing, the low 32 bits of the result.
 */
typedef struct {
	unsigned long key[2];
} hsiphash_key_t;

u32 hsiphash(const void *data, size_t len, const hsiphash_key_t *key);
u32 hsiphash_1u32(u32 a, const hsiphash_key_t *key);
u32 hsiphash_2u32(u32 a, u32 b, const hsiphash_key_t *key);
u32 hsiphash_3u32(u32 a, u32 b, u32 c, const hsiphash_key_t *key);
u32 hsiphash_4u32(u32 a, u32 b, u32 c, u32 d, const hsiphash_key_t *key);

/*
 * The SipHash round, for kcompat_hash.c and bench/bhash.c (both checked
 * against the kernel's test vectors). v0..v3 start as the key xor
 * "somepseudorandomlygeneratedbytes": KC_SIP_INIT0..3.
 */
static inline u64 kc_rotl64(u64 x, unsigned int b)
{
	return (x << b) | (x >> (64 - b));
}

#define KC_SIPROUND(v0, v1, v2, v3) do {				\
	v0 += v1; v1 = kc_rotl64(v1, 13); v1 ^= v0; v0 = kc_rotl64(v0, 32); \
	v2 += v3; v3 = kc_rotl64(v3, 16); v3 ^= v2;			\
	v0 += v3; v3 = kc_rotl64(v3, 21); v3 ^= v0;			\
	v2 += v1; v1 = kc_rotl64(v1, 17); v1 ^= v2; v2 = kc_rotl64(v2, 32); \
} while (0)
#define KC_SIP_INIT0 0x736f6d6570736575ULL
#define KC_SIP_INIT1 0x646f72616e646f6dULL
#define KC_SIP_INIT2 0x6c7967656e657261ULL
#define KC_SIP_INIT3 0x7465646279746573ULL

/* ---- workqueue, netns: only named by struct napt_net ----------------- */

struct delayed_work {
	int pending;
};
struct net;

/* ---- checksums (include/net/checksum.h, net/core/utils.c) ------------ */

#define CSUM_MANGLED_0 ((__force __sum16)0xffff)

static inline __wsum csum_add(__wsum csum, __wsum addend)
{
	u32 res = (__force u32)csum + (__force u32)addend;

	return (__force __wsum)(res + (res < (__force u32)addend));
}

static inline __wsum csum_sub(__wsum csum, __wsum addend)
{
	return csum_add(csum, (__force __wsum)~(__force u32)addend);
}

static inline __wsum csum_unfold(__sum16 n)
{
	return (__force __wsum)(__force u16)n;
}

/* one's complement sum of the two halves, complemented */
static inline __sum16 csum_fold(__wsum csum)
{
	u32 s = (__force u32)csum;

	s = (s & 0xffff) + (s >> 16);
	s = (s & 0xffff) + (s >> 16);
	return (__force __sum16)(u16)~s;
}

static inline void csum_replace4(__sum16 *sum, __be32 from, __be32 to)
{
	__wsum t = csum_sub((__force __wsum)~(__force u32)csum_unfold(*sum),
			    (__force __wsum)from);

	*sum = csum_fold(csum_add(t, (__force __wsum)to));
}

static inline __sum16 csum16_add(__sum16 csum, __be16 addend)
{
	u16 res = (__force u16)csum;

	res += (__force u16)addend;
	return (__force __sum16)(u16)(res + (res < (__force u16)addend));
}

static inline __sum16 csum16_sub(__sum16 csum, __be16 addend)
{
	return csum16_add(csum, (__force __be16)(u16)~(__force u16)addend);
}

static inline void csum_replace2(__sum16 *sum, __be16 old, __be16 new)
{
	*sum = (__force __sum16)(u16)~(__force u16)csum16_add(
		csum16_sub((__force __sum16)(u16)~(__force u16)*sum, old), new);
}

struct sk_buff;
void inet_proto_csum_replace4(__sum16 *sum, struct sk_buff *skb,
			      __be32 from, __be32 to, bool pseudohdr);

static inline void inet_proto_csum_replace2(__sum16 *sum,
					    struct sk_buff *skb, __be16 from,
					    __be16 to, bool pseudohdr)
{
	inet_proto_csum_replace4(sum, skb, (__force __be32)(__force u32)from,
				 (__force __be32)(__force u32)to, pseudohdr);
}

/* ---- sk_buff: the subset xlate.c uses -------------------------------- */

#define CHECKSUM_NONE		0
#define CHECKSUM_UNNECESSARY	1
#define CHECKSUM_COMPLETE	2
#define CHECKSUM_PARTIAL	3

#define NF_DROP		0
#define NF_ACCEPT	1

/* include/net/ip.h */
#define IP_CE		0x8000
#define IP_DF		0x4000
#define IP_MF		0x2000
#define IP_OFFSET	0x1FFF

/*
 * The first len - data_len bytes are linear at ->data (an allocation of
 * exactly that size, so ASan sees any access past the head); the rest is
 * "paged": held apart in ->kc_frag, reachable only through
 * skb_header_pointer() or after a pull (skb_ensure_writable()).
 */
struct sk_buff {
	unsigned char *head;
	unsigned char *data;
	unsigned int len;
	unsigned int data_len;
	u16 network_header;	/* offset from head */
	u8 ip_summed;
	__wsum csum;
	u32 mark;
	unsigned char *kc_frag;	/* the paged bytes, data_len of them */
};

static inline unsigned int skb_headlen(const struct sk_buff *skb)
{
	return skb->len - skb->data_len;
}

static inline unsigned char *skb_network_header(const struct sk_buff *skb)
{
	return skb->head + skb->network_header;
}

static inline int skb_network_offset(const struct sk_buff *skb)
{
	return skb_network_header(skb) - skb->data;
}

static inline struct iphdr *ip_hdr(const struct sk_buff *skb)
{
	return (struct iphdr *)skb_network_header(skb);
}

static inline unsigned int ip_hdrlen(const struct sk_buff *skb)
{
	return ip_hdr(skb)->ihl * 4;
}

static inline bool ip_is_fragment(const struct iphdr *iph)
{
	return (iph->frag_off & htons(IP_MF | IP_OFFSET)) != 0;
}

int skb_copy_bits(const struct sk_buff *skb, int offset, void *to, int len);
__wsum skb_checksum(const struct sk_buff *skb, int offset, int len,
		    __wsum csum);

/* The one's complement sum of 16-bit words in memory order, as csum_partial() */
static inline __wsum kc_csum_bytes(const void *data, size_t len, __wsum sum)
{
	const unsigned char *b = data;
	u64 acc = (__force u32)sum;
	size_t i;

	for (i = 0; i + 1 < len; i += 2) {
		u16 w;

		memcpy(&w, b + i, 2);
		acc += w;
	}
	if (len & 1) {
		u16 w = 0;

		memcpy(&w, b + len - 1, 1);	/* the low-address byte */
		acc += w;
	}
	while (acc >> 32)
		acc = (acc & 0xffffffffu) + (acc >> 32);
	return (__force __wsum)(u32)acc;
}

static inline __sum16 ip_fast_csum(const void *iph, unsigned int ihl)
{
	return csum_fold(kc_csum_bytes(iph, 4 * ihl, 0));
}

static inline void *__must_check skb_header_pointer(const struct sk_buff *skb,
						    int offset, int len,
						    void *buffer)
{
	if ((int)skb_headlen(skb) - offset >= len)
		return skb->data + offset;
	if (skb_copy_bits(skb, offset, buffer, len) < 0)
		return NULL;
	return buffer;
}

bool pskb_may_pull(struct sk_buff *skb, unsigned int len);
int skb_ensure_writable(struct sk_buff *skb, unsigned int write_len);

/* ---- test control ---------------------------------------------------- */

/* Reset every fake: clock, PRNG (seeded), sockets, counters, injections. */
void kc_reset(u64 seed);
void kc_seed(u64 seed);
void kc_advance(u32 seconds);

/* live objects: allocated and not yet really freed */
extern long kc_live_maps, kc_live_sess, kc_live_kv, kc_live_st, kc_live_km;
extern long kc_rcu_pending;
/* calls of napt_port_has_socket(): one per port candidate tried */
extern unsigned long kc_socket_calls;
extern unsigned long kc_hash_calls;	/* kcompat_hash.c only */
/* failure injection: the n-th next call fails (0: never) */
extern unsigned int kc_fail_map_alloc, kc_fail_sess_alloc, kc_fail_kvcalloc,
	kc_fail_pull, kc_fail_static_alloc, kc_fail_kmalloc;

/*
 * napt_event() calls, in order. The first KC_EVENTS_MAX are kept; every
 * one is counted in kc_nevents.
 */
struct kc_event {
	u8 event, reason;
	u8 proto;		/* ev->proto */
	u8 type;		/* ev->type */
	bool m_null;		/* !ev->has_ext: no external endpoint */
	__be32 int_addr;	/* ev->int_addr */
	__be16 int_port;	/* ev->int_port */
	__be32 ext_addr;	/* ev->ext_addr, or 0 */
	__be16 ext_port;	/* ev->ext_port, or 0 */
	int locks_held;		/* spinlocks held by the caller */
};
#define KC_EVENTS_MAX 1024
extern struct kc_event kc_events[KC_EVENTS_MAX];
extern unsigned int kc_nevents;

/* napt_icmp_unreach(): calls, and the first 64 bytes of the last skb */
#define KC_PKT_COPY 64
extern unsigned int kc_unreach_calls;
extern u8 kc_unreach_pkt[KC_PKT_COPY];

/* napt_synhold_kick(): calls and the last delay (jiffies) */
extern unsigned int kc_synhold_kicks;
extern unsigned long kc_synhold_delay;

/*
 * napt_reroute(): calls, the last daddr, the first 64 bytes of the skb as
 * it was at the call, and what it returns (0, or set an error).
 */
extern unsigned int kc_reroute_calls;
extern __be32 kc_reroute_daddr;
extern u8 kc_reroute_pkt[KC_PKT_COPY];
extern int kc_reroute_ret;

/* the gateway's sockets: (proto, port) busy on every address */
void kc_socket_set(u8 proto, u16 port, bool busy);

/* skb made from @len bytes of which the first @headlen are linear */
struct sk_buff *kc_skb_new(const void *pkt, unsigned int len,
			   unsigned int headlen);
/* copy the whole packet out (at most @max bytes); returns skb->len */
unsigned int kc_skb_read(const struct sk_buff *skb, void *buf,
			 unsigned int max);
void kc_skb_free(struct sk_buff *skb);

/*
 * Between the shim's own files: kcompat.c (shared by tests/unit and
 * bench), the allocators (kcompat_alloc.c, bench/balloc.c) and the hashes
 * (kcompat_hash.c, bench/bhash.c). Not for the tests.
 */
/* whether the call a failure-injection countdown is at fails */
bool kc_inject(unsigned int *countdown);
/* malloc() that aborts instead of returning NULL */
void *kc_xmalloc(size_t n);

#endif /* _NAPT_KCOMPAT_H */
