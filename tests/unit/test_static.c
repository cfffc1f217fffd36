// SPDX-License-Identifier: GPL-2.0
/*
 * test_static.c: static mappings (napt_static_add/del), against the
 * contract of NAPT_CMD_ADD_MAP / NAPT_CMD_DEL_MAP in uapi/linux/napt.h.
 */
#include "ut.h"

static const struct napt_static *st_of(const struct napt_map *m)
{
	return m ? rcu_access_pointer(m->st) : NULL;
}

static struct napt_map *static_out(struct ut_nat *t, u8 proto, __be32 addr,
				   u16 port, __be32 rem)
{
	return napt_static_lookup_out(&t->nn, proto, addr, htons(port), rem);
}

static struct napt_map *dyn_of(struct ut_nat *t, u8 proto, __be32 host,
			       u16 port)
{
	struct napt_okey k = ut_key(proto, host, port);

	return napt_map_lookup_out(&t->nn, &k);
}

/* UDP out; returns the source port it left with (0 if dropped) */
static u16 out_udp(struct ut_nat *t, __be32 host, u16 port, __be32 rem,
		   u16 rport)
{
	u8 pkt[UT_PKT_MAX];
	unsigned int len = ut_udp(pkt, host, port, rem, rport, 12);

	if (ut_out(t, pkt, len) != NF_ACCEPT)
		return 0;
	CHECK(ut_pkt_ok(pkt));
	CHECK(napt_is_ext_addr(&t->nn, &t->cfg, ut_saddr(pkt)));
	return ut_sport(pkt);
}

static u16 out_tcp(struct ut_nat *t, __be32 host, u16 port, __be32 rem,
		   u16 rport, u8 flags)
{
	u8 pkt[UT_PKT_MAX];
	unsigned int len = ut_tcp(pkt, host, port, rem, rport, flags, 0);

	if (ut_out(t, pkt, len) != NF_ACCEPT)
		return 0;
	CHECK(ut_pkt_ok(pkt));
	return ut_sport(pkt);
}

/*
 * UDP in from @rem:@rport to EXT1:@ext; returns the verdict, *@to and
 * *@to_port where it went (untouched: EXT1 and @ext).
 */
static unsigned int in_udp(struct ut_nat *t, __be32 rem, u16 rport, u16 ext,
			   __be32 *to, u16 *to_port)
{
	u8 pkt[UT_PKT_MAX], orig[UT_PKT_MAX];
	unsigned int len = ut_udp(pkt, rem, rport, EXT1, ext, 12), v;

	memcpy(orig, pkt, len);
	v = ut_in(t, pkt, len);
	if (to)
		*to = ut_daddr(pkt);
	if (to_port)
		*to_port = ut_dport(pkt);
	if (v == NF_ACCEPT && ut_daddr(pkt) != EXT1)
		CHECK(ut_pkt_ok(pkt));
	if (ut_daddr(pkt) == EXT1)
		CHECK(!memcmp(pkt, orig, len));	/* untouched */
	return v;
}

/* the events since @from of a kind */
static unsigned int nev(unsigned int from, u8 event, u8 reason)
{
	unsigned int i, n = 0;

	for (i = from; i < kc_nevents && i < KC_EVENTS_MAX; i++)
		n += kc_events[i].event == event &&
		     kc_events[i].reason == reason;
	return n;
}

static const struct kc_event *last_event(void)
{
	if (!kc_nevents || kc_nevents > KC_EVENTS_MAX)
		return NULL;
	return &kc_events[kc_nevents - 1];
}

/* ---------------------------------------------------------------------- */

static void static_add_explicit_port(void)
{
	struct ut_nat *t = ut_nat_default();
	const struct napt_static *st;
	const struct kc_event *e;
	struct napt_okey k = ut_key(IPPROTO_UDP, HOST(10), 8080);
	struct napt_map *m, *m2;

	REQUIRE(t);
	REQUIRE_EQ(ut_static(t, IPPROTO_UDP, HOST(10), 8080, 80, 0, 0, "web",
			     false, &m), 0);
	REQUIRE(m);
	CHECK_EQX(m->key.int_addr, HOST(10));
	CHECK_EQ(ntohs(m->key.int_port), 8080);
	CHECK_EQ(m->key.rem_addr, 0);
	CHECK_EQ(m->key.rem_port, 0);
	CHECK_EQ(m->key.proto, IPPROTO_UDP);
	CHECK_EQX(m->ext_addr, EXT1);
	CHECK_EQ(ntohs(m->ext_port), 80);	/* outside the dynamic range */
	CHECK_EQ(m->type, NAPT_MAP_STATIC);
	CHECK_EQ(m->mapping, NAPT_MAPPING_EIM);
	CHECK(!m->dead);
	CHECK_EQ(m->expires, 0);
	CHECK_EQ(atomic_read(&m->nsess), 0);
	CHECK_EQ(refcount_read(&m->ref), 1);
	st = st_of(m);
	REQUIRE(st);
	CHECK_EQ(st->rem, 0);
	CHECK_EQ(st->lease, 0);
	CHECK(!strcmp(st->desc, "web"));
	CHECK_EQ(ut_nmaps(t), 1);
	CHECK_EQ(ut_stat(t, NAPT_STAT_MAPS_CREATED), 1);

	/* found both ways, for any remote */
	CHECK(napt_map_lookup_out(&t->nn, &k) == m);
	CHECK(static_out(t, IPPROTO_UDP, HOST(10), 8080, 0) == m);
	CHECK(static_out(t, IPPROTO_UDP, HOST(10), 8080, REM1) == NULL);
	CHECK(static_out(t, IPPROTO_TCP, HOST(10), 8080, 0) == NULL);
	CHECK(static_out(t, IPPROTO_UDP, HOST(10), 8081, 0) == NULL);
	CHECK(ut_lookup_in(t, IPPROTO_UDP, EXT1, htons(80), REM1) == m);
	CHECK(ut_lookup_in(t, IPPROTO_UDP, EXT1, htons(80), REM2) == m);
	CHECK(ut_lookup_in(t, IPPROTO_UDP, EXT1, htons(80), 0) == m);
	CHECK(ut_lookup_in(t, IPPROTO_TCP, EXT1, htons(80), REM1) == NULL);

	/* one event: created, for this mapping */
	REQUIRE_EQ(kc_nevents, 1);
	e = last_event();
	CHECK_EQ(e->event, NAPT_EVENT_CREATED);
	CHECK_EQ(e->reason, NAPT_REASON_NONE);
	CHECK(!e->m_null);
	CHECK_EQ(e->type, NAPT_MAP_STATIC);
	CHECK_EQ(e->proto, IPPROTO_UDP);
	CHECK_EQX(e->int_addr, HOST(10));
	CHECK_EQ(ntohs(e->int_port), 8080);
	CHECK_EQX(e->ext_addr, EXT1);
	CHECK_EQ(ntohs(e->ext_port), 80);

	/* the same port in the other protocol is another mapping */
	REQUIRE_EQ(ut_static(t, IPPROTO_TCP, HOST(11), 443, 80, 0, 0, NULL,
			     false, &m2), 0);
	CHECK(m2 != m);
	CHECK_EQ(ntohs(m2->ext_port), 80);
	CHECK_EQ(st_of(m2)->desc[0], 0);	/* no description */
	CHECK(ut_lookup_in(t, IPPROTO_TCP, EXT1, htons(80), REM1) == m2);
	CHECK_EQ(ut_nmaps(t), 2);
	ut_nat_free(t);
}

