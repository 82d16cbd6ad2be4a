import VideoCore

/// One line of FaceStream's JSON-lines output (schema version 1): the faces found in one
/// processed photo or video frame. The key names below are the schema; see docs/json-lines.md
/// and docs/facestream-record-v1.schema.json.
///
/// Keys keep their meaning from version 1 on; new optional keys may be added.
public struct DetectionRecord: Codable, Sendable, Equatable {
    /// One detected face in pixels of the source image.
    public struct Face: Codable, Sendable, Equatable {
        /// `[x1, y1, x2, y2]`, top-left and bottom-right corners, not clipped to the image.
        public var box: [Float]
        /// Class probability, 0...1.
        public var score: Float
        /// "face" or "masked_face".
        public var label: String
        /// The face's track id (`--tracks`, once its track is confirmed); absent otherwise.
        public var track: Int?

        /// The schema's key names for a face.
        public enum CodingKeys: String, CodingKey {
            case box, score, label, track
        }

        public init(box: [Float], score: Float, label: String, track: Int? = nil) {
            self.box = box
            self.score = score
            self.label = label
            self.track = track
        }

        /// The record form of a detection.
        public init(_ detection: Detection) {
            self.init(
                box: [detection.box.x1, detection.box.y1, detection.box.x2, detection.box.y2],
                score: detection.score, label: detection.label, track: detection.track)
        }
    }

    /// Schema version; always 1 for this type.
    public var v: Int
    /// The input as the user gave it (path, URL or "-").
    public var source: String
    /// Frame index in the source; 0 for a photo.
    public var frame: Int
    /// Presentation time in seconds from the stream's timestamps; nil for photos.
    public var pts: Double?
    /// Wall-clock time the frame was received (live sources only), RFC 3339 UTC with
    /// milliseconds, e.g. "2026-11-29T04:31:07.215Z"; absent for files and photos.
    public var ts: String?
    /// Width of the source image in pixels.
    public var width: Int
    /// Height of the source image in pixels.
    public var height: Int
    /// Model name: the model file name without `.onnx`, e.g. "version-RFB-320".
    public var model: String
    /// Faces found, class by class, best first within a class.
    public var faces: [Face]

    /// The schema's key names, in the order the writer emits them.
    public enum CodingKeys: String, CodingKey {
        case v, source, frame, pts, ts, width, height, model, faces
    }

    /// The schema version this type writes.
    public static let schemaVersion = 1

    public init(
        source: String, frame: Int, pts: Double?, ts: String? = nil, width: Int, height: Int, model: String,
        faces: [Face]
    ) {
        self.v = Self.schemaVersion
        self.source = source
        self.frame = frame
        self.pts = pts
        self.ts = ts
        self.width = width
        self.height = height
        self.model = model
        self.faces = faces
    }
}
