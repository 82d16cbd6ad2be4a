/// What a capture device offers, as `facestream devices` lists it.
public struct CameraDescription: Sendable, Equatable, Codable {
    /// The device node, e.g. `/dev/video0`.
    public var node: String
    /// Stable links to the node: `/dev/v4l/by-id/...` first, then `/dev/v4l/by-path/...`; empty when udev made none.
    public var stablePaths: [String]
    /// Kernel driver name, e.g. `uvcvideo`, `vivid`.
    public var driver: String
    /// The device's name, e.g. `HD Pro Webcam C920`.
    public var card: String
    /// Where it is attached, e.g. `usb-0000:00:14.0-1`.
    public var busInfo: String
    /// Native pixel formats (libv4l2's emulated ones are left out), in the driver's order.
    public var formats: [Format]

    /// The best name for configuration files: the first stable path, else the node.
    public var preferredPath: String { stablePaths.first ?? node }

    /// One pixel format and the sizes the driver offers in it.
    public struct Format: Sendable, Equatable, Codable {
        /// Four-character code, e.g. `YUYV`, `MJPG`.
        public var pixelFormat: String
        /// The driver's description, e.g. `Motion-JPEG`.
        public var description: String
        /// Whether frames are compressed.
        public var compressed: Bool
        /// Whether facestream can convert this format to RGB.
        public var supported: Bool
        /// Discrete sizes; for stepwise or continuous drivers the smallest and the largest.
        public var sizes: [Size]
        /// True when the driver accepts any size between the two listed (stepwise/continuous).
        public var sizeRange: Bool

        public init(
            pixelFormat: String, description: String, compressed: Bool, supported: Bool, sizes: [Size], sizeRange: Bool
        ) {
            self.pixelFormat = pixelFormat
            self.description = description
            self.compressed = compressed
            self.supported = supported
            self.sizes = sizes
            self.sizeRange = sizeRange
        }
    }

    /// A frame size and the frame rates offered at it.
    public struct Size: Sendable, Equatable, Codable {
        public var width: Int
        public var height: Int
        /// Frames per second, highest first; for stepwise intervals the fastest and the slowest.
        public var framesPerSecond: [Double]

        public init(width: Int, height: Int, framesPerSecond: [Double]) {
            self.width = width
            self.height = height
            self.framesPerSecond = framesPerSecond
        }
    }
}
