// SPDX-License-Identifier: GPL-2.0
/*
 * kcompat_hash.c: siphash() and hsiphash() of the unit tests (kcompat.h),
 * computed byte by byte from the algorithm's definition, each table hash
 * counted in kc_hash_calls. bench/bhash.c has the word-at-a-time version
 * the benchmarks use (same values: bench's "make check" compares them).
 */
#include "napt.h"

unsigned long kc_hash_calls;	/* table hashes (hsiphash) computed */

/* ---- siphash: SipHash-2-4 as the paper defines it, hsiphash: ----------
 * SipHash-1-3, what the kernel's hsiphash is on 64-bit (lib/siphash.c)
 */

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
	u64 v0 = k0 ^ KC_SIP_INIT0;
	u64 v1 = k1 ^ KC_SIP_INIT1;
	u64 v2 = k0 ^ KC_SIP_INIT2;
	u64 v3 = k1 ^ KC_SIP_INIT3;
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
