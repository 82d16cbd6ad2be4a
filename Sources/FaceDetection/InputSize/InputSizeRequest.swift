/// Which input size the network runs at (`--input-size`, config key `input_size`).
///
/// The UltraFace networks are fully convolutional: every downsampling step is a 3x3 convolution
/// with stride 2 and padding 1, so a level's feature map is `ceil(side / stride)` for any side,
/// exactly the size the priors are generated for. Any width and height in `sideRange` works; they
/// need not be multiples of 4 or of the strides.
public enum InputSizeRequest: Sendable, Equatable, CustomStringConvertible {
    /// The model's own size (320x240, 640x480, 1280x960): reference-exact, the default.
    case model
    /// A fixed size in pixels.
    case fixed(width: Int, height: Int)
    /// The source's aspect ratio: the model's shorter side is kept for the picture's shorter side
    /// and the longer side follows the picture (rounded to an even number, at most
    /// `maximumAutoAspect` times the shorter): 426x240 for 16:9, 240x320 for 3:4 portrait video,
    /// 320x240 (the model's own size) for 4:3.
    case auto

    /// Allowed width and height in pixels for `fixed` (the compile memory limit still applies).
    public static let sideRange = 32...4096
    /// Longest side over shorter side that `auto` follows; wider pictures are squeezed to this.
    public static let maximumAutoAspect = 4.0

    /// Parses `WxH`, `auto` or `model`; the error is the rule broken, for a one-line message.
    public init(parsing text: String) throws(InputSizeRejection) {
        switch text.lowercased() {
        case "auto": self = .auto
        case "model": self = .model
        default:
            let parts = text.lowercased().split(separator: "x", omittingEmptySubsequences: false)
            guard parts.count == 2, let width = Int(parts[0]), let height = Int(parts[1]) else {
                throw InputSizeRejection(rule: "must be WIDTHxHEIGHT (e.g. 426x240), auto or model")
            }
            guard Self.sideRange.contains(width), Self.sideRange.contains(height) else {
                throw InputSizeRejection(
                    rule: "needs a width and height from \(Self.sideRange.lowerBound) to \(Self.sideRange.upperBound)")
            }
            self = .fixed(width: width, height: height)
        }
    }

    /// The network size for a `source` picture with a model whose own size is `model`.
    public func networkSize(model: (width: Int, height: Int), source: (width: Int, height: Int)) -> (
        width: Int, height: Int
    ) {
        switch self {
        case .model: return model
        case .fixed(let width, let height): return (width, height)
        case .auto:
            guard source.width > 0, source.height > 0 else { return model }
            let short = min(model.width, model.height)
            let aspect = min(
                Double(max(source.width, source.height)) / Double(min(source.width, source.height)),
                Self.maximumAutoAspect)
            let long = max(short, Int((Double(short) * aspect / 2).rounded()) * 2)
            return source.width >= source.height ? (long, short) : (short, long)
        }
    }

    /// `model`, `auto` or `WIDTHxHEIGHT`, as parsed.
    public var description: String {
        switch self {
        case .model: "model"
        case .fixed(let width, let height): "\(width)x\(height)"
        case .auto: "auto"
        }
    }
}

/// Why an `--input-size` value was refused: the rule, to be printed after the option's name.
public struct InputSizeRejection: Error, Sendable, Equatable {
    /// The rule the value broke, e.g. "must be WIDTHxHEIGHT (e.g. 426x240), auto or model".
    public var rule: String
}
