#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Decodes the raw SSD regression offsets of the models without post-processing into corner boxes.
///
/// With prior `(pcx, pcy, pw, ph)` and offsets `(dx, dy, dw, dh)`, all float32 and in this order
/// (the order of the graphs that decode inside, so the results agree to the last bit or two):
/// `cx = dx * 0.1 * pw + pcx`, `w = exp(dw * 0.2) * pw` (same for y/h), then
/// `x1 = cx - w / 2`, `x2 = cx + w / 2`. Output is normalised `[x1, y1, x2, y2]` per prior.
public enum BoxDecoder {
    /// Center variance of the UltraFace SSD head.
    public static let centerVariance: Float = 0.1
    /// Size variance of the UltraFace SSD head.
    public static let sizeVariance: Float = 0.2

    /// Decodes `priors.count * 4` offsets to as many corner values.
    public static func decode(offsets: [Float], priors: PriorBoxes) -> [Float] {
        var corners = [Float](repeating: 0, count: offsets.count)
        decode(offsets: offsets, priors: priors, into: &corners)
        return corners
    }

    /// Decodes into a caller-owned buffer of the same size (no allocation).
    public static func decode(offsets: [Float], priors: PriorBoxes, into corners: inout [Float]) {
        offsets.withUnsafeBufferPointer { offset in
            corners.withUnsafeMutableBufferPointer { decode(offsets: offset, priors: priors, into: $0) }
        }
    }

    /// Decodes from and into caller-owned memory (e.g. an inference session's output; no allocation).
    public static func decode(
        offsets offset: UnsafeBufferPointer<Float>, priors: PriorBoxes, into corner: UnsafeMutableBufferPointer<Float>
    ) {
        precondition(
            offset.count == priors.values.count && corner.count == offset.count,
            "box decoding needs \(priors.values.count) offsets and outputs, got \(offset.count) and \(corner.count)")
        priors.values.withUnsafeBufferPointer { prior in
            for base in stride(from: 0, to: offset.count, by: 4) {
                let centerX = offset[base] * centerVariance * prior[base + 2] + prior[base]
                let centerY = offset[base + 1] * centerVariance * prior[base + 3] + prior[base + 1]
                let width = expf(offset[base + 2] * sizeVariance) * prior[base + 2]
                let height = expf(offset[base + 3] * sizeVariance) * prior[base + 3]
                corner[base] = centerX - width / 2
                corner[base + 1] = centerY - height / 2
                corner[base + 2] = centerX + width / 2
                corner[base + 3] = centerY + height / 2
            }
        }
    }
}