static void static_add_port_omitted(void)
{
	struct ut_nat *t = ut_nat_default();
	struct napt_map *m, *d, *s1;
	unsigned int p;

	REQUIRE(t);
	/* the inside port, when free */
	REQUIRE_EQ(ut_static(t, IPPROTO_UDP, HOST(10), 5060, 0, 0, 0, NULL,
			     false, &s1), 0);
	CHECK_EQ(ntohs(s1->ext_port), 5060);
	/* ... even below the dynamic range */
	REQUIRE_EQ(ut_static(t, IPPROTO_TCP, HOST(10), 22, 0, 0, 0, NULL,
			     false, &m), 0);
	CHECK_EQ(ntohs(m->ext_port), 22);

	/* held by another endpoint's dynamic mapping: allocated */
	CHECK_EQ(out_udp(t, HOST(11), 6000, REM1, 53), 6000);
	d = dyn_of(t, IPPROTO_UDP, HOST(11), 6000);
	REQUIRE(d);
	REQUIRE_EQ(ut_static(t, IPPROTO_UDP, HOST(12), 6000, 0, 0, 0, NULL,
			     false, &m), 0);
	CHECK_NE(ntohs(m->ext_port), 6000);
	CHECK_RANGE(ntohs(m->ext_port), 1024, 65535);
	CHECK(ut_lookup_in(t, IPPROTO_UDP, EXT1, htons(6000), REM1) == d);
	CHECK(ut_lookup_in(t, IPPROTO_UDP, EXT1, m->ext_port, REM1) == m);

	/* held by a socket of the gateway: allocated */
	kc_socket_set(IPPROTO_UDP, 7000, true);
	REQUIRE_EQ(ut_static(t, IPPROTO_UDP, HOST(10), 7000, 0, 0, 0, NULL,
			     false, &m), 0);
	CHECK_NE(ntohs(m->ext_port), 7000);
	CHECK_RANGE(ntohs(m->ext_port), 1024, 65535);

	/* held by another endpoint's static mapping: allocated, in range */
	t->cfg.port_min = 40000;
	t->cfg.port_max = 40009;
	REQUIRE_EQ(ut_static(t, IPPROTO_UDP, HOST(13), 5060, 0, 0, 0, NULL,
			     false, &m), 0);
	CHECK_RANGE(ntohs(m->ext_port), 40000, 40009);
	CHECK(ut_lookup_in(t, IPPROTO_UDP, EXT1, htons(5060), REM1) == s1);

	/* nothing left to allocate: ENOSPC, and nothing changed */
	for (p = 40000; p <= 40009; p++)
		kc_socket_set(IPPROTO_UDP, p, true);
	CHECK_EQ(ut_static(t, IPPROTO_UDP, HOST(14), 5060, 0, 0, 0, NULL,
			   false, NULL), -ENOSPC);
	CHECK_EQ(ut_nmaps(t), 6);
	CHECK(static_out(t, IPPROTO_UDP, HOST(14), 5060, 0) == NULL);
	CHECK_EQ(ut_stat(t, NAPT_STAT_MAPS_CREATED), 6);
	ut_nat_free(t);
}

static void static_renew_replace(void)
{
	struct ut_nat *t = ut_nat_default();
	const struct napt_static *st;
	struct napt_map *m, *r;
	char longdesc[NAPT_DESC_MAX + 50];
	unsigned int ev;
	u32 t0 = napt_now();

	REQUIRE(t);
	REQUIRE_EQ(ut_static(t, IPPROTO_UDP, HOST(10), 8080, 80, 0, 100, "a",
			     false, &m), 0);
	CHECK_EQ(m->expires, t0 + 100);
	CHECK_EQ(st_of(m)->lease, 100);
	ev = kc_nevents;

	kc_advance(50);
	REQUIRE_EQ(ut_static(t, IPPROTO_UDP, HOST(10), 8080, 80, 0, 300, "b",
			     true, &r), 0);
	CHECK(r == m);			/* the same mapping, renewed */
	st = st_of(m);
	CHECK_EQ(st->lease, 300);
	CHECK(!strcmp(st->desc, "b"));
	CHECK_EQ(m->expires, t0 + 50 + 300);
	CHECK_EQ(m->type, NAPT_MAP_STATIC);
	CHECK_EQ(ut_nmaps(t), 1);
	CHECK_EQ(ut_stat(t, NAPT_STAT_MAPS_CREATED), 1);
	CHECK_EQ(kc_nevents, ev);		/* neither made nor removed */
	rcu_barrier();
	CHECK_EQ(kc_live_st, 1);		/* the old one went by RCU */

	/* renewed as permanent, without a description */
	REQUIRE_EQ(ut_static(t, IPPROTO_UDP, HOST(10), 8080, 80, 0, 0, NULL,
			     true, &r), 0);
	CHECK(r == m);
	CHECK_EQ(st_of(m)->lease, 0);
	CHECK_EQ(st_of(m)->desc[0], 0);
	CHECK_EQ(m->expires, 0);
	kc_advance(1000);
	ut_gc_all(t);
	CHECK_EQ(ut_nmaps(t), 1);

	/* port omitted: the renewal finds it on the inside port */
	REQUIRE_EQ(ut_static(t, IPPROTO_TCP, HOST(10), 8443, 0, 0, 10, NULL,
			     false, &m), 0);
	CHECK_EQ(ntohs(m->ext_port), 8443);
	REQUIRE_EQ(ut_static(t, IPPROTO_TCP, HOST(10), 8443, 0, 0, 20, "x",
			     true, &r), 0);
	CHECK(r == m);
	CHECK_EQ(st_of(m)->lease, 20);
	CHECK_EQ(ut_nmaps(t), 2);

	/* a description is cut to NAPT_DESC_MAX - 1 bytes */
	memset(longdesc, 'd', sizeof(longdesc) - 1);
	longdesc[sizeof(longdesc) - 1] = 0;
	REQUIRE_EQ(ut_static(t, IPPROTO_TCP, HOST(10), 8443, 0, 0, 20,
			     longdesc, true, &r), 0);
	CHECK_EQ(strnlen(st_of(r)->desc, NAPT_DESC_MAX), NAPT_DESC_MAX - 1);
	CHECK_EQ(st_of(r)->desc[NAPT_DESC_MAX - 2], 'd');
	ut_nat_free(t);
}

/* add with @owner and @cookie (NULL: none) through the request itself */
static int add_owned(struct ut_nat *t, u16 port, u8 owner, const u8 *cookie,
		     u8 cookie_len, bool replace, struct napt_map **res)
{
	struct napt_static_req r = {};

	r.proto = IPPROTO_UDP;
	r.replace = replace;
	r.int_addr = HOST(20);
	r.int_port = htons(port);
	r.ext_port = htons(port);
	r.owner = owner;
	r.cookie = cookie;
	r.cookie_len = cookie_len;
	return ut_static_req(t, &r, res);
}

static void static_owner_cookie(void)
{
	static const u8 c16[NAPT_COOKIE_MAX] = {
		0xf0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 0xff
	};
	static const u8 c1[1] = { 0x2a };
	struct ut_nat *t = ut_nat_default();
	const struct napt_static *st;
	struct napt_map *m, *r;

	REQUIRE(t);
	/* none given: admin, no cookie */
	REQUIRE_EQ(add_owned(t, 6000, NAPT_OWNER_ADMIN, NULL, 0, false, &m), 0);
	st = st_of(m);
	CHECK_EQ(st->owner, NAPT_OWNER_ADMIN);
	CHECK_EQ(st->cookie_len, 0);

	REQUIRE_EQ(add_owned(t, 6001, NAPT_OWNER_PCP, c16, sizeof(c16), false,
			     &m), 0);
	st = st_of(m);
	CHECK_EQ(st->owner, NAPT_OWNER_PCP);
	CHECK_EQ(st->cookie_len, NAPT_COOKIE_MAX);
	CHECK(!memcmp(st->cookie, c16, sizeof(c16)));

	/* a failed renewal (another endpoint) leaves them */
	CHECK_EQ(ut_static(t, IPPROTO_UDP, HOST(21), 6001, 6001, 0, 0, NULL,
			   true, &r), -EEXIST);
	CHECK_EQ(st_of(m)->owner, NAPT_OWNER_PCP);

	/* replace renews both, as given */
	REQUIRE_EQ(add_owned(t, 6001, NAPT_OWNER_UPNP, c1, sizeof(c1), true,
			     &r), 0);
	CHECK(r == m);
	st = st_of(m);
	CHECK_EQ(st->owner, NAPT_OWNER_UPNP);
	CHECK_EQ(st->cookie_len, 1);
	CHECK_EQ(st->cookie[0], 0x2a);
	CHECK_EQ(st->cookie[1], 0);	/* nothing of the old one is left */

	/* and without them: admin, no cookie */
	REQUIRE_EQ(add_owned(t, 6001, NAPT_OWNER_ADMIN, NULL, 0, true, &r), 0);
	CHECK(r == m);
	CHECK_EQ(st_of(m)->owner, NAPT_OWNER_ADMIN);
	CHECK_EQ(st_of(m)->cookie_len, 0);

	/* a promoted dynamic mapping gets them too */
	CHECK_EQ(out_udp(t, HOST(20), 6002, REM1, 53), 6002);
	REQUIRE_EQ(add_owned(t, 6002, NAPT_OWNER_NATPMP, c1, sizeof(c1), false,
			     &r), 0);
	CHECK_EQ(st_of(r)->owner, NAPT_OWNER_NATPMP);
	CHECK_EQ(st_of(r)->cookie_len, 1);
	ut_nat_free(t);
}

