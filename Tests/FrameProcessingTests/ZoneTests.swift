import Testing
import VideoCore

/// Zone texts (`--privacy-zone`, `--ignore-zone`): parsing, limits, resolution and the even-odd
/// point-in-polygon rule.
struct ZoneTests {
    @Test func pixelsAndPercentagesResolveAgainstTheFrameSize() throws {
        let zone = try Zone(parsing: "10,20 50%,20 50%,100%")
        let polygon = zone.polygon(width: 200, height: 100)
        #expect(polygon.points.map(\.x) == [10, 100, 100])
        #expect(polygon.points.map(\.y) == [20, 20, 100])
        #expect(zone.text == "10,20 50%,20 50%,100%")
    }

    @Test(arguments: [
        "", "1,2 3,4", "1,2 3,4 5", "1,2 3,4 5,x", "1,2 3,4 -5,6", "1,2 3,4 5,101%", "1,2,3 4,5 6,7",
        "1,2 3,4 200000,6", "1,2 3,4 nan,5", "1,2 3,4 inf,5",
    ])
    func malformedZonesAreRefused(_ text: String) {
        #expect(throws: Zone.ParseError.self) { try Zone(parsing: text) }
    }

    @Test func tooManyCornersOrTooLongAreRefused() {
        let many = (0...Zone.maximumPoints).map { "\($0),\($0 % 7)" }.joined(separator: " ")
        #expect(throws: Zone.ParseError.self) { try Zone(parsing: many) }
        let long = String(repeating: " ", count: Zone.maximumTextLength) + "1,1 2,2 3,1"
        #expect(throws: Zone.ParseError.self) { try Zone(parsing: long) }
        let most = (0..<Zone.maximumPoints).map { "\($0),\($0 % 7)" }.joined(separator: " ")
        #expect((try? Zone(parsing: most)) != nil)
    }

    @Test func pointInPolygonFollowsTheEvenOddRule() throws {
        // A square.
        let square = try Zone(parsing: "10,10 30,10 30,30 10,30").polygon(width: 100, height: 100)
        #expect(square.contains(x: 20, y: 20))
        #expect(!square.contains(x: 5, y: 20))
        #expect(!square.contains(x: 20, y: 35))
        // A concave "U": the notch between the arms is outside.
        let u = try Zone(parsing: "0,0 10,0 10,20 20,20 20,0 30,0 30,30 0,30").polygon(width: 100, height: 100)
        #expect(u.contains(x: 5, y: 5))
        #expect(u.contains(x: 25, y: 5))
        #expect(!u.contains(x: 15, y: 10))
        #expect(u.contains(x: 15, y: 25))
        // A triangle, corners in either winding.
        for text in ["0,0 40,0 0,40", "0,40 40,0 0,0"] {
            let triangle = try Zone(parsing: text).polygon(width: 100, height: 100)
            #expect(triangle.contains(x: 10, y: 10))
            #expect(!triangle.contains(x: 30, y: 30))
        }
    }
}
