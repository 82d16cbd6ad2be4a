/// How a stored (decoded) picture is turned to be shown: one of the eight right-angle turns and
/// mirrorings of a rectangle. Phone videos are stored as the sensor saw them and carry a display
/// matrix saying how to turn them; the source applies it, so everything downstream (detection,
/// boxes, sizes in the JSON lines, painted copies) sees the picture as it is displayed.
///
/// Mapping: displayed pixel `(X, Y)` of a `displayedWidth x displayedHeight` picture is stored
/// pixel `(x, y)` where `u = reversesX ? displayedWidth - 1 - X : X`,
/// `v = reversesY ? displayedHeight - 1 - Y : Y`, and `(x, y) = transposes ? (v, u) : (u, v)`.
public struct PictureOrientation: Sendable, Equatable, CustomStringConvertible {
    /// Displayed columns are stored rows (a quarter turn, possibly mirrored): width and height swap.
    public let transposes: Bool
    /// Displayed X runs backwards through the stored axis it reads.
    public let reversesX: Bool
    /// Displayed Y runs backwards through the stored axis it reads.
    public let reversesY: Bool

    /// Makes an orientation from its three parts (see the type's mapping).
    public init(transposes: Bool, reversesX: Bool, reversesY: Bool) {
        self.transposes = transposes
        self.reversesX = reversesX
        self.reversesY = reversesY
    }

    /// Shown as stored.
    public static let upright = PictureOrientation(transposes: false, reversesX: false, reversesY: false)
    /// Turned a quarter turn clockwise for display (the stored top row becomes the right column).
    public static let clockwise = PictureOrientation(transposes: true, reversesX: true, reversesY: false)
    /// Turned half a turn.
    public static let halfTurn = PictureOrientation(transposes: false, reversesX: true, reversesY: true)
    /// Turned a quarter turn counterclockwise (the stored top row becomes the left column).
    public static let counterclockwise = PictureOrientation(transposes: true, reversesX: false, reversesY: true)

    /// Whether the picture is shown as stored (nothing to do).
    public var isUpright: Bool { self == .upright }

    /// The orientation a 3x3 display matrix describes (FFmpeg's and MP4's layout: nine values,
    /// row-major, `a b u / c d v / x y w`, with `a b c d` in 16.16 fixed point, mapping a stored
    /// point `(x, y)` to the displayed `(a x + c y + tx, b x + d y + ty)`, y pointing down). Nil when
    /// the matrix is not a right-angle turn or mirroring (an arbitrary angle, a shear, a zero
    /// scale): such pictures are shown as stored. Scaling is ignored (only the signs count).
    public init?(displayMatrix matrix: [Int32]) {
        guard matrix.count == 9 else { return nil }
        let (a, b, c, d) = (matrix[0], matrix[1], matrix[3], matrix[4])
        if b == 0, c == 0, a != 0, d != 0 {
            // Displayed X follows stored x (backwards when a < 0), displayed Y follows stored y.
            self.init(transposes: false, reversesX: a < 0, reversesY: d < 0)
        } else if a == 0, d == 0, b != 0, c != 0 {
            // Displayed X follows stored y (through c), displayed Y follows stored x (through b).
            self.init(transposes: true, reversesX: c < 0, reversesY: b < 0)
        } else {
            return nil
        }
    }

    /// The displayed size of a stored `width x height` picture.
    public func displayedSize(width: Int, height: Int) -> (width: Int, height: Int) {
        transposes ? (height, width) : (width, height)
    }

    /// The stored pixel shown at displayed `(x, y)`; `displayedWidth x displayedHeight` is the
    /// displayed size (`displayedSize(width:height:)` of the stored one).
    @inline(__always)
    public func storedPoint(x: Int, y: Int, displayedWidth: Int, displayedHeight: Int) -> (x: Int, y: Int) {
        let u = reversesX ? displayedWidth - 1 - x : x
        let v = reversesY ? displayedHeight - 1 - y : y
        return transposes ? (v, u) : (u, v)
    }

    /// For messages: "upright", "turned 90° clockwise", "mirrored left to right", ...
    public var description: String {
        switch (transposes, reversesX, reversesY) {
        case (false, false, false): "upright"
        case (true, true, false): "turned 90° clockwise"
        case (false, true, true): "turned 180°"
        case (true, false, true): "turned 90° counterclockwise"
        case (false, true, false): "mirrored left to right"
        case (false, false, true): "mirrored top to bottom"
        case (true, false, false): "transposed (mirrored along the diagonal)"
        case (true, true, true): "transposed along the other diagonal"
        }
    }
}