/*
 * mark-static: packets translated inbound through a static mapping get
 * the configured bits of skb->mark, nothing else does.
 */
static void static_mark(void)
{
	struct ut_nat *t = ut_nat_default();
	u16 dyn, to_port;
	__be32 to;

	REQUIRE(t);
	REQUIRE_EQ(ut_static(t, IPPROTO_UDP, HOST(10), 8080, 80, 0, 0, NULL,
			     false, NULL), 0);
	dyn = out_udp(t, HOST(11), 5000, REM1, 53);
	REQUIRE(dyn);

	/* off (mask 0, the default): marks stay */
	t->mark = 0x12345678;
	CHECK_EQ(in_udp(t, REM1, 1000, 80, &to, &to_port), NF_ACCEPT);
	CHECK_EQX(to, HOST(10));
	CHECK_EQX(t->mark, 0x12345678);

	t->cfg.mark_static = 0x100;
	t->cfg.mark_static_mask = 0xff00;
	CHECK_EQ(in_udp(t, REM1, 1000, 80, &to, &to_port), NF_ACCEPT);
	CHECK_EQX(t->mark, 0x12340178);	/* only the masked bits change */

	/* a dynamic mapping's inbound packet: untouched */
	t->mark = 0x12345678;
	CHECK_EQ(in_udp(t, REM1, 53, dyn, &to, &to_port), NF_ACCEPT);
	CHECK_EQX(to, HOST(11));
	CHECK_EQX(t->mark, 0x12345678);

	/* outbound through the static mapping: untouched */
	CHECK_EQ(out_udp(t, HOST(10), 8080, REM1, 1000), 80);
	CHECK_EQX(t->mark, 0x12345678);

	/* dropped (no mapping): untouched */
	CHECK_EQ(in_udp(t, REM1, 1000, 20000, NULL, NULL), NF_DROP);
	CHECK_EQX(t->mark, 0x12345678);

	/* the whole mark */
	t->cfg.mark_static = 7;
	t->cfg.mark_static_mask = ~0U;
	CHECK_EQ(in_udp(t, REM2, 1000, 80, NULL, NULL), NF_ACCEPT);
	CHECK_EQX(t->mark, 7);
	ut_nat_free(t);
}

static void static_eexist(void)
{
	struct ut_nat *t = ut_nat_default();
	struct napt_map *m;

	REQUIRE(t);
	REQUIRE_EQ(ut_static(t, IPPROTO_UDP, HOST(10), 8080, 80, 0, 0, "a",
			     false, &m), 0);
	/* again, without replace */
	CHECK_EQ(ut_static(t, IPPROTO_UDP, HOST(10), 8080, 80, 0, 50, "b",
			   false, NULL), -EEXIST);
	CHECK(!strcmp(st_of(m)->desc, "a"));
	CHECK_EQ(st_of(m)->lease, 0);
	/* with replace, for another inside endpoint (address or port) */
	CHECK_EQ(ut_static(t, IPPROTO_UDP, HOST(11), 8080, 80, 0, 0, NULL,
			   true, NULL), -EEXIST);
	CHECK_EQ(ut_static(t, IPPROTO_UDP, HOST(10), 8081, 80, 0, 0, NULL,
			   true, NULL), -EEXIST);
	CHECK(ut_lookup_in(t, IPPROTO_UDP, EXT1, htons(80), REM1) == m);
	CHECK_EQX(m->key.int_addr, HOST(10));
	CHECK_EQ(ntohs(m->key.int_port), 8080);
	/* the same inside endpoint on another port: one forwarding each */
	CHECK_EQ(ut_static(t, IPPROTO_UDP, HOST(10), 8080, 81, 0, 0, NULL,
			   false, NULL), -EEXIST);
	CHECK_EQ(ut_static(t, IPPROTO_UDP, HOST(10), 8080, 0, 0, 0, NULL,
			   false, NULL), -EEXIST);
	CHECK(ut_lookup_in(t, IPPROTO_UDP, EXT1, htons(81), REM1) == NULL);
	CHECK(ut_lookup_in(t, IPPROTO_UDP, EXT1, htons(8080), REM1) == NULL);
	CHECK_EQ(ut_nmaps(t), 1);
	CHECK_EQ(ut_stat(t, NAPT_STAT_MAPS_CREATED), 1);
	CHECK_EQ(kc_nevents, 1);
	/* the port refused is still free for others */
	CHECK_EQ(ut_static(t, IPPROTO_UDP, HOST(12), 81, 81, 0, 0, NULL,
			   false, NULL), 0);
	ut_nat_free(t);
}

static void static_eaddrinuse(void)
{
	struct ut_nat *t = ut_nat_default();
	__be32 to;
	u16 to_port;

	REQUIRE(t);
	/* a dynamic mapping of another endpoint holds the port */
	CHECK_EQ(out_udp(t, HOST(11), 6000, REM1, 53), 6000);
	CHECK_EQ(ut_static(t, IPPROTO_UDP, HOST(10), 7000, 6000, 0, 0, NULL,
			   false, NULL), -EADDRINUSE);
	CHECK_EQ(ut_static(t, IPPROTO_UDP, HOST(10), 7000, 6000, 0, 0, NULL,
			   true, NULL), -EADDRINUSE);
	/* ... also for a mapping restricted to one remote */
	CHECK_EQ(ut_static(t, IPPROTO_UDP, HOST(10), 7000, 6000, REM2, 0,
			   NULL, false, NULL), -EADDRINUSE);
	CHECK_EQ(ut_nmaps(t), 1);
	/* and it still works */
	CHECK_EQ(in_udp(t, REM1, 53, 6000, &to, &to_port), NF_ACCEPT);
	CHECK_EQX(to, HOST(11));
	CHECK_EQ(to_port, 6000);

	/* a socket of the gateway holds the port */
	kc_socket_set(IPPROTO_TCP, 2222, true);
	CHECK_EQ(ut_static(t, IPPROTO_TCP, HOST(10), 22, 2222, 0, 0, NULL,
			   false, NULL), -EADDRINUSE);
	CHECK_EQ(ut_static(t, IPPROTO_UDP, HOST(10), 22, 2222, 0, 0, NULL,
			   false, NULL), 0);	/* not a UDP socket */
	CHECK_EQ(ut_nmaps(t), 2);
	ut_nat_free(t);
}

/*
 * A dynamic mapping of the same inside endpoint on the asked port becomes
 * the static one in place: same object, same sessions, no events.
 */
static void static_promote_dynamic(void)
{
	struct ut_nat *t = ut_nat_default();
	struct napt_map *d, *m;
	unsigned int ev;
	__be32 to;
	u16 to_port;

	REQUIRE(t);
	CHECK_EQ(out_udp(t, HOST(10), 5000, REM1, 53), 5000);
	CHECK_EQ(out_udp(t, HOST(10), 5000, REM2, 53), 5000);
	d = dyn_of(t, IPPROTO_UDP, HOST(10), 5000);
	REQUIRE(d);
	CHECK_EQ(d->type, NAPT_MAP_DYNAMIC);
	CHECK_EQ(atomic_read(&d->nsess), 2);
	ev = kc_nevents;

	REQUIRE_EQ(ut_static(t, IPPROTO_UDP, HOST(10), 5000, 5000, 0, 0,
			     "promoted", false, &m), 0);
	CHECK(m == d);
	CHECK_EQ(d->type, NAPT_MAP_STATIC);
	CHECK(st_of(d) && !strcmp(st_of(d)->desc, "promoted"));
	CHECK_EQ(d->expires, 0);
	CHECK(!d->dead);
	CHECK_EQ(atomic_read(&d->nsess), 2);
	CHECK_EQ(ut_nsess(t), 2);
	CHECK(napt_sess_lookup(&t->nn, d, REM1, htons(53), true) != NULL);
	CHECK(napt_sess_lookup(&t->nn, d, REM2, htons(53), true) != NULL);
	CHECK_EQ(ut_nmaps(t), 1);
	CHECK_EQ(nev(ev, NAPT_EVENT_REMOVED, NAPT_REASON_FLUSHED), 0);
	CHECK_EQ(nev(ev, NAPT_EVENT_CREATED, NAPT_REASON_NONE), 0);
	rcu_barrier();
	CHECK_EQ(kc_live_maps, 1);		/* the spare one was freed */
	CHECK_EQ(kc_live_st, 1);

	/* it now takes any remote, and never expires */
	CHECK_EQ(in_udp(t, REM2, 999, 5000, &to, &to_port), NF_ACCEPT);
	CHECK_EQX(to, HOST(10));
	CHECK_EQ(to_port, 5000);
	kc_advance(10000);
	ut_gc_all(t);
	CHECK_EQ(ut_nmaps(t), 1);
	CHECK_EQ(ut_nsess(t), 0);
	CHECK_EQ(ut_stat(t, NAPT_STAT_MAPS_EXPIRED), 0);

	/* with the port omitted: the preserved port is the inside one */
	CHECK_EQ(out_tcp(t, HOST(11), 6000, REM1, 80, UT_SYN), 6000);
	d = dyn_of(t, IPPROTO_TCP, HOST(11), 6000);
	REQUIRE(d);
	REQUIRE_EQ(ut_static(t, IPPROTO_TCP, HOST(11), 6000, 0, 0, 30, NULL,
			     false, &m), 0);
	CHECK(m == d);
	CHECK_EQ(atomic_read(&d->nsess), 1);
	CHECK_EQ(d->expires, napt_now() + 30);
	ut_nat_free(t);
}

