import NeuralKernelsCore

/// Dense, dilated, strided and grouped convolutions as matrix products over an im2col buffer.
///
/// Per group `g` and per tile of whole output rows `y0..<y1` (T = (y1 - y0) * OW pixels):
///
///     col[k, t] = in[g * I/g + i, y*sY - pT + ky*dY, x*sX - pL + kx*dX]   (0 outside the input)
///         with k = (i * kH + ky) * kW + kx and t = (y - y0) * OW + x
///     out[g * O/g + o, y0 * OW + t] = act(b + sum_k w[g * O/g + o, k] * col[k, t])
///
/// so the weights of a group are exactly `[O/g x K]` in OIHW order. Scratch holds one tile of
/// `col` (`K x T` floats, about 128 KiB so it stays in L2, more when 48 columns need more). A 1x1 stride-1 unpadded geometry (a
/// grouped pointwise convolution) reads the input planes directly and needs no scratch.
struct Im2colConvolution: Sendable {
    let geometry: ConvolutionGeometry
    /// Per group, weights k-major: `packed[(g * K + k) * O/g + o] = w[g * O/g + o, k]`.
    let packed: [Float]
    let bias: [Float]
    let relu: Bool
    /// K = I/g * kH * kW.
    let depth: Int
    /// Output rows per tile.
    let tileRows: Int
    /// True when `col` is the input itself (1x1, stride 1, no padding).
    let readsInputDirectly: Bool

    init(geometry g: ConvolutionGeometry, weights: [Float], bias: [Float], activation: Activation) {
        geometry = g
        depth = g.inputChannelsPerGroup * g.kernelHeight * g.kernelWidth
        let ocg = g.outputChannelsPerGroup
        var packed = [Float](repeating: 0, count: weights.count)
        for group in 0..<g.groups {
            for o in 0..<ocg {
                for k in 0..<depth { packed[(group * depth + k) * ocg + o] = weights[(group * ocg + o) * depth + k] }
            }
        }
        self.packed = packed
        self.bias = bias
        relu = activation == .relu
        readsInputDirectly = g.kernelHeight == 1 && g.kernelWidth == 1 && g.strideY == 1 && g.strideX == 1
            && g.padTop == 0 && g.padLeft == 0 && g.padBottom == 0 && g.padRight == 0
        // About 32 Ki floats per tile, but at least 48 columns so the 24-wide blocks have work.
        let minimumRows = (48 + g.outputWidth - 1) / g.outputWidth
        tileRows = readsInputDirectly ? g.outputHeight : min(g.outputHeight, max(minimumRows, 32_768 / (depth * g.outputWidth)))
    }

    /// Floats of scratch: one `K x T` tile.
    var scratchCount: Int { readsInputDirectly ? 0 : depth * tileRows * geometry.outputWidth }

    /// Computes output channels `channels`; rebuilds `col` for every group the range touches.
    func run(input: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>, scratch: UnsafeMutablePointer<Float>, channels: Range<Int>) {
        run(input: input, output: output, scratch: scratch, channels: channels, rows: 0..<geometry.outputHeight)
    }

    /// Computes output channels `channels` for output rows `rows` only.
    func run(
        input: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>, scratch: UnsafeMutablePointer<Float>, channels: Range<Int>,
        rows outputRows: Range<Int>
    ) {
        let g = geometry
        let ocg = g.outputChannelsPerGroup, ow = g.outputWidth, oh = g.outputHeight
        let planeIn = g.inputHeight * g.inputWidth, planeOut = oh * ow
        let groups = (channels.lowerBound / ocg)...((channels.upperBound - 1) / ocg)
        packed.withUnsafeBufferPointer { weights in
            bias.withUnsafeBufferPointer { bias in
                for group in groups {
                    let first = group * ocg
                    let rows = max(channels.lowerBound, first)..<min(channels.upperBound, first + ocg)
                    let groupInput = input + group * g.inputChannelsPerGroup * planeIn
                    var y0 = outputRows.lowerBound
                    while y0 < outputRows.upperBound {
                        let y1 = min(outputRows.upperBound, y0 + tileRows)
                        let columns = (y1 - y0) * ow
                        if !readsInputDirectly { fillColumns(from: groupInput, rows: y0..<y1, into: scratch) }
                        MatrixProduct(
                            a: weights.baseAddress! + group * depth * ocg, aStride: ocg, depth: depth,
                            b: readsInputDirectly ? groupInput + y0 * ow : UnsafePointer(scratch),
                            bStride: readsInputDirectly ? planeIn : columns, columns: columns,
                            c: output + first * planeOut + y0 * ow, cStride: planeOut,
                            bias: bias.baseAddress! + first, relu: relu
                        ).run(rows: (rows.lowerBound - first)..<(rows.upperBound - first))
                        y0 = y1
                    }
                }
            }
        }
    }

    /// Writes `col[k, t]` for output rows `rows` of one group (layout above, row stride T).
    /// Pointers: `input` covers the group's I/g planes, `col` holds K * T floats; every index
    /// below is checked against the plane bounds before it is read.
    private func fillColumns(from input: UnsafePointer<Float>, rows: Range<Int>, into col: UnsafeMutablePointer<Float>) {
        let g = geometry
        let ow = g.outputWidth, w = g.inputWidth, h = g.inputHeight
        let sx = g.strideX
        let tile = rows.count * ow
        var k = 0
        for i in 0..<g.inputChannelsPerGroup {
            let plane = input + i * h * w
            for ky in 0..<g.kernelHeight {
                for kx in 0..<g.kernelWidth {
                    let offsetX = kx * g.dilationX - g.padLeft
                    // Output columns whose tap lies inside the row: 0 <= x*sX + offsetX < W.
                    let xBegin = min(ow, offsetX >= 0 ? 0 : (-offsetX + sx - 1) / sx)
                    let xEnd = max(xBegin, min(ow, w - offsetX <= 0 ? 0 : (w - offsetX - 1) / sx + 1))
                    var dst = col + k * tile
                    for y in rows {
                        let iy = y * g.strideY - g.padTop + ky * g.dilationY
                        if iy < 0 || iy >= h {
                            dst.update(repeating: 0, count: ow)
                        } else if ow < 16 {
                            // Narrow rows: a plain loop beats three library calls per row.
                            let row = plane + iy * w
                            for x in 0..<ow { dst[x] = x >= xBegin && x < xEnd ? row[x * sx + offsetX] : 0 }
                        } else {
                            let row = plane + iy * w
                            if xBegin > 0 { dst.update(repeating: 0, count: xBegin) }
                            if sx == 1 {
                                (dst + xBegin).update(from: row + xBegin + offsetX, count: xEnd - xBegin)
                            } else if sx == 2 {
                                // Eight columns at a time: the even lanes of row[2x + offsetX ..< +16],
                                // while the whole 16-float load stays inside the row.
                                var x = xBegin
                                while x + 8 <= xEnd && 2 * x + offsetX + 16 <= w {
                                    let v = UnsafeRawPointer(row + 2 * x + offsetX).loadUnaligned(as: SIMD16<Float>.self)
                                    UnsafeMutableRawPointer(dst + x).storeBytes(of: v.evenHalf, as: SIMD8<Float>.self)
                                    x += 8
                                }
                                while x < xEnd {
                                    dst[x] = row[2 * x + offsetX]
                                    x += 1
                                }
                            } else {
                                for x in xBegin..<xEnd { dst[x] = row[x * sx + offsetX] }
                            }
                            if xEnd < ow { (dst + xEnd).update(repeating: 0, count: ow - xEnd) }
                        }
                        dst += ow
                    }
                    k += 1
                }
            }
        }
    }
}
