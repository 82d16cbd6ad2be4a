import Testing
import VideoCore

/// `PictureOrientation`: display matrices, turning whole pictures, and turning only a sample grid.
@Suite struct PictureOrientationTests {
    static let all: [PictureOrientation] = [false, true].flatMap { transposes in
        [false, true].flatMap { reversesX in
            [false, true].map { PictureOrientation(transposes: transposes, reversesX: reversesX, reversesY: $0) }
        }
    }

    /// A picture whose every byte says where it is: (x, y, channel) with odd sizes.
    static func labelled(width: Int, height: Int) -> RGBImage {
        var pixels: [UInt8] = []
        for y in 0..<height {
            for x in 0..<width { pixels += [UInt8(x), UInt8(y), UInt8((x * 7 + y * 13) & 0xFF)] }
        }
        return RGBImage(width: width, height: height, pixels: pixels)
    }

    static func pixel(_ image: RGBImage, _ x: Int, _ y: Int) -> [UInt8] {
        let offset = (y * image.width + x) * 3
        return Array(image.pixels[offset..<offset + 3])
    }

    /// The matrices FFmpeg 5.1's MP4 demuxer reports for `rotate=90/180/270` tags (read with
    /// ffprobe from files the ffmpeg tool wrote), and for none.
    @Test func displayMatricesOfTaggedFilesGiveTheTurnsTheFFmpegToolApplies() {
        let one: Int32 = 65_536
        let w: Int32 = 1 << 30
        // rotate=90: ffmpeg autorotates with transpose=cclock.
        #expect(PictureOrientation(displayMatrix: [0, -one, 0, one, 0, 0, 0, 0, w]) == .counterclockwise)
        // rotate=270: transpose=clock.
        #expect(PictureOrientation(displayMatrix: [0, one, 0, -one, 0, 0, 0, 0, w]) == .clockwise)
        #expect(PictureOrientation(displayMatrix: [-one, 0, 0, 0, -one, 0, 0, 0, w]) == .halfTurn)
        #expect(PictureOrientation(displayMatrix: [one, 0, 0, 0, one, 0, 0, 0, w]) == .upright)
        // Mirrored left to right (hflip): a < 0 only.
        #expect(
            PictureOrientation(displayMatrix: [-one, 0, 0, 0, one, 0, 0, 0, w])?.description == "mirrored left to right"
        )
        // 45°: not a right-angle turn; a wrong count of values.
        #expect(PictureOrientation(displayMatrix: [46_341, 46_341, 0, -46_341, 46_341, 0, 0, 0, w]) == nil)
        #expect(PictureOrientation(displayMatrix: [0, 0, 0, 0, 0, 0, 0, 0, 0]) == nil)
        #expect(PictureOrientation(displayMatrix: [one, 0, 0]) == nil)
    }

    @Test func quarterTurnsMoveCornersWhereTheyShould() {
        let image = Self.labelled(width: 5, height: 3)
        let clockwise = image.oriented(.clockwise)
        #expect(clockwise.width == 3 && clockwise.height == 5)
        // Clockwise: the stored bottom-left corner is shown top-left, the top-left top-right.
        #expect(Self.pixel(clockwise, 0, 0) == Self.pixel(image, 0, 2))
        #expect(Self.pixel(clockwise, 2, 0) == Self.pixel(image, 0, 0))
        #expect(Self.pixel(clockwise, 2, 4) == Self.pixel(image, 4, 0))
        let counter = image.oriented(.counterclockwise)
        // Counterclockwise: the stored top-right corner is shown top-left.
        #expect(Self.pixel(counter, 0, 0) == Self.pixel(image, 4, 0))
        #expect(Self.pixel(counter, 0, 4) == Self.pixel(image, 0, 0))
        let half = image.oriented(.halfTurn)
        #expect(Self.pixel(half, 0, 0) == Self.pixel(image, 4, 2))
        #expect(image.oriented(.upright) == image)
    }

    /// Turning is a group action: four quarter turns are none, two are a half turn, and a turn
    /// followed by its opposite gives the picture back; on sizes above the 32-pixel tile.
    @Test func turnsComposeLikeRotations() {
        let image = Self.labelled(width: 71, height: 45)
        let once = image.oriented(.clockwise)
        #expect(once.oriented(.clockwise) == image.oriented(.halfTurn))
        #expect(once.oriented(.clockwise).oriented(.clockwise).oriented(.clockwise) == image)
        #expect(once.oriented(.counterclockwise) == image)
        for orientation in Self.all {
            let turned = image.oriented(orientation)
            let size = orientation.displayedSize(width: 71, height: 45)
            #expect(turned.width == size.width && turned.height == size.height)
            // Every displayed pixel is the stored pixel the mapping names.
            for (x, y) in [
                (0, 0), (size.width - 1, 0), (0, size.height - 1), (33, 40), (size.width - 1, size.height - 1),
            ] {
                let stored = orientation.storedPoint(
                    x: x, y: y, displayedWidth: size.width, displayedHeight: size.height)
                #expect(Self.pixel(turned, x, y) == Self.pixel(image, stored.x, stored.y), "\(orientation) \(x),\(y)")
            }
            // Mirrorings are their own inverse; so are the transposes.
            if orientation != .clockwise && orientation != .counterclockwise {
                #expect(turned.oriented(orientation) == image, "\(orientation)")
            }
        }
    }

    /// Sampling the stored picture at the stored lattice and turning those samples gives exactly
    /// the displayed picture's pixels at the grid (what the convert stage relies on).
    @Test(arguments: all)
    func turningTheSamplesEqualsSamplingTheTurnedPicture(orientation: PictureOrientation) {
        let stored = Self.labelled(width: 53, height: 38)
        let shown = stored.oriented(orientation)
        let rows = stride(from: 1, to: shown.height, by: 4).map { $0 }
        let columns = [0] + stride(from: 2, to: shown.width - 1, by: 3).map { $0 } + [shown.width - 1]
        let grid = SampleGrid(width: shown.width, height: shown.height, rows: rows, columns: columns)
        let lattice = grid.storedLattice(under: orientation)
        #expect(lattice.rows == lattice.rows.sorted() && lattice.columns == lattice.columns.sorted())
        var samples: [UInt8] = []
        for y in lattice.rows { for x in lattice.columns { samples += Self.pixel(stored, x, y) } }
        let turned = RGBImage(width: lattice.columns.count, height: lattice.rows.count, pixels: samples)
            .oriented(orientation)
        var expected: [UInt8] = []
        for y in rows { for x in columns { expected += Self.pixel(shown, x, y) } }
        #expect(turned.width == columns.count && turned.height == rows.count)
        #expect(turned.pixels == expected)
    }
}
