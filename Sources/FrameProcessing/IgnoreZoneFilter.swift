import VideoCore

/// Drops the faces whose box centre lies inside an ignore zone (`--ignore-zone`, `ignore_zones`:
/// posters, screens, a mirror), before the tracker, the statistics and the sinks see them.
/// A face only partly inside counts by its centre: a person standing in front of a poster is
/// kept as long as their face's centre is outside the zone.
public struct IgnoreZoneFilter: DetectionProcessor {
    private let zones: [Zone]
    /// The zones in pixels of the latest frame size (sources keep their size; a size change,
    /// after a reconnect, resolves them again).
    private var resolved: (width: Int, height: Int, polygons: [ZonePolygon])?

    /// A filter dropping faces centred in any of `zones`.
    public init(zones: [Zone]) {
        self.zones = zones
    }

    /// Removes the faces centred in a zone from `faces` and from `shownFaces`.
    public mutating func process(_ frame: inout FrameDetections) {
        guard let faces = frame.faces, !faces.isEmpty, !zones.isEmpty else { return }
        let size = frame.frame.size
        if resolved == nil || resolved?.width != size.width || resolved?.height != size.height {
            resolved = (size.width, size.height, zones.map { $0.polygon(width: size.width, height: size.height) })
        }
        let polygons = resolved?.polygons ?? []
        let kept = faces.filter { face in
            let x = (face.box.x1 + face.box.x2) / 2
            let y = (face.box.y1 + face.box.y2) / 2
            return !polygons.contains { $0.contains(x: x, y: y) }
        }
        guard kept.count != faces.count else { return }
        frame.faces = kept
        frame.shownFaces = kept
    }
}
