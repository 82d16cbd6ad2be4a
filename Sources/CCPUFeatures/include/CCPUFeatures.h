#ifndef CCPUFEATURES_H
#define CCPUFEATURES_H

/// 1 when the CPU executes AVX2 and FMA instructions (and the OS saves the AVX state), else 0.
/// Always 0 on architectures other than x86.
int facestream_cpu_has_avx2_fma(void);

/// 1 when the CPU executes AVX-512 F, BW, DQ, VL and VNNI instructions (what the int8 kernels
/// built for Cascade Lake use) and the OS saves the AVX-512 state, else 0. Always 0 off x86.
int facestream_cpu_has_avx512_vnni(void);

#endif
