// SPDX-License-Identifier: GPL-2.0
/*
 * igdd: per-source rate limits that spoofed sources cannot evict (see
 * ratelimit.h).
 */
#include <string.h>
#include <sys/random.h>

#include "ratelimit.h"

static uint64_t rotl(uint64_t x, unsigned int b)
{
	return (x << b) | (x >> (64 - b));
}

#define SIPROUND do {							\
	v0 += v1; v1 = rotl(v1, 13); v1 ^= v0; v0 = rotl(v0, 32);	\
	v2 += v3; v3 = rotl(v3, 16); v3 ^= v2;				\
	v0 += v3; v3 = rotl(v3, 21); v3 ^= v0;				\
	v2 += v1; v1 = rotl(v1, 17); v1 ^= v2; v2 = rotl(v2, 32);	\
} while (0)

uint64_t igd_siphash(const void *data, size_t len, const uint64_t key[2])
{
	const uint8_t *p = data;
	uint64_t v0 = key[0] ^ 0x736f6d6570736575ULL;
	uint64_t v1 = key[1] ^ 0x646f72616e646f6dULL;
	uint64_t v2 = key[0] ^ 0x6c7967656e657261ULL;
	uint64_t v3 = key[1] ^ 0x7465646279746573ULL;
	uint64_t m;
	size_t left = len, i;

	for (; left >= 8; left -= 8, p += 8) {
		for (m = 0, i = 0; i < 8; i++)
			m |= (uint64_t)p[i] << (8 * i);
		v3 ^= m;
		SIPROUND;
		SIPROUND;
		v0 ^= m;
	}
	for (m = (uint64_t)(len & 0xff) << 56, i = 0; i < left; i++)
		m |= (uint64_t)p[i] << (8 * i);
	v3 ^= m;
	SIPROUND;
	SIPROUND;
	v0 ^= m;
	v2 ^= 0xff;
	SIPROUND;
	SIPROUND;
	SIPROUND;
	SIPROUND;
	return v0 ^ v1 ^ v2 ^ v3;
}

void igd_rl_init(struct igd_rl *rl, const struct igd_rl_conf *conf,
		 const uint64_t key[2])
{
	memset(rl, 0, sizeof(*rl));
	rl->conf = *conf;
	if (key) {
		rl->key[0] = key[0];
		rl->key[1] = key[1];
	} else if (getrandom(rl->key, sizeof(rl->key), 0) != sizeof(rl->key)) {
		/* no entropy yet: a fixed key is still per-source fair */
		rl->key[0] = 0x6967646472617465ULL;
		rl->key[1] = 0x6c696d6974657273ULL;
	}
}

/* Refill @e to @now (at most @burst), then take @cost if it is there. */
static bool take(struct igd_rl_entry *e, unsigned int burst,
		 unsigned int per_s, unsigned int cost, uint64_t now)
{
	uint64_t cap = (uint64_t)burst * 1000;

	if (now > e->last)
		e->tokens += (now - e->last) * per_s;
	if (e->tokens > cap)
		e->tokens = cap;
	e->last = now;
	if (e->tokens < (uint64_t)cost * 1000)
		return false;
	e->tokens -= (uint64_t)cost * 1000;
	return true;
}

bool igd_rl_take(struct igd_rl *rl, struct in_addr addr, unsigned int cost,
		 uint64_t now)
{
	const struct igd_rl_conf *c = &rl->conf;
	struct igd_rl_bucket *b;
	struct igd_rl_entry *e, *free = NULL;
	unsigned int i;
	bool ok;

	b = &rl->bucket[igd_siphash(&addr.s_addr, sizeof(addr.s_addr),
				    rl->key) % IGD_RL_BUCKETS];
	for (i = 0; i < IGD_RL_WAYS; i++) {
		e = &b->way[i];
		if (e->last && e->addr.s_addr == addr.s_addr)
			goto found;
		/* unused, or its source has not been seen for the idle time */
		if (!free && (!e->last || now - e->last >= c->idle_ms))
			free = e;
	}
	if (free) {
		e = free;
		e->addr = addr;
		e->tokens = (uint64_t)c->burst * 1000;
		e->last = now;
		goto found;
	}
	/* every entry is a live source's: share the overflow */
	if (!b->overflow.last) {
		b->overflow.tokens = (uint64_t)c->overflow_burst * 1000;
		b->overflow.last = now;
	}
	ok = take(&b->overflow, c->overflow_burst, c->overflow_per_s, cost, now);
	goto out;
found:
	ok = take(e, c->burst, c->per_s, cost, now);
out:
	if (!ok)
		rl->limited++;
	return ok;
}
