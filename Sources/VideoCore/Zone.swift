/// A polygon on the picture: a privacy zone (always hidden in an annotated video) or an ignore
/// zone (detections whose box centre lies inside are dropped). Given as text
/// `"x1,y1 x2,y2 x3,y3 ..."`: each number is pixels, or a percentage of the frame's width (x) or
/// height (y) with a `%` suffix, so one zone can serve cameras of different sizes.
///
/// Limits (`Zone.maximumPoints`, `Zone.maximumZones`, `Zone.maximumTextLength`) keep a hostile
/// configuration from costing more than a few microseconds per frame.
public struct Zone: Sendable, Equatable, CustomStringConvertible {
    /// One coordinate: pixels, or a fraction (0...1) of the frame's width or height.
    public enum Coordinate: Sendable, Equatable {
        case pixels(Float)
        case fraction(Float)

        /// The coordinate in pixels on an axis `length` pixels long.
        public func resolved(length: Int) -> Float {
            switch self {
            case .pixels(let value): value
            case .fraction(let value): value * Float(length)
            }
        }
    }

    /// Most corners of one zone.
    public static let maximumPoints = 64
    /// Most zones of one kind per stream (privacy zones, ignore zones).
    public static let maximumZones = 32
    /// Longest zone text read, in characters.
    public static let maximumTextLength = 2048
    /// Largest pixel coordinate accepted (well beyond any frame; keeps the arithmetic finite).
    public static let maximumPixel: Float = 100_000

    /// The corners in order, as (x, y).
    public let points: [(x: Coordinate, y: Coordinate)]
    /// The text the zone was read from.
    public let text: String

    /// Reads `"x1,y1 x2,y2 x3,y3 ..."`; throws a `Zone.ParseError` naming what is wrong.
    public init(parsing text: String) throws(ParseError) {
        guard text.count <= Self.maximumTextLength else {
            throw ParseError("is longer than \(Self.maximumTextLength) characters")
        }
        let pairs = text.split(whereSeparator: { $0 == " " || $0 == "\t" })
        guard pairs.count >= 3 else {
            throw ParseError("needs at least 3 corners \"x,y x,y x,y\", got \(pairs.count)")
        }
        guard pairs.count <= Self.maximumPoints else {
            throw ParseError("has \(pairs.count) corners; at most \(Self.maximumPoints) are allowed")
        }
        var points: [(x: Coordinate, y: Coordinate)] = []
        for pair in pairs {
            let parts = pair.split(separator: ",", omittingEmptySubsequences: false)
            guard parts.count == 2, let x = Self.coordinate(parts[0]), let y = Self.coordinate(parts[1]) else {
                throw ParseError("corner \"\(pair)\" is not x,y (pixels, or percentages like 12.5%)")
            }
            points.append((x, y))
        }
        self.points = points
        self.text = text
    }

    /// A number of pixels (0...maximumPixel) or a percentage (0%...100%).
    private static func coordinate(_ text: Substring) -> Coordinate? {
        if text.hasSuffix("%") {
            guard let value = Float(text.dropLast()), value >= 0, value <= 100 else { return nil }
            return .fraction(value / 100)
        }
        guard let value = Float(text), value >= 0, value <= maximumPixel else { return nil }
        return .pixels(value)
    }

    public static func == (lhs: Zone, rhs: Zone) -> Bool {
        lhs.points.count == rhs.points.count && zip(lhs.points, rhs.points).allSatisfy { $0.x == $1.x && $0.y == $1.y }
    }

    public var description: String { text }

    /// The corners in pixels of a `width` x `height` frame.
    public func polygon(width: Int, height: Int) -> ZonePolygon {
        ZonePolygon(points: points.map { (x: $0.x.resolved(length: width), y: $0.y.resolved(length: height)) })
    }

    /// Why a zone text was refused.
    public struct ParseError: Error, Sendable, CustomStringConvertible {
        public let description: String
        init(_ description: String) { self.description = description }
    }
}

/// A zone's corners in pixels of one frame size.
public struct ZonePolygon: Sendable {
    /// Corners in order, as (x, y) pixels.
    public let points: [(x: Float, y: Float)]

    /// A polygon through `points`.
    public init(points: [(x: Float, y: Float)]) {
        self.points = points
    }

    /// Whether (x, y) lies inside, by the even-odd rule (a ray to the right crosses the edges an
    /// odd number of times). Points exactly on an edge may fall either way.
    public func contains(x: Float, y: Float) -> Bool {
        var inside = false
        var previous = points.count - 1
        for current in points.indices {
            let (xi, yi) = points[current]
            let (xj, yj) = points[previous]
            // Edge (j -> i) straddles the horizontal line through y, and the crossing is right of x.
            if (yi > y) != (yj > y), x < (xj - xi) * (y - yi) / (yj - yi) + xi { inside.toggle() }
            previous = current
        }
        return inside
    }

    /// The smallest box holding every corner.
    public var bounds: BoundingBox {
        BoundingBox(
            x1: points.map(\.x).min() ?? 0, y1: points.map(\.y).min() ?? 0, x2: points.map(\.x).max() ?? 0,
            y2: points.map(\.y).max() ?? 0)
    }
}
