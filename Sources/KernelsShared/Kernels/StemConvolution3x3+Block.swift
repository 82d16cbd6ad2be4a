import NeuralKernelsCore

extension StemConvolution3x3 {
    /// The micro-kernels of one output row and one block of 4 output channels `o ..< o+4`.
    ///
    /// Addresses: `slots.k + (i * rowFloats + x + offset) * 4` bytes for the row slot of kernel
    /// row `k` and channel `i`, with `x + offset + 8 <= rowFloats` by the choice of `rowFloats`
    /// (blocks end at `max(OW, 8)`); `weights[t * paddedChannels + r]` and `bias[r]` for r < 4,
    /// inside the padded arrays for any first channel `o < O`.
    struct Block {
        let slots: (UnsafeRawPointer, UnsafeRawPointer, UnsafeRawPointer)
        let weights: UnsafePointer<Float>
        let bias: UnsafePointer<Float>
        /// Floats between the weights of consecutive taps (`paddedChannels`).
        let weightStep: Int
        /// Bytes between the row slots of consecutive input channels.
        let rowBytes: Int
        /// Byte offsets of taps kx = 0, 1, 2 within a row slot.
        let offsets: (Int, Int, Int)
        let inputChannels: Int
        let outputWidth: Int
        let relu: Bool

        init(
            slots: (UnsafeRawPointer, UnsafeRawPointer, UnsafeRawPointer), weights: UnsafePointer<Float>,
            bias: UnsafePointer<Float>, kernel: StemConvolution3x3
        ) {
            self.slots = slots
            self.weights = weights
            self.bias = bias
            weightStep = kernel.paddedChannels
            rowBytes = kernel.rowFloats * MemoryLayout<Float>.stride
            offsets = (
                0, kernel.tapOffset1 * MemoryLayout<Float>.stride, kernel.tapOffset2 * MemoryLayout<Float>.stride
            )
            inputChannels = kernel.geometry.inputChannels
            outputWidth = kernel.geometry.outputWidth
            relu = kernel.relu
        }

        /// out[o + r, x ..< x+24] for r < `channels`: one `Tile4x24`; per tap 3 loads, 4
        /// broadcasts and 12 FMAs.
        @inline(__always)
        func columns24(_ x: Int, output: UnsafeMutablePointer<Float>, planeStride: Int, channels: Int) {
            var tile = Tile4x24(bias: bias)
            let step = weightStep
            var w = weights
            for ky in 0..<3 {
                var row = (ky == 0 ? slots.0 : ky == 1 ? slots.1 : slots.2) + x * MemoryLayout<Float>.stride
                for _ in 0..<inputChannels {
                    for kx in 0..<3 {
                        tile.add(row + (kx == 0 ? offsets.0 : kx == 1 ? offsets.1 : offsets.2), w)
                        w += step
                    }
                    row += rowBytes
                }
            }
            let out = output + x
            tile.forEachVector(rows: channels) { r, column, value in store(value, out + r * planeStride + column, 8) }
        }

        /// out[o + r, x ..< min(x+8, OW)] for r < `channels` (narrow rows): 4 accumulators.
        @inline(__always)
        func columns8(_ x: Int, output: UnsafeMutablePointer<Float>, planeStride: Int, channels: Int) {
            var c0 = SIMD8<Float>(repeating: bias[0])
            var c1 = SIMD8<Float>(repeating: bias[1])
            var c2 = SIMD8<Float>(repeating: bias[2])
            var c3 = SIMD8<Float>(repeating: bias[3])
            let step = weightStep
            var w = weights
            for ky in 0..<3 {
                var row = (ky == 0 ? slots.0 : ky == 1 ? slots.1 : slots.2) + x * MemoryLayout<Float>.stride
                for _ in 0..<inputChannels {
                    for kx in 0..<3 {
                        let v = (row + (kx == 0 ? offsets.0 : kx == 1 ? offsets.1 : offsets.2))
                            .loadUnaligned(as: SIMD8<Float>.self)
                        c0 = multiplyAdd(c0, v, SIMD8(repeating: w[0]))
                        c1 = multiplyAdd(c1, v, SIMD8(repeating: w[1]))
                        c2 = multiplyAdd(c2, v, SIMD8(repeating: w[2]))
                        c3 = multiplyAdd(c3, v, SIMD8(repeating: w[3]))
                        w += step
                    }
                    row += rowBytes
                }
            }
            let lanes = min(8, outputWidth - x)
            let out = output + x
            store(c0, out, lanes)
            guard channels > 1 else { return }
            store(c1, out + planeStride, lanes)
            guard channels > 2 else { return }
            store(c2, out + 2 * planeStride, lanes)
            guard channels > 3 else { return }
            store(c3, out + 3 * planeStride, lanes)
        }

        /// Stores the first `lanes` lanes of `value` after the activation.
        @inline(__always)
        private func store(_ value: SIMD8<Float>, _ out: UnsafeMutablePointer<Float>, _ lanes: Int) {
            let result = relu ? value.replacing(with: 0, where: value .< 0) : value
            if lanes == 8 {
                UnsafeMutableRawPointer(out).storeBytes(of: result, as: SIMD8<Float>.self)
            } else {
                for lane in 0..<lanes { out[lane] = result[lane] }
            }
        }
    }
}
