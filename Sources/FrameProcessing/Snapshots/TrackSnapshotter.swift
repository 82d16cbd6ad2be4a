import VideoCore

/// Takes the snapshots of tracks (an in-order processor, after the tracker): a crop of the face
/// when its track appears, and the crop of its best sighting when it leaves, handed to a
/// `SnapshotWriting` output that encodes and writes them in the background. Sets each event's
/// `snapshot` to the path the file will have, before the sinks write the event; nil when the
/// output's queue was full (the frame path never waits for a write).
///
/// While a track lives, the crop of its best sighting so far (by `SnapshotQuality`: score, size,
/// sharpness) is kept: one crop of at most `SnapshotSettings.maximumSide` squared per live track.
/// Only sightings carrying the track's id count (from the confirming frame on); the tracker's
/// `best` sighting in the `left` event is chosen by score and size alone and may be another frame.
/// Frames must carry whole pictures (`DetectionSink.needsPixels` of the snapshot output);
/// sampled frames give no snapshot.
public struct TrackSnapshotter: DetectionProcessor {
    let writer: any SnapshotWriting
    let settings: SnapshotSettings
    /// The best crop so far of every live track, by id.
    private var best: [Int: HeldCrop] = [:]

    private struct HeldCrop {
        var quality: Float
        var snapshot: TrackSnapshot
        /// The path it was already queued under (as the `appeared` snapshot), if it was.
        var path: String?
    }

    /// A snapshotter cropping by `settings` and handing the crops to `writer`.
    public init(writer: any SnapshotWriting, settings: SnapshotSettings = SnapshotSettings()) {
        self.writer = writer
        self.settings = settings
    }

    /// Keeps better crops of the frame's tracked faces, then gives the frame's events their
    /// snapshots. Cost per analysed frame: the quality of each tracked face (a 64 x 64 grid at
    /// most) and a crop copy for each face that beat its track's best.
    public mutating func process(_ frame: inout FrameDetections) {
        let pixels = frame.frame.pixels
        let index = frame.frame.index
        for face in frame.faces ?? [] {
            guard let track = face.track, let quality = SnapshotQuality.of(face, in: pixels),
                quality > best[track]?.quality ?? -1, let image = crop(face.box, pixels)
            else { continue }
            best[track] = HeldCrop(quality: quality, snapshot: TrackSnapshot(track: track, frame: index, image: image))
        }
        for position in frame.events.indices {
            let event = frame.events[position]
            switch event.kind {
            case .appeared:
                frame.events[position].snapshot = appeared(event, at: index, pixels)
            case .left:
                frame.events[position].snapshot = left(event)
            }
        }
    }

    /// The `left` events owed at the end of the run get their best crops.
    public mutating func processClosing(_ events: inout [TrackEvent]) {
        for position in events.indices where events[position].kind == .left {
            events[position].snapshot = left(events[position])
        }
    }

    private mutating func appeared(_ event: TrackEvent, at index: Int, _ pixels: FramePixels) -> String? {
        // The confirming face was just kept as the track's first best crop: queue that one.
        if var held = best[event.track], held.snapshot.frame == index {
            held.path = writer.submit(held.snapshot)
            best[event.track] = held
            return held.path
        }
        guard let image = crop(event.latest.box, pixels) else { return nil }
        return writer.submit(TrackSnapshot(track: event.track, frame: index, image: image))
    }

    private mutating func left(_ event: TrackEvent) -> String? {
        guard let held = best.removeValue(forKey: event.track) else { return nil }
        // The best crop is still the appeared one: its file is the same, not written twice.
        return held.path ?? writer.submit(held.snapshot)
    }

    private func crop(_ box: BoundingBox, _ pixels: FramePixels) -> RGBImage? {
        let size = pixels.size
        return CropRegion.around(box, margin: settings.margin, width: size.width, height: size.height)?
            .copy(from: pixels, maximumSide: settings.maximumSide)
    }
}
