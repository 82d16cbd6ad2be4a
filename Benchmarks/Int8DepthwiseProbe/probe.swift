// A measurement, not product code: is a 3x3 depthwise convolution faster in 8 bits than in
// float32 on this CPU? Both kernels read a padded input (so neither pays for edges) and write
// float32. The int8 one takes, per kernel row and 16 outputs, one 64-byte load of unsigned bytes,
// one `vpermb` that puts columns x-1, x, x+1 of each output in the first three bytes of its
// 32-bit lane, and one `vpdpbusd` with the row's three signed weights. "float in" adds what a
// layer with float32 input would pay: a range scan, and each input row quantised once into a
// ring of three padded byte rows.
//
//   swiftc -O -target-cpu icelake-server -import-objc-header shim.h probe.swift -o /tmp/probe
//   /tmp/probe CHANNELS HEIGHT WIDTH REPEATS      (WIDTH a multiple of 16)
//
// It needs AVX-512 VBMI and VNNI (Ice Lake and later, Zen 4) and says so and stops elsewhere.
import Foundation

let flags = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
guard flags.contains(" avx512vbmi"), flags.contains(" avx512_vnni"), flags.contains(" avx2") else {
    print("probe: this CPU lacks AVX-512 VBMI or VNNI (see /proc/cpuinfo); nothing measured")
    exit(69)
}

@inline(__always) func load8(_ p: UnsafePointer<Float>) -> SIMD8<Float> {
    UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Float>.self)
}

/// float32, AVX2 width, nine loads and nine multiply-adds per eight outputs.
@inline(never)
func depthwiseFloat(
    _ input: UnsafePointer<Float>, _ c: Int, _ h: Int, _ w: Int, _ pw: Int, _ k: UnsafePointer<Float>,
    _ bias: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>
) {
    for ch in 0..<c {
        let p = input + ch &* (h &+ 2) &* pw
        let kk = (0..<9).map { SIMD8<Float>(repeating: k[9 &* ch &+ $0]) }
        let (k0, k1, k2, k3, k4, k5, k6, k7, k8) = (kk[0], kk[1], kk[2], kk[3], kk[4], kk[5], kk[6], kk[7], kk[8])
        let b = SIMD8<Float>(repeating: bias[ch])
        let o = out + ch &* h &* w
        for y in 0..<h {
            let r0 = p + y &* pw
            let r1 = r0 + pw
            let r2 = r1 + pw
            var x = 0
            while x < w {
                var a0 = b.addingProduct(load8(r0 + x), k0)
                a0 = a0.addingProduct(load8(r0 + (x &+ 1)), k1)
                a0 = a0.addingProduct(load8(r0 + (x &+ 2)), k2)
                var a1 = load8(r1 + x) * k3
                a1 = a1.addingProduct(load8(r1 + (x &+ 1)), k4)
                a1 = a1.addingProduct(load8(r1 + (x &+ 2)), k5)
                var a2 = load8(r2 + x) * k6
                a2 = a2.addingProduct(load8(r2 + (x &+ 1)), k7)
                a2 = a2.addingProduct(load8(r2 + (x &+ 2)), k8)
                var v = a0 + a1 + a2
                v.replace(with: 0, where: v .< 0)
                UnsafeMutableRawPointer(o + (y &* w &+ x)).storeBytes(of: v, as: SIMD8<Float>.self)
                x &+= 8
            }
        }
    }
}

/// Lane p of 16 outputs: bytes p, p + 1, p + 2 (and p + 3, whose weight is 0) of the row.
let tapIndexes: SIMD16<Int32> = {
    var v = SIMD16<Int32>()
    for p in 0..<16 { v[p] = Int32(p) | Int32(p + 1) << 8 | Int32(p + 2) << 16 | Int32(p + 3) << 24 }
    return v
}()

/// Int32 lanes to float (lane by lane: the generic SIMD conversion is an unspecialised call; this
/// loop becomes one `vcvtdq2ps`).
@inline(__always)
func floats(_ v: SIMD16<Int32>) -> SIMD16<Float> {
    var f = SIMD16<Float>()
    for lane in 0..<16 { f[lane] = Float(v[lane]) }
    return f
}

