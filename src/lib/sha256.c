/* sha256.c — SHA-256; see sha256.h. The accelerated compression follows
 * Intel's SHA extensions guide (the four-rounds-at-a-time message schedule
 * with sha256msg1/msg2); the portable one is the specification written out.
 * tests/unit/test_lib.c checks both against libsodium. */
#include "lib/sha256.h"

#include <string.h>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <cpuid.h>
#include <immintrin.h>
#define SHA256_X86 1
#endif

static const uint32_t sha256_k[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

static uint32_t rotr(uint32_t x, int n)
{
    return (x >> n) | (x << (32 - n));
}

static void compress_portable(uint32_t state[8], const uint8_t *block)
{
    uint32_t w[64];
    for (int i = 0; i < 16; i++)
        w[i] = (uint32_t)block[4 * i] << 24 | (uint32_t)block[4 * i + 1] << 16 | (uint32_t)block[4 * i + 2] << 8 |
               block[4 * i + 3];
    for (int i = 16; i < 64; i++) {
        uint32_t s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >> 3);
        uint32_t s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >> 10);
        w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
    uint32_t a = state[0], b = state[1], c = state[2], d = state[3];
    uint32_t e = state[4], f = state[5], g = state[6], h = state[7];
    for (int i = 0; i < 64; i++) {
        uint32_t t1 = h + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + sha256_k[i] + w[i];
        uint32_t t2 = (rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
        h = g;
        g = f;
        f = e;
        e = d + t1;
        d = c;
        c = b;
        b = a;
        a = t1 + t2;
    }
    state[0] += a;
    state[1] += b;
    state[2] += c;
    state[3] += d;
    state[4] += e;
    state[5] += f;
    state[6] += g;
    state[7] += h;
}

#ifdef SHA256_X86
/* Four rounds; i names the group (0 … 15), m the four message registers. */
#define SHA256_ROUNDS(i, m0, m1, m2, m3)                                                            \
    do {                                                                                           \
        msg = _mm_add_epi32((m0), _mm_loadu_si128((const __m128i *)&sha256_k[4 * (i)]));          \
        state1 = _mm_sha256rnds2_epu32(state1, state0, msg);                                       \
        if ((i) >= 3 && (i) <= 14) {                                                               \
            tmp = _mm_alignr_epi8((m0), (m3), 4);                                                  \
            (m1) = _mm_add_epi32((m1), tmp);                                                       \
            (m1) = _mm_sha256msg2_epu32((m1), (m0));                                               \
        }                                                                                          \
        msg = _mm_shuffle_epi32(msg, 0x0e);                                                        \
        state0 = _mm_sha256rnds2_epu32(state0, state1, msg);                                       \
        if ((i) >= 1 && (i) <= 12)                                                                 \
            (m3) = _mm_sha256msg1_epu32((m3), (m0));                                               \
    } while (0)

__attribute__((target("sha,sse4.1,ssse3"))) static void compress_x86(uint32_t state[8], const uint8_t *block)
{
    const __m128i mask = _mm_set_epi64x(0x0c0d0e0f08090a0bll, 0x0405060700010203ll);
    __m128i tmp = _mm_loadu_si128((const __m128i *)&state[0]);
    __m128i state1 = _mm_loadu_si128((const __m128i *)&state[4]);
    tmp = _mm_shuffle_epi32(tmp, 0xb1);            /* CDAB */
    state1 = _mm_shuffle_epi32(state1, 0x1b);      /* EFGH */
    __m128i state0 = _mm_alignr_epi8(tmp, state1, 8); /* ABEF */
    state1 = _mm_blend_epi16(state1, tmp, 0xf0);   /* CDGH */
    __m128i abef = state0, cdgh = state1, msg;
    __m128i w0 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(block + 0)), mask);
    __m128i w1 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(block + 16)), mask);
    __m128i w2 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(block + 32)), mask);
    __m128i w3 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(block + 48)), mask);
    /* Group i uses register i % 4; it finishes register (i + 1) % 4 (msg2) and
     * starts register (i + 3) % 4 (msg1), the one whose words come four groups on. */
    SHA256_ROUNDS(0, w0, w1, w2, w3);
    SHA256_ROUNDS(1, w1, w2, w3, w0);
    SHA256_ROUNDS(2, w2, w3, w0, w1);
    SHA256_ROUNDS(3, w3, w0, w1, w2);
    SHA256_ROUNDS(4, w0, w1, w2, w3);
    SHA256_ROUNDS(5, w1, w2, w3, w0);
    SHA256_ROUNDS(6, w2, w3, w0, w1);
    SHA256_ROUNDS(7, w3, w0, w1, w2);
    SHA256_ROUNDS(8, w0, w1, w2, w3);
    SHA256_ROUNDS(9, w1, w2, w3, w0);
    SHA256_ROUNDS(10, w2, w3, w0, w1);
    SHA256_ROUNDS(11, w3, w0, w1, w2);
    SHA256_ROUNDS(12, w0, w1, w2, w3);
    SHA256_ROUNDS(13, w1, w2, w3, w0);
    SHA256_ROUNDS(14, w2, w3, w0, w1);
    SHA256_ROUNDS(15, w3, w0, w1, w2);
    state0 = _mm_add_epi32(state0, abef);
    state1 = _mm_add_epi32(state1, cdgh);
    tmp = _mm_shuffle_epi32(state0, 0x1b);       /* FEBA */
    state1 = _mm_shuffle_epi32(state1, 0xb1);    /* DCHG */
    state0 = _mm_blend_epi16(tmp, state1, 0xf0); /* DCBA */
    state1 = _mm_alignr_epi8(state1, tmp, 8);    /* ABEF */
    _mm_storeu_si128((__m128i *)&state[0], state0);
    _mm_storeu_si128((__m128i *)&state[4], state1);
}

