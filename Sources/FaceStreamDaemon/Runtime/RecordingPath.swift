import FaceStreamApp
import Foundation

/// Where a stream's annotated recording goes for one run. A video file cannot be appended to, so
/// an existing non-empty recording (an earlier run, a restart after the source was lost, a daemon
/// restart) is kept and the run writes to the first free `name.N.ext` beside it.
enum RecordingPath {
    /// `path` when it is free (missing or empty), else the first free `stem.N.ext`, N = 1, 2, ...
    static func firstFree(_ path: String, fileManager: FileManager = .default) -> String {
        guard isTaken(path, fileManager) else { return path }
        let base = path as NSString
        let stem = base.deletingPathExtension
        let ext = base.pathExtension
        var number = 1
        while true {
            let candidate = ext.isEmpty ? "\(stem).\(number)" : "\(stem).\(number).\(ext)"
            if !isTaken(candidate, fileManager) { return candidate }
            number += 1
        }
    }

    private static func isTaken(_ path: String, _ fileManager: FileManager) -> Bool {
        guard let attributes = try? fileManager.attributesOfItem(atPath: path) else { return false }
        return ((attributes[.size] as? NSNumber)?.intValue ?? 0) > 0
    }
}
