#ifndef CCPUFEATURES_H
#define CCPUFEATURES_H

/// 1 when the CPU executes AVX2 and FMA instructions (and the OS saves the AVX state), else 0.
/// Always 0 on architectures other than x86.
int facestream_cpu_has_avx2_fma(void);

/// 1 when the CPU executes AVX-512 F, BW, DQ, VL and VNNI instructions (what the int8 kernels
/// built for Cascade Lake use) and the OS saves the AVX-512 state, else 0. Always 0 off x86.
int facestream_cpu_has_avx512_vnni(void);

/// 1 when the CPU has everything `facestream_cpu_has_avx512_vnni` asks for plus AVX-512 VBMI
/// (`vpermb`; Ice Lake, Zen 4 and later; not Cascade Lake), else 0. Always 0 off x86.
int facestream_cpu_has_avx512_vbmi(void);

/// A hint to the CPU that the caller is in a spin-wait loop (x86 `pause`, arm64 `yield`): the
/// core saves power, gives way to its hyper-thread sibling, and leaves the loop without the
/// memory-order mis-speculation a tight load loop pays. Swift has no such intrinsic, hence this
/// static inline shim.
static inline void facestream_cpu_relax(void) {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#elif defined(__aarch64__)
    __asm__ __volatile__("yield");
#endif
}

#endif
