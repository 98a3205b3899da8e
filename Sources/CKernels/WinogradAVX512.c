// Winograd F(4x4, 3x3) transforms, sixteen tiles per zmm register (Winograd.swift does eight per
// ymm). A row's last eight tiles, when tiles_wide is an odd multiple of 8, run on ymm registers
// in the same functions (AVX-512VL), so the layout Winograd.swift chose needs no change.
#include "CKernels.h"

#include <immintrin.h>

#define CKERNELS_AVX512 __attribute__((target("avx512f,avx512bw,avx512vl,avx512dq,fma")))

// B^T over six values; the same arithmetic as Winograd.inputTransform, for one register width.
#define INPUT_TRANSFORM(T, add, sub, mul, set1, d, o) do {                                     \
        T four = set1(4.0f), five = set1(5.0f), two = set1(2.0f);                              \
        T a = sub(d[4], mul(four, d[2])), b = sub(d[3], mul(four, d[1]));                      \
        T c = sub(d[4], d[2]), e = mul(two, sub(d[3], d[1]));                                  \
        o[0] = add(sub(mul(four, d[0]), mul(five, d[2])), d[4]);                               \
        o[1] = add(a, b); o[2] = sub(a, b); o[3] = add(c, e); o[4] = sub(c, e);                \
        o[5] = add(sub(mul(four, d[1]), mul(five, d[3])), d[5]);                               \
    } while (0)

// A^T over six values -> four; as Winograd.outputTransform.
#define OUTPUT_TRANSFORM(T, add, sub, mul, set1, m, o) do {                                    \
        T s12 = add(m[1], m[2]), d12 = sub(m[1], m[2]);                                        \
        T s34 = add(m[3], m[4]), d34 = sub(m[3], m[4]);                                        \
        o[0] = add(add(m[0], s12), s34);                                                       \
        o[1] = add(d12, mul(set1(2.0f), d34));                                                 \
        o[2] = add(s12, mul(set1(4.0f), s34));                                                 \
        o[3] = add(add(d12, mul(set1(8.0f), d34)), m[5]);                                      \
    } while (0)

CKERNELS_AVX512
static inline void input_tiles16(const float *phases, ptrdiff_t step, ptrdiff_t pw, ptrdiff_t row,
                                 ptrdiff_t tile, float *v, ptrdiff_t ps) {
    __m512 tmp[36];
    for (int c = 0; c < 6; c++) {
        const float *p = phases + (c & 3) * step + row * pw + tile + (c >> 2);
        __m512 d[6], o[6];
        for (int r = 0; r < 6; r++) d[r] = _mm512_loadu_ps(p + r * pw);
        INPUT_TRANSFORM(__m512, _mm512_add_ps, _mm512_sub_ps, _mm512_mul_ps, _mm512_set1_ps, d, o);
        for (int i = 0; i < 6; i++) tmp[i * 6 + c] = o[i];
    }
    for (int i = 0; i < 6; i++) {
        __m512 o[6];
        INPUT_TRANSFORM(__m512, _mm512_add_ps, _mm512_sub_ps, _mm512_mul_ps, _mm512_set1_ps, (tmp + i * 6), o);
        float *dst = v + i * 6 * ps + tile;
        for (int j = 0; j < 6; j++) _mm512_storeu_ps(dst + j * ps, o[j]);
    }
}

CKERNELS_AVX512
static inline void input_tiles8(const float *phases, ptrdiff_t step, ptrdiff_t pw, ptrdiff_t row,
                                ptrdiff_t tile, float *v, ptrdiff_t ps) {
    __m256 tmp[36];
    for (int c = 0; c < 6; c++) {
        const float *p = phases + (c & 3) * step + row * pw + tile + (c >> 2);
        __m256 d[6], o[6];
        for (int r = 0; r < 6; r++) d[r] = _mm256_loadu_ps(p + r * pw);
        INPUT_TRANSFORM(__m256, _mm256_add_ps, _mm256_sub_ps, _mm256_mul_ps, _mm256_set1_ps, d, o);
        for (int i = 0; i < 6; i++) tmp[i * 6 + c] = o[i];
    }
    for (int i = 0; i < 6; i++) {
        __m256 o[6];
        INPUT_TRANSFORM(__m256, _mm256_add_ps, _mm256_sub_ps, _mm256_mul_ps, _mm256_set1_ps, (tmp + i * 6), o);
        float *dst = v + i * 6 * ps + tile;
        for (int j = 0; j < 6; j++) _mm256_storeu_ps(dst + j * ps, o[j]);
    }
}

