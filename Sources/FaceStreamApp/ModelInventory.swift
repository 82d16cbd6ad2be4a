import Foundation

/// `facestream models`: which known models are installed where, whether their bytes are the
/// pinned ones, and installing verified copies from a folder.
public struct ModelInventory: Sendable {
    /// What was found of one known file.
    public struct Item: Sendable, Equatable {
        public let entry: ModelCatalog.Entry
        /// Where it was found first in the models directories; nil when it is not installed.
        public let path: String?
        /// Whether its bytes hash to the pinned SHA-256 (false when not installed or unreadable).
        public let verified: Bool
        /// Network input size, for models that were found and load (`"320x240"`).
        public let inputSize: String?
    }

    let locator: ModelLocator

    /// An inventory of the directories `locator` searches.
    public init(locator: ModelLocator = ModelLocator()) {
        self.locator = locator
    }

    /// Every known model, found or not, with its status.
    public func items(loading: Bool = true) -> [Item] {
        ModelCatalog.entries.filter(\.isModel).map { entry in
            let path = locator.modelDirectories.map { $0 + "/" + entry.fileName }.first(
                where: ModelLocator.isRegularFile)
            let verified = path.flatMap(ModelCatalog.sha256(ofFileAt:)) == entry.sha256
            var inputSize: String?
            if loading, let path, let model = try? DetectorLoader(locator: locator).load(explicitPath: path, threads: 1)
            {
                inputSize = "\(model.family.inputSize.width)x\(model.family.inputSize.height)"
            }
            return Item(entry: entry, path: path, verified: verified, inputSize: inputSize)
        }
    }

    /// The table `facestream models` prints.
    public func listing() -> String {
        var lines = ["model                                         input     SHA-256   path"]
        for item in items() {
            let status = item.path == nil ? "-" : (item.verified ? "ok" : "MISMATCH")
            lines.append(
                item.entry.fileName.padding(toLength: 46, withPad: " ", startingAt: 0)
                    + (item.inputSize ?? "-").padding(toLength: 10, withPad: " ", startingAt: 0)
                    + status.padding(toLength: 10, withPad: " ", startingAt: 0) + (item.path ?? "not installed"))
        }
        lines.append("searched: " + locator.modelDirectories.joined(separator: ", "))
        return lines.joined(separator: "\n")
    }

    /// Outcome of `install(from:to:)`.
    public struct Installation: Sendable, Equatable {
        /// Files copied.
        public var installed: [String] = []
        /// Known files in the folder whose bytes are not the pinned ones (not copied).
        public var refused: [String] = []
    }

    /// Copies every known file of `source` whose SHA-256 is the pinned one into `destination`
    /// (created when missing), atomically (temporary name, then rename). Mismatching files are
    /// refused and listed; nothing is installed when the folder holds no known file.
    public func install(from source: String, to destination: String) throws(FaceStreamError) -> Installation {
        var result = Installation()
        do {
            try FileManager.default.createDirectory(atPath: destination, withIntermediateDirectories: true)
        } catch {
            throw FaceStreamError(.outputFailed, "cannot create \(destination): \(error.localizedDescription)")
        }
        for entry in ModelCatalog.entries {
            let from = source + "/" + entry.fileName
            guard ModelLocator.isRegularFile(from) else { continue }
            guard ModelCatalog.sha256(ofFileAt: from) == entry.sha256 else {
                result.refused.append(entry.fileName)
                continue
            }
            let to = destination + "/" + entry.fileName
            let temporary = to + ".partial"
            do {
                try? FileManager.default.removeItem(atPath: temporary)
                try FileManager.default.copyItem(atPath: from, toPath: temporary)
                // rename(2) replaces an older copy atomically: a reader sees the old file or the new one.
                guard rename(temporary, to) == 0 else {
                    throw CocoaError(
                        .fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: String(cString: strerror(errno))])
                }
            } catch {
                try? FileManager.default.removeItem(atPath: temporary)
                throw FaceStreamError(.outputFailed, "cannot install \(to): \(error.localizedDescription)")
            }
            result.installed.append(entry.fileName)
        }
        return result
    }
}
