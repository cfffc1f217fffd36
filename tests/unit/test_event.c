// SPDX-License-Identifier: GPL-2.0
/*
 * test_event.c: what napt_event() is told (NAPT_CMD_MAP_EVENT): a mapping
 * made, removed, or refused, with the reason.
 *
 * napt_event() is given a struct napt_ev, which has no field for a remote
 * endpoint: under ADM and APDM too, the environment never has one in hand
 * (uapi: "No remote address is ever sent"; RFC 6888 REQ-12).
 */
#include "ut.h"

static unsigned int out_udp(struct ut_nat *t, __be32 host, u16 port,
			    __be32 rem, u16 rport)
{
	u8 pkt[UT_PKT_MAX];
	unsigned int len = ut_udp(pkt, host, port, rem, rport, 8);

	return ut_out(t, pkt, len);
}

static const struct kc_event *ev(unsigned int i)
{
	static const struct kc_event none;

	if (!CHECK(i < kc_nevents && i < KC_EVENTS_MAX))
		return &none;
	return &kc_events[i];
}

static unsigned int count(u8 event, u8 reason)
{
	unsigned int i, n = 0;

	for (i = 0; i < kc_nevents && i < KC_EVENTS_MAX; i++)
		n += kc_events[i].event == event &&
		     kc_events[i].reason == reason;
	return n;
}

static void event_created(void)
{
	struct ut_nat *t = ut_nat_default();
	struct napt_okey k = ut_key(IPPROTO_UDP, HOST(10), 5000);
	const struct kc_event *e;
	struct napt_map *m;

	REQUIRE(t);
	CHECK_EQ(out_udp(t, HOST(10), 5000, REM1, 53), NF_ACCEPT);
	m = napt_map_lookup_out(&t->nn, &k);
	REQUIRE(m);
	REQUIRE_EQ(kc_nevents, 1);
	e = ev(0);
	CHECK_EQ(e->event, NAPT_EVENT_CREATED);
	CHECK_EQ(e->reason, NAPT_REASON_NONE);
	CHECK(!e->m_null);
	CHECK_EQ(e->type, NAPT_MAP_DYNAMIC);
	CHECK_EQ(e->proto, IPPROTO_UDP);
	CHECK_EQX(e->int_addr, HOST(10));
	CHECK_EQ(ntohs(e->int_port), 5000);
	CHECK_EQX(e->ext_addr, EXT1);
	CHECK_EQ(ntohs(e->ext_port), 5000);
	/* more traffic on it, new sessions: no more events */
	CHECK_EQ(out_udp(t, HOST(10), 5000, REM1, 53), NF_ACCEPT);
	CHECK_EQ(out_udp(t, HOST(10), 5000, REM2, 53), NF_ACCEPT);
	CHECK_EQ(kc_nevents, 1);
	/* one per mapping, any protocol */
	{
		u8 pkt[UT_PKT_MAX];
		unsigned int len = ut_icmp(pkt, HOST(10), REM1, ICMP_ECHO, 0,
					   99, 1, 0);

		CHECK_EQ(ut_out(t, pkt, len), NF_ACCEPT);
		len = ut_tcp(pkt, HOST(10), 5000, REM1, 80, UT_SYN, 0);
		CHECK_EQ(ut_out(t, pkt, len), NF_ACCEPT);
	}
	REQUIRE_EQ(kc_nevents, 3);
	CHECK_EQ(ev(1)->proto, IPPROTO_ICMP);
	CHECK_EQ(ntohs(ev(1)->int_port), 99);
	CHECK_EQ(ev(2)->proto, IPPROTO_TCP);
	CHECK_EQ(count(NAPT_EVENT_CREATED, NAPT_REASON_NONE), 3);
	ut_nat_free(t);
}

