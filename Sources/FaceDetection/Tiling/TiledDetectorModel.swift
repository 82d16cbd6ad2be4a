import VideoCore

/// A detector family run on the whole frame and on overlapping tiles of it (`--tiles`), so faces
/// too small for the whole-frame pass are seen at about 1.15x shrink instead of 6x (1080p). Cost per
/// frame: one network run per tile plus one, and the whole picture is converted to RGB (frames
/// carry whole pictures: no sampling on the decode thread).
public struct TiledDetectorModel: DetectorModel {
    /// The family run on the frame and on each tile.
    public let base: any DetectorModel
    /// How many tiles.
    public let request: TileRequest

    /// `base` on the whole frame and on the tiles `request` asks for; the passes are merged with
    /// the detectors' own NMS threshold.
    public init(base: any DetectorModel, request: TileRequest) {
        self.base = base
        self.request = request
    }

    /// The base family's network size (each tile is resized to it).
    public var inputSize: (width: Int, height: Int) { base.inputSize }

    /// Nil: the tiles need the whole picture.
    public var inputSampler: (any PictureSampler)? { nil }

    /// Two detectors of the base family (whole frame, tiles) behind one.
    public func makeDetector(_ thresholds: DetectionThresholds) -> any FaceDetecting {
        TiledFaceDetector(
            whole: base.makeDetector(thresholds), tiles: base.makeDetector(thresholds), request: request,
            network: base.inputSize, iouThreshold: thresholds.iou)
    }
}

/// One worker's tiled detector: a detector for the whole frame and one for the tiles (all tiles of
/// a frame size have one size, so its resize plan is made once). Not thread-safe.
final class TiledFaceDetector: FaceDetecting {
    private let whole: any FaceDetecting
    private let tileDetector: any FaceDetecting
    private let request: TileRequest
    private let network: (width: Int, height: Int)
    private let iouThreshold: Float
    private var grid: TileGrid?
    /// The tile being detected on, reused from tile to tile and frame to frame: the detector
    /// holds it only during `detect`, so it is unique again afterwards and refilled in place.
    private var tilePicture: RGBImage?

    init(
        whole: any FaceDetecting, tiles: any FaceDetecting, request: TileRequest, network: (width: Int, height: Int),
        iouThreshold: Float
    ) {
        self.whole = whole
        self.tileDetector = tiles
        self.request = request
        self.network = network
        self.iouThreshold = iouThreshold
    }

    func detect(in pixels: FramePixels) throws -> [Detection] {
        let size = pixels.size
        let columns = request.columns(frameWidth: size.width, networkWidth: network.width)
        guard columns >= 2, let image = pixels.rgbImage() else { return try whole.detect(in: pixels) }
        if grid?.frameWidth != size.width || grid?.frameHeight != size.height || grid?.columns != columns {
            grid = TileGrid(frameWidth: size.width, frameHeight: size.height, columns: columns, network: network)
        }
        let grid = self.grid!
        var candidates = try whole.detect(in: .rgb(image)).map {
            TileMerger.Candidate(detection: $0, tile: nil, isCut: false)
        }
        for (index, tile) in grid.tiles.enumerated() {
            let picture = Self.copy(tile, of: image, into: &tilePicture)
            for var face in try tileDetector.detect(in: .rgb(picture)) {
                let dx = Float(tile.x)
                let dy = Float(tile.y)
                face.box = BoundingBox(
                    x1: face.box.x1 + dx, y1: face.box.y1 + dy, x2: face.box.x2 + dx, y2: face.box.y2 + dy)
                let cut = TileMerger.isCut(face.box, tile: tile, frameWidth: size.width, frameHeight: size.height)
                candidates.append(TileMerger.Candidate(detection: face, tile: index, isCut: cut))
            }
        }
        return TileMerger.merge(candidates, iouThreshold: iouThreshold)
    }

    /// Copies the tile's pixels into `picture` (0.4 MB for a tile of 1080p auto), reusing its
    /// storage when it has the tile's size.
    static func copy(_ tile: TileGrid.Tile, of image: RGBImage, into picture: inout RGBImage?) -> RGBImage {
        let rowBytes = tile.width * 3
        if picture?.width != tile.width || picture?.height != tile.height {
            picture = RGBImage(
                width: tile.width, height: tile.height, pixels: [UInt8](repeating: 0, count: rowBytes * tile.height))
        }
        image.pixels.withUnsafeBufferPointer { source in
            picture!.pixels.withUnsafeMutableBufferPointer { target in
                for row in 0..<tile.height {
                    let from = (tile.y + row) * image.bytesPerRow + tile.x * 3
                    // Returns the index after the last byte written: always the row's end here.
                    _ = UnsafeMutableBufferPointer(rebasing: target[(row * rowBytes)..<((row + 1) * rowBytes)])
                        .update(fromContentsOf: source[from..<(from + rowBytes)])
                }
            }
        }
        return picture!
    }
}