/* On another external port, the dynamic mapping of the same key goes. */
static void static_dynamic_gives_way(void)
{
	struct ut_nat *t = ut_nat_default();
	struct napt_map *d, *m;
	unsigned int ev;
	const struct kc_event *e;

	REQUIRE(t);
	CHECK_EQ(out_udp(t, HOST(10), 5000, REM1, 53), 5000);
	d = dyn_of(t, IPPROTO_UDP, HOST(10), 5000);
	REQUIRE(d);
	ev = kc_nevents;
	REQUIRE_EQ(ut_static(t, IPPROTO_UDP, HOST(10), 5000, 9000, 0, 0, NULL,
			     false, &m), 0);
	CHECK(m != d);
	CHECK_EQ(ntohs(m->ext_port), 9000);
	CHECK_EQ(ut_nmaps(t), 1);
	CHECK(dyn_of(t, IPPROTO_UDP, HOST(10), 5000) == m);
	CHECK(ut_lookup_in(t, IPPROTO_UDP, EXT1, htons(5000), REM1) == NULL);
	/* removed (flushed) first, then the static one created */
	REQUIRE_EQ(kc_nevents, ev + 2);
	e = &kc_events[ev];
	CHECK_EQ(e->event, NAPT_EVENT_REMOVED);
	CHECK_EQ(e->reason, NAPT_REASON_FLUSHED);
	CHECK_EQ(e->type, NAPT_MAP_DYNAMIC);
	CHECK_EQ(ntohs(e->ext_port), 5000);
	e = &kc_events[ev + 1];
	CHECK_EQ(e->event, NAPT_EVENT_CREATED);
	CHECK_EQ(e->type, NAPT_MAP_STATIC);
	CHECK_EQ(ntohs(e->ext_port), 9000);
	/* the old one's session goes with it */
	ut_gc_all(t);
	CHECK_EQ(ut_nsess(t), 0);
	CHECK_EQ(out_udp(t, HOST(10), 5000, REM1, 53), 9000);
	ut_nat_free(t);
}

/* Two static mappings share a port; the one naming the remote wins. */
static void static_two_remotes_one_port(void)
{
	struct ut_nat *t = ut_nat_default();
	struct napt_map *a, *b;
	__be32 to;
	u16 to_port;

	REQUIRE(t);
	REQUIRE_EQ(ut_static(t, IPPROTO_UDP, HOST(10), 80, 8080, 0, 0, "any",
			     false, &a), 0);
	REQUIRE_EQ(ut_static(t, IPPROTO_UDP, HOST(11), 80, 8080, REM1, 0,
			     "rem1", false, &b), 0);
	CHECK(a != b);
	CHECK_EQ(ntohs(b->ext_port), 8080);
	CHECK_EQX(st_of(b)->rem, REM1);
	CHECK_EQX(b->key.rem_addr, REM1);
	CHECK(static_out(t, IPPROTO_UDP, HOST(11), 80, REM1) == b);
	CHECK(static_out(t, IPPROTO_UDP, HOST(11), 80, 0) == NULL);
	CHECK(ut_lookup_in(t, IPPROTO_UDP, EXT1, htons(8080), REM1) == b);
	CHECK(ut_lookup_in(t, IPPROTO_UDP, EXT1, htons(8080), REM2) == a);
	/* the same, whatever order they were added in */
	REQUIRE_EQ(ut_static(t, IPPROTO_UDP, HOST(12), 80, 8081, REM1, 0,
			     NULL, false, NULL), 0);
	REQUIRE_EQ(ut_static(t, IPPROTO_UDP, HOST(13), 80, 8081, 0, 0, NULL,
			     false, NULL), 0);
	CHECK_EQX(ut_lookup_in(t, IPPROTO_UDP, EXT1, htons(8081),
			       REM1)->key.int_addr, HOST(12));
	CHECK_EQX(ut_lookup_in(t, IPPROTO_UDP, EXT1, htons(8081),
			       REM2)->key.int_addr, HOST(13));

	/* through the translator, with APDF and no session at all */
	CHECK_EQ(in_udp(t, REM1, 4000, 8080, &to, &to_port), NF_ACCEPT);
	CHECK_EQX(to, HOST(11));
	CHECK_EQ(to_port, 80);
	CHECK_EQ(in_udp(t, REM2, 4000, 8080, &to, &to_port), NF_ACCEPT);
	CHECK_EQX(to, HOST(10));
	CHECK_EQ(to_port, 80);
	CHECK_EQ(ut_nsess(t), 0);		/* inbound makes no session */

	/* a third for the same remote: EEXIST, with or without replace */
	CHECK_EQ(ut_static(t, IPPROTO_UDP, HOST(14), 80, 8080, REM1, 0, NULL,
			   false, NULL), -EEXIST);
	CHECK_EQ(ut_static(t, IPPROTO_UDP, HOST(14), 80, 8080, REM1, 0, NULL,
			   true, NULL), -EEXIST);
	CHECK_EQ(ut_static(t, IPPROTO_UDP, HOST(14), 80, 8080, 0, 0, NULL,
			   false, NULL), -EEXIST);
	/* another remote: a third one on the port */
	CHECK_EQ(ut_static(t, IPPROTO_UDP, HOST(14), 80, 8080, REM2, 0, NULL,
			   false, NULL), 0);
	CHECK_EQ(in_udp(t, REM2, 4000, 8080, &to, NULL), NF_ACCEPT);
	CHECK_EQX(to, HOST(14));

	/* deleting the specific one: its remote goes to the open one */
	CHECK_EQ(napt_static_del(&t->nn, IPPROTO_UDP, EXT1, htons(8080),
				 REM1), 0);
	CHECK_EQ(in_udp(t, REM1, 4000, 8080, &to, NULL), NF_ACCEPT);
	CHECK_EQX(to, HOST(10));
	CHECK_EQ(napt_static_del(&t->nn, IPPROTO_UDP, EXT1, htons(8080),
				 REM1), -ENOENT);
	CHECK_EQ(ut_nmaps(t), 4);
	ut_nat_free(t);
}

/* A mapping restricted to one remote takes nothing from the others. */
static void static_remote_restriction(void)
{
	struct ut_nat *t = ut_nat_default();
	__be32 to;
	u16 to_port;

	REQUIRE(t);
	REQUIRE_EQ(ut_static(t, IPPROTO_UDP, HOST(10), 5000, 9090, REM1, 0,
			     NULL, false, NULL), 0);
	REQUIRE_EQ(ut_static(t, IPPROTO_UDP, HOST(10), 53, 53, REM1, 0,
			     NULL, false, NULL), 0);
	CHECK_EQ(in_udp(t, REM1, 4000, 9090, &to, &to_port), NF_ACCEPT);
	CHECK_EQX(to, HOST(10));
	CHECK_EQ(to_port, 5000);
	/* another remote, a port in the NAT's range: no mapping, dropped */
	CHECK_EQ(in_udp(t, REM2, 4000, 9090, &to, NULL), NF_DROP);
	CHECK_EQ(ut_stat(t, NAPT_STAT_DROP_NO_MAPPING), 1);
	/* below the range: the gateway's own port, left alone */
	CHECK_EQ(in_udp(t, REM2, 4000, 53, &to, NULL), NF_ACCEPT);
	CHECK_EQX(to, EXT1);
	CHECK_EQ(in_udp(t, REM1, 4000, 53, &to, &to_port), NF_ACCEPT);
	CHECK_EQX(to, HOST(10));
	CHECK_EQ(to_port, 53);
	CHECK_EQ(ut_stat(t, NAPT_STAT_IN_PKTS), 2);
	ut_nat_free(t);
}

