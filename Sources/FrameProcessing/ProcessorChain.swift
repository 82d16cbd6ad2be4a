import VideoCore

/// The in-order processors of one run, applied one after the other to each frame. Lives on the
/// thread that delivers frames in order (the pipeline's sink thread, or the photo loop).
public struct ProcessorChain {
    private var processors: [any DetectionProcessor]

    /// Applies `processors` in the order given.
    public init(_ processors: [any DetectionProcessor]) {
        self.processors = processors
    }

    /// Runs every processor on `frame`, in order.
    public mutating func process(_ frame: inout FrameDetections) {
        for index in processors.indices {
            processors[index].process(&frame)
        }
    }

    /// The events every processor still owes at the end of the run, in processor order; each
    /// processor sees (`processClosing`) those owed by the ones before it, as it sees frames.
    public mutating func finish() -> [TrackEvent] {
        var events: [TrackEvent] = []
        for index in processors.indices {
            processors[index].processClosing(&events)
            events += processors[index].finish()
        }
        return events
    }

    /// The processors asked for by the common options: the minimum face size (`--min-face`,
    /// `min_face`; nil or 0 for none), the ignore zones (`--ignore-zone`), the tracker
    /// (`--tracks`; nil for none; with `hiding`, a hiding style's `HoldingTracker`), the snapshots
    /// of its tracks (`--snapshots`; nil for none, and none without a tracker), the removal of
    /// track ids and events when the tracker runs for hiding only, then the hold-over of boxes to
    /// frames between analysed ones.
    public static func standard(
        minimumFaceSize: Int?, ignoreZones: [Zone] = [], tracking: TrackerSettings? = nil,
        hiding: HidingSettings? = nil, snapshots: TrackSnapshotter? = nil
    ) -> ProcessorChain {
        var processors: [any DetectionProcessor] = []
        if let minimumFaceSize, minimumFaceSize > 0 {
            processors.append(MinimumFaceSizeFilter(minimumSide: minimumFaceSize))
        }
        if !ignoreZones.isEmpty { processors.append(IgnoreZoneFilter(zones: ignoreZones)) }
        if let tracking {
            if let hiding {
                processors.append(HoldingTracker(tracking: tracking, hiding: hiding))
            } else {
                processors.append(FaceTracker(settings: tracking))
            }
            if let snapshots { processors.append(snapshots) }
            if let hiding, !hiding.reportsTracks { processors.append(TrackLabelRemoval()) }
        }
        processors.append(BoxHoldOver())
        return ProcessorChain(processors)
    }
}
