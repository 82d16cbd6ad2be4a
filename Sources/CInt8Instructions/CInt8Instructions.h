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

/// Byte i of the result is byte `index.byte[i] % 64` of `data` (AVX-512 VBMI `vpermb`, any byte of
/// the 64 to any place). For the int8 depthwise kernel (NeuralKernelsInt8VBMI, -target-cpu
/// icelake-server: Cascade Lake has VNNI but not VBMI).
__attribute__((target("avx512f,avx512bw,avx512vbmi"), always_inline, nodebug))
static inline facestream_i32x16 facestream_permb16(facestream_i32x16 data, facestream_i32x16 index) {
    typedef char facestream_i8x64 __attribute__((__vector_size__(64)));
    return (facestream_i32x16)__builtin_ia32_permvarqi512((facestream_i8x64)data, (facestream_i8x64)index);
}

typedef float facestream_f32x16 __attribute__((__vector_size__(64)));
typedef unsigned char facestream_u8x16 __attribute__((__vector_size__(16)));

/// The low byte of each 32-bit lane (AVX-512 `vpmovdb`; on AVX2, the packing instructions that
/// build): the int8 kernels' byte output. No target attribute, so that both int8 builds inline it.
__attribute__((always_inline, nodebug))
static inline facestream_u8x16 facestream_low_bytes16(facestream_i32x16 words) {
    return __builtin_convertvector(words & 0xFF, facestream_u8x16);
}

/// Four vectors of 16 floats rounded to integers (to nearest, ties to even: the default rounding
/// mode), saturated to 0...255, packed in order into 64 bytes (`vcvtps2dq`, `vpackssdw`,
/// `vpackuswb`, then `vpermd` to undo the packs' 128-bit interleaving) and stored to `p`: the int8
/// 1x1 kernel's byte output for 64 pixels of one channel, one store instead of four narrowing
/// ones. (Storing from Swift left an out-of-line call to the standard library's `storeBytes` in
/// the kernel, 3.6 % of an int8 run.)
__attribute__((target("avx512f,avx512bw"), always_inline, nodebug))
static inline void facestream_store_bytes64(void *p, facestream_f32x16 a, facestream_f32x16 b,
                                            facestream_f32x16 c, facestream_f32x16 d) {
    typedef short facestream_i16x32 __attribute__((__vector_size__(64)));
    typedef char facestream_i8x64 __attribute__((__vector_size__(64)));
    facestream_i32x16 none = {0};
    facestream_i32x16 ia = __builtin_ia32_cvtps2dq512_mask(a, none, (unsigned short)0xFFFF, 4);
    facestream_i32x16 ib = __builtin_ia32_cvtps2dq512_mask(b, none, (unsigned short)0xFFFF, 4);
    facestream_i32x16 ic = __builtin_ia32_cvtps2dq512_mask(c, none, (unsigned short)0xFFFF, 4);
    facestream_i32x16 id = __builtin_ia32_cvtps2dq512_mask(d, none, (unsigned short)0xFFFF, 4);
    facestream_i16x32 ab = (facestream_i16x32)__builtin_ia32_packssdw512(ia, ib);
    facestream_i16x32 cd = (facestream_i16x32)__builtin_ia32_packssdw512(ic, id);
    facestream_i32x16 bytes = (facestream_i32x16)__builtin_ia32_packuswb512(ab, cd);
    // Dword 4L + p of `bytes` holds elements 4L...4L+3 of the p-th source (a, b, c, d).
    facestream_i32x16 order = {0, 4, 8, 12, 1, 5, 9, 13, 2, 6, 10, 14, 3, 7, 11, 15};
    facestream_i32x16 packed = __builtin_ia32_permvarsi512(bytes, order);
    __builtin_memcpy(p, &packed, sizeof packed);
}

/// Plain 64- and 16-byte stores for the int8 1x1 kernel's epilogue: in its large generic
/// specialisations Swift's `storeBytes(of:as:)` stayed an out-of-line call (up to 80 call sites
/// per kernel), these always inline to one `vmovups` / `vmovdqu`. No target attribute.
__attribute__((always_inline, nodebug))
static inline void facestream_store_floats16(void *p, facestream_f32x16 values) {
    __builtin_memcpy(p, &values, sizeof values);
}

__attribute__((always_inline, nodebug))
static inline void facestream_store_bytes16(void *p, facestream_u8x16 values) {
    __builtin_memcpy(p, &values, sizeof values);
}

/// Each byte zero-extended into a 32-bit lane (`vpmovzxbd` on AVX-512; two on AVX2). No target
/// attribute, so that both int8 builds inline it.
__attribute__((always_inline, nodebug))
static inline facestream_i32x16 facestream_widen_bytes16(facestream_u8x16 bytes) {
    return __builtin_convertvector(bytes, facestream_i32x16);
}

/// The bytes of `mask` (bit i: byte i) loaded from `p`, the others 0 (AVX-512 BW masked
/// `vmovdqu8`): masked-off bytes are never read, so the 64 bytes may run past either end of a
/// buffer. The int8 depthwise kernel reads its rows with it, the picture's border coming out as 0.
__attribute__((target("avx512f,avx512bw"), always_inline, nodebug))
static inline facestream_i32x16 facestream_load_bytes_masked(const void *p, unsigned long long mask) {
    typedef char facestream_i8x64 __attribute__((__vector_size__(64)));
    // The builtin's pointer parameter has the vector type (the load itself is unaligned).
    return (facestream_i32x16)__builtin_ia32_loaddquqi512_mask(
        (const facestream_i8x64 *)p, (facestream_i8x64){0}, mask);
}

/// Stores the bytes of `values` whose bit is set in `mask` to `p` (AVX-512 BW/VL masked
/// `vmovdqu8`); the others are neither written nor read.
__attribute__((target("avx512f,avx512bw,avx512vl"), always_inline, nodebug))
static inline void facestream_store_bytes_masked(void *p, facestream_u8x16 values, unsigned short mask) {
    typedef char facestream_i8x16 __attribute__((__vector_size__(16)));
    __builtin_ia32_storedquqi128_mask((facestream_i8x16 *)p, (facestream_i8x16)values, mask);
}

/// The lanes of `values` that `mask` selects, rounded to integers (to nearest, ties to even),
/// saturated to 0...255 as unsigned values and stored as bytes to `p` (`vcvtps2dq`, then
/// `vpmovusdb` to memory with a mask). The values must not be negative (a negative integer
/// saturates to 255 as unsigned): the int8 kernels' byte outputs follow a ReLU.
__attribute__((target("avx512f"), always_inline, nodebug))
static inline void facestream_store_steps_masked(void *p, facestream_f32x16 values, unsigned short mask) {
    typedef char facestream_i8x16 __attribute__((__vector_size__(16)));
    facestream_i32x16 none = {0};
    facestream_i32x16 words = __builtin_ia32_cvtps2dq512_mask(values, none, (unsigned short)0xFFFF, 4);
    __builtin_ia32_pmovusdb512mem_mask((facestream_i8x16 *)p, words, mask);
}

/// Stores the floats of `values` whose bit is set in `mask` to `p` (AVX-512 masked `vmovups`); the
/// others are neither written nor read.
__attribute__((target("avx512f"), always_inline, nodebug))
static inline void facestream_store_floats_masked(float *p, facestream_f32x16 values, unsigned short mask) {
    __builtin_ia32_storeups512_mask(p, values, mask);
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
