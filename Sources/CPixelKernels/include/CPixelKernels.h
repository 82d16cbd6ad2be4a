// Pixel loops that need vector instructions the base x86-64 set lacks to be fast (32-bit lane
// multiplies; eight-lane floats with truncating conversions). VideoCore and DetectionSinks are
// built for the base set, where SSE2 has no 32-bit lane multiply and Swift checks every float to
// integer conversion; these C loops are compiled twice (AVX2 and the base set) and the loader
// picks one for the CPU it runs on (GNU ifunc through `target_clones`), so no build is tied to one
// CPU.
#ifndef FACESTREAM_CPIXELKERNELS_H
#define FACESTREAM_CPIXELKERNELS_H

#include <math.h>
#include <stdint.h>

/// The fixed-point YUV -> RGB matrix (see VideoCore's YUVToRGBCoefficients).
typedef struct {
    int32_t y_offset;
    int32_t y_scale;
    int32_t v_to_red;
    int32_t v_to_green;
    int32_t u_to_green;
    int32_t u_to_blue;
} facestream_yuv_matrix;

/// For i < count, with all arithmetic wrapping at 32 bits:
///   u = second ? (blue0[i] + blue1[i] - 32768) << 1 : (blue0[i] - 16384) << 2   (likewise v from red)
///   L = ((luma[i] << 9) - y_offset) * y_scale + 2^21
///   R, G, B = L + v * v_to_red, L + v * v_to_green + u * u_to_green, L + u * u_to_blue,
///             each clamped into [0, 2^30) and shifted right by 22
///   packed[i] = R | G << 8 | B << 16
/// `blue1`/`red1` are read only when `second` is non-zero. All pointers hold `count` elements and
/// are borrowed for the call; `packed` must not overlap the inputs.
void facestream_yuv_matrix_row(
    const int32_t *luma, const int32_t *blue0, const int32_t *red0, const int32_t *blue1, const int32_t *red1,
    int second, const facestream_yuv_matrix *matrix, uint32_t *packed, long count);

/// The same loop compiled for the base instruction set only (never the AVX2 clone), so tests can
/// compare the two builds on a machine that would always pick the AVX2 one.
void facestream_yuv_matrix_row_base(
    const int32_t *luma, const int32_t *blue0, const int32_t *red0, const int32_t *blue1, const int32_t *red1,
    int second, const facestream_yuv_matrix *matrix, uint32_t *packed, long count);

/// What the coverage of one row of a face mask needs (DetectionSinks' `FaceMask.row(y:)`): the
/// mask's centre column, half width, 1 / half width, 1 / feather width, the shorter half side,
/// whether it is an ellipse, and the row's term (ellipse: dy / half height; rectangle:
/// dy - half height).
typedef struct {
    float centre_x;
    float half_width;
    float width_scale;
    float feather_scale;
    float shorter_half;
    float row_term;
    int32_t is_ellipse;
} facestream_row_coverage;

/// How much of the effect the pixel centre at picture column `x` of the row `c` describes gets:
/// 1 inside the mask, falling linearly to 0 across the feather band (floats, no fused operations):
///   dx = |x - centre_x|
///   outside = ellipse ? (sqrt((dx * width_scale)^2 + row_term^2) - 1) * shorter_half
///                     : max(dx - half_width, row_term), then at least 0
///   coverage = clamp(1 - outside * feather_scale, 0, 1)
/// The one definition of the mask's edge: Swift's `FaceMask.coverage` calls it, and the band mix
/// below inlines it.
static inline float facestream_mask_coverage(const facestream_row_coverage *c, float x) {
#pragma STDC FP_CONTRACT OFF
    float dx = fabsf(x - c->centre_x);
    float outside;
    if (c->is_ellipse) {
        float nx = dx * c->width_scale;
        outside = (sqrtf(nx * nx + c->row_term * c->row_term) - 1.0f) * c->shorter_half;
    } else {
        float across = dx - c->half_width;
        outside = across < c->row_term ? c->row_term : across;
    }
    outside = outside < 0.0f ? 0.0f : outside;
    float alpha = 1.0f - outside * c->feather_scale;
    alpha = alpha < 0.0f ? 0.0f : alpha;
    return alpha > 1.0f ? 1.0f : alpha;
}

