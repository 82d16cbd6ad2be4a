import CoreSupport
import Foundation

/// The UltraFace files FaceStream knows, with their pinned SHA-256 (the same list as
/// `scripts/models.sha256`, which a test compares with this one).
public enum ModelCatalog {
    /// One known file.
    public struct Entry: Sendable, Equatable {
        /// File name, e.g. `version-RFB-320.onnx`.
        public let fileName: String
        /// Lower-case hexadecimal SHA-256 of the file's bytes.
        public let sha256: String
        /// Whether it is a model (`.onnx`) rather than a labels file.
        public var isModel: Bool { fileName.hasSuffix(".onnx") }
    }

    /// Every known file, models first.
    public static let entries: [Entry] = [
        ("version-RFB-320.onnx", "34cd7e60aeff28744c657de7a3dc64e872d506741de66987f3426f2b79f88017"),
        ("version-RFB-320_simplified.onnx", "faf6740b495e8b9508e6fda11e8c0368bbdde01143e8f0a3e511d0892c4d794e"),
        (
            "version-RFB-320_without_postprocessing.onnx",
            "d7c687949526065ab6a192fdf993360045ce27b0fabf7c9fca5c2437b786b495"
        ),
        ("version-RFB-640.onnx", "8f4c659275977e7a3bfbfa339a9c769ad793df50f9c0baa8c14b11baa1646430"),
        ("version-slim-320.onnx", "e9adbd0f920ddcce9368434c4d34d72520dc0c19b526fd44b4ef49bde2c3b1a8"),
        ("version-slim-320_simplified.onnx", "0863d8fedffb8692c3fef345193c7befc9b513a66ac4ff87bdecf47452fa272f"),
        (
            "version-slim-320_without_postprocessing.onnx",
            "6e12bb34a36eb17b86d2b76b79c9cd20f342a59ee737d2123a814ce6f532932b"
        ),
        ("RFB-640-masked_face-v2.onnx", "27ca3e5985f722e91efea7993f625716de627303c4bafb40bb26f456286beca8"),
        ("RFB-1280-masked_face-v2.onnx", "7514455d81b120120c93a145f579448416ee25d7aa925fe2431bf1552b692b50"),
        ("voc-model-labels.txt", "42f22f006e845cedefcbbbc76399d00a83a27831cb17a7b3fafcb9c60c814cd6"),
        ("masked_face-voc-model-labels.txt", "cf53ccc01b8b6ddb4c3418e4839a42f9d4e6e7c70f1e84a43f9c2b8d455ea084"),
    ].map { Entry(fileName: $0.0, sha256: $0.1) }

    /// Largest file hashed (the biggest model is 1.5 MB): anything larger is not one of them.
    public static let maximumFileBytes = 64 << 20

    /// The SHA-256 of the file at `path` in hexadecimal; nil when it cannot be read or is larger
    /// than `maximumFileBytes`.
    public static func sha256(ofFileAt path: String) -> String? {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        var hasher = SHA256()
        var total = 0
        while let chunk = try? handle.read(upToCount: 1 << 16), !chunk.isEmpty {
            total += chunk.count
            guard total <= maximumFileBytes else { return nil }
            chunk.withUnsafeBytes { hasher.update($0) }
        }
        return SHA256.hexString(hasher.finalize())
    }
}
