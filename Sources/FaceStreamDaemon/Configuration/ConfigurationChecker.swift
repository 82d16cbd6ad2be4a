import FaceStreamApp
import Foundation
import Webhooks

/// Checks what a valid configuration points at, without starting anything: every model can be
/// found, read and compiled at its stream's input size and tiling (as the daemon will at start),
/// every output, recording and snapshot folder exists, every webhook secret file can be read.
/// Sources are not checked (a camera may be plugged in later).
public struct ConfigurationChecker: Sendable {
    /// The folders the units have systemd create at every start (`LogsDirectory=facestream`,
    /// `StateDirectory=facestream`): they do not exist before the service first runs, so
    /// `check-config` right after installing must not call them missing.
    public static let serviceManagedFolders: Set<String> = ["/var/log/facestream", "/var/lib/facestream"]

    let locator: ModelLocator

    /// A checker that finds models with `locator`.
    public init(locator: ModelLocator = ModelLocator()) {
        self.locator = locator
    }

    /// Problems found in `configuration` read from `file` (lines looked up in `text`).
    public func problems(in configuration: DaemonConfiguration, file: String, text: String) -> [ConfigurationProblem] {
        let keys = TOMLKeyLocator(text: text)
        var problems: [ConfigurationProblem] = []
        if configuration.streams.contains(where: { $0.model == nil }) {
            do {
                _ = try locator.locate(explicit: configuration.global.model)
            } catch {
                problems.append(
                    ConfigurationProblem(
                        file: file, line: keys.line(of: "model", in: .root), message: error.description))
            }
        }
        // Each model once per input size and tiling (a few milliseconds each).
        var models = ModelCache(locator: locator)
        var failedModels = Set<String>()
        for (index, stream) in configuration.streams.enumerated() {
            let requested = stream.model ?? configuration.global.model
            if let path = try? locator.locate(explicit: requested) {
                let key = "\(path) \(stream.inputSize) \(stream.tiles)"
                do {
                    if !failedModels.contains(key) {
                        _ = try models.model(
                            path, threads: 1, inputSize: stream.inputSize, tiles: stream.tiles,
                            precision: configuration.global.precision)
                    }
                } catch {
                    failedModels.insert(key)
                    // The model's own size failing means the file; another size, the size.
                    let line =
                        switch stream.inputSize {
                        case .model: keys.line(of: "model", in: stream.model == nil ? .root : .stream(index))
                        default: keys.line(of: "input_size", in: .stream(index))
                        }
                    problems.append(
                        ConfigurationProblem(
                            file: file, line: line, message: "stream \"\(stream.name)\": \(error.description)"))
                }
            }
            if let model = stream.model {
                do {
                    _ = try locator.locate(explicit: model)
                } catch {
                    problems.append(
                        ConfigurationProblem(
                            file: file, line: keys.line(of: "model", in: .stream(index)),
                            message: "stream \"\(stream.name)\": \(error.description)"))
                }
            }
            if let secretFile = stream.outputs.webhook?.secretFile {
                do {
                    _ = try WebhookSecret.read(path: secretFile)
                } catch {
                    problems.append(
                        ConfigurationProblem(
                            file: file, line: keys.line(of: "webhook_secret_file", in: .stream(index)),
                            message: "stream \"\(stream.name)\": \(error.description)"))
                }
            }
            let files = [
                ("output", stream.output == "-" ? nil : stream.output), ("annotate", stream.outputs.annotation?.path),
            ]
            for case (let key, let path?) in files {
                var isFolder: ObjCBool = false
                if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue {
                    problems.append(
                        ConfigurationProblem(
                            file: file, line: keys.line(of: key, in: .stream(index)),
                            message: "stream \"\(stream.name)\": \(key) \(path) is a folder",
                            hint:
                                "give a file path inside it, e.g. \((path as NSString).appendingPathComponent(stream.name + (key == "output" ? ".jsonl" : ".mkv")))"
                        ))
                    continue
                }
                let folder = (path as NSString).deletingLastPathComponent
                var isDirectory: ObjCBool = false
                if !folder.isEmpty && !Self.serviceManagedFolders.contains(folder)
                    && !(FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory)
                        && isDirectory.boolValue)
                {
                    problems.append(
                        ConfigurationProblem(
                            file: file, line: keys.line(of: key, in: .stream(index)),
                            message: "stream \"\(stream.name)\": \(key) folder \(folder) does not exist",
                            hint: "create it, or use the service's LogsDirectory/StateDirectory"))
                }
            }
            if let folder = stream.outputs.snapshots?.folder, !Self.serviceManagedFolders.contains(folder) {
                var isFolder: ObjCBool = false
                if !(FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder) && isFolder.boolValue) {
                    problems.append(
                        ConfigurationProblem(
                            file: file, line: keys.line(of: "snapshots", in: .stream(index)),
                            message: "stream \"\(stream.name)\": snapshots folder \(folder) does not exist",
                            hint: "create it (mkdir -p \(folder)) writable by the service, or use its StateDirectory"))
                }
            }
        }
        return problems
    }

    /// Loads `path` and runs every check: the whole `check-config` job.
    public func check(path: String) -> Result<DaemonConfiguration, ConfigurationError> {
        do {
            let configuration = try ConfigurationLoader.load(path: path)
            let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
            let found = problems(in: configuration, file: path, text: text)
            return found.isEmpty ? .success(configuration) : .failure(ConfigurationError(found))
        } catch {
            return .failure(error)
        }
    }
}
