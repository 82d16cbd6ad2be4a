#include "CPixelKernels.h"

#if defined(__x86_64__) && defined(__linux__)
#define FACESTREAM_CLONES __attribute__((target_clones("avx2", "default")))
#else
#define FACESTREAM_CLONES
#endif

// Signed overflow is undefined in C, so the wrapping arithmetic is done on uint32_t and the
// results reinterpreted as int32_t for the clamp (two's complement on every target we build for).
static inline uint32_t facestream_top_byte(uint32_t value) {
    int32_t v = (int32_t)value;
    v = v < 0 ? 0 : v;
    v = v > (1 << 30) - 1 ? (1 << 30) - 1 : v;
    return (uint32_t)v >> 22;
}

static inline uint32_t facestream_pixel(uint32_t y, uint32_t u, uint32_t v, const facestream_yuv_matrix *m) {
    uint32_t base = ((y << 9) - (uint32_t)m->y_offset) * (uint32_t)m->y_scale + (1u << 21);
    uint32_t r = facestream_top_byte(base + v * (uint32_t)m->v_to_red);
    uint32_t g = facestream_top_byte(base + v * (uint32_t)m->v_to_green + u * (uint32_t)m->u_to_green);
    uint32_t b = facestream_top_byte(base + u * (uint32_t)m->u_to_blue);
    return r | g << 8 | b << 16;
}

// The loop, inlined into the dispatched entry point (cloned for AVX2 and the base set) and into
// the plain one that tests compare it with.
static inline __attribute__((always_inline)) void facestream_matrix_loop(
    const int32_t *luma, const int32_t *blue0, const int32_t *red0, const int32_t *blue1, const int32_t *red1,
    int second, const facestream_yuv_matrix *matrix, uint32_t *packed, long count) {
    facestream_yuv_matrix m = *matrix;
    if (second) {
        for (long i = 0; i < count; i++) {
            uint32_t u = ((uint32_t)blue0[i] + (uint32_t)blue1[i] - 32768u) << 1;
            uint32_t v = ((uint32_t)red0[i] + (uint32_t)red1[i] - 32768u) << 1;
            packed[i] = facestream_pixel((uint32_t)luma[i], u, v, &m);
        }
    } else {
        for (long i = 0; i < count; i++) {
            uint32_t u = ((uint32_t)blue0[i] - 16384u) << 2;
            uint32_t v = ((uint32_t)red0[i] - 16384u) << 2;
            packed[i] = facestream_pixel((uint32_t)luma[i], u, v, &m);
        }
    }
}

FACESTREAM_CLONES
void facestream_yuv_matrix_row(
    const int32_t *luma, const int32_t *blue0, const int32_t *red0, const int32_t *blue1, const int32_t *red1,
    int second, const facestream_yuv_matrix *matrix, uint32_t *packed, long count) {
    facestream_matrix_loop(luma, blue0, red0, blue1, red1, second, matrix, packed, count);
}

void facestream_yuv_matrix_row_base(
    const int32_t *luma, const int32_t *blue0, const int32_t *red0, const int32_t *blue1, const int32_t *red1,
    int second, const facestream_yuv_matrix *matrix, uint32_t *packed, long count) {
    facestream_matrix_loop(luma, blue0, red0, blue1, red1, second, matrix, packed, count);
}
