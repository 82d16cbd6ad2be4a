/// Why a model cannot be used for face detection, or why a detection run failed.
public struct FaceDetectionError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong, to switch on.
    public enum Code: Sendable, Equatable {
        /// The model's inputs or outputs are not those of an UltraFace-style detector.
        case unsupportedModel
        /// The inference engine reported a failure while running.
        case inferenceFailed
    }

    /// The kind of failure.
    public var code: Code
    /// Human-readable detail.
    public var message: String

    /// Creates an error value.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code): \(message)" }
}