CKERNELS_AVX512
void ckernels_winograd_input_row_avx512(const float *phases, ptrdiff_t step, ptrdiff_t phase_width,
                                        ptrdiff_t row, ptrdiff_t tiles_wide, float *v, ptrdiff_t point_stride) {
    ptrdiff_t t = 0;
    for (; t + 16 <= tiles_wide; t += 16) input_tiles16(phases, step, phase_width, row, t, v, point_stride);
    for (; t + 8 <= tiles_wide; t += 8) input_tiles8(phases, step, phase_width, row, t, v, point_stride);
}

// The part of one output row of `count` tiles that falls inside the plane, for the row's last
// tiles: `lanes` holds 4 * count floats in row order (tile l, column j at 4l + j).
static inline void store_clipped(const float *lanes, int count, float *dst, ptrdiff_t column, ptrdiff_t width) {
    ptrdiff_t n = width - column;
    if (n > 4 * count) n = 4 * count;
    for (ptrdiff_t x = 0; x < n; x++) dst[x] = lanes[x];
}

CKERNELS_AVX512
static inline void output_tiles16(const float *m, ptrdiff_t ps, float bias, float *y, ptrdiff_t height,
                                  ptrdiff_t width, ptrdiff_t row, ptrdiff_t tile) {
    __m512 tmp[24];
    for (int j = 0; j < 6; j++) {
        __m512 d[6], o[4];
        for (int r = 0; r < 6; r++) d[r] = _mm512_loadu_ps(m + (r * 6 + j) * ps + tile);
        OUTPUT_TRANSFORM(__m512, _mm512_add_ps, _mm512_sub_ps, _mm512_mul_ps, _mm512_set1_ps, d, o);
        for (int a = 0; a < 4; a++) tmp[a * 6 + j] = o[a];
    }
    const __m512 b = _mm512_set1_ps(bias);
    // Interleaving indices: lo takes lanes 0-7 of both sources alternately, hi lanes 8-15.
    const __m512i lo = _mm512_set_epi32(23, 7, 22, 6, 21, 5, 20, 4, 19, 3, 18, 2, 17, 1, 16, 0);
    const __m512i hi = _mm512_set_epi32(31, 15, 30, 14, 29, 13, 28, 12, 27, 11, 26, 10, 25, 9, 24, 8);
    const ptrdiff_t column = tile * 4;
    for (int a = 0; a < 4; a++) {
        ptrdiff_t oy = row + a;
        if (oy >= height) break;
        __m512 o[4];
        OUTPUT_TRANSFORM(__m512, _mm512_add_ps, _mm512_sub_ps, _mm512_mul_ps, _mm512_set1_ps, (tmp + a * 6), o);
        __m512 c0 = _mm512_add_ps(o[0], b), c1 = _mm512_add_ps(o[1], b);
        __m512 c2 = _mm512_add_ps(o[2], b), c3 = _mm512_add_ps(o[3], b);
        // (c0, c2) and (c1, c3) pairwise, then those two: lane l of cj lands at 4l + j.
        __m512 e0 = _mm512_permutex2var_ps(c0, lo, c2), e1 = _mm512_permutex2var_ps(c0, hi, c2);
        __m512 d0 = _mm512_permutex2var_ps(c1, lo, c3), d1 = _mm512_permutex2var_ps(c1, hi, c3);
        __m512 r0 = _mm512_permutex2var_ps(e0, lo, d0), r1 = _mm512_permutex2var_ps(e0, hi, d0);
        __m512 r2 = _mm512_permutex2var_ps(e1, lo, d1), r3 = _mm512_permutex2var_ps(e1, hi, d1);
        float *dst = y + oy * width + column;
        if (column + 64 <= width) {
            _mm512_storeu_ps(dst, r0); _mm512_storeu_ps(dst + 16, r1);
            _mm512_storeu_ps(dst + 32, r2); _mm512_storeu_ps(dst + 48, r3);
        } else {
            float lanes[64];
            _mm512_storeu_ps(lanes, r0); _mm512_storeu_ps(lanes + 16, r1);
            _mm512_storeu_ps(lanes + 32, r2); _mm512_storeu_ps(lanes + 48, r3);
            store_clipped(lanes, 16, dst, column, width);
        }
    }
}

