import FaceStreamDaemon

/// Parses fuzzed bytes as the daemon's TOML configuration. Hostile text must become problems
/// (the limits in `ConfigurationLimits` keep it from the recursive TOML parser); a valid result
/// must respect those limits.
enum ConfigurationHarness {
    static func check(_ bytes: [UInt8]) {
        // The daemon reads the file as UTF-8 and refuses it otherwise; do the same.
        guard let text = String(validating: bytes, as: UTF8.self) else { return }
        guard let configuration = try? ConfigurationLoader.parse(text, file: "fuzz.toml") else { return }
        precondition(
            configuration.streams.count <= ConfigurationLimits.maximumStreams,
            "\(configuration.streams.count) streams accepted, limit \(ConfigurationLimits.maximumStreams)")
    }
}
