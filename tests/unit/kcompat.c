// SPDX-License-Identifier: GPL-2.0
/*
 * kcompat.c: the userspace stand-ins for the kernel (see kcompat.h) and the
 * environment functions napt.h leaves to its host: local sockets; the
 * allocation of mappings, sessions and static-mapping data; events, ICMP
 * 3/13 answers and rerouting, recorded for the tests to look at.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "napt.h"

unsigned long kc_errors;
bool kc_quiet;
int kc_locks_held;
void (*kc_lock_hook)(spinlock_t *l);
int kc_rcu_depth;
unsigned long jiffies = INITIAL_JIFFIES;

long kc_live_maps, kc_live_sess, kc_live_kv, kc_live_st, kc_live_km;
long kc_rcu_pending;
unsigned long kc_socket_calls;
unsigned long kc_hash_calls;	/* table hashes (hsiphash) computed */
unsigned int kc_fail_map_alloc, kc_fail_sess_alloc, kc_fail_kvcalloc,
	kc_fail_pull, kc_fail_static_alloc, kc_fail_kmalloc;

struct kc_event kc_events[KC_EVENTS_MAX];
unsigned int kc_nevents;
unsigned int kc_unreach_calls;
unsigned int kc_synhold_kicks;
unsigned long kc_synhold_delay;
u8 kc_unreach_pkt[KC_PKT_COPY];
unsigned int kc_reroute_calls;
__be32 kc_reroute_daddr;
u8 kc_reroute_pkt[KC_PKT_COPY];
int kc_reroute_ret;

