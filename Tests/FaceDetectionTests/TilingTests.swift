import FaceDetection
import Testing
import VideoCore

/// The tile grid and the merge of the passes.
@Suite struct TilingTests {
    @Test func autoGridFor1080pCoversTheFrameWithOverlap() throws {
        let columns = TileRequest.auto.columns(frameWidth: 1920, networkWidth: 320)
        #expect(columns == 6)
        #expect(TileRequest.auto.columns(frameWidth: 640, networkWidth: 320) == 2)
        #expect(TileRequest.auto.columns(frameWidth: 400, networkWidth: 320) == 1)
        let grid = TileGrid(frameWidth: 1920, frameHeight: 1080, columns: columns, network: (320, 240))
        #expect(grid.rows == 5 && grid.tiles.count == 30)
        let tile = try #require(grid.tiles.first)
        // Every tile has one size, lies in the frame, and neighbours overlap by the overlap at least.
        #expect(grid.tiles.allSatisfy { $0.width == tile.width && $0.height == tile.height })
        #expect(grid.tiles.allSatisfy { $0.x >= 0 && $0.y >= 0 && $0.x + $0.width <= 1920 && $0.y + $0.height <= 1080 })
        let scale = Float(320) / Float(tile.width)
        #expect(Float(grid.overlap) * scale >= 24)
        for row in 0..<grid.rows {
            for column in 1..<grid.columns {
                let left = grid.tiles[row * grid.columns + column - 1]
                let right = grid.tiles[row * grid.columns + column]
                #expect(left.x + left.width - right.x >= grid.overlap)
            }
        }
        for pixel in stride(from: 0, to: 1920, by: 7) {
            #expect(grid.tiles.contains { $0.x <= pixel && pixel < $0.x + $0.width })
        }
        for pixel in stride(from: 0, to: 1080, by: 7) {
            #expect(grid.tiles.contains { $0.y <= pixel && pixel < $0.y + $0.height })
        }
    }

    @Test func parsing() throws {
        #expect(try TileRequest(parsing: "auto") == .auto)
        #expect(try TileRequest(parsing: "3") == .columns(3))
        #expect(try TileRequest(parsing: "off") == .off)
        for bad in ["", "17", "-2", "x", "2.5"] {
            #expect(throws: TileRejection.self) { try TileRequest(parsing: bad) }
        }
    }

    func face(_ x1: Float, _ y1: Float, _ x2: Float, _ y2: Float, _ score: Float = 0.9) -> Detection {
        Detection(box: BoundingBox(x1: x1, y1: y1, x2: x2, y2: y2), score: score, classIndex: 1, label: "face")
    }

    @Test func halvesCutAtATileBorderAreJoined() {
        let tile = TileGrid.Tile(x: 0, y: 0, width: 500, height: 400)
        let neighbour = TileGrid.Tile(x: 450, y: 0, width: 500, height: 400)
        let left = face(420, 100, 500, 200)
        let right = face(450, 102, 560, 198, 0.8)
        #expect(TileMerger.isCut(left.box, tile: tile, frameWidth: 950, frameHeight: 400))
        #expect(TileMerger.isCut(right.box, tile: neighbour, frameWidth: 950, frameHeight: 400))
        #expect(!TileMerger.isCut(face(10, 10, 50, 50).box, tile: tile, frameWidth: 950, frameHeight: 400))
        let merged = TileMerger.merge(
            [
                .init(detection: left, tile: 0, isCut: true), .init(detection: right, tile: 1, isCut: true),
                .init(detection: face(10, 10, 50, 50), tile: 0, isCut: false),
            ], iouThreshold: 0.3)
        #expect(merged.count == 2)
        #expect(merged.contains { $0.box == BoundingBox(x1: 420, y1: 100, x2: 560, y2: 200) && $0.score == 0.9 })
    }

    @Test func aCutPartInsideAWholeFaceIsDropped() {
        let whole = face(400, 100, 560, 300, 0.8)
        let part = face(400, 100, 500, 300, 0.95)
        let merged = TileMerger.merge(
            [.init(detection: part, tile: 0, isCut: true), .init(detection: whole, tile: nil, isCut: false)],
            iouThreshold: 0.3)
        #expect(merged == [whole])
        // Two whole faces side by side are both kept.
        let pair = TileMerger.merge(
            [
                .init(detection: face(0, 0, 40, 40), tile: nil, isCut: false),
                .init(detection: face(30, 0, 70, 40), tile: 2, isCut: false),
            ], iouThreshold: 0.3)
        #expect(pair.count == 2)
    }
}
