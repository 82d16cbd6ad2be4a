/// What the user asks of a camera. Drivers adjust: the closest offered size and rate are used.
public struct CameraFormatRequest: Sendable, Equatable {
    /// How the pixel format is chosen.
    public enum PixelFormatChoice: Sendable, Equatable {
        /// MJPEG for sizes above `V4L2FormatChooser.largeFramePixels`, YUYV otherwise (whichever
        /// the camera offers at the chosen size).
        case automatic
        /// Exactly this format; the camera must offer it.
        case forced(V4L2PixelFormat)
    }

    /// Wanted width in pixels; nil: 640 (or the nearest offered).
    public var width: Int?
    /// Wanted height in pixels; nil: 480 (or the nearest offered).
    public var height: Int?
    /// Wanted frames per second; nil: the fastest offered at the chosen size.
    public var framesPerSecond: Double?
    /// Pixel format choice.
    public var pixelFormat: PixelFormatChoice

    /// A request; all defaults: 640x480, fastest rate, automatic format.
    public init(
        width: Int? = nil, height: Int? = nil, framesPerSecond: Double? = nil,
        pixelFormat: PixelFormatChoice = .automatic
    ) {
        self.width = width
        self.height = height
        self.framesPerSecond = framesPerSecond
        self.pixelFormat = pixelFormat
    }
}

/// The format `V4L2FormatChooser` picked, before the driver has its say in VIDIOC_S_FMT.
public struct CameraFormatChoice: Sendable, Equatable {
    public var pixelFormat: V4L2PixelFormat
    public var width: Int
    public var height: Int
    /// Nil when the driver lists no rates (then the rate is left as the driver has it, unless requested).
    public var framesPerSecond: Double?

    public init(pixelFormat: V4L2PixelFormat, width: Int, height: Int, framesPerSecond: Double?) {
        self.pixelFormat = pixelFormat
        self.width = width
        self.height = height
        self.framesPerSecond = framesPerSecond
    }
}
