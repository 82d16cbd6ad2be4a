/// Whether large frames are also searched tile by tile (`--tiles`, config key `tiles`).
public enum TileRequest: Sendable, Equatable, CustomStringConvertible {
    /// One pass over the whole frame (the default).
    case off
    /// The whole frame plus `columns` overlapping tiles across its width (rows follow, see `TileGrid`).
    case columns(Int)
    /// The number of columns from the frame's size: `round(width / network width)`, so each tile
    /// is shrunk by about 1.15 instead of the whole frame's 6 (1080p with a 320x240 model: 6 x 5
    /// tiles, which find 24-pixel faces; docs/accuracy.md); frames below 1.5 network widths get none.
    case auto

    /// Most columns accepted (rows follow the aspect ratio): 16 columns of 16:9 are 144 passes.
    public static let maximumColumns = 16

    /// Parses `N`, `auto` or `off`; the error is the rule broken.
    public init(parsing text: String) throws(TileRejection) {
        switch text.lowercased() {
        case "auto": self = .auto
        case "off", "0", "1": self = .off
        default:
            guard let columns = Int(text), (2...Self.maximumColumns).contains(columns) else {
                throw TileRejection(rule: "must be auto, off or a number of columns from 2 to \(Self.maximumColumns)")
            }
            self = .columns(columns)
        }
    }

    /// Columns for a frame of `frameWidth` with a network `networkWidth` wide (1 = no tiles).
    public func columns(frameWidth: Int, networkWidth: Int) -> Int {
        switch self {
        case .off: 1
        case .columns(let columns): columns
        case .auto:
            min(Self.maximumColumns, max(1, Int((Double(frameWidth) / Double(networkWidth)).rounded())))
        }
    }

    /// `off`, `auto` or the number of columns, as parsed.
    public var description: String {
        switch self {
        case .off: "off"
        case .columns(let columns): "\(columns)"
        case .auto: "auto"
        }
    }
}

/// Why a `--tiles` value was refused: the rule, printed after the option's name.
public struct TileRejection: Error, Sendable, Equatable {
    /// The rule the value broke.
    public var rule: String
}
