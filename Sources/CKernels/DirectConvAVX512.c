// DirectConv.row on zmm registers: four output channels by 32 pixels (two zmm each) per step,
// against DirectConv.swift's four by 16 on ymm. Same loop order (input channel and kernel row
// outside, pixel blocks inside, the accumulators of a whole row in an L1-sized buffer) for the
// same reason: each padded input row is streamed once per kernel row.
#include "CKernels.h"

#include <immintrin.h>
#include <string.h>

#define CKERNELS_AVX512 __attribute__((target("avx512f,avx512bw,avx512vl,avx512dq,fma")))

CKERNELS_AVX512
void ckernels_direct_conv_row_avx512(const float *input, ptrdiff_t channel_stride, ptrdiff_t row_length,
                                     ptrdiff_t in_channels, ptrdiff_t k, const float *weights, ptrdiff_t width,
                                     float *const *outputs, const float *biases, ptrdiff_t channels) {
    // Blocks of 16 pixels as the Swift loop counts them (the band's slack covers one block's
    // overrun), taken two at a time; an odd last block runs alone.
    const ptrdiff_t blocks = (width + 15) / 16, stride = blocks * 16;
    float acc[4 * stride] __attribute__((aligned(64)));
    memset(acc, 0, sizeof(float) * 4 * stride);
    const float *w = weights;
    for (ptrdiff_t ci = 0; ci < in_channels; ci++) {
        for (ptrdiff_t ky = 0; ky < k; ky++) {
            const float *src = input + ci * channel_stride + ky * row_length;
            ptrdiff_t block = 0;
            for (; block + 2 <= blocks; block += 2) {
                float *out = acc + block * 16;
                __m512 a0 = _mm512_load_ps(out), b0 = _mm512_load_ps(out + 16);
                __m512 a1 = _mm512_load_ps(out + stride), b1 = _mm512_load_ps(out + stride + 16);
                __m512 a2 = _mm512_load_ps(out + 2 * stride), b2 = _mm512_load_ps(out + 2 * stride + 16);
                __m512 a3 = _mm512_load_ps(out + 3 * stride), b3 = _mm512_load_ps(out + 3 * stride + 16);
                const float *tap = w;
                const float *p = src + block * 16;
                for (ptrdiff_t kx = 0; kx < k; kx++, tap += 4) {
                    __m512 x0 = _mm512_loadu_ps(p + kx), x1 = _mm512_loadu_ps(p + kx + 16);
                    __m512 w0 = _mm512_set1_ps(tap[0]), w1 = _mm512_set1_ps(tap[1]);
                    __m512 w2 = _mm512_set1_ps(tap[2]), w3 = _mm512_set1_ps(tap[3]);
                    a0 = _mm512_fmadd_ps(w0, x0, a0); b0 = _mm512_fmadd_ps(w0, x1, b0);
                    a1 = _mm512_fmadd_ps(w1, x0, a1); b1 = _mm512_fmadd_ps(w1, x1, b1);
                    a2 = _mm512_fmadd_ps(w2, x0, a2); b2 = _mm512_fmadd_ps(w2, x1, b2);
                    a3 = _mm512_fmadd_ps(w3, x0, a3); b3 = _mm512_fmadd_ps(w3, x1, b3);
                }
                _mm512_store_ps(out, a0); _mm512_store_ps(out + 16, b0);
                _mm512_store_ps(out + stride, a1); _mm512_store_ps(out + stride + 16, b1);
                _mm512_store_ps(out + 2 * stride, a2); _mm512_store_ps(out + 2 * stride + 16, b2);
                _mm512_store_ps(out + 3 * stride, a3); _mm512_store_ps(out + 3 * stride + 16, b3);
            }
            if (block < blocks) {
                float *out = acc + block * 16;
                __m512 a0 = _mm512_load_ps(out), a1 = _mm512_load_ps(out + stride);
                __m512 a2 = _mm512_load_ps(out + 2 * stride), a3 = _mm512_load_ps(out + 3 * stride);
                const float *tap = w;
                const float *p = src + block * 16;
                for (ptrdiff_t kx = 0; kx < k; kx++, tap += 4) {
                    __m512 x0 = _mm512_loadu_ps(p + kx);
                    a0 = _mm512_fmadd_ps(_mm512_set1_ps(tap[0]), x0, a0);
                    a1 = _mm512_fmadd_ps(_mm512_set1_ps(tap[1]), x0, a1);
                    a2 = _mm512_fmadd_ps(_mm512_set1_ps(tap[2]), x0, a2);
                    a3 = _mm512_fmadd_ps(_mm512_set1_ps(tap[3]), x0, a3);
                }
                _mm512_store_ps(out, a0); _mm512_store_ps(out + stride, a1);
                _mm512_store_ps(out + 2 * stride, a2); _mm512_store_ps(out + 3 * stride, a3);
            }
            w += 4 * k;
        }
    }
    for (ptrdiff_t j = 0; j < channels; j++) {
        const float bias = biases[j], *row = acc + j * stride;
        float *dst = outputs[j];
        for (ptrdiff_t x = 0; x < width; x++) dst[x] = row[x] + bias;
    }
}
