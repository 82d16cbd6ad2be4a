internal import CFFmpeg
import VideoCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// Hands out decoded yuv420p frames as `YUV420Picture`s (planes copied, no RGB conversion), or
/// as the RGB samples of a grid converted straight from the decoder's planes, when
/// `YUV420Picture`'s conversion equals the stream's swscale conversion: the matrix is read from
/// the `RGBConverter`'s context and the first frame is converted both ways and compared byte for
/// byte. Otherwise both methods return nil and the caller converts with swscale.
final class YUV420Extractor {
    private let coefficients: YUVToRGBCoefficients?
    private var verified: Bool?
    /// The grid to sample, when the consumer asked for samples only (displayed orientation).
    private let grid: SampleGrid?
    /// How stored pictures are turned for display; the grid is in displayed coordinates.
    private let orientation: PictureOrientation
    /// The stored rows and columns holding the grid's pixels (`SampleGrid.storedLattice`).
    private let storedRows: [Int]
    private let storedColumns: [Int]
    /// The consumer's reduction of the grid's pixels (`PictureSampler.makeReduction`), made for `grid`.
    private var reduction: (any SampleReduction)?
    /// The grid's pixels of the frame being reduced, kept between frames (reduced frames only).
    private var samplesBuffer: RGBImage?
    /// The stored lattice's pixels before they are turned, kept between frames (turned streams only).
    private var storedSamplesBuffer: RGBImage?

    /// An extractor for frames the converter serves; nil coefficients when the format or size is
    /// not 8-bit 4:2:0 of even size, or the converter's matrix cannot be read. With `sampler`, the
    /// grid for the displayed size (the converter's, turned by `orientation`) is made once here.
    init(converter: RGBConverter, sampler: (any PictureSampler)? = nil, orientation: PictureOrientation = .upright) {
        self.orientation = orientation
        if converter.format == AV_PIX_FMT_YUV420P,
            YUV420Picture.supports(width: converter.width, height: converter.height)
        {
            coefficients = converter.fullChromaCoefficients()
        } else {
            coefficients = nil
        }
        let shown = orientation.displayedSize(width: converter.width, height: converter.height)
        if coefficients != nil, let sampler {
            let grid = sampler.grid(width: shown.width, height: shown.height)
            precondition(
                grid.width == shown.width && grid.height == shown.height,
                "PictureSampler gave a \(grid.width)x\(grid.height) grid for \(shown.width)x\(shown.height)")
            self.grid = grid
            (storedRows, storedColumns) = grid.storedLattice(under: orientation)
            reduction = sampler.makeReduction(for: grid)
        } else {
            grid = nil
            (storedRows, storedColumns) = ([], [])
            reduction = nil
        }
    }

    /// Whether frames of this stream are to be sampled (a grid was asked for and the format allows it).
    var samples: Bool { grid != nil }

    /// The frame's planes, or nil when the caller must convert with swscale.
    func picture(from frame: Frame, converter: RGBConverter) throws(FFmpegError) -> YUV420Picture? {
        guard let coefficients, try verify(frame, converter: converter) else { return nil }
        let raw = frame.pointer.pointee
        let (width, height) = (frame.width, frame.height)
        return YUV420Picture(
            width: width, height: height,
            luma: Self.plane(raw.data.0!, stride: Int(raw.linesize.0), width: width, height: height),
            blueDifference: Self.plane(raw.data.1!, stride: Int(raw.linesize.1), width: width / 2, height: height / 2),
            redDifference: Self.plane(raw.data.2!, stride: Int(raw.linesize.2), width: width / 2, height: height / 2),
            coefficients: coefficients, matrixCode: Self.matrixCode(raw.colorspace))
    }

    /// The H.273 matrix code the planes were converted with: the stream's tag, or BT.601 (what
    /// swscale assumes) for untagged and non-YUV tags.
    private static func matrixCode(_ colorspace: AVColorSpace) -> Int {
        switch colorspace {
        case AVCOL_SPC_UNSPECIFIED, AVCOL_SPC_RGB, AVCOL_SPC_RESERVED: Int(AVCOL_SPC_SMPTE170M.rawValue)
        default: Int(colorspace.rawValue)
        }
    }