static void event_expired(void)
{
	struct ut_nat *t = ut_nat_default();
	const struct kc_event *e;

	REQUIRE(t);
	CHECK_EQ(out_udp(t, HOST(10), 5000, REM1, 53), NF_ACCEPT);
	kc_advance(299);
	napt_gc_step(&t->nn, napt_now(), 1U << 30);
	CHECK_EQ(kc_nevents, 1);
	kc_advance(1);
	napt_gc_step(&t->nn, napt_now(), 1U << 30);
	REQUIRE_EQ(kc_nevents, 2);
	e = ev(1);
	CHECK_EQ(e->event, NAPT_EVENT_REMOVED);
	CHECK_EQ(e->reason, NAPT_REASON_EXPIRED);
	CHECK(!e->m_null);
	CHECK_EQ(e->type, NAPT_MAP_DYNAMIC);
	CHECK_EQX(e->int_addr, HOST(10));
	CHECK_EQ(ntohs(e->int_port), 5000);
	CHECK_EQX(e->ext_addr, EXT1);
	CHECK_EQ(ntohs(e->ext_port), 5000);
	/* once */
	kc_advance(1000);
	napt_gc_step(&t->nn, napt_now(), 1U << 30);
	CHECK_EQ(kc_nevents, 2);
	ut_nat_free(t);
}

static void event_flushed(void)
{
	struct ut_nat *t = ut_nat_default();
	unsigned int i;

	REQUIRE(t);
	for (i = 0; i < 5; i++)
		CHECK_EQ(out_udp(t, HOST(1 + i), 5000, REM1, 53), NF_ACCEPT);
	CHECK_EQ(kc_nevents, 5);
	CHECK_EQ(napt_flush(&t->nn, NAPT_MAP_ANY, 0), 5);
	REQUIRE_EQ(kc_nevents, 10);
	CHECK_EQ(count(NAPT_EVENT_REMOVED, NAPT_REASON_FLUSHED), 5);
	for (i = 5; i < 10; i++) {
		CHECK(!ev(i)->m_null);
		CHECK_EQX(ev(i)->ext_addr, EXT1);
	}
	/* each mapping once */
	for (i = 0; i < 5; i++) {
		unsigned int j, n = 0;

		for (j = 5; j < 10; j++)
			n += ev(j)->int_addr == HOST(1 + i);
		CHECK_EQ(n, 1);
	}
	ut_nat_free(t);
}

static void event_refused(void)
{
	struct ut_nat *t = ut_nat_default();
	const struct kc_event *e;

	REQUIRE(t);
	t->cfg.port_min = 40000;
	t->cfg.port_max = 40000;
	CHECK_EQ(out_udp(t, HOST(1), 5000, REM1, 53), NF_ACCEPT);
	CHECK_EQ(out_udp(t, HOST(2), 6000, REM1, 53), NF_DROP);
	REQUIRE_EQ(kc_nevents, 2);
	e = ev(1);
	CHECK_EQ(e->event, NAPT_EVENT_REFUSED);
	CHECK_EQ(e->reason, NAPT_REASON_NO_PORT);
	CHECK(e->m_null);
	CHECK_EQ(e->proto, IPPROTO_UDP);
	CHECK_EQX(e->int_addr, HOST(2));
	CHECK_EQ(ntohs(e->int_port), 6000);
	CHECK_EQ(e->ext_addr, 0);
	CHECK_EQ(e->ext_port, 0);
	/* every refused packet is one */
	CHECK_EQ(out_udp(t, HOST(2), 6000, REM1, 53), NF_DROP);
	CHECK_EQ(count(NAPT_EVENT_REFUSED, NAPT_REASON_NO_PORT), 2);

	/* max-maps */
	t->cfg.port_min = 1024;
	t->cfg.port_max = 65535;
	t->cfg.max_maps = 1;
	CHECK_EQ(out_udp(t, HOST(3), 7000, REM1, 53), NF_DROP);
	REQUIRE_EQ(kc_nevents, 4);
	e = ev(3);
	CHECK_EQ(e->event, NAPT_EVENT_REFUSED);
	CHECK_EQ(e->reason, NAPT_REASON_LIMIT);
	CHECK(e->m_null);
	CHECK_EQX(e->int_addr, HOST(3));
	CHECK_EQ(ntohs(e->int_port), 7000);
	CHECK_EQ(atomic_read(&t->nn.nmaps), 1);
	/* no interface address: no port to give either */
	t->cfg.max_maps = 100;
	t->cfg.n_ext = 0;
	t->nn.if_addr = 0;
	CHECK_EQ(out_udp(t, HOST(3), 7000, REM1, 53), NF_DROP);
	REQUIRE_EQ(kc_nevents, 5);
	CHECK_EQ(ev(4)->event, NAPT_EVENT_REFUSED);
	CHECK_EQ(ev(4)->reason, NAPT_REASON_NO_PORT);
	/* out of memory: refused as well (the reason is not asserted) */
	t->cfg.n_ext = 1;
	kc_fail_map_alloc = 1;
	CHECK_EQ(out_udp(t, HOST(3), 7000, REM1, 53), NF_DROP);
	REQUIRE_EQ(kc_nevents, 6);
	CHECK_EQ(ev(5)->event, NAPT_EVENT_REFUSED);
	CHECK(ev(5)->m_null);
	ut_nat_free(t);
}

