// SPDX-License-Identifier: GPL-2.0
/*
 * kcompat.c: the userspace stand-ins for the kernel (see kcompat.h) and the
 * environment functions napt.h leaves to its host: local sockets; events,
 * ICMP 3/13 answers and rerouting, recorded for the tests to look at.
 *
 * The unit tests and the benchmarks (bench/) both link this file. Apart
 * are only the allocator (kcompat_alloc.c, checked; bench/balloc.c,
 * malloc) and the table hash (kcompat_hash.c, from the definition;
 * bench/bhash.c, word at a time, or a jhash what-if).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "napt.h"

unsigned long kc_errors;
bool kc_quiet;
int kc_locks_held;
bool kc_lockdep_off;
void (*kc_lock_hook)(spinlock_t *l);
int kc_rcu_depth;
unsigned long jiffies = INITIAL_JIFFIES;

long kc_live_maps, kc_live_sess, kc_live_kv, kc_live_st, kc_live_km;
long kc_rcu_pending;
unsigned long kc_socket_calls;
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
bool kc_inject(unsigned int *countdown)
{
	return *countdown && --*countdown == 0;
}

/* ---- memory (the allocators are kcompat_alloc.c, bench/balloc.c) ----- */

void *kc_xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (!p) {
		fputs("kcompat: out of memory\n", stderr);
		abort();
	}
	return p;
}

struct mem_cgroup *kc_active_memcg;

/* ---- locks ----------------------------------------------------------- */

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

/* ---- the environment of table.c: sockets ----------------------------- */

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
	kc_lockdep_off = false;
	kc_rcu_depth = 0;
	kc_lock_hook = NULL;
	kc_active_memcg = NULL;
}
