import FaceStreamApp
import Foundation
import Logging
import TOMLKit

/// Reads and validates a daemon configuration file (TOML; see `Config/facestream.toml`).
///
/// Every problem is collected, not just the first: unknown keys (with "did you mean"), wrong
/// types, values out of range, missing or duplicate stream names. Problems carry the file name
/// and the key's line. Nothing outside the text is looked at; `ConfigurationChecker` checks the
/// models and output folders.
public enum ConfigurationLoader {
    /// Keys allowed at the top level.
    static let globalKeys = [
        "model", "threads", "precision", "workers", "log_level", "metrics", "status_interval", "stop_timeout", "stream",
        "mqtt",
    ]
    /// Keys allowed in a `[[stream]]` table.
    static let streamKeys =
        [
            "name", "source", "model", "threshold", "iou", "min_face", "max_fps", "workers", "output", "only_faces",
            "tracks", "events", "events_only", "track_low_threshold", "track_min_hits", "track_max_age",
            "snapshots", "snapshot_keep", "snapshot_margin",
            "annotate", "annotate_style", "webhook", "webhook_secret_file", "webhook_timeout", "mqtt",
            "camera_size", "camera_fps", "camera_format", "camera_buffers", "camera_timeout", "input_size", "tiles",
        ] + hidingKeys + segmentKeys
    static let logLevels: [String: Logger.Level] = [
        "trace": .trace, "debug": .debug, "info": .info, "notice": .notice, "warning": .warning, "error": .error,
        "critical": .critical,
    ]

