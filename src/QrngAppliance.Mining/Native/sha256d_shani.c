/*
 * SHA-256d nonce scan with the x86 SHA extensions (SHA-NI), two nonces interleaved.
 *
 * Why C: .NET has no SHA-NI intrinsics. This file is optional: the build compiles it with
 * `gcc -O3 -msha -msse4.1 -shared -fPIC` only when gcc exists, and the miner falls back to the best
 * managed kernel when the library or the CPU feature is missing.
 *
 * Why two nonces: sha256rnds2 has a multi-cycle latency and each round pair depends on the previous one,
 * so a single stream leaves the SHA unit idle; two independent streams fill it.
 *
 * Input is the per-job midstate (first 64 header bytes compressed) and the second block's first three
 * big-endian words (header bytes 64..75). A nonce is a candidate when the little-endian top word of its
 * hash (bytes 28..31) is <= top_word_limit; the managed caller checks the full target.
 */
#include <immintrin.h>
#include <stdint.h>

#define RND4(sA, cA, sB, cB, msgA, msgB, kv)                   \
    do {                                                       \
        __m128i tA = _mm_add_epi32((msgA), (kv));              \
        __m128i tB = _mm_add_epi32((msgB), (kv));              \
        cA = _mm_sha256rnds2_epu32(cA, sA, tA);                \
        cB = _mm_sha256rnds2_epu32(cB, sB, tB);                \
        tA = _mm_shuffle_epi32(tA, 0x0E);                      \
        tB = _mm_shuffle_epi32(tB, 0x0E);                      \
        sA = _mm_sha256rnds2_epu32(sA, cA, tA);                \
        sB = _mm_sha256rnds2_epu32(sB, cB, tB);                \
    } while (0)

/* W[t..t+3] for the group after next: m_next += alignr(m_cur, m_prev, 4); m_next = msg2(m_next, m_cur). */
#define MSG2(mNext, mCur, mPrev)                                              \
    do {                                                                      \
        mNext = _mm_add_epi32(mNext, _mm_alignr_epi8(mCur, mPrev, 4));        \
        mNext = _mm_sha256msg2_epu32(mNext, mCur);                            \
    } while (0)

