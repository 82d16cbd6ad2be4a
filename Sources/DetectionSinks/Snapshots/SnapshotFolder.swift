import CoreSupport
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The folder one source's snapshots go to: checks it can be written, writes files whole
/// (temporary name, then rename) and deletes the oldest of the source's files beyond the number
/// kept. Used by `SnapshotSink`: `check()` and `scanKept()` before its writer thread starts,
/// the rest on that thread only.
struct SnapshotFolder {
    let path: String
    let naming: SnapshotNaming
    /// Files of this source kept (0: all).
    let keep: Int
    /// This source's files in the folder, oldest first (by modification time, then name); only
    /// tracked when `keep > 0`.
    private(set) var kept: [String] = []

    init(path: String, naming: SnapshotNaming, keep: Int) {
        self.path = path
        self.naming = naming
        self.keep = keep
    }

    /// The path of the file named `name` in the folder.
    func filePath(_ name: String) -> String { Self.filePath(name, in: path) }

    /// The path of the file named `name` in `folder`.
    static func filePath(_ name: String, in folder: String) -> String { OutputFolder.path(of: name, in: folder) }

    /// Fails with one line for the user when the folder is missing, is not a folder, or a file
    /// cannot be created in it (tried with a probe file, removed at once).
    func check() throws(OutputFailure) {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
            throw OutputFailure(
                "snapshots: folder \(path) does not exist; create it (mkdir -p \(path)) or choose another folder")
        }
        guard isFolder.boolValue else {
            throw OutputFailure("snapshots: \(path) is not a folder; give the folder to write the snapshots to")
        }
        switch OutputFolder.probe(path, probeName: ".facestream-probe-\(getpid())") {
        case .success: break
        case .failure(let error):
            throw OutputFailure("snapshots: cannot write in folder \(path): \(error); choose a writable folder")
        }
    }

    /// Reads which of this source's snapshots the folder already holds (when files are
    /// counted), and removes temporary files of this source left by a run that was killed.
    mutating func scanKept() {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: path) else { return }
        var found: [(name: String, time: Date)] = []
        for name in names {
            if name.hasPrefix("."), name.hasSuffix(".tmp"), naming.isSnapshot(String(name.dropFirst().dropLast(4))) {
                unlink(filePath(name))
            } else if keep > 0, naming.isSnapshot(name) {
                let attributes = try? FileManager.default.attributesOfItem(atPath: filePath(name))
                found.append((name, attributes?[.modificationDate] as? Date ?? .distantPast))
            }
        }
        kept = found.sorted { ($0.time, $0.name) < ($1.time, $1.name) }.map(\.name)
    }

    /// Writes `bytes` to `name` whole: to the temporary name first, then renamed, so a reader
    /// never sees part of a file. No fsync: a crash may lose the newest files, never expose a
    /// partial one under its final name.
    func write(_ bytes: [UInt8], as name: String) throws(SystemError) {
        let temporary = filePath(SnapshotNaming.temporaryName(for: name))
        let descriptor = try retryingInterrupts({ open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644) })
            .get()
        var failure: SystemError?
        // `buffer` is valid only inside this closure; write(2) copies from it before returning.
        bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                switch retryingInterrupts({
                    Glibc.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                }) {
                case .success(let written): offset += written
                case .failure(let error):
                    failure = error
                    return
                }
            }
        }
        if close(descriptor) != 0, failure == nil { failure = SystemError(errno) }
        if failure == nil, rename(temporary, filePath(name)) != 0 { failure = SystemError(errno) }
        if let failure {
            unlink(temporary)
            throw failure
        }
    }

    /// Counts `name` as the newest file and deletes the oldest ones beyond `keep`.
    mutating func wrote(_ name: String) {
        guard keep > 0 else { return }
        kept.removeAll { $0 == name }
        kept.append(name)
        while kept.count > keep {
            unlink(filePath(kept.removeFirst()))
        }
    }
}
