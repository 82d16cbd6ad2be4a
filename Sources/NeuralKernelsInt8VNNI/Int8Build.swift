/// This build of the int8 kernels: compiled for Cascade Lake (AVX-512 F/BW/DQ/VL and VNNI), which
/// Ice Lake, Sapphire Rapids and Zen 4 also execute; see Package.swift.
package let int8BuildName = "avx512-vnni"
