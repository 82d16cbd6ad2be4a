import VideoCore

/// An output of detection results: JSON lines, an annotated video, and later snapshots, MQTT,
/// webhooks. A runner builds its sinks from the options before the first frame and hands each of
/// them every frame of a run in frame order, on one thread, then finishes them once.
///
/// A sink owns its resources (files, encoders, connections). It reports a failure by throwing
/// `OutputFailure`; it never stops the pipeline itself: the runner stops feeding a sink that
/// threw, decides what to do with the run (stop it, exit 74) and still finishes every sink.
public protocol DetectionSink: AnyObject {
    /// Whether `write` needs whole pictures (RGB or 4:2:0 planes). When no sink of a run needs
    /// them, a video source hands on only the detector's samples (`FrameConversion.sampled`).
    var needsPixels: Bool { get }
    /// Whether `write` needs the frames that are not analysed too (their times or their
    /// pictures). When no sink of a run needs them and the run analyses at most F frames a
    /// second, a video source hands on only the frames that are analysed and decodes fewer
    /// (`VideoSourceOptions.analysisRate`). Default: `needsPixels` (what paints, paints every frame).
    var needsEveryFrame: Bool { get }
    /// Opens the output before the first frame (or fails with `OutputFailure`), so a bad
    /// destination is reported before any work is done or any other output is written.
    func open() throws(OutputFailure)
    /// Takes the next frame in order: every frame of the run, analysed or not.
    func write(_ frame: FrameDetections) throws(OutputFailure)
    /// Takes the events owed at the end of the run (a `left` for every open track), after the last
    /// frame and before `finish()`.
    func writeClosing(_ events: [TrackEvent]) throws(OutputFailure)
    /// Flushes and closes the output; called once at the end of every run, also after a failure
    /// or an interruption, so files get their trailers.
    func finish() throws(OutputFailure)
}

extension DetectionSink {
    /// Sinks that paint need every frame; the others, by default, only the analysed ones.
    public var needsEveryFrame: Bool { needsPixels }

    /// Outputs without event lines ignore them.
    public func writeClosing(_ events: [TrackEvent]) throws(OutputFailure) {}
}

/// An output that could not be written: one line for the user (which output, why, what to do).
public struct OutputFailure: Error, CustomStringConvertible {
    /// The message, naming the output.
    public let description: String

    /// A failure described by `description`.
    public init(_ description: String) {
        self.description = description
    }
}
