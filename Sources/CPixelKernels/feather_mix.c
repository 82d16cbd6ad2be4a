#include "CPixelKernels.h"

#include <math.h>

// The mix below must give the very same floats as a pixel-by-pixel mix with
// `facestream_mask_coverage` (tests compare every sample): no fused multiply-adds. The build
// passes -ffp-contract=off as well; this pragma keeps it so in any build.
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
    for (long i = from; i < to; i++) {
        float alpha = facestream_mask_coverage(&c, (first_x + (float)i + 0.5f) * scale);
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

// floor((sum + n / 2) / n) for 0 <= sum <= 256 * n and 1 <= n < 4096, with `multiplier` =
// ceil(2^32 / n) (unused for n = 1): the error of the multiplication stays below one step of
// the quotient because (sum + n / 2) * n < 2^32.
static inline __attribute__((always_inline)) int32_t facestream_mean(int32_t sum, long n, uint32_t multiplier) {
    if (n == 1) return sum;
    return (int32_t)(((uint64_t)(uint32_t)(sum + (int32_t)(n / 2)) * multiplier) >> 32);
}

// dst[y][x] = mean of src[lo..hi][x] (lo = max(0, y - radius), hi = min(h - 1, y + radius)) for an
// image of h rows of w: one running sum per column, rows read in order, every step a whole row of
// independent lanes (vectorised).
static inline __attribute__((always_inline)) void facestream_vertical_means(
    const int32_t *src, int32_t *dst, int32_t *sums, long w, long h, long radius, const uint32_t *multipliers) {
    for (long x = 0; x < w; x++) sums[x] = 0;
    for (long y = 0; y < h && y <= radius; y++) {
        const int32_t *row = src + y * w;
        for (long x = 0; x < w; x++) sums[x] += row[x];
    }
    for (long y = 0; y < h; y++) {
        long hi = y + radius < h - 1 ? y + radius : h - 1;
        long lo = y - radius > 0 ? y - radius : 0;
        long n = hi - lo + 1;
        int32_t *out = dst + y * w;
        if (n == 1) {
            for (long x = 0; x < w; x++) out[x] = sums[x];
        } else {
            const uint64_t multiplier = multipliers[n];
            const uint32_t half = (uint32_t)(n / 2);
            for (long x = 0; x < w; x++) out[x] = (int32_t)((((uint64_t)((uint32_t)sums[x] + half)) * multiplier) >> 32);
        }
        if (y + radius + 1 < h) {
            const int32_t *entering = src + (y + radius + 1) * w;
            for (long x = 0; x < w; x++) sums[x] += entering[x];
        }
        if (y - radius >= 0) {
            const int32_t *leaving = src + (y - radius) * w;
            for (long x = 0; x < w; x++) sums[x] -= leaving[x];
        }
    }
}

// dst (w rows of h) = src (h rows of w) transposed.
static inline __attribute__((always_inline)) void facestream_transpose(
    const int32_t *src, int32_t *dst, long w, long h) {
    for (long y = 0; y < h; y++) {
        for (long x = 0; x < w; x++) dst[x * h + y] = src[y * w + x];
    }
}

// The horizontal means are the vertical means of the transposed image, so both directions run as
// whole-row vector steps (a running sum along a row would be one long dependency chain).
static inline __attribute__((always_inline)) void facestream_box_blur_loop(
    int32_t *a, int32_t *b, int32_t *sums, long w, long h, long radius, const uint32_t *multipliers) {
    facestream_transpose(a, b, w, h);
    facestream_vertical_means(b, a, sums, h, w, radius, multipliers);
    facestream_transpose(a, b, h, w);
    facestream_vertical_means(b, a, sums, w, h, radius, multipliers);
}

FACESTREAM_CLONES
void facestream_box_blur_pass(
    int32_t *a, int32_t *b, int32_t *sums, long w, long h, long radius, const uint32_t *multipliers) {
    facestream_box_blur_loop(a, b, sums, w, h, radius, multipliers);
}

void facestream_box_blur_pass_base(
    int32_t *a, int32_t *b, int32_t *sums, long w, long h, long radius, const uint32_t *multipliers) {
    facestream_box_blur_loop(a, b, sums, w, h, radius, multipliers);
}

static inline __attribute__((always_inline)) void facestream_block_means_loop(
    const uint8_t *origin, long stride, long w, long h, long f, int32_t *sums, int32_t *low) {
    long lw = (w + f - 1) / f, lh = (h + f - 1) / f;
    if (f == 1) {
        for (long y = 0; y < h; y++) {
            for (long x = 0; x < w; x++) low[y * w + x] = origin[y * stride + x];
        }
        return;
    }
    const long whole = f * f;
    const uint32_t whole_multiplier = facestream_multiplier(whole);
    for (long j = 0; j < lh; j++) {
        long y0 = j * f, y1 = (j + 1) * f < h ? (j + 1) * f : h;
        for (long x = 0; x < w; x++) sums[x] = 0;
        for (long y = y0; y < y1; y++) {
            const uint8_t *row = origin + y * stride;
            for (long x = 0; x < w; x++) sums[x] += row[x];
        }
        for (long i = 0; i < lw; i++) {
            long x0 = i * f, x1 = (i + 1) * f < w ? (i + 1) * f : w;
            int32_t sum = 0;
            for (long x = x0; x < x1; x++) sum += sums[x];
            long n = (y1 - y0) * (x1 - x0);
            // Only blocks at the right and bottom edges are smaller: one division for those.
            uint32_t multiplier = n == whole ? whole_multiplier : facestream_multiplier(n);
            low[j * lw + i] = facestream_mean(sum, n, multiplier);
        }
    }
}

FACESTREAM_CLONES
void facestream_block_means(const uint8_t *origin, long stride, long w, long h, long f, int32_t *sums, int32_t *low) {
    facestream_block_means_loop(origin, stride, w, h, f, sums, low);
}

void facestream_block_means_base(
    const uint8_t *origin, long stride, long w, long h, long f, int32_t *sums, int32_t *low) {
    facestream_block_means_loop(origin, stride, w, h, f, sums, low);
}
