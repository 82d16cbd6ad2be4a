import VideoCore

/// Puts completed frames back in sequence order. Single-threaded (the sink thread owns it).
/// Its size is bounded by the pipeline's in-flight limit, not here.
struct ReorderBuffer<Frame: PipelineFrame> {
    private var waiting: [Int: CompletedFrame<Frame>] = [:]
    /// The sequence number the sink needs next.
    private(set) var nextSequence = 0

    /// Frames held until their predecessors arrive.
    var count: Int { waiting.count }

    /// Adds a frame; traps on a sequence number already delivered or already waiting.
    mutating func insert(_ completed: consuming CompletedFrame<Frame>) {
        let sequence = completed.sequence
        precondition(sequence >= nextSequence, "frame sequence \(sequence) arrived after it was delivered")
        precondition(waiting[sequence] == nil, "frame sequence \(sequence) arrived twice")
        waiting[sequence] = completed
    }

    /// Removes and returns the next frame in order, or nil when it has not arrived yet.
    mutating func popNext() -> CompletedFrame<Frame>? {
        guard let completed = waiting.removeValue(forKey: nextSequence) else { return nil }
        nextSequence += 1
        return completed
    }
}
