import VideoCore

/// Finds faces in one frame. An instance is used by one detect worker at a time, so it may own
/// scratch memory and need not be thread-safe (a `FaceDetection.FaceDetector` made from a shared
/// immutable compiled model fits); the workers of a run hand idle instances to each other under
/// a lock, so an instance must not depend on staying on one thread (no thread-local state).
public protocol FrameAnalyzing<Frame>: SendableMetatype {
    /// The frame type analysed.
    associatedtype Frame: PipelineFrame
    /// The faces in `frame`, in the frame's pixel coordinates. Throwing marks the frame as not
    /// analysed and ends the run with that error once in-flight frames are drained.
    mutating func analyze(_ frame: Frame) throws -> [Detection]
}

/// An analyzer made of a closure, for adapters and tests.
public struct ClosureAnalyzer<Frame: PipelineFrame>: FrameAnalyzing {
    private let body: (Frame) throws -> [Detection]

    /// Wraps `body`, which runs on the worker thread that owns this analyzer.
    public init(_ body: @escaping (Frame) throws -> [Detection]) {
        self.body = body
    }

    /// Calls the closure.
    public func analyze(_ frame: Frame) throws -> [Detection] {
        try body(frame)
    }
}
