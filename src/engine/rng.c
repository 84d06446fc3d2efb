/* SPDX-License-Identifier: MIT */
/* Random bytes for the CCA "RL" request.
 *
 * Default: a deterministic generator per engine, so emulator runs repeat:
 *   key = SHA-256("s390ap-rng" || seed as 8 big-endian bytes)
 *   stream = AES-256-CTR(key, counter block 0, 1, 2, ...)
 * Each request takes the next bytes of the stream.  With the rng_os option
 * the bytes come from OpenSSL's RAND_bytes instead (not reproducible). */
#include <limits.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include "engine/engine_internal.h"

#define RNG_LABEL "s390ap-rng"

int eng_rng_init_at(struct eng_rng *r, uint64_t seed, bool os, uint64_t pos)
{
	uint8_t in[sizeof(RNG_LABEL) - 1 + 8];
	uint8_t key[32], iv[16] = { 0 }, skip[16];
	uint64_t block = pos / 16;
	unsigned int klen = 0;
	int ok, outl = 0;

	r->os = os;
	r->cipher = NULL;
	r->pos = 0;
	if (os)
		return 0;
	memcpy(in, RNG_LABEL, sizeof(RNG_LABEL) - 1);
	for (unsigned i = 0; i < 8; i++) {
		in[sizeof(RNG_LABEL) - 1 + i] = (uint8_t)(seed >> (56 - 8 * i));
		/* CTR counts 16-byte blocks in the IV, big-endian */
		iv[8 + i] = (uint8_t)(block >> (56 - 8 * i));
	}
	r->cipher = EVP_CIPHER_CTX_new();
	ok = r->cipher && EVP_Digest(in, sizeof in, key, &klen, EVP_sha256(), NULL) &&
	     klen == sizeof key && EVP_EncryptInit_ex(r->cipher, EVP_aes_256_ctr(), NULL, key, iv);
	OPENSSL_cleanse(key, sizeof key);
	/* into the block: the keystream bytes before pos are used up */
	if (ok && pos % 16) {
		memset(skip, 0, sizeof skip);
		ok = EVP_EncryptUpdate(r->cipher, skip, &outl, skip, (int)(pos % 16)) &&
		     outl == (int)(pos % 16);
	}
	if (!ok) {
		eng_rng_free(r);
		return S390AP_ENOMEM;
	}
	r->pos = pos;
	return 0;
}

int eng_rng_init(struct eng_rng *r, uint64_t seed, bool os)
{
	return eng_rng_init_at(r, seed, os, 0);
}

int eng_rng_bytes(struct eng_rng *r, uint8_t *out, size_t n)
{
	int outl = 0;

	if (n == 0)
		return 0;
	if (n > INT_MAX)
		return S390AP_EINVAL;
	if (r->os)
		return RAND_bytes(out, (int)n) == 1 ? 0 : S390AP_ENOMEM;
	if (!r->cipher)
		return S390AP_EINVAL;
	/* the keystream is the encryption of zeros, done in place */
	memset(out, 0, n);
	if (!EVP_EncryptUpdate(r->cipher, out, &outl, out, (int)n) || outl != (int)n)
		return S390AP_ENOMEM;
	r->pos += n;
	return 0;
}

void eng_rng_free(struct eng_rng *r)
{
	EVP_CIPHER_CTX_free(r->cipher);
	r->cipher = NULL;
}
