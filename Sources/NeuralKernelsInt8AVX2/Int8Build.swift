/// This build of the int8 kernels: compiled for Haswell (AVX2 + FMA); see Package.swift.
package let int8BuildName = "avx2"