static void static_lease_expiry(void)
{
	struct ut_nat *t = ut_nat_default();
	const struct kc_event *e;
	struct napt_map *m;
	unsigned int ev;
	__be32 to;
	u32 t0 = napt_now();

	REQUIRE(t);
	REQUIRE_EQ(ut_static(t, IPPROTO_UDP, HOST(10), 8080, 80, 0, 60, NULL,
			     false, &m), 0);
	CHECK_EQ(m->expires, t0 + 60);
	/* traffic both ways neither refreshes nor keeps a lease */
	kc_advance(30);
	CHECK_EQ(out_udp(t, HOST(10), 8080, REM1, 53), 80);
	CHECK_EQ(in_udp(t, REM1, 53, 80, &to, NULL), NF_ACCEPT);
	CHECK_EQX(to, HOST(10));
	CHECK_EQ(m->expires, t0 + 60);
	CHECK_EQ(ut_nsess(t), 1);
	kc_advance(29);
	ut_gc_all(t);
	CHECK_EQ(ut_nmaps(t), 1);
	ev = kc_nevents;
	kc_advance(1);				/* the lease is over */
	CHECK_EQ(napt_gc_step(&t->nn, napt_now(), 1U << 30), 1);
	CHECK_EQ(ut_nmaps(t), 0);
	CHECK_EQ(ut_stat(t, NAPT_STAT_MAPS_EXPIRED), 1);
	CHECK(ut_lookup_in(t, IPPROTO_UDP, EXT1, htons(80), REM1) == NULL);
	CHECK(static_out(t, IPPROTO_UDP, HOST(10), 8080, 0) == NULL);
	REQUIRE_EQ(kc_nevents, ev + 1);
	e = &kc_events[ev];
	CHECK_EQ(e->event, NAPT_EVENT_REMOVED);
	CHECK_EQ(e->reason, NAPT_REASON_EXPIRED);
	CHECK_EQ(e->type, NAPT_MAP_STATIC);
	CHECK(!e->m_null);
	CHECK_EQ(ntohs(e->ext_port), 80);
	/* inbound is the gateway's own again (80: below the range) */
	CHECK_EQ(in_udp(t, REM1, 53, 80, &to, NULL), NF_ACCEPT);
	CHECK_EQX(to, EXT1);
	ut_gc_all(t);
	CHECK_EQ(ut_nsess(t), 0);

	/* a renewal moves the end of the lease */
	REQUIRE_EQ(ut_static(t, IPPROTO_TCP, HOST(10), 22, 2222, 0, 60, NULL,
			     false, &m), 0);
	kc_advance(50);
	REQUIRE_EQ(ut_static(t, IPPROTO_TCP, HOST(10), 22, 2222, 0, 60, NULL,
			     true, NULL), 0);
	kc_advance(50);
	ut_gc_all(t);
	CHECK_EQ(ut_nmaps(t), 1);
	kc_advance(10);
	ut_gc_all(t);
	CHECK_EQ(ut_nmaps(t), 0);
	CHECK_EQ(ut_stat(t, NAPT_STAT_MAPS_EXPIRED), 2);
	ut_nat_free(t);
}

static void static_permanent_never_expires(void)
{
	struct ut_nat *t = ut_nat_default();
	struct napt_map *m;

	REQUIRE(t);
	REQUIRE_EQ(ut_static(t, IPPROTO_UDP, HOST(10), 8080, 80, 0, 0, NULL,
			     false, &m), 0);
	/* across the wrap of the seconds clock too */
	jiffies = (unsigned long)(0xffffffffUL - 10) * HZ;
	ut_gc_all(t);
	kc_advance(20);
	ut_gc_all(t);
	kc_advance(1000000);
	CHECK_EQ(napt_gc_step(&t->nn, napt_now(), 1U << 30), 0);
	CHECK_EQ(ut_nmaps(t), 1);
	CHECK(ut_lookup_in(t, IPPROTO_UDP, EXT1, htons(80), REM2) == m);
	CHECK_EQ(ut_stat(t, NAPT_STAT_MAPS_EXPIRED), 0);
	CHECK_EQ(nev(0, NAPT_EVENT_REMOVED, NAPT_REASON_EXPIRED), 0);
	ut_nat_free(t);
}

static void static_del(void)
{
	struct ut_nat *t = ut_nat_default();
	const struct kc_event *e;
	struct napt_map *m;
	unsigned int ev;

	REQUIRE(t);
	CHECK_EQ(napt_static_del(&t->nn, IPPROTO_UDP, EXT1, htons(80), 0),
		 -ENOENT);
	REQUIRE_EQ(ut_static(t, IPPROTO_UDP, HOST(10), 8080, 80, 0, 0, NULL,
			     false, &m), 0);
	CHECK_EQ(out_udp(t, HOST(10), 8080, REM1, 53), 80);
	CHECK_EQ(ut_nsess(t), 1);
	/* a dynamic mapping is not a static one */
	CHECK_EQ(out_udp(t, HOST(11), 6000, REM1, 53), 6000);
	CHECK_EQ(napt_static_del(&t->nn, IPPROTO_UDP, EXT1, htons(6000), 0),
		 -ENOENT);
	/* every part of the name counts */
	CHECK_EQ(napt_static_del(&t->nn, IPPROTO_TCP, EXT1, htons(80), 0),
		 -ENOENT);
	CHECK_EQ(napt_static_del(&t->nn, IPPROTO_UDP, EXT2, htons(80), 0),
		 -ENOENT);
	CHECK_EQ(napt_static_del(&t->nn, IPPROTO_UDP, EXT1, htons(81), 0),
		 -ENOENT);
	CHECK_EQ(napt_static_del(&t->nn, IPPROTO_UDP, EXT1, htons(80), REM1),
		 -ENOENT);
	CHECK_EQ(ut_nmaps(t), 2);
	ev = kc_nevents;
	CHECK_EQ(napt_static_del(&t->nn, IPPROTO_UDP, EXT1, htons(80), 0), 0);
	CHECK_EQ(ut_nmaps(t), 1);
	CHECK(ut_lookup_in(t, IPPROTO_UDP, EXT1, htons(80), REM1) == NULL);
	CHECK(static_out(t, IPPROTO_UDP, HOST(10), 8080, 0) == NULL);
	REQUIRE_EQ(kc_nevents, ev + 1);
	e = &kc_events[ev];
	CHECK_EQ(e->event, NAPT_EVENT_REMOVED);
	CHECK_EQ(e->reason, NAPT_REASON_DELETED);
	CHECK_EQ(e->type, NAPT_MAP_STATIC);
	CHECK_EQX(e->int_addr, HOST(10));
	CHECK_EQ(ntohs(e->ext_port), 80);
	CHECK_EQ(napt_static_del(&t->nn, IPPROTO_UDP, EXT1, htons(80), 0),
		 -ENOENT);
	/* its session goes at the next sweep, the other mapping's stays */
	ut_gc_all(t);
	CHECK_EQ(ut_nsess(t), 1);
	CHECK_EQ(ut_stat(t, NAPT_STAT_MAPS_EXPIRED), 0);
	/* the inside endpoint is dynamic again */
	CHECK_EQ(out_udp(t, HOST(10), 8080, REM1, 53), 8080);
	ut_nat_free(t);
}

/* napt_static_rehome() under the instance mutex, as its callers hold it */
static unsigned int rehome(struct ut_nat *t, const struct napt_cfg *cfg,
			   __be32 if_addr)
{
	unsigned int n;

	mutex_lock(&t->nn.lock);
	n = napt_static_rehome(&t->nn, cfg, if_addr);
	mutex_unlock(&t->nn.lock);
	return n;
}

/* a static mapping of @host:@port on @ext:@ext_port */
static int static_on(struct ut_nat *t, __be32 host, u16 port, __be32 ext,
		     u16 ext_port, u32 lease, const char *desc)
{
	struct napt_static_req r = {};

	r.proto = IPPROTO_UDP;
	r.int_addr = host;
	r.int_port = htons(port);
	r.ext_addr = ext;
	r.ext_port = htons(ext_port);
	r.lease = lease;
	r.desc = desc;
	r.owner = NAPT_OWNER_UPNP;
	return ut_static_req(t, &r, NULL);
}

/* an inside host whose mappings use @ext under @cfg */
static __be32 host_on(struct ut_nat *t, const struct napt_cfg *cfg,
		      __be32 ext, unsigned int from)
{
	unsigned int n;

	for (n = from; n < 250; n++)
		if (napt_pick_ext_addr(&t->nn, cfg, HOST(n)) == ext)
			return HOST(n);
	return 0;
}

