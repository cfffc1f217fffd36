/* SPDX-License-Identifier: GPL-2.0 */
/*
 * igdd: per-source rate limits that spoofed sources cannot evict.
 *
 * A fixed table of IGD_RL_BUCKETS buckets of IGD_RL_WAYS entries, the
 * bucket chosen by a keyed hash (SipHash-2-4, key from getrandom()) of
 * the source address. A source owns an entry while it was seen within
 * the idle time; a new source takes a free or idle entry of its bucket,
 * and when every entry there belongs to a live source it draws on the
 * bucket's overflow budget, shared by all who found no entry. So a
 * sender of datagrams with forged source addresses can use up only
 * its own entries and the overflow budgets: it can neither take a live
 * source's entry nor reset its tokens to a full burst, and what each
 * address is answered stays bounded.
 *
 * Tokens are counted in thousandths, refilled by elapsed milliseconds.
 * Single-threaded: the daemon's loop is the only caller.
 */
#ifndef IGDD_RATELIMIT_H
#define IGDD_RATELIMIT_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>

#define IGD_RL_BUCKETS	256
#define IGD_RL_WAYS	4

struct igd_rl_conf {
	unsigned int burst;		/* tokens an entry holds at most */
	unsigned int per_s;		/* refilled per second */
	unsigned int idle_ms;		/* unseen this long: the entry is free */
	unsigned int overflow_burst;	/* the same, for a bucket's overflow */
	unsigned int overflow_per_s;
};

struct igd_rl_entry {
	struct in_addr addr;
	uint64_t tokens;		/* thousandths */
	uint64_t last;			/* ms; 0: never used */
};

struct igd_rl {
	struct igd_rl_conf conf;
	uint64_t key[2];
	struct igd_rl_bucket {
		struct igd_rl_entry way[IGD_RL_WAYS];
		struct igd_rl_entry overflow;
	} bucket[IGD_RL_BUCKETS];
	uint64_t limited;		/* requests refused, for the logs */
};

/**
 * igd_rl_init() - empty the table and take a configuration
 * @rl: the table
 * @conf: its rates
 * @key: the hash key; NULL: random (getrandom())
 */
void igd_rl_init(struct igd_rl *rl, const struct igd_rl_conf *conf,
		 const uint64_t key[2]);

/**
 * igd_rl_take() - charge @cost tokens to @addr
 * @rl: the table
 * @addr: the source
 * @cost: tokens (SSDP: the answers a search would get; others: 1)
 * @now: a monotonic clock, milliseconds
 *
 * Return: true if the source (or, having no entry, its bucket's
 * overflow) had them, and they are taken; false: refuse the request.
 */
bool igd_rl_take(struct igd_rl *rl, struct in_addr addr, unsigned int cost,
		 uint64_t now);

/** igd_siphash() - SipHash-2-4 of @len bytes with @key (test vectors in the tests) */
uint64_t igd_siphash(const void *data, size_t len, const uint64_t key[2]);

#endif /* IGDD_RATELIMIT_H */
