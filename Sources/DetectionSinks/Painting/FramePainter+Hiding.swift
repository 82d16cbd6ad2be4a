import VideoCore

extension FramePainter {
    /// Blurs the inside of `rect` with `passes` separable box blurs of `radius` pixels. Only pixels
    /// of `rect` are read: the blur window is clamped at the rectangle's edges (the average is over
    /// the pixels the window covers), so nothing outside the face leaks in or is changed.
    func blur(_ image: inout RGBImage, _ rect: PixelRect, radius: Int, passes: Int) {
        let w = rect.width
        let h = rect.height
        // Scratch copy of the face, channels interleaved, values 0...255 kept as Int32 sums.
        var plane = [Int32](repeating: 0, count: w * h * 3)
        let rowBytes = image.bytesPerRow
        for y in 0..<h {
            let source = (rect.y0 + y) * rowBytes + rect.x0 * 3
            for i in 0..<(w * 3) { plane[y * w * 3 + i] = Int32(image.pixels[source + i]) }
        }
        var line = [Int32](repeating: 0, count: max(w, h))
        var prefix = [Int32](repeating: 0, count: max(w, h) + 1)
        for _ in 0..<passes {
            // Horizontal: out[x] = mean(in[max(0, x-r) ... min(n-1, x+r)]), via a prefix sum per line.
            for y in 0..<h {
                for c in 0..<3 {
                    for x in 0..<w { line[x] = plane[(y * w + x) * 3 + c] }
                    Self.boxFilter(&line, count: w, radius: radius, prefix: &prefix)
                    for x in 0..<w { plane[(y * w + x) * 3 + c] = line[x] }
                }
            }
            // Vertical, the same along columns.
            for x in 0..<w {
                for c in 0..<3 {
                    for y in 0..<h { line[y] = plane[(y * w + x) * 3 + c] }
                    Self.boxFilter(&line, count: h, radius: radius, prefix: &prefix)
                    for y in 0..<h { plane[(y * w + x) * 3 + c] = line[y] }
                }
            }
        }
        for y in 0..<h {
            let target = (rect.y0 + y) * rowBytes + rect.x0 * 3
            for i in 0..<(w * 3) { image.pixels[target + i] = UInt8(plane[y * w * 3 + i]) }
        }
    }

    /// One box filter over `line[0..<count]` in place, rounding to nearest.
    private static func boxFilter(_ line: inout [Int32], count: Int, radius: Int, prefix: inout [Int32]) {
        prefix[0] = 0
        for i in 0..<count { prefix[i + 1] = prefix[i] + line[i] }
        for i in 0..<count {
            let low = max(0, i - radius)
            let high = min(count - 1, i + radius)
            let n = Int32(high - low + 1)
            line[i] = (prefix[high + 1] - prefix[low] + n / 2) / n
        }
    }

    /// Replaces `rect` by `block`x`block` squares (aligned to the rectangle's corner; the last row
    /// and column may be smaller), each filled with its mean colour.
    func pixelate(_ image: inout RGBImage, _ rect: PixelRect, block: Int) {
        let rowBytes = image.bytesPerRow
        image.pixels.withUnsafeMutableBufferPointer { pixels in
            for by in stride(from: rect.y0, to: rect.y1, by: block) {
                let yEnd = min(by + block, rect.y1)
                for bx in stride(from: rect.x0, to: rect.x1, by: block) {
                    let xEnd = min(bx + block, rect.x1)
                    var sums = (0, 0, 0)
                    for y in by..<yEnd {
                        for x in bx..<xEnd {
                            let o = y * rowBytes + x * 3
                            sums.0 += Int(pixels[o])
                            sums.1 += Int(pixels[o + 1])
                            sums.2 += Int(pixels[o + 2])
                        }
                    }
                    let n = (yEnd - by) * (xEnd - bx)
                    let mean = (UInt8((sums.0 + n / 2) / n), UInt8((sums.1 + n / 2) / n), UInt8((sums.2 + n / 2) / n))
                    for y in by..<yEnd {
                        for x in bx..<xEnd {
                            let o = y * rowBytes + x * 3
                            pixels[o] = mean.0
                            pixels[o + 1] = mean.1
                            pixels[o + 2] = mean.2
                        }
                    }
                }
            }
        }
    }
}
