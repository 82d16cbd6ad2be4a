import Foundation

/// Finds the model file to load: `--model PATH`, else `$FACESTREAM_MODEL`, else
/// `version-RFB-320.onnx` in the first models directory that has it:
/// `$FACESTREAM_MODEL_DIR`, `$XDG_DATA_HOME/facestream/models` (default
/// `~/.local/share/facestream/models`), `/usr/local/share/facestream/models`,
/// `/usr/share/facestream/models`.
public struct ModelLocator: Sendable {
    /// The model used when none is named.
    public static let defaultModelFileName = "version-RFB-320.onnx"
    /// The command that installs the models, for error messages.
    public static let fetchHint =
        "scripts/fetch-models (in the FaceStream source tree) installs the models; or pass --model PATH"

    /// A model could not be found; `searched` lists every place looked at, in order.
    public struct NotFound: Error, CustomStringConvertible {
        public let requested: String
        public let searched: [String]
        public var description: String {
            "model \(requested) not found (looked in: \(searched.joined(separator: ", "))); \(ModelLocator.fetchHint)"
        }
    }

    private let environment: [String: String]
    private let fileExists: @Sendable (String) -> Bool

    /// - Parameters:
    ///   - environment: the process environment (injected for tests).
    ///   - fileExists: file test (injected for tests); defaults to "is a regular file or symlink to one".
    public init(
        environment: [String: String] = ProcessInfo.processInfo.environment,
        fileExists: @escaping @Sendable (String) -> Bool = ModelLocator.isRegularFile
    ) {
        self.environment = environment
        self.fileExists = fileExists
    }

    /// The per-user models directory: `$XDG_DATA_HOME/facestream/models`, else
    /// `~/.local/share/facestream/models`; nil without either variable.
    public var userModelDirectory: String? {
        if let xdg = environment["XDG_DATA_HOME"], !xdg.isEmpty { return xdg + "/facestream/models" }
        if let home = environment["HOME"], !home.isEmpty { return home + "/.local/share/facestream/models" }
        return nil
    }

    /// The models directories searched, in order.
    public var modelDirectories: [String] {
        var directories: [String] = []
        if let dir = environment["FACESTREAM_MODEL_DIR"], !dir.isEmpty { directories.append(dir) }
        if let user = userModelDirectory { directories.append(user) }
        directories.append("/usr/local/share/facestream/models")
        directories.append("/usr/share/facestream/models")
        return directories
    }

    /// Resolves the model path. An explicit path (flag or `$FACESTREAM_MODEL`) is used as given,
    /// or, when it is a bare file name, looked up in the models directories.
    public func locate(explicit: String?) throws(NotFound) -> String {
        let requested = explicit ?? environment["FACESTREAM_MODEL"].flatMap { $0.isEmpty ? nil : $0 }
        if let requested {
            if requested.contains("/") || fileExists(requested) {
                guard fileExists(requested) else { throw NotFound(requested: requested, searched: [requested]) }
                return requested
            }
            return try search(fileName: requested)
        }
        return try search(fileName: Self.defaultModelFileName)
    }

    private func search(fileName: String) throws(NotFound) -> String {
        let candidates = modelDirectories.map { $0 + "/" + fileName }
        if let found = candidates.first(where: fileExists) { return found }
        throw NotFound(requested: fileName, searched: modelDirectories)
    }

    /// True for a regular file (following symlinks).
    @Sendable public static func isRegularFile(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && !isDirectory.boolValue
    }
}