void kc_error(const char *fmt, ...)
{
	va_list ap;

	kc_errors++;
	if (kc_quiet)
		return;
	fputs("    kcompat: ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

/* Whether the call that a countdown of failure injection is at fails. */
static bool kc_inject(unsigned int *countdown)
{
	return *countdown && --*countdown == 0;
}

/* ---- memory ---------------------------------------------------------- */

static void *kc_xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (!p) {
		fputs("kcompat: out of memory\n", stderr);
		abort();
	}
	return p;
}

/*
 * Objects carry a header that tells whether they were handed to RCU:
 * a second free is reported instead of corrupting the callback list.
 * Fresh objects are filled with garbage, as a slab object would be.
 * Every live object is on one list, so that a pointer can be checked
 * to be one before it is freed.
 */
#define KC_OBJ_LIVE	0x4c495645UL
#define KC_OBJ_QUEUED	0x51554555UL
#define KC_POISON_ALLOC	0xa5
#define KC_POISON_FREE	0x6b

struct kc_obj {
	struct kc_obj *next, *prev;
	unsigned long state;
	unsigned long size;	/* keeps the object 16-byte aligned */
};

static struct kc_obj kc_objs = { &kc_objs, &kc_objs, 0, 0 };

static void *kc_obj_alloc(size_t size)
{
	struct kc_obj *o = kc_xmalloc(sizeof(*o) + size);

	o->state = KC_OBJ_LIVE;
	o->size = size;
	o->next = kc_objs.next;
	o->prev = &kc_objs;
	kc_objs.next->prev = o;
	kc_objs.next = o;
	memset(o + 1, KC_POISON_ALLOC, size);
	return o + 1;
}

/* Whether @p is a live (not yet freed or queued) object. */
static bool kc_obj_is_live(const void *p)
{
	const struct kc_obj *o;

	for (o = kc_objs.next; o != &kc_objs; o = o->next)
		if (o + 1 == p)
			return o->state == KC_OBJ_LIVE;
	return false;
}

static bool kc_obj_queue(void *p, const char *what)
{
	struct kc_obj *o = (struct kc_obj *)p - 1;

	if (!kc_obj_is_live(p)) {
		kc_error("%s freed twice (or never allocated)", what);
		return false;
	}
	o->state = KC_OBJ_QUEUED;
	return true;
}

static void kc_obj_free(void *p)
{
	struct kc_obj *o = (struct kc_obj *)p - 1;

	o->prev->next = o->next;
	o->next->prev = o->prev;
	memset(o, KC_POISON_FREE, sizeof(*o) + o->size);
	free(o);
}


struct mem_cgroup *kc_active_memcg;

/* An allocation the instance makes must be charged to its cgroup. */
static void kc_charged(const char *what, unsigned int gfp)
{
	if (!(gfp & __GFP_ACCOUNT) || !kc_active_memcg)
		kc_error("%s charged to no memory cgroup (gfp %#x, %s)", what,
			 gfp, kc_active_memcg ? "in napt_memcg_enter()" :
			 "outside napt_memcg_enter()");
}

void *kvcalloc(size_t n, size_t size, unsigned int gfp)
{
	void *p;

	kc_charged("kvcalloc", gfp);
	if (kc_inject(&kc_fail_kvcalloc))
		return NULL;
	p = calloc(n, size);
	if (p)
		kc_live_kv++;
	return p;
}

void kvfree(const void *p)
{
	if (!p)
		return;
	kc_live_kv--;
	free((void *)p);
}

void *kmalloc(size_t size, unsigned int gfp)
{
	kc_charged("kmalloc", gfp);
	if (kc_inject(&kc_fail_kmalloc))
		return NULL;
	kc_live_km++;
	return kc_obj_alloc(size);
}

void *kzalloc(size_t size, unsigned int gfp)
{
	void *p = kmalloc(size, gfp);

	if (p)
		memset(p, 0, size);
	return p;
}

void kfree(const void *p)
{
	if (!p)
		return;
	if (!kc_obj_is_live(p)) {
		kc_error("kfree of %p: freed twice or never allocated", p);
		return;
	}
	kc_live_km--;
	kc_obj_free((void *)p);
}

/*
 * Lock classes: the locks held now, and every "class A held while class
 * B taken" seen in this run (what lockdep keeps as dependencies).
 */
#define KC_HELD_MAX	16
#define KC_DEPS_MAX	128

static struct {
	spinlock_t *lock;
	int subclass;
} kc_held[KC_HELD_MAX];
static unsigned int kc_nheld;
static struct {
	const struct lock_class_key *a, *b;
} kc_deps[KC_DEPS_MAX];
static unsigned int kc_ndeps;

static const char *kc_class_name(const struct lock_class_key *k)
{
	return k && k->name ? k->name : "?";
}

static bool kc_dep_seen(const struct lock_class_key *a,
			const struct lock_class_key *b)
{
	unsigned int i;

	for (i = 0; i < kc_ndeps; i++)
		if (kc_deps[i].a == a && kc_deps[i].b == b)
			return true;
	return false;
}

void kc_lock_acquire(spinlock_t *l, int subclass)
{
	unsigned int i;

	for (i = 0; i < kc_nheld; i++) {
		const struct lock_class_key *h = kc_held[i].lock->key;

		if (h == l->key) {
			if (kc_held[i].subclass == subclass)
				kc_error("possible recursive locking: class %s taken while held",
					 kc_class_name(h));
			continue;
		}
		if (kc_dep_seen(l->key, h))
			kc_error("possible circular locking: %s -> %s, seen %s -> %s before",
				 kc_class_name(h), kc_class_name(l->key),
				 kc_class_name(l->key), kc_class_name(h));
		else if (!kc_dep_seen(h, l->key) && kc_ndeps < KC_DEPS_MAX) {
			kc_deps[kc_ndeps].a = h;
			kc_deps[kc_ndeps].b = l->key;
			kc_ndeps++;
		}
	}
	if (kc_nheld < KC_HELD_MAX) {
		kc_held[kc_nheld].lock = l;
		kc_held[kc_nheld].subclass = subclass;
		kc_nheld++;
	}
}

void kc_lock_release(spinlock_t *l)
{
	unsigned int i;

	for (i = kc_nheld; i-- > 0;) {
		if (kc_held[i].lock == l) {
			memmove(&kc_held[i], &kc_held[i + 1],
				(kc_nheld - i - 1) * sizeof(kc_held[0]));
			kc_nheld--;
			return;
		}
	}
}

/* The hook runs once per lock taken, never inside itself. */
void kc_lock_hook_call(spinlock_t *l)
{
	static bool running;
	void (*hook)(spinlock_t *l) = kc_lock_hook;

	if (running || !hook)
		return;
	running = true;
	hook(l);
	running = false;
}

/* ---- time and randomness --------------------------------------------- */

static u64 kc_rng;

void kc_seed(u64 seed)
{
	kc_rng = seed;
}

/* splitmix64: a Weyl sequence through a 64-bit mixer */
static u64 kc_rand64(void)
{
	u64 z = (kc_rng += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

void get_random_bytes(void *buf, size_t len)
{
	unsigned char *p = buf;

	while (len) {
		u64 r = kc_rand64();
		size_t n = len < sizeof(r) ? len : sizeof(r);

		memcpy(p, &r, n);
		p += n;
		len -= n;
	}
}

u32 get_random_u32(void)
{
	return (u32)(kc_rand64() >> 32);
}

/* uniform in [0, ceil): multiply, and reject the biased low products */
u32 get_random_u32_below(u32 ceil)
{
	u64 m;

	if (!ceil) {
		kc_error("get_random_u32_below(0)");
		return 0;
	}
	for (;;) {
		m = (u64)get_random_u32() * ceil;
		if ((u32)m >= (u32)-ceil % ceil)
			return (u32)(m >> 32);
	}
}

void kc_advance(u32 seconds)
{
	jiffies += (unsigned long)seconds * HZ;
}

/* ---- RCU: callbacks wait for an explicit grace period ----------------- */

static struct rcu_head *kc_rcu_first, **kc_rcu_last = &kc_rcu_first;

void call_rcu(struct rcu_head *head, void (*func)(struct rcu_head *head))
{
	head->next = NULL;
	head->func = func;
	*kc_rcu_last = head;
	kc_rcu_last = &head->next;
	kc_rcu_pending++;
}

void rcu_barrier(void)
{
	if (kc_rcu_depth)
		kc_error("grace period waited for inside rcu_read_lock()");
	while (kc_rcu_first) {
		struct rcu_head *h = kc_rcu_first;

		kc_rcu_first = h->next;
		if (!kc_rcu_first)
			kc_rcu_last = &kc_rcu_first;
		kc_rcu_pending--;
		h->func(h);
	}
}

/* ---- siphash: SipHash-2-4 as the paper defines it, hsiphash: ----------
 * SipHash-1-3, what the kernel's hsiphash is on 64-bit (lib/siphash.c)
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

static u64 kc_le64(const unsigned char *p, size_t n)
{
	u64 w = 0;
	size_t i;

	for (i = 0; i < n; i++)
		w |= (u64)p[i] << (8 * i);
	return w;
}

/*
 * SipHash-c-d of a byte string: @c rounds per message word, @d rounds at
 * the end. k0 and k1 are the key's two 64-bit words.
 */
static u64 kc_sip(const void *data, size_t len, u64 k0, u64 k1,
		  unsigned int c, unsigned int d)
{
	const unsigned char *p = data;
	u64 v0 = k0 ^ 0x736f6d6570736575ULL;
	u64 v1 = k1 ^ 0x646f72616e646f6dULL;
	u64 v2 = k0 ^ 0x6c7967656e657261ULL;
	u64 v3 = k1 ^ 0x7465646279746573ULL;
	size_t left = len;
	unsigned int i;
	u64 m;

	/* full 8-byte words, then the last one with the length on top */
	for (; left >= 8; left -= 8, p += 8) {
		m = kc_le64(p, 8);
		v3 ^= m;
		for (i = 0; i < c; i++)
			KC_SIPROUND(v0, v1, v2, v3);
		v0 ^= m;
	}
	m = kc_le64(p, left) | ((u64)(len & 0xff) << 56);
	v3 ^= m;
	for (i = 0; i < c; i++)
		KC_SIPROUND(v0, v1, v2, v3);
	v0 ^= m;
	v2 ^= 0xff;
	for (i = 0; i < d; i++)
		KC_SIPROUND(v0, v1, v2, v3);
	return v0 ^ v1 ^ v2 ^ v3;
}

u64 siphash(const void *data, size_t len, const siphash_key_t *key)
{
	return kc_sip(data, len, key->key[0], key->key[1], 2, 4);
}

u32 hsiphash(const void *data, size_t len, const hsiphash_key_t *key)
{
	return (u32)kc_sip(data, len, key->key[0], key->key[1], 1, 3);
}

/* @n 32-bit words as the little-endian bytes the kernel's hsiphash_Nu32 hash */
static size_t kc_words_le(unsigned char buf[16], const u32 *w, unsigned int n)
{
	unsigned int i, j;

	for (i = 0; i < n; i++)
		for (j = 0; j < 4; j++)
			buf[4 * i + j] = (unsigned char)(w[i] >> (8 * j));
	return 4 * n;
}

static u32 kc_hsiphash_words(const u32 *w, unsigned int n,
			     const hsiphash_key_t *key)
{
	unsigned char buf[16];

	kc_hash_calls++;
	return hsiphash(buf, kc_words_le(buf, w, n), key);
}

u32 hsiphash_1u32(u32 a, const hsiphash_key_t *key)
{
	const u32 w[] = { a };

	return kc_hsiphash_words(w, 1, key);
}

u32 hsiphash_2u32(u32 a, u32 b, const hsiphash_key_t *key)
{
	const u32 w[] = { a, b };

	return kc_hsiphash_words(w, 2, key);
}

u32 hsiphash_3u32(u32 a, u32 b, u32 c, const hsiphash_key_t *key)
{
	const u32 w[] = { a, b, c };

	return kc_hsiphash_words(w, 3, key);
}

u32 hsiphash_4u32(u32 a, u32 b, u32 c, u32 d, const hsiphash_key_t *key)
{
	const u32 w[] = { a, b, c, d };

	return kc_hsiphash_words(w, 4, key);
}

/* ---- checksums ------------------------------------------------------- */

/*
 * As net/core/utils.c: with CHECKSUM_PARTIAL the field holds the folded
 * pseudo-header sum (the device adds the rest), so only a pseudo-header
 * field changes it; otherwise the field is updated and, for
 * CHECKSUM_COMPLETE, so is skb->csum by what the field changed.
 */
void inet_proto_csum_replace4(__sum16 *sum, struct sk_buff *skb,
			      __be32 from, __be32 to, bool pseudohdr)
{
	if (skb->ip_summed != CHECKSUM_PARTIAL) {
		csum_replace4(sum, from, to);
		if (skb->ip_summed == CHECKSUM_COMPLETE && pseudohdr)
			skb->csum = (__force __wsum)~(__force u32)csum_add(
				csum_sub((__force __wsum)~(__force u32)skb->csum,
					 (__force __wsum)from),
				(__force __wsum)to);
	} else if (pseudohdr) {
		*sum = (__force __sum16)(u16)~(__force u16)csum_fold(
			csum_add(csum_sub(csum_unfold(*sum),
					  (__force __wsum)from),
				 (__force __wsum)to));
	}
}

/* ---- sk_buff --------------------------------------------------------- */

struct sk_buff *kc_skb_new(const void *pkt, unsigned int len,
			   unsigned int headlen)
{
	struct sk_buff *skb = kc_xmalloc(sizeof(*skb));

	if (headlen > len)
		headlen = len;
	memset(skb, 0, sizeof(*skb));
	skb->head = kc_xmalloc(headlen);
	skb->data = skb->head;
	skb->len = len;
	skb->data_len = len - headlen;
	skb->network_header = 0;
	skb->ip_summed = CHECKSUM_NONE;
	memcpy(skb->head, pkt, headlen);
	skb->kc_frag = kc_xmalloc(skb->data_len);
	memcpy(skb->kc_frag, (const unsigned char *)pkt + headlen,
	       skb->data_len);
	return skb;
}

unsigned int kc_skb_read(const struct sk_buff *skb, void *buf,
			 unsigned int max)
{
	unsigned int hl = skb_headlen(skb), n;

	n = hl < max ? hl : max;
	memcpy(buf, skb->data, n);
	if (max > hl) {
		unsigned int m = max - hl < skb->data_len ? max - hl :
							   skb->data_len;

		memcpy((unsigned char *)buf + hl, skb->kc_frag, m);
	}
	return skb->len;
}

void kc_skb_free(struct sk_buff *skb)
{
	if (!skb)
		return;
	free(skb->head);
	free(skb->kc_frag);
	free(skb);
}

int skb_copy_bits(const struct sk_buff *skb, int offset, void *to, int len)
{
	int hl = (int)skb_headlen(skb), copy;
	unsigned char *out = to;

	if (offset < 0) {
		kc_error("skb_copy_bits: negative offset %d", offset);
		return -EFAULT;
	}
	if (len < 0 || offset > (int)skb->len - len)
		return -EFAULT;
	copy = hl - offset;
	if (copy > 0) {
		if (copy > len)
			copy = len;
		memcpy(out, skb->data + offset, copy);
		out += copy;
		offset += copy;
		len -= copy;
	}
	if (len > 0)
		memcpy(out, skb->kc_frag + (offset - hl), len);
	return 0;
}

__wsum skb_checksum(const struct sk_buff *skb, int offset, int len,
		    __wsum csum)
{
	unsigned char *buf;
	__wsum sum;

	if (len < 0 || !(buf = malloc(len ? len : 1)))
		return csum;
	if (skb_copy_bits(skb, offset, buf, len)) {
		kc_error("skb_checksum beyond the packet: %d+%d", offset, len);
		free(buf);
		return csum;
	}
	sum = kc_csum_bytes(buf, len, csum);
	free(buf);
	return sum;
}

/* Make the first @len bytes linear; the old head goes away (ASan sees
 * any pointer into it used afterwards). */
bool pskb_may_pull(struct sk_buff *skb, unsigned int len)
{
	unsigned int hl = skb_headlen(skb), room = skb->data - skb->head;
	unsigned char *head, *frag;
	unsigned int pull;

	if (len <= hl)
		return true;
	if (len > skb->len)
		return false;
	if (kc_inject(&kc_fail_pull))
		return false;
	pull = len - hl;
	head = kc_xmalloc(room + len);
	memcpy(head, skb->head, room + hl);
	memcpy(head + room + hl, skb->kc_frag, pull);
	frag = kc_xmalloc(skb->data_len - pull);
	memcpy(frag, skb->kc_frag + pull, skb->data_len - pull);
	free(skb->head);
	free(skb->kc_frag);
	skb->head = head;
	skb->data = head + room;
	skb->kc_frag = frag;
	skb->data_len -= pull;
	return true;
}

int skb_ensure_writable(struct sk_buff *skb, unsigned int write_len)
{
	if (!pskb_may_pull(skb, write_len))
		return -ENOMEM;
	return 0;	/* never cloned here */
}

/* ---- the environment of table.c: sockets and object allocation ------- */

static bool kc_busy[2][65536];

void kc_socket_set(u8 proto, u16 port, bool busy)
{
	if (proto == IPPROTO_UDP)
		kc_busy[0][port] = busy;
	else if (proto == IPPROTO_TCP)
		kc_busy[1][port] = busy;
}

bool napt_port_has_socket(struct napt_net *nn, u8 proto, __be32 addr,
			  __be16 port, __be32 rem_addr, __be16 rem_port)
{
	(void)nn;
	(void)addr;
	(void)rem_addr;
	(void)rem_port;
	kc_socket_calls++;
	switch (proto) {
	case IPPROTO_UDP:
		return kc_busy[0][ntohs(port)];
	case IPPROTO_TCP:
		return kc_busy[1][ntohs(port)];
	}
	return false;
}


/*
 * A mapping has no rcu_head (kmod/main.c queues it through its unused
 * back pointers); here one follows it in the same allocation.
 */
struct kc_map {
	struct napt_map m;
	struct rcu_head rcu;
};

struct napt_map *napt_map_alloc(void)
{
	struct kc_map *km;

	/* the kernel's cache is SLAB_ACCOUNT */
	kc_charged("napt_map_alloc", __GFP_ACCOUNT);
	if (kc_inject(&kc_fail_map_alloc))
		return NULL;
	kc_live_maps++;
	km = kc_obj_alloc(sizeof(*km));
	return &km->m;
}

static void kc_static_free_now(struct napt_static *st);

/* As kmod/main.c: the mapping's napt_static goes with it. */
static void kc_map_free_cb(struct rcu_head *h)
{
	struct napt_map *m = &container_of(h, struct kc_map, rcu)->m;
	struct napt_static *st = rcu_dereference_protected(m->st, true);

	if (st) {
		if (kc_obj_is_live(st))
			kc_static_free_now(st);
		else
			kc_error("mapping freed with a stale ->st %p", st);
	}
	kc_live_maps--;
	kc_obj_free(m);
}

void napt_map_free_rcu(struct napt_map *m)
{
	struct kc_map *km = container_of(m, struct kc_map, m);

	if (!kc_obj_queue(km, "mapping"))
		return;
	/*
	 * What kmod/main.c stores there: the back pointers are the free
	 * list's from now on, so a reader that still used them would see
	 * this (and ASan or a wrong walk would tell).
	 */
	m->free_gp = 0x6b6b6b6b6b6b6b6bUL;
	m->free_link.next = (struct llist_node *)0x6b6b6b6b6b6b6b6bUL;
	call_rcu(&km->rcu, kc_map_free_cb);
}

struct napt_xsess *napt_sess_alloc(void)
{
	kc_charged("napt_sess_alloc", __GFP_ACCOUNT);
	if (kc_inject(&kc_fail_sess_alloc))
		return NULL;
	kc_live_sess++;
	return kc_obj_alloc(sizeof(struct napt_xsess));
}

static void kc_sess_free_cb(struct rcu_head *h)
{
	kc_live_sess--;
	kc_obj_free(container_of(h, struct napt_xsess, rcu));
}

void napt_sess_free_rcu(struct napt_xsess *x)
{
	if (kc_obj_queue(x, "session"))
		call_rcu(&x->rcu, kc_sess_free_cb);
}

struct napt_static *napt_static_alloc(void)
{
	kc_charged("napt_static_alloc", GFP_KERNEL_ACCOUNT);
	if (kc_inject(&kc_fail_static_alloc))
		return NULL;
	kc_live_st++;
	return kc_obj_alloc(sizeof(struct napt_static));
}

static void kc_static_free_now(struct napt_static *st)
{
	kc_live_st--;
	kc_obj_free(st);
}

static void kc_static_free_cb(struct rcu_head *h)
{
	kc_static_free_now(container_of(h, struct napt_static, rcu));
}

void napt_static_free_rcu(struct napt_static *st)
{
	if (kc_obj_queue(st, "napt_static"))
		call_rcu(&st->rcu, kc_static_free_cb);
}

/* ---- the environment of table.c and xlate.c: events, ICMP, routing --- */

void napt_event(struct napt_net *nn, const struct napt_ev *ev, u8 event,
		u8 reason)
{
	struct kc_event *e;

	(void)nn;
	if (!ev) {
		kc_error("napt_event without an event");
		return;
	}
	if (kc_nevents++ >= KC_EVENTS_MAX)
		return;
	e = &kc_events[kc_nevents - 1];
	memset(e, 0, sizeof(*e));
	e->event = event;
	e->reason = reason;
	e->proto = ev->proto;
	e->type = ev->type;
	e->int_addr = ev->int_addr;
	e->int_port = ev->int_port;
	e->m_null = !ev->has_ext;
	e->locks_held = kc_locks_held;
	if (ev->has_ext) {
		e->ext_addr = ev->ext_addr;
		e->ext_port = ev->ext_port;
	}
}

void napt_icmp_unreach(struct sk_buff *skb)
{
	kc_unreach_calls++;
	memset(kc_unreach_pkt, 0, sizeof(kc_unreach_pkt));
	kc_skb_read(skb, kc_unreach_pkt, skb->len < KC_PKT_COPY ? skb->len :
		    KC_PKT_COPY);
}

void napt_synhold_kick(struct napt_net *nn, unsigned long delay)
{
	(void)nn;
	kc_synhold_kicks++;
	kc_synhold_delay = delay;
}

int napt_reroute(struct sk_buff *skb, __be32 daddr)
{
	kc_reroute_calls++;
	kc_reroute_daddr = daddr;
	memset(kc_reroute_pkt, 0, sizeof(kc_reroute_pkt));
	kc_skb_read(skb, kc_reroute_pkt, skb->len < KC_PKT_COPY ? skb->len :
		    KC_PKT_COPY);
	return kc_reroute_ret;
}

/* ---- reset ----------------------------------------------------------- */

void kc_reset(u64 seed)
{
	rcu_barrier();
	kc_seed(seed);
	jiffies = INITIAL_JIFFIES;
	memset(kc_busy, 0, sizeof(kc_busy));
	kc_socket_calls = 0;
	kc_fail_map_alloc = kc_fail_sess_alloc = kc_fail_kvcalloc = 0;
	kc_fail_pull = 0;
	kc_fail_static_alloc = kc_fail_kmalloc = 0;
	kc_nevents = 0;
	kc_unreach_calls = 0;
	memset(kc_unreach_pkt, 0, sizeof(kc_unreach_pkt));
	kc_synhold_kicks = 0;
	kc_synhold_delay = 0;
	kc_reroute_calls = 0;
	kc_reroute_daddr = 0;
	kc_reroute_ret = 0;
	memset(kc_reroute_pkt, 0, sizeof(kc_reroute_pkt));
	kc_errors = 0;
	kc_quiet = false;
	kc_locks_held = 0;
	kc_nheld = 0;
	kc_rcu_depth = 0;
	kc_lock_hook = NULL;
	kc_active_memcg = NULL;
}
