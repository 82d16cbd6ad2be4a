import Foundation
import NeuralKernels
import TestSupport
import Testing

/// The int8 depthwise kernel (bytes in, floats out) against a scalar reference of its documented
/// arithmetic: the weights quantised per channel, the integer sum over the 3x3 window with zeros
/// outside the picture, then `bias + Float(sum) * (inputScale * weightScale)` (fused) and the ReLU. The
/// results must be identical, on every width (under, at and over a 16-output block), height,
/// stride, channel count and channel split.
@Suite struct Int8DepthwiseTests {
    /// The CPU flags say whether the kernel must run here, so that its tests cannot skip silently
    /// on a machine that has VBMI and VNNI.
    static let cpuHasIt: Bool = {
        guard let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8) else { return false }
        return text.split(separator: "\n").contains {
            $0.hasPrefix("flags") && $0.split(separator: " ").contains("avx512vbmi")
                && $0.split(separator: " ").contains("avx512_vnni")
        }
    }()

    @Test func supportFollowsTheCPUFlags() {
        #expect(Int8DepthwiseConvolution.isSupported == Self.cpuHasIt)
    }

    struct Shape: CustomTestStringConvertible, Sendable {
        let channels: Int
        let height: Int
        let width: Int
        let stride: Int
        var testDescription: String { "\(channels)x\(height)x\(width) s\(stride)" }
    }

    static let shapes: [Shape] = {
        var shapes: [Shape] = []
        for stride in [1, 2] {
            for width in [1, 2, 15, 16, 17, 31, 33, 40, 80, 160] {
                shapes.append(Shape(channels: 3, height: 5, width: width, stride: stride))
            }
            for height in [1, 2, 3, 30] {
                shapes.append(Shape(channels: 2, height: height, width: 19, stride: stride))
            }
            shapes.append(Shape(channels: 16, height: 12, width: 40, stride: stride))
            shapes.append(Shape(channels: 1, height: 9, width: 7, stride: stride))
        }
        return shapes
    }()

    /// Quantised weights, multipliers and the exact reference output of the documented arithmetic.
    static func reference(
        _ shape: Shape, input: [UInt8], weights: [Float], bias: [Float], scales: [Float], relu: Bool
    ) -> [Float] {
        let (oh, ow) = ((shape.height - 1) / shape.stride + 1, (shape.width - 1) / shape.stride + 1)
        var output = [Float](repeating: 0, count: shape.channels * oh * ow)
        for c in 0..<shape.channels {
            let largest = (0..<9).map { abs(weights[9 * c + $0]) }.max()!
            let inverse: Float = largest > 0 ? 127 / largest : 0
            let q = (0..<9).map { Int(max(-127, min(127, (weights[9 * c + $0] * inverse).rounded(.toNearestOrEven)))) }
            let multiplier = scales[c] * (largest / 127)
            for y in 0..<oh {
                for x in 0..<ow {
                    var sum = 0
                    for ky in 0..<3 {
                        for kx in 0..<3 {
                            let (iy, ix) = (y * shape.stride - 1 + ky, x * shape.stride - 1 + kx)
                            guard iy >= 0, iy < shape.height, ix >= 0, ix < shape.width else { continue }
                            sum += q[3 * ky + kx] * Int(input[(c * shape.height + iy) * shape.width + ix])
                        }
                    }
                    var v = bias[c].addingProduct(Float(sum), multiplier)
                    if relu && v < 0 { v = 0 }
                    output[(c * oh + y) * ow + x] = v
                }
            }
        }
        return output
    }

    /// Runs the kernel over the channel `splits` into an output filled with NaN. The input sits
    /// in the middle of a larger buffer whose other bytes are 255, so that a read outside it
    /// shows in the result.
    static func run(_ kernel: Int8DepthwiseConvolution, input: [UInt8], splits: [Range<Int>]) -> [Float] {
        var output = [Float](repeating: .nan, count: kernel.channels * kernel.outputHeight * kernel.outputWidth)
        let guardBytes = 128
        let buffer = [UInt8](repeating: 255, count: guardBytes) + input + [UInt8](repeating: 255, count: guardBytes)
        buffer.withUnsafeBufferPointer { buffer in
            output.withUnsafeMutableBufferPointer { output in
                for channels in splits {
                    kernel.run(input: buffer.baseAddress! + guardBytes, output: output.baseAddress!, channels: channels)
                }
            }
        }
        return output
    }

    @Test(arguments: shapes)
    func matchesTheReferenceExactly(shape: Shape) throws {
        try #require(Int8DepthwiseConvolution.isSupported)
        var rng = SeededGenerator(
            seed: UInt64(shape.channels * 10_007 + shape.height * 101 + shape.width * 3 + shape.stride))
        var input = (0..<(shape.channels * shape.height * shape.width)).map { _ in
            UInt8.random(in: 0...255, using: &rng)
        }
        input[0] = 255
        input[input.count - 1] = 255
        var weights = (0..<(9 * shape.channels)).map { _ in Float.random(in: -1...1, using: &rng) }
        if shape.channels > 1 { for k in 0..<9 { weights[9 + k] = 0 } }  // an all-zero channel
        weights[4] = -2  // the centre tap of channel 0 at -127
        let bias = (0..<shape.channels).map { _ in Float.random(in: -3...3, using: &rng) }
        let scales = (0..<shape.channels).map { _ in Float.random(in: 0.001...0.05, using: &rng) }
        for relu in [false, true] {
            let kernel = Int8DepthwiseConvolution(
                channels: shape.channels, inputHeight: shape.height, inputWidth: shape.width, stride: shape.stride,
                weights: weights, bias: bias, relu: relu, inputScales: scales)
            let want = Self.reference(shape, input: input, weights: weights, bias: bias, scales: scales, relu: relu)
            let middle = shape.channels / 2
            for splits in [[0..<shape.channels], [0..<middle, middle..<shape.channels]] {
                let got = Self.run(kernel, input: input, splits: splits)
                let wrong = zip(got, want).filter { $0 != $1 }.count
                #expect(wrong == 0, "relu \(relu) splits \(splits.count): \(wrong) of \(want.count) differ")
            }
        }
    }

    /// With an output step the kernel writes `clamp(round(v / step), 0, 255)` of the float `v` it
    /// writes without one (to within one step at rounding ties: it folds 1 / step into its
    /// multiply-add), into exactly the bytes of the channels asked for.
    @Test(arguments: [
        Shape(channels: 5, height: 9, width: 37, stride: 1), Shape(channels: 4, height: 8, width: 80, stride: 2),
    ])
    func byteOutputIsTheRoundedFloatOutput(shape: Shape) throws {
        try #require(Int8DepthwiseConvolution.isSupported)
        var rng = SeededGenerator(seed: UInt64(shape.width * 7 + shape.stride))
        let input = (0..<(shape.channels * shape.height * shape.width)).map { _ in
            UInt8.random(in: 0...255, using: &rng)
        }
        let weights = (0..<(9 * shape.channels)).map { _ in Float.random(in: -1...1, using: &rng) }
        let bias = (0..<shape.channels).map { _ in Float.random(in: -1...1, using: &rng) }
        let scales = [Float](repeating: 0.01, count: shape.channels)
        let step: Float = 0.02
        func make(_ outputStep: Float?) -> Int8DepthwiseConvolution {
            Int8DepthwiseConvolution(
                channels: shape.channels, inputHeight: shape.height, inputWidth: shape.width, stride: shape.stride,
                weights: weights, bias: bias, relu: true, inputScales: scales, outputStep: outputStep)
        }
        let floats = Self.run(make(nil), input: input, splits: [0..<shape.channels])
        let want = floats.map { UInt8(min(255, max(0, $0 / step)).rounded(.toNearestOrEven)) }
        let kernel = make(step)
        #expect(kernel.writesBytes)
        var got = [UInt8](repeating: 0xA5, count: want.count + 16)
        input.withUnsafeBufferPointer { input in
            got.withUnsafeMutableBytes { out in
                let middle = shape.channels / 2
                kernel.run(input: input.baseAddress!, output: out.baseAddress!, channels: 0..<middle)
                kernel.run(input: input.baseAddress!, output: out.baseAddress!, channels: middle..<shape.channels)
            }
        }
        #expect(got[want.count...].allSatisfy { $0 == 0xA5 }, "wrote past the output")
        let far = zip(got, want).filter { abs(Int($0) - Int($1)) > 1 }.count
        let off = zip(got, want).filter { $0 != $1 }.count
        #expect(far == 0 && off * 1000 <= want.count, "\(far) bytes far off, \(off) off by one of \(want.count)")
        #expect(want.contains(255) && want.contains(0) && want.contains { $0 > 0 && $0 < 255 })
    }

    /// The Relu that hands a float layer's output to the depthwise kernel as bytes: each value
    /// `clamp(round(max(0, x) / step), 0, 255)`, rounded to nearest even, exactly, in whole vectors
    /// and in a plane's tail.
    @Test(arguments: [1, 15, 16, 37, 1200])
    func quantizeReLUMatchesItsDefinition(planeSize: Int) throws {
        try #require(Int8DepthwiseConvolution.isSupported)
        var rng = SeededGenerator(seed: UInt64(planeSize))
        let steps: [Float] = [0.01, 0.03, 0.5]
        var input = (0..<(steps.count * planeSize)).map { _ in Float.random(in: -2...9, using: &rng) }
        input[0] = 2.125  // a tie at step 0.01 lands near 212.5: rounding must follow the definition
        let want = input.enumerated().map { index, x -> UInt8 in
            let v = max(0, x) * (1 / steps[index / planeSize])
            return UInt8(min(255, v).rounded(.toNearestOrEven))
        }
        var got = [UInt8](repeating: 0xA5, count: want.count + 8)
        input.withUnsafeBufferPointer { input in
            got.withUnsafeMutableBufferPointer { out in
                steps.map { 1 / $0 }.withUnsafeBufferPointer { inverses in
                    Int8DepthwiseConvolution.quantizeReLU(
                        input: input.baseAddress!, output: out.baseAddress!, planeSize: planeSize,
                        inverseSteps: inverses)
                }
            }
        }
        #expect(Array(got[..<want.count]) == want)
        #expect(got[want.count...].allSatisfy { $0 == 0xA5 })
        if planeSize > 100 { #expect(want.contains(0) && want.contains(255) && want.contains { $0 > 0 && $0 < 255 }) }
    }

    /// Only the channels asked for are written.
    @Test func otherChannelsAreUntouched() throws {
        try #require(Int8DepthwiseConvolution.isSupported)
        let input = (0..<(4 * 6 * 20)).map { UInt8($0 % 251) }
        let kernel = Int8DepthwiseConvolution(
            channels: 4, inputHeight: 6, inputWidth: 20, stride: 1, weights: (0..<36).map { Float($0 % 5) - 2 },
            bias: nil, relu: false, inputScales: [Float](repeating: 0.01, count: 4))
        let got = Self.run(kernel, input: input, splits: [1..<3])
        let plane = 6 * 20
        #expect(got[0..<plane].allSatisfy { $0.isNaN } && got[(3 * plane)...].allSatisfy { $0.isNaN })
        #expect(!got[plane..<(3 * plane)].contains { $0.isNaN })
    }

    /// The dequantised result is close to a float32 depthwise convolution of the dequantised input:
    /// the only difference is the rounding of the weights (half a step of 127 per tap).
    @Test func agreesWithFloat32() throws {
        try #require(Int8DepthwiseConvolution.isSupported)
        let (channels, height, width) = (5, 14, 37)
        var rng = SeededGenerator(seed: 5)
        let input = (0..<(channels * height * width)).map { _ in UInt8.random(in: 0...255, using: &rng) }
        let weights = (0..<(9 * channels)).map { _ in Float.random(in: -0.5...0.5, using: &rng) }
        let scale: Float = 4.0 / 255
        for stride in [1, 2] {
            let kernel = Int8DepthwiseConvolution(
                channels: channels, inputHeight: height, inputWidth: width, stride: stride, weights: weights,
                bias: nil, relu: false, inputScales: [Float](repeating: scale, count: channels))
            let got = Self.run(kernel, input: input, splits: [0..<channels])
            let (oh, ow) = (kernel.outputHeight, kernel.outputWidth)
            var worst: Float = 0
            for c in 0..<channels {
                let step = (0..<9).map { abs(weights[9 * c + $0]) }.max()! / 127
                for y in 0..<oh {
                    for x in 0..<ow {
                        var exact: Float = 0
                        for ky in 0..<3 {
                            for kx in 0..<3 {
                                let (iy, ix) = (y * stride - 1 + ky, x * stride - 1 + kx)
                                guard iy >= 0, iy < height, ix >= 0, ix < width else { continue }
                                exact +=
                                    weights[9 * c + 3 * ky + kx] * scale * Float(input[(c * height + iy) * width + ix])
                            }
                        }
                        // Nine taps, each off by at most half a weight step times the largest input.
                        let bound = 9 * step / 2 * scale * 255 + 1e-4
                        let error = abs(got[(c * oh + y) * ow + x] - exact)
                        worst = max(worst, error / bound)
                        #expect(error <= bound)
                    }
                }
            }
            #expect(worst > 0.01, "the bound is not vacuous")
        }
    }
}
