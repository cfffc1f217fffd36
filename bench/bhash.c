// SPDX-License-Identifier: GPL-2.0
/*
 * bhash.c: the table hashes of the benchmarks, hsiphash_1u32() ..
 * hsiphash_4u32(): SipHash-1-3 on 64-bit words as the kernel's
 * lib/siphash.c computes it on 64-bit, where tests/unit/kcompat_hash.c
 * goes byte by byte from the definition. The values are the same (the
 * words are packed little-endian): "make check" compares the two.
 *
 * With -DBENCH_HASH_JHASH (ubench-jhash), a what-if: lookup3 instead.
 */
#include "napt.h"

/* ---- hsiphash on words (lib/siphash.c's 64-bit structure) -------------- */

/* the round (KC_SIPROUND) is kcompat.h's */
#define SIPROUND KC_SIPROUND

#define PREAMBLE(len)							\
	u64 v0 = KC_SIP_INIT0 ^ (u64)key->key[0];			\
	u64 v1 = KC_SIP_INIT1 ^ (u64)key->key[1];			\
	u64 v2 = KC_SIP_INIT2 ^ (u64)key->key[0];			\
	u64 v3 = KC_SIP_INIT3 ^ (u64)key->key[1];			\
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