/// One channel's 16 outputs from three padded byte rows (column x - 1 at byte x).
@inline(__always)
func taps16(
    _ r0: UnsafePointer<UInt8>, _ r1: UnsafePointer<UInt8>, _ r2: UnsafePointer<UInt8>, _ x: Int,
    _ w: (SIMD16<Int32>, SIMD16<Int32>, SIMD16<Int32>), _ tapIndex: SIMD16<Int32>
) -> SIMD16<Int32> {
    var acc = SIMD16<Int32>()
    acc = probe_dpbusd(
        acc, probe_permute_bytes(UnsafeRawPointer(r0 + x).loadUnaligned(as: SIMD16<Int32>.self), tapIndex), w.0)
    acc = probe_dpbusd(
        acc, probe_permute_bytes(UnsafeRawPointer(r1 + x).loadUnaligned(as: SIMD16<Int32>.self), tapIndex), w.1)
    acc = probe_dpbusd(
        acc, probe_permute_bytes(UnsafeRawPointer(r2 + x).loadUnaligned(as: SIMD16<Int32>.self), tapIndex), w.2)
    return acc
}

/// The three kernel rows' signed weights of channel `ch`, each row in every 32-bit lane.
func rowWeights(_ q: UnsafePointer<Int8>, _ ch: Int) -> (SIMD16<Int32>, SIMD16<Int32>, SIMD16<Int32>) {
    func row(_ r: Int) -> SIMD16<Int32> {
        var word: UInt32 = 0
        for j in 0..<3 { word |= UInt32(UInt8(bitPattern: q[9 * ch + 3 * r + j])) << (8 * j) }
        return SIMD16(repeating: Int32(bitPattern: word))
    }
    return (row(0), row(1), row(2))
}

/// u8 in (padded planes), float32 out: out = relu(scale * sum + bias).
@inline(never)
func depthwiseBytes(
    _ input: UnsafePointer<UInt8>, _ c: Int, _ h: Int, _ w: Int, _ pw: Int, _ q: UnsafePointer<Int8>,
    _ scale: Float, _ bias: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>
) {
    let s = SIMD16<Float>(repeating: scale)
    let index = tapIndexes
    for ch in 0..<c {
        let p = input + ch &* (h &+ 2) &* pw
        let wr = rowWeights(q, ch)
        let b = SIMD16<Float>(repeating: bias[ch])
        let o = out + ch &* h &* w
        for y in 0..<h {
            let r0 = p + y &* pw
            var x = 0
            while x < w {
                var v = b.addingProduct(floats(taps16(r0, r0 + pw, r0 + 2 &* pw, x, wr, index)), s)
                v.replace(with: 0, where: v .< 0)
                UnsafeMutableRawPointer(o + (y &* w &+ x)).storeBytes(of: v, as: SIMD16<Float>.self)
                x &+= 16
            }
        }
    }
}

/// float32 in (unpadded planes), float32 out: a range scan, then each input row quantised once
/// into a ring of three padded byte rows (`ring`: 4 rows of `w + 64` bytes, the last all zero).
@inline(never)
func depthwiseFloatIn(
    _ input: UnsafePointer<Float>, _ c: Int, _ h: Int, _ w: Int, _ q: UnsafePointer<Int8>, _ weightScale: Float,
    _ bias: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>, _ ring: UnsafeMutablePointer<UInt8>
) {
    var top = SIMD16<Float>()
    var i = 0
    while i < c * h * w {
        top = top.replacing(
            with: UnsafeRawPointer(input + i).loadUnaligned(as: SIMD16<Float>.self),
            where: UnsafeRawPointer(input + i).loadUnaligned(as: SIMD16<Float>.self) .> top)
        i &+= 16
    }
    let largest = top.max()
    let step = largest > 0 ? largest / 255 : 1
    let inverse = SIMD16<Float>(repeating: 1 / step)
    let s = SIMD16<Float>(repeating: step * weightScale)
    let rw = w + 64
    let index = tapIndexes
    let zero = UnsafePointer(ring + 3 * rw)
    for ch in 0..<c {
        let plane = input + ch &* h &* w
        func quantise(_ iy: Int) {
            let src = plane + iy &* w
            let dst = ring + (iy % 3) &* rw + 1
            var x = 0
            while x < w {
                var v = UnsafeRawPointer(src + x).loadUnaligned(as: SIMD16<Float>.self) * inverse
                v.replace(with: 0, where: v .< 0)
                v.replace(with: 255, where: v .> 255)
                // 1.5 * 2^23 rounds to the nearest integer, held in the low mantissa bits.
                let q = unsafeBitCast(v + 12_582_912, to: SIMD16<Int32>.self)
                var bytes = SIMD16<UInt8>()
                for lane in 0..<16 { bytes[lane] = UInt8(truncatingIfNeeded: q[lane]) }
                UnsafeMutableRawPointer(dst + x).storeBytes(of: bytes, as: SIMD16<UInt8>.self)
                x &+= 16
            }
        }
        let wr = rowWeights(q, ch)
        let b = SIMD16<Float>(repeating: bias[ch])
        let o = out + ch &* h &* w
        quantise(0)
        for y in 0..<h {
            if y + 1 < h { quantise(y + 1) }
            let r0 = y > 0 ? UnsafePointer(ring + ((y - 1) % 3) &* rw) : zero
            let r1 = UnsafePointer(ring + (y % 3) &* rw)
            let r2 = y + 1 < h ? UnsafePointer(ring + ((y + 1) % 3) &* rw) : zero
            var x = 0
            while x < w {
                var v = b.addingProduct(floats(taps16(r0, r1, r2, x, wr, index)), s)
                v.replace(with: 0, where: v .< 0)
                UnsafeMutableRawPointer(o + (y &* w &+ x)).storeBytes(of: v, as: SIMD16<Float>.self)
                x &+= 16
            }
        }
    }
}

