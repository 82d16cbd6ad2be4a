// Integer pixel loops that need 32-bit vector multiplies to be fast. VideoCore is built for the base
// x86-64 instruction set, where SSE2 has no 32-bit lane multiply and the compiler emulates it; these
// C loops are compiled twice (AVX2 and the base set) and the loader picks one for the CPU it runs on
// (GNU ifunc through `target_clones`), so no build is tied to one CPU.
#ifndef FACESTREAM_CPIXELKERNELS_H
#define FACESTREAM_CPIXELKERNELS_H

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

#endif
