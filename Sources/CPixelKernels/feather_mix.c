#include "CPixelKernels.h"

#include <math.h>

// The coverage and mix below must give the very same floats as DetectionSinks' Swift `RowCoverage`
// and mix (tests compare every sample): no fused multiply-adds, and the operations in the same
// order. The build passes -ffp-contract=off as well; this pragma keeps it so in any build.
#pragma STDC FP_CONTRACT OFF

#if defined(__x86_64__) && defined(__linux__)
#define FACESTREAM_CLONES __attribute__((target_clones("avx2", "default")))
#else
#define FACESTREAM_CLONES
#endif

static inline __attribute__((always_inline)) void facestream_feather_loop(
    uint8_t *row, const uint8_t *effect, long from, long to, const facestream_row_coverage *coverage, float first_x,
    float scale) {
    const facestream_row_coverage c = *coverage;
    const float row_square = c.row_term * c.row_term;
    for (long i = from; i < to; i++) {
        float centre = (first_x + (float)i + 0.5f) * scale;
        float dx = fabsf(centre - c.centre_x);
        float outside;
        if (c.is_ellipse) {
            float nx = dx * c.width_scale;
            outside = (sqrtf(nx * nx + row_square) - 1.0f) * c.shorter_half;
        } else {
            float across = dx - c.half_width;
            outside = across < c.row_term ? c.row_term : across;
        }
        outside = outside < 0.0f ? 0.0f : outside;
        float alpha = 1.0f - outside * c.feather_scale;
        alpha = alpha < 0.0f ? 0.0f : alpha;
        alpha = alpha > 1.0f ? 1.0f : alpha;
        float mixed = alpha * (float)effect[i] + (1.0f - alpha) * (float)row[i] + 0.5f;
        mixed = mixed < 0.0f ? 0.0f : mixed;
        mixed = mixed > 255.0f ? 255.0f : mixed;
        row[i] = (uint8_t)(int32_t)mixed;
    }
}

FACESTREAM_CLONES
void facestream_feather_mix(
    uint8_t *row, const uint8_t *effect, long from, long to, const facestream_row_coverage *coverage, float first_x,
    float scale) {
    facestream_feather_loop(row, effect, from, to, coverage, first_x, scale);
}

void facestream_feather_mix_base(
    uint8_t *row, const uint8_t *effect, long from, long to, const facestream_row_coverage *coverage, float first_x,
    float scale) {
    facestream_feather_loop(row, effect, from, to, coverage, first_x, scale);
}

static inline __attribute__((always_inline)) void facestream_expand_loop(
    const int32_t *upper, const int32_t *lower, int32_t t, int32_t *line, long line_count, const int32_t *firsts,
    const int32_t *weights, long first, long last, long from, long to, uint8_t *out) {
    long line_end = last + 1 < line_count ? last + 1 : line_count - 1;
    for (long i = first; i <= line_end; i++) line[i] = upper[i] * (256 - t) + lower[i] * t;
    if (last + 1 == line_count) line[line_count] = line[line_count - 1];
    for (long i = first; i <= last; i++) {
        long start = firsts[i] > from ? firsts[i] : from;
        long end = firsts[i + 1] < to ? firsts[i + 1] : to;
        int32_t base = line[i] * 256 + 32768;
        int32_t step = line[i + 1] - line[i];
        for (long x = start; x < end; x++) out[x] = (uint8_t)((base + step * weights[x]) >> 16);
    }
}

FACESTREAM_CLONES
void facestream_expand_row(
    const int32_t *upper, const int32_t *lower, int32_t t, int32_t *line, long line_count, const int32_t *firsts,
    const int32_t *weights, long first, long last, long from, long to, uint8_t *out) {
    facestream_expand_loop(upper, lower, t, line, line_count, firsts, weights, first, last, from, to, out);
}

void facestream_expand_row_base(
    const int32_t *upper, const int32_t *lower, int32_t t, int32_t *line, long line_count, const int32_t *firsts,
    const int32_t *weights, long first, long last, long from, long to, uint8_t *out) {
    facestream_expand_loop(upper, lower, t, line, line_count, firsts, weights, first, last, from, to, out);
}

static inline __attribute__((always_inline)) void facestream_add_bytes_loop(
    const uint8_t *row, int32_t *sums, long count) {
    for (long i = 0; i < count; i++) sums[i] += row[i];
}

FACESTREAM_CLONES
void facestream_add_bytes(const uint8_t *row, int32_t *sums, long count) {
    facestream_add_bytes_loop(row, sums, count);
}

void facestream_add_bytes_base(const uint8_t *row, int32_t *sums, long count) {
    facestream_add_bytes_loop(row, sums, count);
}