/*
 * The external address changes: a static mapping moves to the new one on
 * its port, with its data and lease end; the old address no longer has
 * it; REMOVED (address) then CREATED tell it.
 */
static void static_rehome_moves(void)
{
	struct ut_nat *t = ut_nat_default();
	struct napt_cfg c;
	struct napt_map *m, *d;
	const struct kc_event *e;
	unsigned int ev;
	u32 end;
	__be32 to;
	u16 to_port;

	REQUIRE(t);
	REQUIRE_EQ(static_on(t, HOST(10), 8080, EXT1, 8080, 600, "web"), 0);
	CHECK_EQ(out_udp(t, HOST(11), 5000, REM1, 53), 5000);
	d = dyn_of(t, IPPROTO_UDP, HOST(11), 5000);
	m = ut_lookup_in(t, IPPROTO_UDP, EXT1, htons(8080), REM1);
	REQUIRE(m && d);
	end = m->expires;
	kc_advance(100);
	ev = kc_nevents;

	c = t->cfg;
	c.ext[0] = EXT2;
	CHECK_EQ(rehome(t, &c, 0), 1);
	t->cfg = c;
	ut_ports_sync(t, &t->cfg);
	CHECK(ut_lookup_in(t, IPPROTO_UDP, EXT1, htons(8080), REM1) == NULL);
	m = ut_lookup_in(t, IPPROTO_UDP, EXT2, htons(8080), REM1);
	REQUIRE(m);
	CHECK_EQ(m->type, NAPT_MAP_STATIC);
	CHECK(st_of(m) && !strcmp(st_of(m)->desc, "web"));
	CHECK(st_of(m) && st_of(m)->owner == NAPT_OWNER_UPNP);
	CHECK(st_of(m) && st_of(m)->lease == 600);
	CHECK_EQ(m->expires, end);
	CHECK(static_out(t, IPPROTO_UDP, HOST(10), 8080, 0) == m);
	/* the dynamic mapping is napt_set()'s business, not this one's */
	CHECK(dyn_of(t, IPPROTO_UDP, HOST(11), 5000) == d);
	CHECK_EQ(ut_nmaps(t), 2);
	REQUIRE_EQ(kc_nevents, ev + 2);
	e = &kc_events[ev];
	CHECK_EQ(e->event, NAPT_EVENT_REMOVED);
	CHECK_EQ(e->reason, NAPT_REASON_ADDRESS);
	CHECK_EQX(e->ext_addr, EXT1);
	e = &kc_events[ev + 1];
	CHECK_EQ(e->event, NAPT_EVENT_CREATED);
	CHECK_EQ(e->type, NAPT_MAP_STATIC);
	CHECK_EQX(e->ext_addr, EXT2);
	CHECK_EQ(ntohs(e->ext_port), 8080);

	/* it works on the new address, both ways */
	CHECK_EQ(out_udp(t, HOST(10), 8080, REM1, 53), 8080);
	{
		u8 pkt[UT_PKT_MAX];
		unsigned int len = ut_udp(pkt, REM2, 999, EXT2, 8080, 12);

		CHECK_EQ(ut_in(t, pkt, len), NF_ACCEPT);
		to = ut_daddr(pkt);
		to_port = ut_dport(pkt);
		CHECK_EQX(to, HOST(10));
		CHECK_EQ(to_port, 8080);
	}
	/* nothing is left to move; the lease still ends when it did */
	CHECK_EQ(rehome(t, &t->cfg, 0), 0);
	kc_advance(501);
	ut_gc_all(t);
	CHECK(ut_lookup_in(t, IPPROTO_UDP, EXT2, htons(8080), REM1) == NULL);
	/* the static one and the dynamic one, each once */
	CHECK_EQ(nev(ev, NAPT_EVENT_REMOVED, NAPT_REASON_EXPIRED), 2);
	CHECK_EQ(ut_nmaps(t), 0);
	ut_nat_free(t);
}

/*
 * The new address has the port in use by another host's dynamic mapping:
 * the static mapping cannot move and is removed (REMOVED, address); the
 * dynamic one stays.
 */
static void static_rehome_conflict(void)
{
	struct ut_nat *t = ut_nat_default();
	struct napt_cfg c;
	__be32 a, b;
	unsigned int ev;

	REQUIRE(t);
	t->cfg.n_ext = 2;
	t->cfg.ext[1] = EXT2;
	ut_ports_sync(t, &t->cfg);
	a = host_on(t, &t->cfg, EXT1, 2);
	b = host_on(t, &t->cfg, EXT2, 2);
	REQUIRE(a && b);
	REQUIRE_EQ(static_on(t, a, 7000, EXT1, 7000, 0, NULL), 0);
	/* b's dynamic mapping keeps its port 7000 on EXT2 */
	CHECK_EQ(out_udp(t, b, 7000, REM1, 53), 7000);
	CHECK(ut_lookup_in(t, IPPROTO_UDP, EXT2, htons(7000), REM1) != NULL);
	ev = kc_nevents;

	c = t->cfg;
	c.n_ext = 1;
	c.ext[0] = EXT2;
	CHECK_EQ(rehome(t, &c, 0), 1);
	t->cfg = c;
	ut_ports_sync(t, &t->cfg);
	CHECK(ut_lookup_in(t, IPPROTO_UDP, EXT1, htons(7000), REM1) == NULL);
	CHECK(static_out(t, IPPROTO_UDP, a, 7000, 0) == NULL);
	CHECK_EQ(nev(ev, NAPT_EVENT_REMOVED, NAPT_REASON_ADDRESS), 1);
	CHECK_EQ(nev(ev, NAPT_EVENT_CREATED, NAPT_REASON_NONE), 0);
	CHECK(dyn_of(t, IPPROTO_UDP, b, 7000) != NULL);
	CHECK_EQ(ut_nmaps(t), 1);
	ut_nat_free(t);
}

/*
 * The interface lost its address: static mappings stay where they are
 * until one comes, and a delete without an address still finds them.
 */
static void static_rehome_waits_for_an_address(void)
{
	struct ut_nat *t = ut_nat_default();

	REQUIRE(t);
	t->cfg.n_ext = 0;
	t->nn.if_addr = EXT1;
	ut_ports_sync(t, &t->cfg);
	REQUIRE_EQ(static_on(t, HOST(10), 8080, 0, 8080, 0, NULL), 0);
	CHECK(ut_lookup_in(t, IPPROTO_UDP, EXT1, htons(8080), REM1) != NULL);
	t->nn.if_addr = 0;
	CHECK_EQ(rehome(t, &t->cfg, 0), 0);
	CHECK(ut_lookup_in(t, IPPROTO_UDP, EXT1, htons(8080), REM1) != NULL);
	CHECK_EQ(napt_static_del(&t->nn, IPPROTO_UDP, 0, htons(8080), 0), 0);
	CHECK_EQ(ut_nmaps(t), 0);
	/* and one that comes moves them: another static, another address */
	t->nn.if_addr = EXT1;
	REQUIRE_EQ(static_on(t, HOST(10), 8081, 0, 8081, 0, NULL), 0);
	t->nn.if_addr = 0;
	CHECK_EQ(rehome(t, &t->cfg, EXT2), 1);
	t->nn.if_addr = EXT2;
	CHECK(ut_lookup_in(t, IPPROTO_UDP, EXT2, htons(8081), REM1) != NULL);
	ut_nat_free(t);
}

/* A delete without an address: the only mapping on that port, anywhere. */
static void static_del_any_address(void)
{
	struct ut_nat *t = ut_nat_default();

	REQUIRE(t);
	t->cfg.n_ext = 2;
	t->cfg.ext[1] = EXT2;
	REQUIRE_EQ(static_on(t, HOST(10), 9000, EXT1, 9000, 0, NULL), 0);
	REQUIRE_EQ(static_on(t, HOST(11), 9000, EXT2, 9000, 0, NULL), 0);
	CHECK_EQ(napt_static_del(&t->nn, IPPROTO_UDP, 0, htons(9000), 0),
		 -ENOTUNIQ);
	CHECK_EQ(ut_nmaps(t), 2);
	CHECK_EQ(napt_static_del(&t->nn, IPPROTO_UDP, 0, htons(9001), 0),
		 -ENOENT);
	CHECK_EQ(napt_static_del(&t->nn, IPPROTO_UDP, EXT1, htons(9000), 0),
		 0);
	CHECK_EQ(napt_static_del(&t->nn, IPPROTO_UDP, 0, htons(9000), 0), 0);
	CHECK(static_out(t, IPPROTO_UDP, HOST(11), 9000, 0) == NULL);
	CHECK_EQ(napt_static_del(&t->nn, IPPROTO_UDP, 0, htons(9000), 0),
		 -ENOENT);
	CHECK_EQ(ut_nmaps(t), 0);
	ut_nat_free(t);
}

