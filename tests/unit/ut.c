// SPDX-License-Identifier: GPL-2.0
/*
 * ut.c: the test runner and the shared helpers of the unit tests.
 *
 *   unit.bin [SUBSTRING]   run the cases whose name contains SUBSTRING
 *   UT_SEED=n unit.bin     vary every case's random seed
 *
 * The last line printed is "N passed, M failed"; the exit status is 1 if
 * any case failed.
 */
#include <stdarg.h>

#include "ut.h"

unsigned int ut_case_failures;
static const char *ut_case_name;

void ut_fail(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	ut_case_failures++;
	printf("    %s:%d: %s: ", file, line, ut_case_name);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

/* ---- instances ------------------------------------------------------- */

/* The kernel's own defaults (kmod/table.c), as a fresh instance has them. */
void ut_cfg_defaults(struct napt_cfg *cfg)
{
	napt_cfg_defaults(cfg);
}

void ut_ports_sync(struct ut_nat *t, const struct napt_cfg *cfg)
{
	mutex_lock(&t->nn.lock);
	napt_ports_sync(&t->nn, cfg);
	mutex_unlock(&t->nn.lock);
}

struct ut_nat *ut_nat_new(u32 max_maps, u32 max_sess)
{
	struct ut_nat *t = calloc(1, sizeof(*t));
	struct mem_cgroup *memcg;
	int ret;

	if (!t)
		return NULL;
	ut_cfg_defaults(&t->cfg);
	if (max_maps)
		t->cfg.max_maps = max_maps;
	if (max_sess)
		t->cfg.max_sess = max_sess;
	/*
	 * The cases take a freed port back at once unless they test the
	 * delay (the instance's own copy, as napt_up() would set it, stays 0
	 * from calloc as well).
	 */
	t->cfg.reuse_delay = 0;
	t->cfg.ext_ifindex = 2;
	t->cfg.n_ext = 1;
	t->cfg.ext[0] = EXT1;
	t->cfg.n_int = 1;
	t->cfg.int_nets[0].addr = ip4(192, 168, 1, 0);
	t->cfg.int_nets[0].mask = htonl(0xffffff00);
	t->cfg.int_nets[0].len = 24;
	t->nn.stats = &t->stats;
	spin_lock_init(&t->synhold.lock);
	t->nn.synhold = &t->synhold;
	t->nn.memcg = &t->memcg;
	memcg = napt_memcg_enter(&t->nn);	/* as napt_up() */
	ret = napt_table_init(&t->nn, t->cfg.max_maps, t->cfg.max_sess);
	napt_memcg_exit(memcg);
	if (ret) {
		free(t);
		return NULL;
	}
	/* the free-port bitmap of EXT1 (a case adding addresses has none) */
	ut_ports_sync(t, &t->cfg);
	return t;
}

struct napt_map *ut_map_of(struct ut_nat *t, u8 proto, __be32 host,
			   u16 port)
{
	struct napt_okey k = ut_key(proto, host, port);

	return napt_map_lookup_out(&t->nn, &k);
}

struct napt_sess *ut_sess_of(struct ut_nat *t, u8 proto, __be32 host,
			     u16 port, __be32 rem, u16 rport)
{
	struct napt_map *m = ut_map_of(t, proto, host, port);

	return m ? napt_sess_lookup(&t->nn, m, rem, htons(rport), true) : NULL;
}

void ut_nat_free(struct ut_nat *t)
{
	if (!t)
		return;
	napt_flush(&t->nn, NAPT_MAP_ANY, 0);
	CHECK_EQ(atomic_read(&t->nn.nmaps), 0);
	CHECK_EQ(atomic_read(&t->nn.nsess), 0);
	ut_ports_sync(t, NULL);
	rcu_barrier();
	napt_table_free(&t->nn);
	free(t);
}

/* ---- checksums from scratch ------------------------------------------ */

u32 ut_sum16(const u8 *p, unsigned int len, u32 sum)
{
	unsigned int i;

	for (i = 0; i + 1 < len; i += 2)
		sum += (u32)p[i] << 8 | p[i + 1];
	if (len & 1)
		sum += (u32)p[len - 1] << 8;
	return sum;
}

u16 ut_fold(u32 sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (u16)sum;
}

u16 ut_get16(const u8 *p, unsigned int off)
{
	return (u16)(p[off] << 8 | p[off + 1]);
}

void ut_put16(u8 *p, unsigned int off, u16 v)
{
	p[off] = (u8)(v >> 8);
	p[off + 1] = (u8)v;
}

__be32 ut_saddr(const u8 *pkt)
{
	__be32 a;

	memcpy(&a, pkt + 12, 4);
	return a;
}

__be32 ut_daddr(const u8 *pkt)
{
	__be32 a;

	memcpy(&a, pkt + 16, 4);
	return a;
}

unsigned int ut_l4off(const u8 *pkt)
{
	return (pkt[0] & 0x0f) * 4;
}

static unsigned int ut_totlen(const u8 *pkt)
{
	return ut_get16(pkt, 2);
}

u16 ut_sport(const u8 *pkt)
{
	return ut_get16(pkt, ut_l4off(pkt) + (pkt[9] == IPPROTO_ICMP ? 4 : 0));
}

u16 ut_dport(const u8 *pkt)
{
	return ut_get16(pkt, ut_l4off(pkt) + (pkt[9] == IPPROTO_ICMP ? 4 : 2));
}

unsigned int ut_l4check_off(const u8 *pkt)
{
	switch (pkt[9]) {
	case IPPROTO_UDP:
		return ut_l4off(pkt) + 6;
	case IPPROTO_TCP:
		return ut_l4off(pkt) + 16;
	}
	return ut_l4off(pkt) + 2;
}

u16 ut_l4check(const u8 *pkt)
{
	return ut_get16(pkt, ut_l4check_off(pkt));
}

u16 ut_pseudo(const u8 *pkt)
{
	u32 sum = ut_sum16(pkt + 12, 8, 0);

	sum += pkt[9];
	sum += ut_totlen(pkt) - ut_l4off(pkt);
	return ut_fold(sum);
}

bool ut_ip_csum_ok(const u8 *pkt)
{
	return ut_fold(ut_sum16(pkt, ut_l4off(pkt), 0)) == 0xffff;
}

bool ut_l4_csum_ok(const u8 *pkt, bool zero_ok)
{
	unsigned int off = ut_l4off(pkt), len = ut_totlen(pkt) - off;
	u32 sum = ut_sum16(pkt + off, len, 0);

	switch (pkt[9]) {
	case IPPROTO_UDP:
		if (!ut_l4check(pkt))
			return zero_ok;
		/* fall through */
	case IPPROTO_TCP:
		sum += ut_pseudo(pkt);
		break;
	}
	return ut_fold(sum) == 0xffff;
}

bool ut_pkt_ok(const u8 *pkt)
{
	return ut_ip_csum_ok(pkt) && ut_l4_csum_ok(pkt, true);
}

void ut_fix_ipcsum(u8 *pkt)
{
	ut_put16(pkt, 10, 0);
	ut_put16(pkt, 10, (u16)~ut_fold(ut_sum16(pkt, ut_l4off(pkt), 0)));
}

void ut_fix_l4csum(u8 *pkt)
{
	unsigned int off = ut_l4off(pkt), len = ut_totlen(pkt) - off;
	unsigned int coff = ut_l4check_off(pkt);
	u32 sum;
	u16 c;

	ut_put16(pkt, coff, 0);
	sum = ut_sum16(pkt + off, len, 0);
	if (pkt[9] != IPPROTO_ICMP)
		sum += ut_pseudo(pkt);
	c = (u16)~ut_fold(sum);
	if (pkt[9] == IPPROTO_UDP && !c)
		c = 0xffff;
	ut_put16(pkt, coff, c);
}

__wsum ut_wsum(const u8 *p, unsigned int len)
{
	u64 sum = 0;
	unsigned int i;
	u16 w;

	for (i = 0; i + 1 < len; i += 2) {
		memcpy(&w, p + i, 2);
		sum += w;
	}
	if (len & 1) {
		u8 last[2] = { p[len - 1], 0 };

		memcpy(&w, last, 2);
		sum += w;
	}
	while (sum >> 32)
		sum = (sum & 0xffffffffULL) + (sum >> 32);
	return (__force __wsum)(u32)sum;
}

/* ---- packets --------------------------------------------------------- */

static u16 ut_ip_id;

static void ut_iphdr(u8 *buf, __be32 src, __be32 dst, u8 proto,
		     unsigned int l4len)
{
	memset(buf, 0, 20);
	buf[0] = 0x45;
	ut_put16(buf, 2, (u16)(20 + l4len));
	ut_put16(buf, 4, ++ut_ip_id);
	ut_put16(buf, 6, 0x4000);	/* DF: not a fragment */
	buf[8] = 64;
	buf[9] = proto;
	memcpy(buf + 12, &src, 4);
	memcpy(buf + 16, &dst, 4);
	ut_fix_ipcsum(buf);
}

static void ut_payload(u8 *p, unsigned int len)
{
	unsigned int i;

	for (i = 0; i < len; i++)
		p[i] = (u8)(i * 7 + 3);
}

unsigned int ut_udp(u8 *buf, __be32 src, u16 sport, __be32 dst, u16 dport,
		    unsigned int paylen)
{
	u8 *l4 = buf + 20;

	ut_iphdr(buf, src, dst, IPPROTO_UDP, 8 + paylen);
	ut_put16(l4, 0, sport);
	ut_put16(l4, 2, dport);
	ut_put16(l4, 4, (u16)(8 + paylen));
	ut_payload(l4 + 8, paylen);
	ut_fix_l4csum(buf);
	return 28 + paylen;
}

unsigned int ut_tcp(u8 *buf, __be32 src, u16 sport, __be32 dst, u16 dport,
		    u8 flags, unsigned int paylen)
{
	u8 *l4 = buf + 20;

	ut_iphdr(buf, src, dst, IPPROTO_TCP, 20 + paylen);
	memset(l4, 0, 20);
	ut_put16(l4, 0, sport);
	ut_put16(l4, 2, dport);
	ut_put16(l4, 4, 0x1234);	/* seq */
	ut_put16(l4, 6, 0x5678);
	if (flags & UT_ACK)
		ut_put16(l4, 10, 0x9abc);
	l4[12] = 5 << 4;		/* doff */
	l4[13] = flags;
	ut_put16(l4, 14, 64240);	/* window */
	ut_payload(l4 + 20, paylen);
	ut_fix_l4csum(buf);
	return 40 + paylen;
}

unsigned int ut_icmp(u8 *buf, __be32 src, __be32 dst, u8 type, u8 code,
		     u16 id, u16 seq, unsigned int paylen)
{
	u8 *l4 = buf + 20;

	ut_iphdr(buf, src, dst, IPPROTO_ICMP, 8 + paylen);
	l4[0] = type;
	l4[1] = code;
	ut_put16(l4, 2, 0);
	ut_put16(l4, 4, id);
	ut_put16(l4, 6, seq);
	ut_payload(l4 + 8, paylen);
	ut_fix_l4csum(buf);
	return 28 + paylen;
}

unsigned int ut_rawip(u8 *buf, __be32 src, __be32 dst, u8 proto,
		      unsigned int paylen)
{
	ut_iphdr(buf, src, dst, proto, paylen);
	ut_payload(buf + 20, paylen);
	return 20 + paylen;
}

unsigned int ut_xlate_skb(struct ut_nat *t, bool out, u8 *pkt,
			  unsigned int len, unsigned int headlen,
			  u8 ip_summed, __wsum *csum)
{
	struct sk_buff *skb = kc_skb_new(pkt, len, headlen ? headlen : len);
	unsigned int v;

	skb->ip_summed = ip_summed;
	skb->mark = t->mark;
	if (csum)
		skb->csum = *csum;
	rcu_read_lock();
	if (out)
		v = napt_xlate_out(&t->nn, &t->cfg, skb);
	else
		v = napt_xlate_in(&t->nn, &t->cfg, skb);
	rcu_read_unlock();
	t->mark = skb->mark;
	CHECK(v == NF_ACCEPT || v == NF_DROP);
	CHECK_EQ(skb->len, len);
	kc_skb_read(skb, pkt, len);
	if (csum)
		*csum = skb->csum;
	kc_skb_free(skb);
	return v;
}

unsigned int ut_hairpin_skb(struct ut_nat *t, u8 *pkt, unsigned int len,
			    unsigned int headlen)
{
	struct sk_buff *skb = kc_skb_new(pkt, len, headlen ? headlen : len);
	unsigned int v;

	rcu_read_lock();
	v = napt_xlate_hairpin(&t->nn, &t->cfg, skb);
	rcu_read_unlock();
	CHECK(v == NF_ACCEPT || v == NF_DROP);
	CHECK_EQ(skb->len, len);
	kc_skb_read(skb, pkt, len);
	kc_skb_free(skb);
	return v;
}

unsigned int ut_icmp_err(u8 *buf, __be32 src, __be32 dst, u8 type, u8 code,
			 const u8 *quoted, unsigned int qlen)
{
	u8 *l4 = buf + 20;

	ut_iphdr(buf, src, dst, IPPROTO_ICMP, 8 + qlen);
	memset(l4, 0, 8);
	l4[0] = type;
	l4[1] = code;
	if (type == ICMP_DEST_UNREACH && code == ICMP_FRAG_NEEDED)
		ut_put16(l4, 6, 1280);		/* next-hop MTU */
	memcpy(l4 + 8, quoted, qlen);
	ut_fix_l4csum(buf);
	return 28 + qlen;
}

int ut_static_req(struct ut_nat *t, const struct napt_static_req *r,
		  struct napt_map **res)
{
	struct napt_map *m = (struct napt_map *)1;
	enum napt_static_err why = NAPT_SERR_NONE;
	int ret;

	ret = napt_static_add(&t->nn, &t->cfg, r, &m, &why);
	if (ret) {
		CHECK(m == NULL);
		CHECK(why != NAPT_SERR_NONE);
	} else {
		CHECK(m != NULL);
		CHECK(m && rcu_access_pointer(m->st) != NULL);
		CHECK(m && m->type == NAPT_MAP_STATIC);
		/* the caller's reference: single-threaded, nothing frees it */
		if (m)
			napt_map_put(m);
	}
	if (res)
		*res = ret ? NULL : m;
	return ret;
}

int ut_static(struct ut_nat *t, u8 proto, __be32 int_addr, u16 int_port,
	      u16 ext_port, __be32 rem, u32 lease, const char *desc,
	      bool replace, struct napt_map **res)
{
	struct napt_static_req r = {};

	r.proto = proto;
	r.replace = replace;
	r.int_addr = int_addr;
	r.int_port = htons(int_port);
	r.ext_port = htons(ext_port);
	r.rem = rem;
	r.lease = lease;
	r.desc = desc;
	return ut_static_req(t, &r, res);
}

/* ---- runner ---------------------------------------------------------- */

static u64 ut_name_seed(const char *s)
{
	u64 h = 0xcbf29ce484222325ULL;	/* FNV-1a */

	while (*s)
		h = (h ^ (u8)*s++) * 0x100000001b3ULL;
	return h;
}

int main(int argc, char **argv)
{
	const struct ut_case *tables[] = {
		ut_kcompat_cases, ut_table_cases, ut_xlate_cases,
		ut_static_cases, ut_icmperr_cases, ut_hairpin_cases,
		ut_event_cases, ut_fuzz_cases, ut_race_cases,
	};
	const char *filter = argc > 1 ? argv[1] : NULL;
	const char *env = getenv("UT_SEED");
	u64 salt = env ? strtoull(env, NULL, 0) : 0;
	unsigned int passed = 0, failed = 0, i;

	setvbuf(stdout, NULL, _IOLBF, 0);
	for (i = 0; i < ARRAY_SIZE(tables); i++) {
		const struct ut_case *c;

		for (c = tables[i]; c->name; c++) {
			long maps, sess, kv, st, km;

			if (filter && !strstr(c->name, filter))
				continue;
			kc_reset(ut_name_seed(c->name) ^ salt);
			/* a case's packets do not depend on the cases before */
			ut_ip_id = 0;
			maps = kc_live_maps;
			sess = kc_live_sess;
			kv = kc_live_kv;
			st = kc_live_st;
			km = kc_live_km;
			ut_case_name = c->name;
			ut_case_failures = 0;
			c->fn();
			rcu_barrier();
			CHECK_EQ(kc_live_maps - maps, 0);
			CHECK_EQ(kc_live_sess - sess, 0);
			CHECK_EQ(kc_live_kv - kv, 0);
			CHECK(kc_active_memcg == NULL);	/* scopes balanced */
			CHECK_EQ(kc_live_st - st, 0);
			CHECK_EQ(kc_live_km - km, 0);
			CHECK_EQ(kc_locks_held, 0);
			CHECK_EQ(kc_rcu_depth, 0);
			CHECK_EQ(kc_errors, 0);
			if (ut_case_failures) {
				failed++;
				printf("FAIL %s\n", c->name);
			} else {
				passed++;
				printf("ok   %s\n", c->name);
			}
		}
	}
	printf("%u passed, %u failed\n", passed, failed);
	return failed ? 1 : 0;
}