/*
 * Under ADM and APDM the mapping key holds the remote; the event is what
 * it would be under EIM: endpoints of the mapping only, one per mapping.
 */
static void event_key_adm_apdm(void)
{
	static const u8 behaviours[] = { NAPT_MAPPING_ADM, NAPT_MAPPING_APDM };
	unsigned int b;

	for (b = 0; b < ARRAY_SIZE(behaviours); b++) {
		struct ut_nat *t = ut_nat_default();
		const struct kc_event *e;

		REQUIRE(t);
		kc_nevents = 0;
		t->cfg.mapping[NAPT_UDP] = behaviours[b];
		CHECK_EQ(out_udp(t, HOST(10), 5000, REM1, 53), NF_ACCEPT);
		REQUIRE_EQ(kc_nevents, 1);
		e = ev(0);
		CHECK_EQ(e->event, NAPT_EVENT_CREATED);
		CHECK(!e->m_null);
		CHECK_EQX(e->int_addr, HOST(10));
		CHECK_EQ(ntohs(e->int_port), 5000);
		CHECK_EQX(e->ext_addr, EXT1);
		/* a second remote: a second mapping, a second event */
		CHECK_EQ(out_udp(t, HOST(10), 5000, REM2, 53), NF_ACCEPT);
		REQUIRE_EQ(kc_nevents, 2);
		CHECK_EQX(ev(1)->int_addr, HOST(10));
		CHECK_NE(ev(1)->ext_port, ev(0)->ext_port);
		/* refused: the inside endpoint only */
		t->cfg.max_maps = 2;
		CHECK_EQ(out_udp(t, HOST(10), 5000, ip4(198, 51, 100, 99),
				 53), NF_DROP);
		REQUIRE_EQ(kc_nevents, 3);
		e = ev(2);
		CHECK_EQ(e->event, NAPT_EVENT_REFUSED);
		CHECK(e->m_null);
		CHECK_EQX(e->int_addr, HOST(10));
		CHECK_EQ(e->ext_addr, 0);
		/* removed: each mapping's endpoints */
		napt_flush(&t->nn, NAPT_MAP_ANY, 0);
		REQUIRE_EQ(kc_nevents, 5);
		CHECK(!ev(3)->m_null && !ev(4)->m_null);
		CHECK_NE(ev(3)->ext_port, ev(4)->ext_port);
		ut_nat_free(t);
	}
}

/* Errors, hairpinned packets and refused inbound ones make no event. */
static void event_none_from_inbound(void)
{
	struct ut_nat *t = ut_nat_default();
	u8 pkt[UT_PKT_MAX], q[UT_PKT_MAX];
	unsigned int len;

	REQUIRE(t);
	CHECK_EQ(out_udp(t, HOST(10), 5000, REM1, 53), NF_ACCEPT);
	len = ut_udp(q, EXT1, 5000, REM1, 53, 8);
	len = ut_icmp_err(pkt, REM1, EXT1, ICMP_DEST_UNREACH,
			  ICMP_PORT_UNREACH, q, len);
	CHECK_EQ(ut_in(t, pkt, len), NF_ACCEPT);
	CHECK_EQX(ut_daddr(pkt), HOST(10));
	len = ut_udp(pkt, REM2, 53, EXT1, 5000, 8);
	CHECK_EQ(ut_in(t, pkt, len), NF_DROP);		/* filtered */
	len = ut_udp(pkt, REM2, 53, EXT1, 40000, 8);
	CHECK_EQ(ut_in(t, pkt, len), NF_DROP);		/* no mapping */
	CHECK_EQ(kc_nevents, 1);
	ut_nat_free(t);
}

const struct ut_case ut_event_cases[] = {
	UT_CASE(event_created),
	UT_CASE(event_expired),
	UT_CASE(event_flushed),
	UT_CASE(event_refused),
	UT_CASE(event_key_adm_apdm),
	UT_CASE(event_none_from_inbound),
	UT_END
};
