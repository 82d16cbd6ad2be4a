import VideoCore

/// Sizes and choices of one pipeline run.
public struct PipelineConfiguration: Sendable, Equatable {
    /// Detect worker threads, each with its own analyzer (`--threads N`). At least 1.
    public var workerCount: Int
    /// Capacity of the queue after the source (Q1). Small: for live sources it is the latency.
    public var sourceQueueCapacity: Int
    /// Most frames between numbering and the sink (analysing, waiting for the reorder step or
    /// being written). Bounds the reorder buffer when one worker is slow. At least `workerCount`.
    public var maxFramesInFlight: Int
    /// Overflow policy of the source queue; nil chooses from the source's pacing
    /// (`.file` -> `.block`, `.live` -> `.dropOldest`).
    public var sourceQueuePolicy: QueueOverflowPolicy?
    /// Which frames are analysed (`--every`, `--fps`).
    public var selection: FrameSelection

    /// Defaults: a source queue of 4 and `2 * workerCount + 2` frames in flight.
    public init(
        workerCount: Int,
        sourceQueueCapacity: Int = 4,
        maxFramesInFlight: Int? = nil,
        sourceQueuePolicy: QueueOverflowPolicy? = nil,
        selection: FrameSelection = .all
    ) {
        self.workerCount = workerCount
        self.sourceQueueCapacity = sourceQueueCapacity
        self.maxFramesInFlight = maxFramesInFlight ?? (2 * workerCount + 2)
        self.sourceQueuePolicy = sourceQueuePolicy
        self.selection = selection
    }

    /// Upper bound on frames the pipeline holds at once, whatever the input rate: the source
    /// queue, the frames in flight, the one the source thread is handing over, and one per
    /// worker and one for the sink thread for the instant between handing a frame on and
    /// releasing their own reference to it.
    public var maximumFramesHeld: Int {
        sourceQueueCapacity + maxFramesInFlight + 1 + workerCount + 1
    }

    /// Traps on sizes that cannot work (a configuration is built by the app from validated flags).
    func validate() {
        precondition(workerCount >= 1, "PipelineConfiguration.workerCount must be >= 1, got \(workerCount)")
        precondition(sourceQueueCapacity >= 1, "sourceQueueCapacity must be >= 1, got \(sourceQueueCapacity)")
        precondition(
            maxFramesInFlight >= workerCount,
            "maxFramesInFlight (\(maxFramesInFlight)) must be >= workerCount (\(workerCount))")

    }
}