let arguments = CommandLine.arguments
guard arguments.count == 5, let c = Int(arguments[1]), let h = Int(arguments[2]), let w = Int(arguments[3]),
    let repeats = Int(arguments[4]), w % 16 == 0
else {
    print("usage: probe CHANNELS HEIGHT WIDTH REPEATS (WIDTH a multiple of 16)")
    exit(64)
}
let pw = w + 64
var generator = SystemRandomNumberGenerator()
// Inputs are whole multiples of 1/64 in 0 ... 255/64, so the byte input holds them exactly.
let bytes = UnsafeMutablePointer<UInt8>.allocate(capacity: c * (h + 2) * pw + 64)
bytes.initialize(repeating: 0, count: c * (h + 2) * pw + 64)
let padded = UnsafeMutablePointer<Float>.allocate(capacity: c * (h + 2) * pw + 64)
padded.initialize(repeating: 0, count: c * (h + 2) * pw + 64)
let plain = UnsafeMutablePointer<Float>.allocate(capacity: c * h * w + 16)
for ch in 0..<c {
    for y in 0..<h {
        for x in 0..<w {
            let v = UInt8.random(in: 0...255, using: &generator)
            bytes[ch * (h + 2) * pw + (y + 1) * pw + x + 1] = v
            padded[ch * (h + 2) * pw + (y + 1) * pw + x + 1] = Float(v) / 64
            plain[(ch * h + y) * w + x] = Float(v) / 64
        }
    }
}
let quantised = (0..<9 * c).map { _ in Int8.random(in: -127...127, using: &generator) }
let weights = quantised.map { Float($0) / 127 }
let bias = [Float](repeating: 0.1, count: c)
let expected = UnsafeMutablePointer<Float>.allocate(capacity: c * h * w + 16)
let result = UnsafeMutablePointer<Float>.allocate(capacity: c * h * w + 16)
let ring = UnsafeMutablePointer<UInt8>.allocate(capacity: 4 * (w + 64) + 64)
ring.initialize(repeating: 0, count: 4 * (w + 64) + 64)

func worst() -> Float { (0..<c * h * w).map { abs(expected[$0] - result[$0]) }.max()! }
func milliseconds(_ body: () -> Void) -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    for _ in 0..<repeats { body() }
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6 / Double(repeats)
}
quantised.withUnsafeBufferPointer { q in
    weights.withUnsafeBufferPointer { k in
        bias.withUnsafeBufferPointer { b in
            let q = q.baseAddress!
            let k = k.baseAddress!
            let b = b.baseAddress!
            depthwiseFloat(padded, c, h, w, pw, k, b, expected)
            depthwiseBytes(bytes, c, h, w, pw, q, 1 / (64 * 127), b, result)
            let byteError = worst()
            depthwiseFloatIn(plain, c, h, w, q, 1 / 127, b, result, ring)
            print(String(format: "largest difference to float32: bytes in %.2g, float in %.2g", byteError, worst()))
            for _ in 0..<3 {
                let f = milliseconds { depthwiseFloat(padded, c, h, w, pw, k, b, expected) }
                let u = milliseconds { depthwiseBytes(bytes, c, h, w, pw, q, 1 / (64 * 127), b, result) }
                let fi = milliseconds { depthwiseFloatIn(plain, c, h, w, q, 1 / 127, b, result, ring) }
                print(
                    String(
                        format:
                            "%d x %dx%d: float32 %.4f ms, int8 bytes in %.4f ms (%.2fx), int8 float in %.4f ms (%.2fx)",
                        c, h, w, f, u, f / u, fi, f / fi))
            }
        }
    }
}
