import VideoCore

/// Removes what a tracker run only for hiding would add to the outputs: the `track` ids of the
/// reported faces and the track events (appeared, left). A user who asked for a hidden video but
/// not for tracks gets the same JSON lines as without hiding. Painted faces (`shownFaces`) keep
/// their ids.
public struct TrackLabelRemoval: DetectionProcessor {
    /// A remover; it keeps no state.
    public init() {}

    public mutating func process(_ frame: inout FrameDetections) {
        frame.events.removeAll()
        guard var faces = frame.faces, faces.contains(where: { $0.track != nil }) else { return }
        for index in faces.indices { faces[index].track = nil }
        frame.faces = faces
    }

    public mutating func processClosing(_ events: inout [TrackEvent]) {
        events.removeAll()
    }
}
