// SPDX-License-Identifier: GPL-2.0
/*
 * hashcheck: bench/bhash.c's hsiphash_1u32() .. hsiphash_4u32() (SipHash
 * on words, what ubench measures) against tests/unit/kcompat_hash.c's
 * (byte by byte from the definition, what the unit tests check against
 * the kernel's vectors), linked in under ref_* names. Both must give the
 * kernel's lib/test_siphash.c values and agree on random words and keys.
 *
 *   make -C bench check
 */
#include <stdio.h>

#include "napt.h"

u32 ref_hsiphash_1u32(u32 a, const hsiphash_key_t *key);
u32 ref_hsiphash_2u32(u32 a, u32 b, const hsiphash_key_t *key);
u32 ref_hsiphash_3u32(u32 a, u32 b, u32 c, const hsiphash_key_t *key);
u32 ref_hsiphash_4u32(u32 a, u32 b, u32 c, u32 d, const hsiphash_key_t *key);

static unsigned int failures;

static void same(const char *what, unsigned int n, u32 got, u32 want)
{
	if (got == want)
		return;
	if (failures++ < 10)
		fprintf(stderr,
			"hashcheck: %s #%u: bench 0x%08x, want 0x%08x\n",
			what, n, got, want);
}

static u64 rng = 0x6e61707468617368ULL;

/* splitmix64 */
static u64 rand64(void)
{
	u64 z = (rng += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* mostly random words, some all-zero or all-one (the length byte's edges) */
static u32 word(void)
{
	u64 r = rand64();

	switch (r & 15) {
	case 0:
		return 0;
	case 1:
		return 0xffffffffu;
	}
	return (u32)(r >> 32);
}

static void check(unsigned int n, const hsiphash_key_t *k)
{
	u32 a = word(), b = word(), c = word(), d = word();

	same("1u32", n, hsiphash_1u32(a, k), ref_hsiphash_1u32(a, k));
	same("2u32", n, hsiphash_2u32(a, b, k), ref_hsiphash_2u32(a, b, k));
	same("3u32", n, hsiphash_3u32(a, b, c, k),
	     ref_hsiphash_3u32(a, b, c, k));
	same("4u32", n, hsiphash_4u32(a, b, c, d, k),
	     ref_hsiphash_4u32(a, b, c, d, k));
}

int main(void)
{
	/* lib/test_siphash.c: key 00..0f, input 00..(4n-1) */
	static const hsiphash_key_t kk = {
		{ 0x0706050403020100UL, 0x0f0e0d0c0b0a0908UL }
	};
	static const u32 kat[] = { 0x88d38328U, 0x8d299a8eU, 0x57b4d9a2U,
				   0x7d908b66U };
	const u32 w[] = { 0x03020100, 0x07060504, 0x0b0a0908, 0x0f0e0d0c };
	unsigned int i, n = 200000;
	hsiphash_key_t k;

	same("1u32 vector", 0, hsiphash_1u32(w[0], &kk), kat[0]);
	same("2u32 vector", 0, hsiphash_2u32(w[0], w[1], &kk), kat[1]);
	same("3u32 vector", 0, hsiphash_3u32(w[0], w[1], w[2], &kk), kat[2]);
	same("4u32 vector", 0, hsiphash_4u32(w[0], w[1], w[2], w[3], &kk),
	     kat[3]);
	same("1u32 unit vector", 0, ref_hsiphash_1u32(w[0], &kk), kat[0]);
	same("4u32 unit vector", 0,
	     ref_hsiphash_4u32(w[0], w[1], w[2], w[3], &kk), kat[3]);
	k.key[0] = 0;
	k.key[1] = 0;
	check(0, &k);
	for (i = 1; i < n; i++) {
		k.key[0] = (unsigned long)rand64();
		k.key[1] = (unsigned long)rand64();
		check(i, &k);
	}
	if (failures) {
		fprintf(stderr, "hashcheck: %u mismatches\n", failures);
		return 1;
	}
	printf("hashcheck: bench and unit hsiphash agree on %u inputs "
	       "and the kernel's vectors\n", n);
	return 0;
}