/// The feather-band mix of one row of a plane, for from <= i < to (floats, no fused operations):
///   alpha = facestream_mask_coverage(coverage, (first_x + i + 0.5) * scale)
///   row[i] = (uint8) clamp(alpha * effect[i] + (1 - alpha) * row[i] + 0.5, 0, 255), truncated
/// `row` and `effect` hold at least `to` bytes and are borrowed for the call.
void facestream_feather_mix(
    uint8_t *row, const uint8_t *effect, long from, long to, const facestream_row_coverage *coverage, float first_x,
    float scale);

/// The same loop for the base instruction set only (never the AVX2 clone), for tests.
void facestream_feather_mix_base(
    uint8_t *row, const uint8_t *effect, long from, long to, const facestream_row_coverage *coverage, float first_x,
    float scale);

/// One row of the reduced blur's bilinear interpolation (DetectionSinks' `PlaneEffect`), in 32-bit
/// integers (no overflow for 8-bit samples and weights in 0...256):
///   line[i] = upper[i] * (256 - t) + lower[i] * t   for first <= i <= min(last + 1, line_count - 1)
///   line[line_count] = line[line_count - 1]          when last + 1 == line_count
///   out[x] = (line[i] * 256 + 32768 + (line[i + 1] - line[i]) * weights[x]) >> 16
///            for each interval first <= i <= last and x in [max(firsts[i], from), min(firsts[i + 1], to))
/// `line` holds line_count + 1 values; all pointers are borrowed for the call.
void facestream_expand_row(
    const int32_t *upper, const int32_t *lower, int32_t t, int32_t *line, long line_count, const int32_t *firsts,
    const int32_t *weights, long first, long last, long from, long to, uint8_t *out);

/// The same loop for the base instruction set only (never the AVX2 clone), for tests.
void facestream_expand_row_base(
    const int32_t *upper, const int32_t *lower, int32_t t, int32_t *line, long line_count, const int32_t *firsts,
    const int32_t *weights, long first, long last, long from, long to, uint8_t *out);

/// The rounded means of the f x f blocks of a w x h rectangle of bytes whose rows start at
/// origin + y * stride (blocks smaller at the right and bottom edges; 1 <= f <= 16):
///   low[j * lw + i] = floor((sum of block (i, j) + n / 2) / n), n its pixel count,
///   lw = ceil(w / f), lh = ceil(h / f).
/// `sums` is scratch of w values. All pointers are borrowed for the call.
void facestream_block_means(const uint8_t *origin, long stride, long w, long h, long f, int32_t *sums, int32_t *low);

/// The same loop for the base instruction set only (never the AVX2 clone), for tests.
void facestream_block_means_base(
    const uint8_t *origin, long stride, long w, long h, long f, int32_t *sums, int32_t *low);

/// ceil(2^32 / n) for 2 <= n < 4096, the multiplier the box blur and block means divide by
/// (0 for n = 1, which they do not multiply).
static inline uint32_t facestream_multiplier(long n) {
    return n < 2 ? 0 : (uint32_t)((((uint64_t)1 << 32) + (uint64_t)n - 1) / (uint64_t)n);
}

/// One pass of a separable box blur of `a` (w x h, values 0...255) in place, through `b` (w x h
/// scratch) and `sums` (max(w, h) scratch): horizontally
///   b[y][x] = floor((sum(a[y][lo..hi]) + n / 2) / n), lo = max(0, x - radius), hi = min(w - 1, x + radius),
///   n = hi - lo + 1,
/// then the same vertically from b back to a. `multipliers[n]` = `facestream_multiplier(n)` for
/// every window size 2 <= n <= min(max(w, h), 2 * radius + 1), which must stay below 4096 (the
/// division is exact under that bound). All pointers are borrowed for the call.
void facestream_box_blur_pass(
    int32_t *a, int32_t *b, int32_t *sums, long w, long h, long radius, const uint32_t *multipliers);

/// The same loop for the base instruction set only (never the AVX2 clone), for tests.
void facestream_box_blur_pass_base(
    int32_t *a, int32_t *b, int32_t *sums, long w, long h, long radius, const uint32_t *multipliers);

#endif
