#ifndef CINT8INSTRUCTIONS_H
#define CINT8INSTRUCTIONS_H

// The one place the engine reaches instructions that Swift cannot express: the integer
// multiply-adds of the int8 kernels (Sources/KernelsInt8Shared). Swift SIMD code never becomes
// `vpdpbusd` (four u8 x s8 products summed into each 32-bit lane) nor the full-width `vpmaddwd`:
// LLVM only forms them from widening patterns that Swift's SIMD types do not produce, and the
// LLVM intrinsics cannot be declared from Swift (`@_silgen_name` gives them the Swift calling
// convention, which instruction selection rejects; `@_extern(c)` refuses vector types).
//
// So: static inline functions on GCC vector types, which Swift imports as SIMD8<Int32> and
// SIMD16<Int32>. `always_inline` plus each function's `target` attribute let clang compile the
// body into the Swift caller, which must itself be built for a CPU that has the instruction
// (NeuralKernelsInt8VNNI: -target-cpu cascadelake; NeuralKernelsInt8AVX2: haswell). Each result
// is a single instruction (checked with objdump on the kernels). Header only: nothing to link.

#if defined(__x86_64__)

typedef int facestream_i32x8 __attribute__((__vector_size__(32)));
typedef int facestream_i32x16 __attribute__((__vector_size__(64)));
typedef short facestream_i16x16 __attribute__((__vector_size__(32)));

/// `acc + sum_{j<4} u8(a.byte[4l+j]) * s8(b.byte[4l+j])` in every 32-bit lane l, wrapping
/// (AVX-512 VNNI `vpdpbusd` on 16 lanes). `a` holds unsigned bytes, `b` signed bytes; the sums
/// are exact as long as they fit 32 bits.
__attribute__((target("avx512f,avx512vnni"), always_inline, nodebug))
static inline facestream_i32x16 facestream_dpbusd16(facestream_i32x16 acc, facestream_i32x16 a,
                                                    facestream_i32x16 b) {
    return __builtin_ia32_vpdpbusd512(acc, a, b);
}

/// `a.half[2l] * b.half[2l] + a.half[2l+1] * b.half[2l+1]` in every 32-bit lane l, where the
/// halves are signed 16-bit values (AVX2 `vpmaddwd`, both halves of every lane). Exact unless
/// both products are (-32768)^2; the kernels' factors are 0...255 and -127...127.
__attribute__((target("avx2"), always_inline, nodebug))
static inline facestream_i32x8 facestream_maddwd8(facestream_i32x8 a, facestream_i32x8 b) {
    return (facestream_i32x8)__builtin_ia32_pmaddwd256((facestream_i16x16)a, (facestream_i16x16)b);
}

/// `facestream_maddwd8` on 16 lanes (two `vpmaddwd` on 256-bit halves; AVX2 has no wider form).
__attribute__((target("avx2"), always_inline, nodebug))
static inline facestream_i32x16 facestream_maddwd16(facestream_i32x16 a, facestream_i32x16 b) {
    facestream_i32x8 low = facestream_maddwd8(__builtin_shufflevector(a, a, 0, 1, 2, 3, 4, 5, 6, 7),
                                              __builtin_shufflevector(b, b, 0, 1, 2, 3, 4, 5, 6, 7));
    facestream_i32x8 high = facestream_maddwd8(__builtin_shufflevector(a, a, 8, 9, 10, 11, 12, 13, 14, 15),
                                               __builtin_shufflevector(b, b, 8, 9, 10, 11, 12, 13, 14, 15));
    return __builtin_shufflevector(low, high, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
}

#endif

#endif
