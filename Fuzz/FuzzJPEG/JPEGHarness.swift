import JPEGCodec

/// Decodes fuzzed bytes as `PhotoLoader` does for a file starting with a JPEG marker. Corrupt
/// streams must throw; a decoded picture must be within the pixel limit and fully sized.
enum JPEGHarness {
    static func check(_ bytes: [UInt8]) {
        guard let image = try? JPEGDecoder.decode(bytes) else { return }
        precondition(image.width > 0 && image.height > 0, "empty picture decoded")
        precondition(image.width * image.height <= JPEGDecoder.maximumPixelCount, "pixel limit passed")
        precondition(image.pixels.count >= image.width * image.height * 3, "picture smaller than its size")
    }
}
