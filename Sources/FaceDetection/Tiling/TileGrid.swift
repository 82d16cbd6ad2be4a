import VideoCore

/// The overlapping tiles of one frame size: `columns x rows` rectangles of the same size, each
/// resized to the network input. Rows are chosen so the tiles keep about the network's aspect
/// ratio. Neighbours overlap by `overlap` pixels: 48 network pixels (the largest prior of the
/// second level, twice the largest of the first) at the tiles' scale, so every face up to that
/// size lies whole in some tile; larger ones are the whole-frame pass's (and cut boxes are joined).
public struct TileGrid: Sendable, Equatable {
    /// One tile in frame pixels.
    public struct Tile: Sendable, Equatable {
        /// Left column in frame pixels.
        public var x: Int
        /// Top row in frame pixels.
        public var y: Int
        /// Width in frame pixels.
        public var width: Int
        /// Height in frame pixels.
        public var height: Int

        /// The tile at `x, y` of `width x height` frame pixels.
        public init(x: Int, y: Int, width: Int, height: Int) {
            self.x = x
            self.y = y
            self.width = width
            self.height = height
        }
    }

    /// Overlap between neighbours in network pixels.
    public static let overlapNetworkPixels = 48

    /// The frame's width in pixels.
    public let frameWidth: Int
    /// The frame's height in pixels.
    public let frameHeight: Int
    /// Tiles across the width.
    public let columns: Int
    /// Tiles down the height.
    public let rows: Int
    /// Overlap between neighbours in frame pixels.
    public let overlap: Int
    /// Tiles, row by row.
    public let tiles: [Tile]

    /// The grid of `columns` columns for a `frameWidth x frameHeight` frame and a network of `network` size.
    public init(frameWidth: Int, frameHeight: Int, columns: Int, network: (width: Int, height: Int)) {
        precondition(columns >= 2 && frameWidth > 0 && frameHeight > 0)
        self.frameWidth = frameWidth
        self.frameHeight = frameHeight
        self.columns = columns
        let approximateWidth = Double(frameWidth) / Double(columns)
        let overlap = Int((Double(Self.overlapNetworkPixels) * approximateWidth / Double(network.width)).rounded(.up))
        self.overlap = overlap
        let rows = max(
            1,
            Int(
                (Double(columns) * Double(frameHeight) / Double(frameWidth) * Double(network.width)
                    / Double(network.height)).rounded()))
        self.rows = rows
        let width = min(frameWidth, (frameWidth + (columns - 1) * overlap + columns - 1) / columns)
        let height = min(frameHeight, (frameHeight + (rows - 1) * overlap + rows - 1) / rows)
        var tiles: [Tile] = []
        for row in 0..<rows {
            let y = rows == 1 ? 0 : (frameHeight - height) * row / (rows - 1)
            for column in 0..<columns {
                let x = (frameWidth - width) * column / (columns - 1)
                tiles.append(Tile(x: x, y: y, width: width, height: height))
            }
        }
        self.tiles = tiles
    }
}
