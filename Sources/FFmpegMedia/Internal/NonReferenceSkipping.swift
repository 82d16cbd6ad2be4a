internal import CFFmpeg
import VideoCore

/// Which packets of one decoding session the decoder may skip when they hold a non-reference
/// frame (`AVDISCARD_NONREF`), for a source that hands on only the first frame of each
/// `RateSlots` slot; and how many frames it did skip, so handed-on frames keep their numbers.
///
/// The rule: a packet may be skipped when a packet with an earlier time in the same slot came
/// before it. That earlier frame is then the first of the slot or comes after it in presentation
/// order, so the skipped frame would not have been handed on; and the first frame of a slot is
/// never skipped (no earlier one of its slot came before it). Reference frames are decoded
/// whatever the decision (the decoder tells them apart), so the pictures of the handed-on frames
/// are bit-identical. Times are the packets' pts in the stream's time base.
struct NonReferenceSkipping {
    /// Recent packets remembered for the rule: more than any decoder's reordering depth.
    private static let recentCapacity = 16
    /// Skippable packets whose frame has not come out yet, at most; beyond it the oldest is
    /// counted as skipped.
    private static let pendingCapacity = 64

    private let slots: RateSlots
    private let timeBase: AVRational
    /// Times of the last `recentCapacity` video packets, in decoding order.
    private var recent: [Int64] = []
    /// Times of packets sent with skipping allowed whose frame has not come out (yet).
    private var pending: [Int64] = []
    /// Skippable frames pushed out of `pending` and not yet counted.
    private var evicted = 0

    init(slots: RateSlots, timeBase: AVRational) {
        self.slots = slots
        self.timeBase = timeBase
        recent.reserveCapacity(Self.recentCapacity)
        pending.reserveCapacity(Self.pendingCapacity)
    }

    /// Whether the packet at `pts` may be skipped if it holds a non-reference frame; remembers it.
    mutating func maySkip(pts: Int64?) -> Bool {
        guard let pts else { return false }
        let slot = slots.slot(at: seconds(pts))
        // Timestamps that jump back (a new stream in the same session) start over.
        if let newest = recent.max(), pts < newest, slot < slots.slot(at: seconds(newest)) - 1 {
            recent.removeAll(keepingCapacity: true)
        }
        let earlierInSlot = recent.contains { $0 < pts && slots.slot(at: seconds($0)) == slot }
        if recent.count == Self.recentCapacity { recent.removeFirst() }
        recent.append(pts)
        if earlierInSlot {
            if pending.count == Self.pendingCapacity {
                pending.removeFirst()
                evicted += 1
            }
            pending.append(pts)
        }
        return earlierInSlot
    }

    /// The skippable frames before the frame at `pts` that never came out (the decoder skipped
    /// them: frames come out in presentation order); forgets them and the frame itself.
    mutating func skippedFrames(before pts: Int64?) -> Int {
        var skipped = evicted
        evicted = 0
        guard let pts else { return skipped }
        skipped += pending.count(where: { $0 < pts })
        pending.removeAll { $0 <= pts }
        return skipped
    }

    /// The skippable frames that never came out, at the end of the input; forgets them.
    mutating func skippedAtEnd() -> Int {
        defer {
            pending.removeAll()
            evicted = 0
        }
        return pending.count + evicted
    }

    private func seconds(_ pts: Int64) -> Double {
        Double(pts) * av_q2d(timeBase)
    }
}
