/* sha256.h — SHA-256 (FIPS 180-4), fast on many short messages: the
 * processor's SHA extensions when it has them, portable C otherwise. The
 * match lottery hashes every student's id with the seed (tens of thousands
 * of messages); the state after the seed is copied for each id. */
#ifndef ROUNDS_LIB_SHA256_H
#define ROUNDS_LIB_SHA256_H

#include <stddef.h>
#include <stdint.h>

struct sha256 {
    uint32_t state[8];
    uint64_t length; /* bytes so far */
    uint8_t block[64];
    size_t used;     /* bytes waiting in block */
};

void sha256_init(struct sha256 *h);
void sha256_update(struct sha256 *h, const void *data, size_t len);
void sha256_final(struct sha256 *h, uint8_t out[32]);
/* Whether the SHA extensions are in use; tests turn them off (0) to check
 * the portable code, or back on (1: when the processor has them). */
int sha256_accelerated(void);
void sha256_set_accelerated(int on);

#endif