    /// The RGB pixels of the frame at the grid's crossings, converted from the decoder's planes
    /// (nothing copied), or their reduction when the sampler has one; nil when there is no
    /// grid or the caller must convert with swscale. A turned stream samples the stored lattice
    /// and turns those samples (one extra copy of the grid's pixels, 0.9 MB for 1080p).
    func sampledPicture(from frame: Frame, converter: RGBConverter) throws(FFmpegError) -> SampledPicture? {
        guard let grid, try verify(frame, converter: converter), let planes = planes(of: frame) else { return nil }
        if !orientation.isUpright {
            var stored =
                storedSamplesBuffer.take()
                ?? RGBImage(
                    width: storedColumns.count, height: storedRows.count,
                    pixels: [UInt8](repeating: 0, count: storedRows.count * storedColumns.count * 3))
            stored.pixels.withUnsafeMutableBufferPointer {
                planes.sampleRGB(rows: storedRows, columns: storedColumns, into: $0)
            }
            let samples = stored.oriented(orientation)
            storedSamplesBuffer = stored
            if reduction != nil { return SampledPicture(grid: grid, reducedPixels: reduction!.reduce(samples)) }
            return SampledPicture(grid: grid, pixels: samples)
        }
        if reduction != nil {
            var samples =
                samplesBuffer.take()
                ?? RGBImage(
                    width: grid.columns.count, height: grid.rows.count,
                    pixels: [UInt8](repeating: 0, count: grid.rows.count * grid.columns.count * 3))
            samples.pixels.withUnsafeMutableBufferPointer {
                planes.sampleRGB(rows: grid.rows, columns: grid.columns, into: $0)
            }
            let reduced = reduction!.reduce(samples)

            samplesBuffer = samples
            return SampledPicture(grid: grid, reducedPixels: reduced)
        }
        let pixels = [UInt8](unsafeUninitializedCapacity: grid.rows.count * grid.columns.count * 3) {
            buffer, initialized in
            planes.sampleRGB(rows: grid.rows, columns: grid.columns, into: buffer)
            initialized = buffer.count
        }
        return SampledPicture(
            grid: grid, pixels: RGBImage(width: grid.columns.count, height: grid.rows.count, pixels: pixels))
    }

    /// Whether this stream's frames may be converted by `YUV420Picture`'s arithmetic: checks the
    /// first frame against swscale (and remembers the answer).
    private func verify(_ frame: Frame, converter: RGBConverter) throws(FFmpegError) -> Bool {
        guard coefficients != nil, verified != false else { return false }
        if verified == nil {
            guard let planes = planes(of: frame) else { return false }
            verified = try Self.convertsAlike(planes, frame, converter)
        }
        return verified!
    }

    /// A view of the frame's planes, valid until the frame is unreferenced.
    private func planes(of frame: Frame) -> YUV420Planes? {
        guard let coefficients else { return nil }
        let raw = frame.pointer.pointee
        guard let luma = raw.data.0, let blue = raw.data.1, let red = raw.data.2 else { return nil }
        // FFmpeg allows negative line sizes (pictures stored bottom-up, e.g. by the rawvideo
        // decoder); those frames, and sizes the integer path does not cover, go through swscale
        // instead of reaching YUV420Planes' preconditions.
        let (width, height) = (frame.width, frame.height)
        guard YUV420Picture.supports(width: width, height: height), Int(raw.linesize.0) >= width,
            Int(raw.linesize.1) >= width / 2, Int(raw.linesize.2) >= width / 2
        else { return nil }
        return YUV420Planes(
            width: frame.width, height: frame.height, luma: luma, lumaStride: Int(raw.linesize.0),
            blueDifference: blue, blueStride: Int(raw.linesize.1), redDifference: red,
            redStride: Int(raw.linesize.2), coefficients: coefficients)
    }

    /// Whether swscale converts `frame` to the same bytes as `planes` does, row by row (no
    /// full-size copies); frees the converter's target afterwards when they agree.
    private static func convertsAlike(
        _ planes: YUV420Planes, _ frame: Frame, _ converter: RGBConverter
    ) throws(FFmpegError) -> Bool {
        let rows = planes.rowConverter(columns: Array(0..<planes.width))
        var ours = [UInt8](repeating: 0, count: planes.width * 3)
        var same = true
        try converter.convertRows(frame) { row, theirs in
            guard same else { return }
            // memcmp: Sequence.elementsEqual walked the two rows byte by byte through iterators and
            // cost more than the conversion (16 ms for a 1080p frame).
            same =
                theirs.count == ours.count
                && ours.withUnsafeMutableBufferPointer { mine in
                    rows.convert(row: row, into: mine)
                    return memcmp(mine.baseAddress!, theirs.baseAddress!, mine.count) == 0
                }
        }
        if same { converter.releaseTarget() }
        return same
    }

    private static func plane(_ base: UnsafeMutablePointer<UInt8>, stride: Int, width: Int, height: Int) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: width * height) { buffer, initialized in
            for row in 0..<height {
                (buffer.baseAddress! + row * width).update(from: base + row * stride, count: width)
            }
            initialized = width * height
        }
    }
}