    /// Reads `path` and validates it.
    public static func load(path: String) throws(ConfigurationError) -> DaemonConfiguration {
        let text: String
        do {
            // Never read more than a configuration may hold (a path to a huge file, a device).
            let attributes = try? FileManager.default.attributesOfItem(atPath: path)
            if let size = attributes?[.size] as? Int, size > ConfigurationLimits.maximumBytes {
                throw ConfigurationError([
                    ConfigurationProblem(
                        file: path, line: nil,
                        message:
                            "the file has \(size) bytes, more than the \(ConfigurationLimits.maximumBytes) a configuration may have",
                        hint: "a configuration is a few kilobytes; check that this is the right file")
                ])
            }
            if let type = attributes?[.type] as? FileAttributeType, type != .typeRegular {
                throw ConfigurationError([
                    ConfigurationProblem(
                        file: path, line: nil, message: "the configuration is not a regular file",
                        hint: "give the path of a .toml file")
                ])
            }
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch let error as ConfigurationError {
            throw error
        } catch {
            let reason =
                FileManager.default.fileExists(atPath: path) ? "cannot be read as UTF-8 text" : "does not exist"
            throw ConfigurationError([
                ConfigurationProblem(
                    file: path, line: nil, message: "the configuration file \(reason)",
                    hint: "Config/facestream.toml in the source tree is a sample with every key")
            ])
        }
        return try parse(text, file: path)
    }

    /// Validates configuration `text`; `file` names it in messages.
    public static func parse(_ text: String, file: String) throws(ConfigurationError) -> DaemonConfiguration {
        // The parser recurses: keep what it could choke on from reaching it.
        let limits = ConfigurationLimits.problems(in: text, file: file)
        guard limits.isEmpty else { throw ConfigurationError(limits) }
        let root: TOMLTable
        do {
            root = try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            throw ConfigurationError([
                ConfigurationProblem(
                    file: file, line: error.source.begin.line, message: "TOML syntax: \(error.description)",
                    hint: "see https://toml.io for the syntax")
            ])
        } catch {
            throw ConfigurationError([ConfigurationProblem(file: file, line: nil, message: "TOML syntax: \(error)")])
        }
        let locator = TOMLKeyLocator(text: text)
        let reader = ConfigurationReader(file: file, locator: locator)
        var global = readGlobal(root, reader)
        global.mqtt = readMQTT(root, reader)
        let streams = readStreams(root, reader, locator, mqtt: global.mqtt != nil)
        if reader.problems.isEmpty && streams.isEmpty {
            reader.problem(
                "no streams", key: nil, in: .init(context: .root, prefix: ""),
                hint: "add a [[stream]] table with name and source")
        }
        guard reader.problems.isEmpty else {
            throw ConfigurationError(reader.problems.sorted { ($0.line ?? 0) < ($1.line ?? 0) })
        }
        return DaemonConfiguration(global: global, streams: streams)
    }

    private static func readGlobal(_ root: TOMLTable, _ reader: ConfigurationReader) -> GlobalSettings {
        let scope = ConfigurationReader.Scope(context: .root, headerLine: nil, prefix: "")
        reader.rejectUnknownKeys(of: root, known: globalKeys, in: scope)
        var global = GlobalSettings()
        global.model = reader.string("model", in: root, scope: scope).flatMap { $0.isEmpty ? nil : $0 }
        if let threads = reader.integer(
            "threads", in: root, scope: scope, range: 1...256,
            hint: "inference threads per network run; 1 is the default")
        {
            global.threads = threads
        }
        if let text = reader.string("precision", in: root, scope: scope) {
            if let precision = ModelPrecision(rawValue: text) {
                global.precision = precision
            } else {
                reader.problem(
                    "precision \"\(text)\" is not a precision", key: "precision", in: scope,
                    hint: "use fp32 (the default) or int8")
            }
        }
        if let workers = reader.integer(
            "workers", in: root, scope: scope, range: 1...256, hint: "detect workers per stream; 2 is the default")
        {
            global.workers = workers
        }
        if let level = reader.string("log_level", in: root, scope: scope) {
            if let parsed = logLevels[level.lowercased()] {
                global.logLevel = parsed
            } else {
                reader.problem(
                    "log_level \"\(level)\" is not a level", key: "log_level", in: scope,
                    hint: "use one of trace, debug, info, notice, warning, error, critical")
            }
        }
        if let metrics = reader.string("metrics", in: root, scope: scope), !metrics.isEmpty {
            if let address = parseMetricsAddress(metrics) {
                global.metricsAddress = address
            } else {
                reader.problem(
                    "metrics \"\(metrics)\" is not a loopback host:port", key: "metrics", in: scope,
                    hint:
                        "the endpoint is served on loopback only, e.g. metrics = \"127.0.0.1:9464\"; \"\" turns it off")
            }
        }
        if let seconds = reader.number(
            "status_interval", in: root, scope: scope, rule: "between 0.1 and 86400 seconds",
            hint: "seconds between summary lines; 60 is the default", isValid: { (0.1...86400).contains($0) })
        {
            global.statusInterval = .milliseconds(Int64((seconds * 1000).rounded()))
        }
        if let seconds = reader.number(
            "stop_timeout", in: root, scope: scope, rule: "between 1 and 60 seconds",
            hint: "keep it below the unit's TimeoutStopSec; 8 is the default", isValid: { (1...60).contains($0) })
        {
            global.stopTimeout = .milliseconds(Int64((seconds * 1000).rounded()))
        }
        return global
    }

    /// The `[[stream]]` tables; `mqtt`: whether an `[mqtt]` broker is configured (its streams
    /// publish, and so track, unless they say `mqtt = false`).
    private static func readStreams(
        _ root: TOMLTable, _ reader: ConfigurationReader, _ locator: TOMLKeyLocator, mqtt: Bool
    ) -> [StreamSettings] {
        guard let value = root["stream"] else { return [] }
        let rootScope = ConfigurationReader.Scope(context: .root, headerLine: nil, prefix: "")
        guard let array = value.array else {
            reader.problem(
                "stream must be an array of tables", key: "stream", in: rootScope,
                hint: "write each stream as [[stream]] (two brackets)")
            return []
        }
        guard array.count <= ConfigurationLimits.maximumStreams else {
            reader.problem(
                "\(array.count) streams, more than \(ConfigurationLimits.maximumStreams)", key: "stream", in: rootScope,
                hint: "run several facestream@NAME instances (one configuration each) for more cameras")
            return []
        }
        var streams: [StreamSettings] = []
        var firstLineOfName: [String: Int?] = [:]
        for index in 0..<array.count {
            let headerLine = index < locator.streamHeaderLines.count ? locator.streamHeaderLines[index] : nil
            var scope = ConfigurationReader.Scope(
                context: .stream(index), headerLine: headerLine, prefix: "stream #\(index + 1): ")
            guard let table = array[index].table else {
                reader.problem(
                    "must be a table", key: nil, in: scope, hint: "write each stream as [[stream]] followed by its keys"
                )
                continue
            }
            let name = reader.string("name", in: table, scope: scope)
            if let name {
                scope.prefix = "stream \"\(name)\": "
            }
            var duplicate = false
            if let name {
                if let earlier = firstLineOfName[name] {
                    duplicate = true
                    reader.problem(
                        "duplicate stream name", key: "name", in: scope,
                        hint: "stream names must be unique" + (earlier.map { "; first used on line \($0)" } ?? ""))
                } else {
                    firstLineOfName[name] = locator.line(of: "name", in: .stream(index))
                }
            }
            guard let stream = readStream(table, name: name, mqtt: mqtt, reader, scope), !duplicate else { continue }
            streams.append(stream)
        }
        return streams
    }

    private static func readStream(
        _ table: TOMLTable, name: String?, mqtt: Bool, _ reader: ConfigurationReader,
        _ scope: ConfigurationReader.Scope
    ) -> StreamSettings? {
        let before = reader.problems.count
        reader.rejectUnknownKeys(of: table, known: streamKeys, in: scope)
        if table["name"] == nil {
            reader.problem(
                "name is missing", key: nil, in: scope, hint: "give each stream a unique name, e.g. name = \"door\"")
        } else if let name,
            name.isEmpty || !name.allSatisfy({ $0.isLetter || $0.isNumber || "-_.".contains($0) })
                || !name.allSatisfy(\.isASCII)
        {
            reader.problem(
                "name \"\(name)\" is not valid", key: "name", in: scope,
                hint: "use ASCII letters, digits, '-', '_' and '.'")
        }
        let source = reader.string("source", in: table, scope: scope)
        if table["source"] == nil {
            reader.problem(
                "source is missing", key: nil, in: scope, hint: "a camera (/dev/video0), a video file or a URL")
        } else if source?.isEmpty == true {
            reader.problem(
                "source is empty", key: "source", in: scope, hint: "a camera (/dev/video0), a video file or a URL")
        }
        var stream = StreamSettings(name: name ?? "", source: source ?? "")
        stream.model = reader.string("model", in: table, scope: scope).flatMap { $0.isEmpty ? nil : $0 }
        if let threshold = reader.number(
            "threshold", in: table, scope: scope, rule: "between 0 and 1 (exclusive)", hint: "0.7 is the default",
            isValid: { $0 > 0 && $0 < 1 })
        {
            stream.threshold = Float(threshold)
        }
        if let iou = reader.number(
            "iou", in: table, scope: scope, rule: "between 0 and 1", hint: "0.3 is the default",
            isValid: { (0...1).contains($0) })
        {
            stream.iou = Float(iou)
        }
        if let minFace = reader.integer(
            "min_face", in: table, scope: scope, range: 0...100_000, hint: "pixels; 0 keeps every face")
        {
            stream.minFace = minFace
        }
        if let maxFPS = reader.number(
            "max_fps", in: table, scope: scope, rule: "0 (no cap) or positive",
            hint: "frames analysed per second; 0 analyses every frame", isValid: { $0 >= 0 })
        {
            stream.maxFPS = maxFPS > 0 ? maxFPS : nil
        }
        stream.workers = reader.integer(
            "workers", in: table, scope: scope, range: 1...256, hint: "detect workers for this stream")
        if let output = reader.string("output", in: table, scope: scope) {
            if output.isEmpty {
                reader.problem(
                    "output is empty", key: "output", in: scope, hint: "a file path, or \"-\" for standard output")
            } else {
                stream.output = output
            }
        }
        stream.outputs.onlyFaces = reader.bool("only_faces", in: table, scope: scope) ?? false
        readSnapshots(table, into: &stream, reader, scope)
        readWebhook(table, into: &stream, reader, scope)
        stream.publishesMQTT = reader.bool("mqtt", in: table, scope: scope) ?? true
        readTracking(table, into: &stream, publishing: mqtt && stream.publishesMQTT, reader, scope)
        readRecording(table, into: &stream, reader, scope)
        readHiding(table, into: &stream, reader, scope)
        readSegments(table, into: &stream, reader, scope)
        readCamera(table, into: &stream, reader, scope)
        readDetection(table, into: &stream, reader, scope)
        return reader.problems.count == before ? stream : nil
    }

    /// `127.x.y.z:port` or `localhost:port`; nil for anything else (the endpoint stays on loopback).
    static func parseMetricsAddress(_ text: String) -> MetricsAddress? {
        guard let colon = text.lastIndex(of: ":"), let port = UInt16(text[text.index(after: colon)...]), port > 0 else {
            return nil
        }
        var host = String(text[..<colon])
        if host == "localhost" { host = "127.0.0.1" }
        let parts = host.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4, parts[0] == "127", parts.allSatisfy({ UInt8($0) != nil }) else { return nil }
        return MetricsAddress(host: host, port: port)
    }
}