static int nst(struct ut_nat *t, u8 owner)
{
	return atomic_read(&t->nn.nstatic[owner]);
}

/*
 * The static mappings of each owner are counted (GET_CONFIG shows them,
 * igdd caps its own by them): made, promoted, renewed under another
 * owner, moved, deleted, expired, flushed.
 */
static void static_owner_counts(void)
{
	struct ut_nat *t = ut_nat_default();
	struct napt_static_req r = {};
	struct napt_cfg c;

	REQUIRE(t);
	CHECK_EQ(nst(t, NAPT_OWNER_ADMIN), 0);
	REQUIRE_EQ(ut_static(t, IPPROTO_UDP, HOST(10), 8080, 8080, 0, 0, NULL,
			     false, NULL), 0);
	r.proto = IPPROTO_UDP;
	r.int_addr = HOST(11);
	r.int_port = htons(9000);
	r.ext_port = htons(9000);
	r.owner = NAPT_OWNER_UPNP;
	r.lease = 30;
	REQUIRE_EQ(ut_static_req(t, &r, NULL), 0);
	CHECK_EQ(nst(t, NAPT_OWNER_ADMIN), 1);
	CHECK_EQ(nst(t, NAPT_OWNER_UPNP), 1);
	/* a dynamic mapping promoted */
	CHECK_EQ(out_udp(t, HOST(12), 7000, REM1, 53), 7000);
	r.int_addr = HOST(12);
	r.int_port = r.ext_port = htons(7000);
	r.owner = NAPT_OWNER_PCP;
	r.lease = 0;
	REQUIRE_EQ(ut_static_req(t, &r, NULL), 0);
	CHECK_EQ(nst(t, NAPT_OWNER_PCP), 1);
	/* renewed by another mechanism: moves between the counts */
	r.owner = NAPT_OWNER_NATPMP;
	r.replace = true;
	REQUIRE_EQ(ut_static_req(t, &r, NULL), 0);
	CHECK_EQ(nst(t, NAPT_OWNER_PCP), 0);
	CHECK_EQ(nst(t, NAPT_OWNER_NATPMP), 1);
	/* moved to another address: counted once */
	c = t->cfg;
	c.ext[0] = EXT2;
	CHECK_EQ(rehome(t, &c, 0), 3);
	t->cfg = c;
	CHECK_EQ(nst(t, NAPT_OWNER_ADMIN) + nst(t, NAPT_OWNER_UPNP) +
		 nst(t, NAPT_OWNER_NATPMP), 3);
	/* deleted, expired, flushed */
	CHECK_EQ(napt_static_del(&t->nn, IPPROTO_UDP, EXT2, htons(8080), 0), 0);
	CHECK_EQ(nst(t, NAPT_OWNER_ADMIN), 0);
	kc_advance(31);
	ut_gc_all(t);
	CHECK_EQ(nst(t, NAPT_OWNER_UPNP), 0);
	napt_flush(&t->nn, NAPT_MAP_STATIC, 0);
	CHECK_EQ(nst(t, NAPT_OWNER_NATPMP), 0);
	ut_nat_free(t);
}

static void static_flush_selectors(void)
{
	struct ut_nat *t = ut_nat_default();
	unsigned int ev, i;

	REQUIRE(t);
	CHECK_NE(out_udp(t, HOST(1), 1111, REM1, 53), 0);
	CHECK_NE(out_tcp(t, HOST(2), 2222, REM1, 80, UT_SYN), 0);
	REQUIRE_EQ(ut_static(t, IPPROTO_UDP, HOST(3), 3333, 3333, 0, 0, NULL,
			     false, NULL), 0);
	REQUIRE_EQ(ut_static(t, IPPROTO_TCP, HOST(4), 4444, 4444, REM1, 0,
			     NULL, false, NULL), 0);
	{
		struct napt_static_req r = {};
		struct napt_map *m;

		/* on a second address, given explicitly */
		t->cfg.n_ext = 2;
		t->cfg.ext[1] = EXT2;
		r.proto = IPPROTO_UDP;
		r.int_addr = HOST(5);
		r.int_port = htons(5555);
		r.ext_addr = EXT2;
		r.ext_port = htons(5555);
		REQUIRE_EQ(ut_static_req(t, &r, &m), 0);
		CHECK_EQX(m->ext_addr, EXT2);
		CHECK(ut_lookup_in(t, IPPROTO_UDP, EXT2, htons(5555), REM1) ==
		      m);
	}
	CHECK_EQ(ut_nmaps(t), 5);
	ev = kc_nevents;
	CHECK_EQ(napt_flush(&t->nn, NAPT_MAP_STATIC, EXT2), 1);
	CHECK_EQ(napt_flush(&t->nn, NAPT_MAP_STATIC, 0), 2);
	CHECK_EQ(ut_nmaps(t), 2);
	CHECK_EQ(nev(ev, NAPT_EVENT_REMOVED, NAPT_REASON_FLUSHED), 3);
	for (i = ev; i < kc_nevents; i++)
		CHECK_EQ(kc_events[i].type, NAPT_MAP_STATIC);
	ev = kc_nevents;
	CHECK_EQ(napt_flush(&t->nn, NAPT_MAP_STATIC, 0), 0);
	CHECK_EQ(napt_flush(&t->nn, NAPT_MAP_DYNAMIC, 0), 2);
	CHECK_EQ(ut_nmaps(t), 0);
	CHECK_EQ(nev(ev, NAPT_EVENT_REMOVED, NAPT_REASON_FLUSHED), 2);
	for (i = ev; i < kc_nevents; i++)
		CHECK_EQ(kc_events[i].type, NAPT_MAP_DYNAMIC);
	ut_nat_free(t);
}

static void static_add_errors(void)
{
	struct ut_nat *t = ut_nat_default();
	struct napt_map *m;

	REQUIRE(t);
	/* no external address at all */
	t->cfg.n_ext = 0;
	t->nn.if_addr = 0;
	CHECK_EQ(ut_static(t, IPPROTO_UDP, HOST(10), 80, 80, 0, 0, NULL,
			   false, NULL), -EADDRNOTAVAIL);
	/* the interface's address */
	t->nn.if_addr = ip4(203, 0, 113, 50);
	REQUIRE_EQ(ut_static(t, IPPROTO_UDP, HOST(10), 80, 80, 0, 0, NULL,
			     false, &m), 0);
	CHECK_EQX(m->ext_addr, ip4(203, 0, 113, 50));
	t->cfg.n_ext = 1;

	/* max-maps counts static mappings too */
	t->cfg.max_maps = 2;
	CHECK_EQ(ut_static(t, IPPROTO_UDP, HOST(10), 81, 81, 0, 0, NULL,
			   false, NULL), 0);
	CHECK_EQ(ut_static(t, IPPROTO_UDP, HOST(10), 82, 82, 0, 0, NULL,
			   false, NULL), -ENOSPC);
	CHECK_EQ(ut_nmaps(t), 2);
	t->cfg.max_maps = 100;

	/* out of memory, for either object */
	kc_fail_static_alloc = 1;
	CHECK_EQ(ut_static(t, IPPROTO_UDP, HOST(10), 82, 82, 0, 0, NULL,
			   false, NULL), -ENOMEM);
	kc_fail_map_alloc = 1;
	CHECK_EQ(ut_static(t, IPPROTO_UDP, HOST(10), 82, 82, 0, 0, NULL,
			   false, NULL), -ENOMEM);
	CHECK_EQ(ut_nmaps(t), 2);
	CHECK_EQ(ut_static(t, IPPROTO_UDP, HOST(10), 82, 82, 0, 0, NULL,
			   false, NULL), 0);

	/* several addresses: the one the host's dynamic mappings use */
	t->cfg.n_ext = 3;
	t->cfg.ext[1] = EXT2;
	t->cfg.ext[2] = ip4(203, 0, 113, 3);
	{
		unsigned int h;

		for (h = 20; h < 30; h++) {
			u16 p = out_udp(t, HOST(h), 7000, REM1, 53);
			struct napt_map *d = dyn_of(t, IPPROTO_UDP, HOST(h),
						    7000);

			REQUIRE(p && d);
			REQUIRE_EQ(ut_static(t, IPPROTO_TCP, HOST(h), 8000, 0,
					     0, 0, NULL, false, &m), 0);
			CHECK_EQX(m->ext_addr, d->ext_addr);
			CHECK_EQX(m->ext_addr,
				  napt_pick_ext_addr(&t->nn, &t->cfg, HOST(h)));
		}
	}
	ut_nat_free(t);
}

