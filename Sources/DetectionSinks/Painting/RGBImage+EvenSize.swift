import VideoCore

extension RGBImage {
    /// The picture grown to an even width and height by repeating its last column and row (4:2:0
    /// encoders need even sizes); the picture itself when both are even already.
    func paddedToEvenSize() -> RGBImage {
        let (paddedWidth, paddedHeight) = (width + width % 2, height + height % 2)
        guard paddedWidth != width || paddedHeight != height else { return self }
        var padded = [UInt8](repeating: 0, count: paddedWidth * paddedHeight * 3)
        for y in 0..<paddedHeight {
            let sourceRow = min(y, height - 1) * width * 3
            let targetRow = y * paddedWidth * 3
            padded[targetRow..<(targetRow + width * 3)] = pixels[sourceRow..<(sourceRow + width * 3)]
            if paddedWidth != width {
                let last = sourceRow + (width - 1) * 3
                padded[(targetRow + width * 3)..<(targetRow + paddedWidth * 3)] = pixels[last..<(last + 3)]
            }
        }
        return RGBImage(width: paddedWidth, height: paddedHeight, pixels: padded)
    }
}
