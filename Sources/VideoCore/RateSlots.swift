/// The rule of an analysis rate cap (`--fps F`, `max_fps`): presentation time is cut into slots of
/// `1 / framesPerSecond` seconds, and the first frame of each slot, in presentation order, is the
/// one analysed. Shared by the pipeline's frame selection and by a decoding source that hands on
/// only those frames, so both pick the same ones.
public struct RateSlots: Sendable, Equatable {
    /// Tolerance on `time * rate` so that frame times like 3/30 s land in the slot they name.
    static let slotEpsilon = 1e-6

    /// Frames analysed per second of presentation time, at most. Positive and finite.
    public let framesPerSecond: Double

    /// Slots of `1 / framesPerSecond` seconds; traps unless the rate is positive and finite.
    public init(framesPerSecond: Double) {
        precondition(
            framesPerSecond > 0 && framesPerSecond.isFinite, "RateSlots needs a rate > 0, got \(framesPerSecond)")
        self.framesPerSecond = framesPerSecond
    }

    /// The slot holding presentation time `time` (seconds), as a whole number.
    public func slot(at time: Double) -> Double {
        (time * framesPerSecond + Self.slotEpsilon).rounded(.down)
    }
}

/// The state of `RateSlots` along one stream: fed every frame's time in presentation order,
/// answers whether the frame is the first of its slot. A frame without a time is always taken; a
/// time in an earlier slot than the last one taken (a new stream after a reconnect) starts over.
public struct RateSelector: Sendable {
    /// The slots.
    public let slots: RateSlots
    private var lastSlot: Double?

    /// A selector that has seen no frame yet.
    public init(_ slots: RateSlots) {
        self.slots = slots
    }

    /// Whether the frame at `time` (seconds; nil when unknown) is taken.
    public mutating func takes(time: Double?) -> Bool {
        guard let time, time.isFinite else { return true }
        let slot = slots.slot(at: time)
        if let lastSlot, slot == lastSlot { return false }
        lastSlot = slot
        return true
    }
}