/* Outbound, a static mapping beats the mapping behaviour. */
static void static_outbound_beats_behaviour(void)
{
	static const u8 behaviours[] = { NAPT_MAPPING_EIM, NAPT_MAPPING_ADM,
					 NAPT_MAPPING_APDM };
	unsigned int b;

	for (b = 0; b < ARRAY_SIZE(behaviours); b++) {
		struct ut_nat *t = ut_nat_default();
		struct napt_map *m;

		REQUIRE(t);
		t->cfg.mapping[NAPT_UDP] = behaviours[b];
		t->cfg.mapping[NAPT_TCP] = behaviours[b];
		REQUIRE_EQ(ut_static(t, IPPROTO_UDP, HOST(10), 5000, 6000, 0,
				     0, NULL, false, &m), 0);
		CHECK_EQ(out_udp(t, HOST(10), 5000, REM1, 53), 6000);
		CHECK_EQ(out_udp(t, HOST(10), 5000, REM1, 54), 6000);
		CHECK_EQ(out_udp(t, HOST(10), 5000, REM2, 53), 6000);
		CHECK_EQ(ut_nmaps(t), 1);		/* no dynamic one made */
		CHECK_EQ(atomic_read(&m->nsess), 3);
		CHECK_EQ(m->expires, 0);	/* traffic sets no timer */
		/* TCP too, restricted to one remote */
		REQUIRE_EQ(ut_static(t, IPPROTO_TCP, HOST(10), 22, 2222, REM1,
				     0, NULL, false, &m), 0);
		CHECK_EQ(out_tcp(t, HOST(10), 22, REM1, 40000,
				 UT_SYN | UT_ACK), 2222);
		CHECK_EQ(out_tcp(t, HOST(10), 22, REM1, 40001, UT_ACK), 2222);
		CHECK_EQ(ut_nmaps(t), 2);
		/* to another remote, the behaviour applies again */
		CHECK_NE(out_tcp(t, HOST(10), 22, REM2, 40000, UT_SYN), 0);
		CHECK_EQ(ut_nmaps(t), 3);
		ut_nat_free(t);
	}
}

/*
 * The contract has no exception for a dynamic mapping made before the
 * static one: "its packets leave from the mapped port, whatever the
 * mapping and filtering behaviours" (NAPT_CMD_ADD_MAP).
 */
static void static_outbound_beats_older_dynamic(void)
{
	static const u8 behaviours[] = { NAPT_MAPPING_ADM,
					 NAPT_MAPPING_APDM };
	unsigned int b;

	for (b = 0; b < ARRAY_SIZE(behaviours); b++) {
		struct ut_nat *t = ut_nat_default();
		unsigned int ev;
		u16 dyn;

		REQUIRE(t);
		t->cfg.mapping[NAPT_UDP] = behaviours[b];
		t->cfg.port_min = 30000;	/* not the inside port */
		t->cfg.flags &= ~NAPT_F_PORT_PRESERVE;
		dyn = out_udp(t, HOST(10), 5000, REM1, 53);
		CHECK_RANGE(dyn, 30000, 65535);
		CHECK_RANGE(out_udp(t, HOST(10), 5000, REM2, 53), 30000,
			    65535);
		/* another endpoint's mappings stay */
		CHECK_RANGE(out_udp(t, HOST(10), 5001, REM2, 53), 30000,
			    65535);
		CHECK_EQ(ut_nmaps(t), 3);
		ev = kc_nevents;
		REQUIRE_EQ(ut_static(t, IPPROTO_UDP, HOST(10), 5000, 6000, 0,
				     0, NULL, false, NULL), 0);
		/* the endpoint's dynamic mappings went, flushed */
		CHECK_EQ(ut_nmaps(t), 2);
		CHECK_EQ(nev(ev, NAPT_EVENT_REMOVED, NAPT_REASON_FLUSHED), 2);
		CHECK_EQ(nev(ev, NAPT_EVENT_CREATED, NAPT_REASON_NONE), 1);
		CHECK_EQ(out_udp(t, HOST(10), 5000, REM1, 53), 6000);
		CHECK_EQ(out_udp(t, HOST(10), 5000, REM2, 53), 6000);
		CHECK_EQ(ut_nmaps(t), 2);
		ut_nat_free(t);
	}
	/* EIM: a mapping restricted to REM1, after talking to REM2 */
	{
		struct ut_nat *t = ut_nat_default();

		REQUIRE(t);
		CHECK_EQ(out_udp(t, HOST(10), 5000, REM2, 53), 5000);
		REQUIRE_EQ(ut_static(t, IPPROTO_UDP, HOST(10), 5000, 6000,
				     REM1, 0, NULL, false, NULL), 0);
		CHECK_EQ(out_udp(t, HOST(10), 5000, REM1, 53), 6000);
		ut_nat_free(t);
	}
}

/* Inbound, a static mapping takes any remote whatever the filtering. */
static void static_inbound_any_remote(void)
{
	static const u8 filters[] = { NAPT_FILTER_EIF, NAPT_FILTER_ADF,
				      NAPT_FILTER_APDF };
	unsigned int f;

	for (f = 0; f < ARRAY_SIZE(filters); f++) {
		struct ut_nat *t = ut_nat_default();
		u8 pkt[UT_PKT_MAX];
		unsigned int len;
		__be32 to;
		u16 to_port;

		REQUIRE(t);
		t->cfg.filtering[NAPT_UDP] = filters[f];
		t->cfg.filtering[NAPT_TCP] = filters[f];
		REQUIRE_EQ(ut_static(t, IPPROTO_UDP, HOST(10), 5000, 6000, 0,
				     0, NULL, false, NULL), 0);
		REQUIRE_EQ(ut_static(t, IPPROTO_TCP, HOST(10), 22, 2222, 0,
				     0, NULL, false, NULL), 0);
		CHECK_EQ(in_udp(t, REM1, 1, 6000, &to, &to_port), NF_ACCEPT);
		CHECK_EQX(to, HOST(10));
		CHECK_EQ(to_port, 5000);
		CHECK_EQ(in_udp(t, REM2, 2, 6000, &to, &to_port), NF_ACCEPT);
		CHECK_EQX(to, HOST(10));
		CHECK_EQ(to_port, 5000);
		len = ut_tcp(pkt, REM2, 40000, EXT1, 2222, UT_SYN, 0);
		CHECK_EQ(ut_in(t, pkt, len), NF_ACCEPT);
		CHECK_EQX(ut_daddr(pkt), HOST(10));
		CHECK_EQ(ut_dport(pkt), 22);
		CHECK(ut_pkt_ok(pkt));
		CHECK_EQ(ut_nsess(t), 0);
		CHECK_EQ(ut_stat(t, NAPT_STAT_DROP_FILTERED), 0);
		CHECK_EQ(ut_stat(t, NAPT_STAT_IN_PKTS), 3);
		/* the answer makes the session, from the static port */
		CHECK_EQ(out_tcp(t, HOST(10), 22, REM2, 40000,
				 UT_SYN | UT_ACK), 2222);
		CHECK_EQ(ut_nsess(t), 1);
		ut_nat_free(t);
	}
}

const struct ut_case ut_static_cases[] = {
	UT_CASE(static_add_explicit_port),
	UT_CASE(static_add_port_omitted),
	UT_CASE(static_renew_replace),
	UT_CASE(static_owner_cookie),
	UT_CASE(static_mark),
	UT_CASE(static_eexist),
	UT_CASE(static_eaddrinuse),
	UT_CASE(static_promote_dynamic),
	UT_CASE(static_dynamic_gives_way),
	UT_CASE(static_two_remotes_one_port),
	UT_CASE(static_remote_restriction),
	UT_CASE(static_lease_expiry),
	UT_CASE(static_permanent_never_expires),
	UT_CASE(static_del),
	UT_CASE(static_rehome_moves),
	UT_CASE(static_rehome_conflict),
	UT_CASE(static_rehome_waits_for_an_address),
	UT_CASE(static_del_any_address),
	UT_CASE(static_owner_counts),
	UT_CASE(static_flush_selectors),
	UT_CASE(static_add_errors),
	UT_CASE(static_outbound_beats_behaviour),
	UT_CASE(static_outbound_beats_older_dynamic),
	UT_CASE(static_inbound_any_remote),
	UT_END
};
