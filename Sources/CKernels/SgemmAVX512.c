// Single-precision matrix products on zmm registers, row-major, for GEMM.swift's two hot forms.
//
// Why vst has its own: on this farm's Xeons (a virtual CPU whose model OpenBLAS's DYNAMIC_ARCH does
// not recognise), Debian's OpenBLAS falls back to its PRESCOTT (SSE3) kernels; a profile of one Gatys
// iteration there spent 60 % of its time in sgemm_kernel_PRESCOTT. These kernels are plain
// register-blocked loops without packing: within a factor of OpenBLAS's tuned kernels, several
// times faster than SSE3. The OpenBLAS path stays where AVX-512 is absent or switched off.
#include "CKernels.h"

#include <immintrin.h>
#include <stdbool.h>

#define CKERNELS_AVX512 __attribute__((target("avx512f,avx512bw,avx512vl,avx512dq,fma")))
#define CKERNELS_INLINE __attribute__((always_inline)) static inline

// Depth of one pass over B: a 256 x 32 panel of B (32 KiB) stays in L1 while every row block of A
// runs over it.
enum { KC = 256, NR = 32 };

static inline __mmask16 lanes(ptrdiff_t count) {
    return count >= 16 ? (__mmask16)0xFFFF : count <= 0 ? (__mmask16)0 : (__mmask16)((1u << count) - 1);
}

// C[0..<MR][0..<32 masked] (+)= alpha * A[0..<MR][0..<kc] * B[0..<kc][0..<32]. `first`: the first
// depth block, where beta applies (beta == 0 never reads C, which may hold anything).
CKERNELS_AVX512 CKERNELS_INLINE
void nn_block(const int MR, ptrdiff_t kc, const float *a, ptrdiff_t lda, const float *b, ptrdiff_t ldb,
              float *c, ptrdiff_t ldc, __mmask16 m0, __mmask16 m1, float alpha, float beta, bool first) {
    __m512 c0[MR], c1[MR];
    for (int i = 0; i < MR; i++) { c0[i] = _mm512_setzero_ps(); c1[i] = _mm512_setzero_ps(); }
    for (ptrdiff_t p = 0; p < kc; p++) {
        const __m512 b0 = _mm512_maskz_loadu_ps(m0, b + p * ldb), b1 = _mm512_maskz_loadu_ps(m1, b + p * ldb + 16);
        for (int i = 0; i < MR; i++) {
            const __m512 ai = _mm512_set1_ps(a[i * lda + p]);
            c0[i] = _mm512_fmadd_ps(ai, b0, c0[i]);
            c1[i] = _mm512_fmadd_ps(ai, b1, c1[i]);
        }
    }
    const __m512 va = _mm512_set1_ps(alpha), vb = _mm512_set1_ps(beta);
    for (int i = 0; i < MR; i++) {
        float *row = c + i * ldc;
        __m512 r0 = _mm512_mul_ps(va, c0[i]), r1 = _mm512_mul_ps(va, c1[i]);
        if (!first) {
            r0 = _mm512_add_ps(r0, _mm512_maskz_loadu_ps(m0, row));
            r1 = _mm512_add_ps(r1, _mm512_maskz_loadu_ps(m1, row + 16));
        } else if (beta != 0) {
            r0 = _mm512_fmadd_ps(vb, _mm512_maskz_loadu_ps(m0, row), r0);
            r1 = _mm512_fmadd_ps(vb, _mm512_maskz_loadu_ps(m1, row + 16), r1);
        }
        _mm512_mask_storeu_ps(row, m0, r0);
        _mm512_mask_storeu_ps(row + 16, m1, r1);
    }
}

