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
/// grouped pointwise convolution) reads the input planes directly and needs no scratch. Dense
/// stride-1 geometries whose padded input fits in L2 go to `ShiftedRowsConvolution` instead
/// (`KernelConvolution` chooses).
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
    /// Narrow rows with horizontal stride 1 (the 3x3 heads on small maps): each input plane is
    /// first copied into a zero-padded plane in scratch, then every `col` row is built with
    /// whole-vector copies and no bounds checks.
    let usesPaddedPlanes: Bool
    /// Row stride and rows of the padded plane.
    let paddedWidth: Int
    let paddedHeight: Int

    /// Target size of one `col` tile in floats.
    static let tileFloats = 32_768

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
        readsInputDirectly =
            g.kernelHeight == 1 && g.kernelWidth == 1 && g.strideY == 1 && g.strideX == 1
            && g.padTop == 0 && g.padLeft == 0 && g.padBottom == 0 && g.padRight == 0
        // About 32 Ki floats per tile, but at least 48 columns so the 24-wide blocks have work.
        let minimumRows = (48 + g.outputWidth - 1) / g.outputWidth
        tileRows =
            readsInputDirectly
            ? g.outputHeight : min(g.outputHeight, max(minimumRows, Self.tileFloats / (depth * g.outputWidth)))
        usesPaddedPlanes = !readsInputDirectly && g.strideX == 1 && g.outputWidth < 16
        paddedWidth = g.inputWidth + g.padLeft + g.padRight
        paddedHeight = g.inputHeight + g.padTop + g.padBottom
    }

    /// Floats of `col` in scratch: one `K x T` tile and 8 floats that vector copies may spill into.
    private var tileCount: Int { depth * tileRows * geometry.outputWidth + 8 }

    /// Floats of scratch: the tile, then the padded plane (with 8 floats of slack for vector reads).
    var scratchCount: Int {
        return readsInputDirectly ? 0 : tileCount + (usesPaddedPlanes ? paddedHeight * paddedWidth + 8 : 0)
    }

    /// Computes output channels `channels`; rebuilds `col` for every group the range touches.
    func run(
        input: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>, scratch: UnsafeMutablePointer<Float>,
        channels: Range<Int>
    ) {
        run(input: input, output: output, scratch: scratch, channels: channels, rows: 0..<geometry.outputHeight)
    }

    /// Computes output channels `channels` for output rows `rows` only.
    func run(
        input: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>, scratch: UnsafeMutablePointer<Float>,
        channels: Range<Int>,
        rows outputRows: Range<Int>
    ) {
        let g = geometry
        let ocg = g.outputChannelsPerGroup
        let ow = g.outputWidth
        let oh = g.outputHeight
        let planeIn = g.inputHeight * g.inputWidth
        let planeOut = oh * ow
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
                        if usesPaddedPlanes {
                            fillColumnsFromPaddedPlanes(
                                from: groupInput, rows: y0..<y1, into: scratch, padded: scratch + tileCount)
                        } else if !readsInputDirectly {
                            fillColumns(from: groupInput, rows: y0..<y1, into: scratch)
                        }
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

    /// Same result as `fillColumns` for `usesPaddedPlanes` geometries. Each plane is copied into
    /// `padded` (`P[r, c] = in[r - pT, c - pL]`, zero elsewhere; the zero border is written once
    /// here and is the same for every plane), then each row of `col` for one output row is one
    /// 8-float copy (two overlapping ones for 8 < OW < 16). A copy for OW < 8 also writes up to
    /// 8 - OW floats past the row, which the next row overwrites (or the tile's slack takes), and
    /// reads at most 8 - OW floats past the padded row, inside the plane or its slack.
    private func fillColumnsFromPaddedPlanes(
        from input: UnsafePointer<Float>, rows: Range<Int>, into col: UnsafeMutablePointer<Float>,
        padded: UnsafeMutablePointer<Float>
    ) {
        let g = geometry
        let ow = g.outputWidth
        let w = g.inputWidth
        let h = g.inputHeight
        let pw = paddedWidth
        let tile = rows.count * ow
        padded.update(repeating: 0, count: paddedHeight * pw + 8)
        var k = 0
        for i in 0..<g.inputChannelsPerGroup {
            let plane = input + i * h * w
            for iy in 0..<h {
                let src = plane + iy * w
                let dst = padded + (iy + g.padTop) * pw + g.padLeft
                for x in 0..<w { dst[x] = src[x] }
            }
            for ky in 0..<g.kernelHeight {
                for kx in 0..<g.kernelWidth {
                    var dst = UnsafeMutableRawPointer(col + k * tile)
                    for y in rows {
                        let src = UnsafeRawPointer(padded + (y * g.strideY + ky * g.dilationY) * pw + kx * g.dilationX)
                        dst.storeBytes(of: src.loadUnaligned(as: SIMD8<Float>.self), as: SIMD8<Float>.self)
                        if ow > 8 {
                            let tail = (ow - 8) * MemoryLayout<Float>.stride
                            (dst + tail).storeBytes(
                                of: src.loadUnaligned(fromByteOffset: tail, as: SIMD8<Float>.self),
                                as: SIMD8<Float>.self)
                        }
                        dst += ow * MemoryLayout<Float>.stride
                    }
                    k += 1
                }
            }
        }
    }

    /// Writes `col[k, t]` for output rows `rows` of one group (layout above, row stride T).
    /// Pointers: `input` covers the group's I/g planes, `col` holds K * T floats; every index
    /// below is checked against the plane bounds before it is read.
    private func fillColumns(from input: UnsafePointer<Float>, rows: Range<Int>, into col: UnsafeMutablePointer<Float>)
    {
        let g = geometry
        let ow = g.outputWidth
        let w = g.inputWidth
        let h = g.inputHeight
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
                                    let v = UnsafeRawPointer(row + 2 * x + offsetX).loadUnaligned(
                                        as: SIMD16<Float>.self)
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