CKERNELS_AVX512
static inline void output_tiles8(const float *m, ptrdiff_t ps, float bias, float *y, ptrdiff_t height,
                                 ptrdiff_t width, ptrdiff_t row, ptrdiff_t tile) {
    __m256 tmp[24];
    for (int j = 0; j < 6; j++) {
        __m256 d[6], o[4];
        for (int r = 0; r < 6; r++) d[r] = _mm256_loadu_ps(m + (r * 6 + j) * ps + tile);
        OUTPUT_TRANSFORM(__m256, _mm256_add_ps, _mm256_sub_ps, _mm256_mul_ps, _mm256_set1_ps, d, o);
        for (int a = 0; a < 4; a++) tmp[a * 6 + j] = o[a];
    }
    const __m256 b = _mm256_set1_ps(bias);
    const __m256i lo = _mm256_set_epi32(11, 3, 10, 2, 9, 1, 8, 0);
    const __m256i hi = _mm256_set_epi32(15, 7, 14, 6, 13, 5, 12, 4);
    const ptrdiff_t column = tile * 4;
    for (int a = 0; a < 4; a++) {
        ptrdiff_t oy = row + a;
        if (oy >= height) break;
        __m256 o[4];
        OUTPUT_TRANSFORM(__m256, _mm256_add_ps, _mm256_sub_ps, _mm256_mul_ps, _mm256_set1_ps, (tmp + a * 6), o);
        __m256 c0 = _mm256_add_ps(o[0], b), c1 = _mm256_add_ps(o[1], b);
        __m256 c2 = _mm256_add_ps(o[2], b), c3 = _mm256_add_ps(o[3], b);
        __m256 e0 = _mm256_permutex2var_ps(c0, lo, c2), e1 = _mm256_permutex2var_ps(c0, hi, c2);
        __m256 d0 = _mm256_permutex2var_ps(c1, lo, c3), d1 = _mm256_permutex2var_ps(c1, hi, c3);
        __m256 r0 = _mm256_permutex2var_ps(e0, lo, d0), r1 = _mm256_permutex2var_ps(e0, hi, d0);
        __m256 r2 = _mm256_permutex2var_ps(e1, lo, d1), r3 = _mm256_permutex2var_ps(e1, hi, d1);
        float *dst = y + oy * width + column;
        if (column + 32 <= width) {
            _mm256_storeu_ps(dst, r0); _mm256_storeu_ps(dst + 8, r1);
            _mm256_storeu_ps(dst + 16, r2); _mm256_storeu_ps(dst + 24, r3);
        } else {
            float lanes[32];
            _mm256_storeu_ps(lanes, r0); _mm256_storeu_ps(lanes + 8, r1);
            _mm256_storeu_ps(lanes + 16, r2); _mm256_storeu_ps(lanes + 24, r3);
            store_clipped(lanes, 8, dst, column, width);
        }
    }
}

CKERNELS_AVX512
void ckernels_winograd_output_row_avx512(const float *m, ptrdiff_t point_stride, ptrdiff_t tiles_wide, float bias,
                                         float *y, ptrdiff_t height, ptrdiff_t width, ptrdiff_t row) {
    ptrdiff_t t = 0;
    for (; t + 16 <= tiles_wide && t * 4 < width; t += 16)
        output_tiles16(m, point_stride, bias, y, height, width, row, t);
    for (; t + 8 <= tiles_wide && t * 4 < width; t += 8)
        output_tiles8(m, point_stride, bias, y, height, width, row, t);
}