static int cpu_has_sha(void)
{
    unsigned a, b, c, d;
    if (!__get_cpuid(1, &a, &b, &c, &d) || !(c & bit_SSE4_1) || !(c & bit_SSSE3))
        return 0;
    if (!__get_cpuid_count(7, 0, &a, &b, &c, &d))
        return 0;
    return (b & (1u << 29)) != 0; /* CPUID.(EAX=7,ECX=0):EBX.SHA[bit 29] */
}
#endif

/* 1: the SHA extensions, 0: portable; -1 until first asked. */
static int accelerated = -1;

int sha256_accelerated(void)
{
    if (accelerated < 0) {
#ifdef SHA256_X86
        accelerated = cpu_has_sha();
#else
        accelerated = 0;
#endif
    }
    return accelerated;
}

void sha256_set_accelerated(int on)
{
    accelerated = -1;
    if (on == 0 || sha256_accelerated() == 0)
        accelerated = 0;
}

static void compress(uint32_t state[8], const uint8_t *block)
{
#ifdef SHA256_X86
    if (sha256_accelerated()) {
        compress_x86(state, block);
        return;
    }
#endif
    compress_portable(state, block);
}

void sha256_init(struct sha256 *h)
{
    static const uint32_t initial[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                        0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
    memcpy(h->state, initial, sizeof(initial));
    h->length = 0;
    h->used = 0;
}

void sha256_update(struct sha256 *h, const void *data, size_t len)
{
    const uint8_t *p = data;
    h->length += len;
    if (h->used > 0) {
        size_t take = 64 - h->used < len ? 64 - h->used : len;
        memcpy(h->block + h->used, p, take);
        h->used += take;
        p += take;
        len -= take;
        if (h->used < 64)
            return;
        compress(h->state, h->block);
        h->used = 0;
    }
    for (; len >= 64; p += 64, len -= 64)
        compress(h->state, p);
    memcpy(h->block, p, len);
    h->used = len;
}

void sha256_final(struct sha256 *h, uint8_t out[32])
{
    uint64_t bits = h->length * 8;
    h->block[h->used++] = 0x80;
    if (h->used > 56) {
        memset(h->block + h->used, 0, 64 - h->used);
        compress(h->state, h->block);
        h->used = 0;
    }
    memset(h->block + h->used, 0, 56 - h->used);
    for (int i = 0; i < 8; i++)
        h->block[56 + i] = (uint8_t)(bits >> (56 - 8 * i));
    compress(h->state, h->block);
    for (int i = 0; i < 8; i++) {
        out[4 * i] = (uint8_t)(h->state[i] >> 24);
        out[4 * i + 1] = (uint8_t)(h->state[i] >> 16);
        out[4 * i + 2] = (uint8_t)(h->state[i] >> 8);
        out[4 * i + 3] = (uint8_t)h->state[i];
    }
}
