import Foundation

/// Locates the shared test data (`../shared` beside the repository: models, photos, golden tensors).
///
/// `$FACESTREAM_SHARED` overrides the location. Tests that need the data call `SharedData.root`
/// and fail with a clear message when it is missing.
public enum SharedData {
    /// The repository's root folder, derived from this source file's path.
    public static let repositoryRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // TestSupport
        .deletingLastPathComponent()  // Sources
        .deletingLastPathComponent()

    /// `../shared` beside the repository, or `$FACESTREAM_SHARED`.
    public static let root: URL = {
        if let override = ProcessInfo.processInfo.environment["FACESTREAM_SHARED"], !override.isEmpty {
            return URL(fileURLWithPath: override)
        }
        return repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared")
    }()

    /// `shared/models`.
    public static var models: URL { root.appendingPathComponent("models") }
    /// `shared/images`.
    public static var images: URL { root.appendingPathComponent("images") }
    /// `shared/golden`.
    public static var golden: URL { root.appendingPathComponent("golden") }

    /// Path of a model file by its file name, e.g. `version-RFB-320.onnx`.
    public static func model(_ fileName: String) -> URL { models.appendingPathComponent(fileName) }

    /// Reads a raw little-endian float32 file (the golden `.f32` format).
    public static func readFloats(_ url: URL) throws -> [Float] {
        let data = try Data(contentsOf: url)
        precondition(data.count % 4 == 0, "\(url.path): size \(data.count) is not a multiple of 4")
        return data.withUnsafeBytes { raw in
            (0..<(data.count / 4)).map {
                Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 4, as: UInt32.self)))
            }
        }
    }
}
