#ifndef CKERNELS_H
#define CKERNELS_H
// Engine's AVX-512 kernels. The package is built for haswell (AVX2/FMA) so that every machine of
// the farm runs it; these functions alone carry AVX-512 target attributes, and Engine calls them
// only after `ckernels_cpu_has_avx512()` said yes (KernelPath.swift). Each mirrors a Swift loop of
// Engine/Kernels, sixteen lanes wide instead of eight; the Swift loop stays as the floor path.

#include <stddef.h>
#include <stdbool.h>

/// True when the CPU has AVX-512 F/BW/VL/DQ and the operating system saves the zmm state
/// (XCR0 bits 1, 2, 5, 6 and 7). Computed once; safe to call from any thread.
bool ckernels_cpu_has_avx512(void);

/// Winograd F(4x4, 3x3) input transform V = B^T d B of one row of `tiles_wide` tiles (a multiple
/// of 8) of one channel, as `Winograd.transformInputTiles` computes it eight tiles at a time.
/// `phases` is the channel's four phase planes, `step` floats apart, each row `phase_width` floats;
/// `row` is the band's padded input row at the top of the tiles. Point xi of tile t goes to
/// v[xi * point_stride + t].
void ckernels_winograd_input_row_avx512(const float *phases, ptrdiff_t step, ptrdiff_t phase_width,
                                        ptrdiff_t row, ptrdiff_t tiles_wide, float *v, ptrdiff_t point_stride);

/// Winograd output transform Y = A^T M A + bias of one row of `tiles_wide` tiles (a multiple of 8)
/// of one channel, as `Winograd.transformOutputTiles`: m[xi * point_stride + t] is point xi of
/// tile t; the 4x4 outputs go to the plane `y` (height x width) at rows row ..< row + 4, columns
/// 4t ..< 4t + 4, where they fall inside it.
void ckernels_winograd_output_row_avx512(const float *m, ptrdiff_t point_stride, ptrdiff_t tiles_wide, float bias,
                                         float *y, ptrdiff_t height, ptrdiff_t width, ptrdiff_t row);

/// One output row of up to four channels of a stride-1 direct convolution, as `DirectConv.row`:
/// `input` is the padded band (channels `channel_stride` apart, rows `row_length` apart, at least
/// 16 floats of slack past width + k - 1), `weights` the group's packed taps [in][k][k][4].
/// outputs[j][x] = bias[j] + sum of taps, for j < channels and x < width.
void ckernels_direct_conv_row_avx512(const float *input, ptrdiff_t channel_stride, ptrdiff_t row_length,
                                     ptrdiff_t in_channels, ptrdiff_t k, const float *weights, ptrdiff_t width,
                                     float *const *outputs, const float *biases, ptrdiff_t channels);

/// C = alpha * A * B + beta * C, row-major (cblas_sgemm with no transposes), A m x k, B k x n, for
/// columns first_column ..< end_column of C only, so callers can split the columns across threads
/// (first_column a multiple of 32 for full-width stores). beta == 0 never reads C.
void ckernels_sgemm_nn_avx512(ptrdiff_t m, ptrdiff_t n, ptrdiff_t k, float alpha, const float *a, ptrdiff_t lda,
                              const float *b, ptrdiff_t ldb, float beta, float *c, ptrdiff_t ldc,
                              ptrdiff_t first_column, ptrdiff_t end_column);

/// C = alpha * A * B^T + beta * C, row-major (B stored n x k), for rows first_row ..< end_row of C
/// only (first_row a multiple of 4). The Gram matrix F F^T and the Winograd weight gradient.
void ckernels_sgemm_nt_avx512(ptrdiff_t m, ptrdiff_t n, ptrdiff_t k, float alpha, const float *a, ptrdiff_t lda,
                              const float *b, ptrdiff_t ldb, float beta, float *c, ptrdiff_t ldc,
                              ptrdiff_t first_row, ptrdiff_t end_row);

#endif