CKERNELS_AVX512
void ckernels_sgemm_nn_avx512(ptrdiff_t m, ptrdiff_t n, ptrdiff_t k, float alpha, const float *a, ptrdiff_t lda,
                              const float *b, ptrdiff_t ldb, float beta, float *c, ptrdiff_t ldc,
                              ptrdiff_t first_column, ptrdiff_t end_column) {
    if (end_column > n) end_column = n;
    for (ptrdiff_t j = first_column; j < end_column; j += NR) {
        const __mmask16 m0 = lanes(end_column - j), m1 = lanes(end_column - j - 16);
        if (k == 0) {   // C = beta C, as cblas_sgemm does
            for (ptrdiff_t i = 0; i < m; i++) {
                float *row = c + i * ldc + j;
                __m512 r0 = beta == 0 ? _mm512_setzero_ps() : _mm512_mul_ps(_mm512_set1_ps(beta), _mm512_maskz_loadu_ps(m0, row));
                __m512 r1 = beta == 0 ? _mm512_setzero_ps() : _mm512_mul_ps(_mm512_set1_ps(beta), _mm512_maskz_loadu_ps(m1, row + 16));
                _mm512_mask_storeu_ps(row, m0, r0); _mm512_mask_storeu_ps(row + 16, m1, r1);
            }
            continue;
        }
        for (ptrdiff_t p = 0; p < k; p += KC) {
            const ptrdiff_t kc = k - p < KC ? k - p : KC;
            const bool first = p == 0;
            const float *bp = b + p * ldb + j;
            ptrdiff_t i = 0;
            for (; i + 12 <= m; i += 12)
                nn_block(12, kc, a + i * lda + p, lda, bp, ldb, c + i * ldc + j, ldc, m0, m1, alpha, beta, first);
            for (; i + 4 <= m; i += 4)
                nn_block(4, kc, a + i * lda + p, lda, bp, ldb, c + i * ldc + j, ldc, m0, m1, alpha, beta, first);
            for (; i < m; i++)
                nn_block(1, kc, a + i * lda + p, lda, bp, ldb, c + i * ldc + j, ldc, m0, m1, alpha, beta, first);
        }
    }
}

// C[i][j] (+)= alpha * dot(A row i, B row j) for a 4 x 4 block (fewer where rows or columns end):
// sixteen zmm partial sums over the depth, reduced at the end.
CKERNELS_AVX512 CKERNELS_INLINE
void nt_block(const int MR, const int NRT, ptrdiff_t k, const float *a, ptrdiff_t lda, const float *b, ptrdiff_t ldb,
              float *c, ptrdiff_t ldc, float alpha, float beta) {
    __m512 s[4][4];
    for (int i = 0; i < MR; i++) for (int jj = 0; jj < NRT; jj++) s[i][jj] = _mm512_setzero_ps();
    ptrdiff_t p = 0;
    for (; p + 16 <= k; p += 16) {
        __m512 av[4], bv[4];
        for (int i = 0; i < MR; i++) av[i] = _mm512_loadu_ps(a + i * lda + p);
        for (int jj = 0; jj < NRT; jj++) bv[jj] = _mm512_loadu_ps(b + jj * ldb + p);
        for (int i = 0; i < MR; i++) for (int jj = 0; jj < NRT; jj++) s[i][jj] = _mm512_fmadd_ps(av[i], bv[jj], s[i][jj]);
    }
    if (p < k) {
        const __mmask16 t = lanes(k - p);
        __m512 av[4], bv[4];
        for (int i = 0; i < MR; i++) av[i] = _mm512_maskz_loadu_ps(t, a + i * lda + p);
        for (int jj = 0; jj < NRT; jj++) bv[jj] = _mm512_maskz_loadu_ps(t, b + jj * ldb + p);
        for (int i = 0; i < MR; i++) for (int jj = 0; jj < NRT; jj++) s[i][jj] = _mm512_fmadd_ps(av[i], bv[jj], s[i][jj]);
    }
    for (int i = 0; i < MR; i++) {
        for (int jj = 0; jj < NRT; jj++) {
            const float v = alpha * _mm512_reduce_add_ps(s[i][jj]);
            float *dst = c + i * ldc + jj;
            *dst = beta == 0 ? v : v + beta * *dst;
        }
    }
}

CKERNELS_AVX512
void ckernels_sgemm_nt_avx512(ptrdiff_t m, ptrdiff_t n, ptrdiff_t k, float alpha, const float *a, ptrdiff_t lda,
                              const float *b, ptrdiff_t ldb, float beta, float *c, ptrdiff_t ldc,
                              ptrdiff_t first_row, ptrdiff_t end_row) {
    if (end_row > m) end_row = m;
    for (ptrdiff_t i = first_row; i < end_row; i += 4) {
        const ptrdiff_t rows = end_row - i;
        for (ptrdiff_t j = 0; j < n; j += 4) {
            const ptrdiff_t cols = n - j;
            const float *ai = a + i * lda, *bj = b + j * ldb;
            float *cij = c + i * ldc + j;
            if (rows >= 4 && cols >= 4) { nt_block(4, 4, k, ai, lda, bj, ldb, cij, ldc, alpha, beta); continue; }
            // Edges: one row or column at a time.
            for (ptrdiff_t r = 0; r < (rows < 4 ? rows : 4); r++)
                for (ptrdiff_t q = 0; q < (cols < 4 ? cols : 4); q++)
                    nt_block(1, 1, k, ai + r * lda, lda, bj + q * ldb, ldb, cij + r * ldc + q, ldc, alpha, beta);
        }
    }
}
