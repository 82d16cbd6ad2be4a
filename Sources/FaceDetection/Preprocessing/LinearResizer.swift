import VideoCore

/// Resizes packed 8-bit RGB exactly like OpenCV's `cv2.resize(..., interpolation=INTER_LINEAR)`:
/// 2x2 taps with half-pixel centres, no anti-aliasing, OpenCV's fixed-point arithmetic (bit-identical).
///
/// Build one per (source size, target size) pair and reuse it: the taps and weights are computed once.
/// Per frame the cost is two multiply-adds per target byte horizontally (for each source row used) and
/// vertically, plus one `[UInt8]` allocation for `resize(_:)` (none for the `rows` form).
public struct LinearResizer: Sendable {
    /// Source size in pixels.
    public let sourceWidth: Int
    public let sourceHeight: Int
    /// Target size in pixels.
    public let targetWidth: Int
    public let targetHeight: Int

    let columns: LinearResizeAxis
    let rows: LinearResizeAxis

    /// Precomputes the taps and weights. Traps on sizes below 1 (a programming error, not bad input).
    public init(sourceWidth: Int, sourceHeight: Int, targetWidth: Int, targetHeight: Int) {
        self.sourceWidth = sourceWidth
        self.sourceHeight = sourceHeight
        self.targetWidth = targetWidth
        self.targetHeight = targetHeight
        columns = LinearResizeAxis(source: sourceWidth, target: targetWidth, direction: .horizontal)
        rows = LinearResizeAxis(source: sourceHeight, target: targetHeight, direction: .vertical)
    }

    /// A resizer with given taps (for example remapped into a picture of only the rows and columns
    /// the taps read).
    init(sourceWidth: Int, sourceHeight: Int, columns: LinearResizeAxis, rows: LinearResizeAxis) {
        self.sourceWidth = sourceWidth
        self.sourceHeight = sourceHeight
        targetWidth = columns.firstTap.count
        targetHeight = rows.firstTap.count
        self.columns = columns
        self.rows = rows
    }

    /// Returns the resized picture. The image must have the source size this resizer was built for.
    public func resize(_ image: RGBImage) -> RGBImage {
        var scratch = LinearResizeScratch()
        return resize(image, scratch: &scratch)
    }

    /// `resize(_:)` with caller-kept working rows (no allocation for them once warmed up).
    func resize(_ image: RGBImage, scratch: inout LinearResizeScratch) -> RGBImage {
        let rowBytes = targetWidth * 3
        let pixels = [UInt8](unsafeUninitializedCapacity: rowBytes * targetHeight) { output, initialized in
            resizeRows(of: image, scratch: &scratch) { row, bytes in
                let start = output.baseAddress! + row * rowBytes
                start.update(from: bytes.baseAddress!, count: rowBytes)
            }
            initialized = rowBytes * targetHeight
        }
        return RGBImage(width: targetWidth, height: targetHeight, pixels: pixels)
    }

    /// Produces the target rows top to bottom, handing each (`targetWidth * 3` bytes, valid only
    /// during the call) to `body`. `scratch` keeps the intermediate rows between calls (no allocation
    /// once warmed up).
    func resizeRows(
        of image: RGBImage, scratch: inout LinearResizeScratch,
        _ body: (_ row: Int, _ bytes: UnsafeBufferPointer<UInt8>) -> Void
    ) {
        precondition(
            image.width == sourceWidth && image.height == sourceHeight,
            "LinearResizer built for \(sourceWidth)x\(sourceHeight), given \(image.width)x\(image.height)")
        let rowBytes = targetWidth * 3
        scratch.prepare(rowBytes: rowBytes)
        image.pixels.withUnsafeBufferPointer { source in
            for targetRow in 0..<targetHeight {
                let top = Int(rows.firstTap[targetRow])
                let bottom = Int(rows.secondTap[targetRow])
                let held = scratch.slots(top: top, bottom: bottom) { row, slot in
                    resizeRow(source, row: row, into: slot)
                }
                scratch.blend(
                    held.top, weight: rows.firstWeight[targetRow], held.bottom, weight: rows.secondWeight[targetRow])
                scratch.output.withUnsafeBufferPointer { body(targetRow, $0) }
            }
        }
    }

    /// Horizontal pass of one source row: `out[x*3+c] = src[t0*3+c] * w0 + src[t1*3+c] * w1` (scale 2048).
    private func resizeRow(
        _ source: UnsafeBufferPointer<UInt8>, row: Int, into output: UnsafeMutableBufferPointer<Int32>
    ) {
        let base = source.baseAddress! + row * sourceWidth * 3
        let out = output.baseAddress!
        columns.firstTap.withUnsafeBufferPointer { firstTap in
            columns.secondTap.withUnsafeBufferPointer { secondTap in
                columns.firstWeight.withUnsafeBufferPointer { firstWeight in
                    columns.secondWeight.withUnsafeBufferPointer { secondWeight in
                        for x in 0..<targetWidth {
                            let left = base + Int(firstTap[x]) * 3
                            let right = base + Int(secondTap[x]) * 3
                            let w0 = firstWeight[x]
                            let w1 = secondWeight[x]
                            out[x * 3] = Int32(left[0]) &* w0 &+ Int32(right[0]) &* w1
                            out[x * 3 + 1] = Int32(left[1]) &* w0 &+ Int32(right[1]) &* w1
                            out[x * 3 + 2] = Int32(left[2]) &* w0 &+ Int32(right[2]) &* w1
                        }
                    }
                }
            }
        }
    }
}