static const uint32_t K[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

#define KV(i) _mm_loadu_si128((const __m128i *)&K[4 * (i)])

/* Rounds 16..63 on two streams; m0..m3 hold W[0..15] on entry. The last round pair is skipped when
 * skip_last is set: after round 61 the final h already sits in lane 0 of the ABEF register (as f). */
#define ROUNDS_16_63(sA, cA, sB, cB, a0, a1, a2, a3, b0, b1, b2, b3)                         \
    do {                                                                                     \
        RND4(sA, cA, sB, cB, a0, b0, KV(4)); /* 16..19 */                                    \
        MSG2(a1, a0, a3); MSG2(b1, b0, b3);                                                  \
        a3 = _mm_sha256msg1_epu32(a3, a0); b3 = _mm_sha256msg1_epu32(b3, b0);                \
        RND4(sA, cA, sB, cB, a1, b1, KV(5)); /* 20..23 */                                    \
        MSG2(a2, a1, a0); MSG2(b2, b1, b0);                                                  \
        a0 = _mm_sha256msg1_epu32(a0, a1); b0 = _mm_sha256msg1_epu32(b0, b1);                \
        RND4(sA, cA, sB, cB, a2, b2, KV(6)); /* 24..27 */                                    \
        MSG2(a3, a2, a1); MSG2(b3, b2, b1);                                                  \
        a1 = _mm_sha256msg1_epu32(a1, a2); b1 = _mm_sha256msg1_epu32(b1, b2);                \
        RND4(sA, cA, sB, cB, a3, b3, KV(7)); /* 28..31 */                                    \
        MSG2(a0, a3, a2); MSG2(b0, b3, b2);                                                  \
        a2 = _mm_sha256msg1_epu32(a2, a3); b2 = _mm_sha256msg1_epu32(b2, b3);                \
        RND4(sA, cA, sB, cB, a0, b0, KV(8)); /* 32..35 */                                    \
        MSG2(a1, a0, a3); MSG2(b1, b0, b3);                                                  \
        a3 = _mm_sha256msg1_epu32(a3, a0); b3 = _mm_sha256msg1_epu32(b3, b0);                \
        RND4(sA, cA, sB, cB, a1, b1, KV(9)); /* 36..39 */                                    \
        MSG2(a2, a1, a0); MSG2(b2, b1, b0);                                                  \
        a0 = _mm_sha256msg1_epu32(a0, a1); b0 = _mm_sha256msg1_epu32(b0, b1);                \
        RND4(sA, cA, sB, cB, a2, b2, KV(10)); /* 40..43 */                                   \
        MSG2(a3, a2, a1); MSG2(b3, b2, b1);                                                  \
        a1 = _mm_sha256msg1_epu32(a1, a2); b1 = _mm_sha256msg1_epu32(b1, b2);                \
        RND4(sA, cA, sB, cB, a3, b3, KV(11)); /* 44..47 */                                   \
        MSG2(a0, a3, a2); MSG2(b0, b3, b2);                                                  \
        a2 = _mm_sha256msg1_epu32(a2, a3); b2 = _mm_sha256msg1_epu32(b2, b3);                \
        RND4(sA, cA, sB, cB, a0, b0, KV(12)); /* 48..51 */                                   \
        MSG2(a1, a0, a3); MSG2(b1, b0, b3);                                                  \
        a3 = _mm_sha256msg1_epu32(a3, a0); b3 = _mm_sha256msg1_epu32(b3, b0);                \
        RND4(sA, cA, sB, cB, a1, b1, KV(13)); /* 52..55 */                                   \
        MSG2(a2, a1, a0); MSG2(b2, b1, b0);                                                  \
        RND4(sA, cA, sB, cB, a2, b2, KV(14)); /* 56..59 */                                   \
        MSG2(a3, a2, a1); MSG2(b3, b2, b1);                                                  \
    } while (0)

/* Converts a state given as 8 words a..h into the ABEF / CDGH register pair. */
static inline void to_abef(const uint32_t *s, __m128i *abef, __m128i *cdgh)
{
    __m128i dcba = _mm_loadu_si128((const __m128i *)&s[0]);
    __m128i hgfe = _mm_loadu_si128((const __m128i *)&s[4]);
    __m128i cdab = _mm_shuffle_epi32(dcba, 0xB1);
    __m128i efgh = _mm_shuffle_epi32(hgfe, 0x1B);
    *abef = _mm_alignr_epi8(cdab, efgh, 8);
    *cdgh = _mm_blend_epi16(efgh, cdab, 0xF0);
}

/* Converts ABEF / CDGH back to message words W0..3 = a..d and W4..7 = e..h. */
#define FROM_ABEF(abef, cdgh, w0, w1)                                 \
    do {                                                              \
        __m128i feba = _mm_shuffle_epi32(abef, 0x1B);                 \
        __m128i dchg = _mm_shuffle_epi32(cdgh, 0xB1);                 \
        w0 = _mm_blend_epi16(feba, dchg, 0xF0);                       \
        w1 = _mm_alignr_epi8(dchg, feba, 8);                          \
    } while (0)

static inline uint32_t bswap32(uint32_t x) { return __builtin_bswap32(x); }

int qrng_shani_available(void)
{
    return __builtin_cpu_supports("sha") && __builtin_cpu_supports("sse4.1");
}

/*
 * Scans count nonces (count even) from start. Writes up to max_found candidate nonces; returns how many nonces
 * were scanned (less than count only when the candidate buffer filled). *found receives the candidate count.
 */
int qrng_sha256d_shani_scan(const uint32_t mid[8], const uint32_t tail[3], uint32_t start, int count,
                            uint32_t top_word_limit, uint32_t *candidates, int max_found, int *found)
{
    static const uint32_t iv[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                   0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
    __m128i midAbef, midCdgh, ivAbef, ivCdgh;
    to_abef(mid, &midAbef, &midCdgh);
    to_abef(iv, &ivAbef, &ivCdgh);

    /* Second block: W4 = 0x80000000, W5..W14 = 0, W15 = 640 bits. */
    const __m128i blk1 = _mm_set_epi32(0, 0, 0, (int)0x80000000);
    const __m128i blk2 = _mm_setzero_si128();
    const __m128i blk3 = _mm_set_epi32(640, 0, 0, 0);
    /* Second hash: W8 = 0x80000000, W9..W14 = 0, W15 = 256 bits. */
    const __m128i pad2 = _mm_set_epi32(0, 0, 0, (int)0x80000000);
    const __m128i pad3 = _mm_set_epi32(256, 0, 0, 0);
    /* Constant rounds 4..15 of the second block: K + W precomputed once. */
    const __m128i kw1 = _mm_add_epi32(blk1, KV(1));
    const __m128i kw2 = KV(2);
    const __m128i kw3 = _mm_add_epi32(blk3, KV(3));
    /* msg1 of two constant groups is constant too. */
    const __m128i blk1m = _mm_sha256msg1_epu32(blk1, blk2);
    const __m128i blk2m = _mm_sha256msg1_epu32(blk2, blk3);
    const __m128i pad2m = _mm_sha256msg1_epu32(pad2, pad3);

    int n = 0;
    int i;
    for (i = 0; i + 1 < count; i += 2) {
        uint32_t nonceA = start + (uint32_t)i, nonceB = nonceA + 1;
        /* The header stores the nonce little-endian; SHA-256 reads big-endian words. */
        __m128i a0 = _mm_set_epi32((int)bswap32(nonceA), (int)tail[2], (int)tail[1], (int)tail[0]);
        __m128i b0 = _mm_set_epi32((int)bswap32(nonceB), (int)tail[2], (int)tail[1], (int)tail[0]);
        __m128i a1 = blk1, a2 = blk2, a3 = blk3, b1 = blk1, b2 = blk2, b3 = blk3;
        __m128i sA = midAbef, cA = midCdgh, sB = midAbef, cB = midCdgh;

        RND4(sA, cA, sB, cB, a0, b0, KV(0));
        {
            __m128i t;
            cA = _mm_sha256rnds2_epu32(cA, sA, kw1); cB = _mm_sha256rnds2_epu32(cB, sB, kw1);
            t = _mm_shuffle_epi32(kw1, 0x0E);
            sA = _mm_sha256rnds2_epu32(sA, cA, t); sB = _mm_sha256rnds2_epu32(sB, cB, t);
            a0 = _mm_sha256msg1_epu32(a0, a1); b0 = _mm_sha256msg1_epu32(b0, b1);
            cA = _mm_sha256rnds2_epu32(cA, sA, kw2); cB = _mm_sha256rnds2_epu32(cB, sB, kw2);
            t = _mm_shuffle_epi32(kw2, 0x0E);
            sA = _mm_sha256rnds2_epu32(sA, cA, t); sB = _mm_sha256rnds2_epu32(sB, cB, t);
            a1 = blk1m; b1 = blk1m;
            cA = _mm_sha256rnds2_epu32(cA, sA, kw3); cB = _mm_sha256rnds2_epu32(cB, sB, kw3);
            MSG2(a0, a3, a2); MSG2(b0, b3, b2);
            t = _mm_shuffle_epi32(kw3, 0x0E);
            sA = _mm_sha256rnds2_epu32(sA, cA, t); sB = _mm_sha256rnds2_epu32(sB, cB, t);
            a2 = blk2m; b2 = blk2m;
        }
        ROUNDS_16_63(sA, cA, sB, cB, a0, a1, a2, a3, b0, b1, b2, b3);
        RND4(sA, cA, sB, cB, a3, b3, KV(15));
        sA = _mm_add_epi32(sA, midAbef); cA = _mm_add_epi32(cA, midCdgh);
        sB = _mm_add_epi32(sB, midAbef); cB = _mm_add_epi32(cB, midCdgh);

        /* Second hash over the 32-byte digest. */
        FROM_ABEF(sA, cA, a0, a1);
        FROM_ABEF(sB, cB, b0, b1);
        a2 = pad2; a3 = pad3; b2 = pad2; b3 = pad3;
        sA = ivAbef; cA = ivCdgh; sB = ivAbef; cB = ivCdgh;
        RND4(sA, cA, sB, cB, a0, b0, KV(0));
        RND4(sA, cA, sB, cB, a1, b1, KV(1));
        a0 = _mm_sha256msg1_epu32(a0, a1); b0 = _mm_sha256msg1_epu32(b0, b1);
        RND4(sA, cA, sB, cB, a2, b2, KV(2));
        a1 = _mm_sha256msg1_epu32(a1, a2); b1 = _mm_sha256msg1_epu32(b1, b2);
        RND4(sA, cA, sB, cB, a3, b3, KV(3));
        MSG2(a0, a3, a2); MSG2(b0, b3, b2);
        a2 = pad2m; b2 = pad2m;
        ROUNDS_16_63(sA, cA, sB, cB, a0, a1, a2, a3, b0, b1, b2, b3);
        {
            /* Rounds 60, 61 only: the final h is then f, lane 0 of the new ABEF. */
            __m128i tA = _mm_add_epi32(a3, KV(15));
            __m128i tB = _mm_add_epi32(b3, KV(15));
            cA = _mm_sha256rnds2_epu32(cA, sA, tA);
            cB = _mm_sha256rnds2_epu32(cB, sB, tB);
        }
        uint32_t h7A = (uint32_t)_mm_cvtsi128_si32(cA) + iv[7];
        uint32_t h7B = (uint32_t)_mm_cvtsi128_si32(cB) + iv[7];
        if (bswap32(h7A) <= top_word_limit) {
            candidates[n++] = nonceA;
        }
        if (bswap32(h7B) <= top_word_limit) {
            candidates[n++] = nonceB;
        }
        if (n > max_found - 2) {
            i += 2;
            break;
        }
    }
    *found = n;
    return i;
}
