// The two instructions the probe needs and Swift cannot express (see probe.swift): `vpermb`
// (AVX-512 VBMI) and `vpdpbusd` (AVX-512 VNNI), on GCC vector types Swift imports as SIMD16<Int32>.
// Header only; the probe is compiled with -target-cpu icelake-server.
typedef int probe_i32x16 __attribute__((__vector_size__(64)));
typedef char probe_i8x64 __attribute__((__vector_size__(64)));

/// Byte i of the result is byte `index.byte[i] % 64` of `data`.
__attribute__((target("avx512f,avx512vbmi"), always_inline, nodebug))
static inline probe_i32x16 probe_permute_bytes(probe_i32x16 data, probe_i32x16 index) {
    return (probe_i32x16)__builtin_ia32_permvarqi512((probe_i8x64)data, (probe_i8x64)index);
}

/// acc + the sum of the four u8(a) x s8(b) byte products of each 32-bit lane.
__attribute__((target("avx512f,avx512vnni"), always_inline, nodebug))
static inline probe_i32x16 probe_dpbusd(probe_i32x16 acc, probe_i32x16 a, probe_i32x16 b) {
    return __builtin_ia32_vpdpbusd512(acc, a, b);
}
