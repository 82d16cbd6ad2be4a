import Foundation
// TrackingEval: issue 11's tracker evaluation. Builds the clips of `TrackingScenario.all` with
// ffmpeg (face crops of the shared photos moved along known paths), runs the `facestream` built
// beside this program with `detect --events` on each, and prints a Markdown table of the
// figures against the truth, then the requirements each scenario misses (exit status 1 if any).
//
//   scripts/eval-tracking [--keep DIR] [-- extra detect options]
//
// `TrackingEvaluationTests` asserts the same requirements on the same clips.
import TestSupport

var arguments = Array(CommandLine.arguments.dropFirst())
var extra: [String] = []
if let separator = arguments.firstIndex(of: "--") {
    extra = Array(arguments[(separator + 1)...])
    arguments.removeSubrange(separator...)
}
var keep: URL?
if let flag = arguments.firstIndex(of: "--keep"), flag + 1 < arguments.count {
    keep = URL(fileURLWithPath: arguments[flag + 1])
}

let folder = try keep ?? ProcessRunner.temporaryDirectory("tracking-eval")
try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
defer { if keep == nil { try? FileManager.default.removeItem(at: folder) } }

print("facestream: \(FaceStreamBinary.path) detect --events \(extra.joined(separator: " "))")
print(
    "clips: \(TrackingScenario.width)x\(TrackingScenario.height), \(TrackingScenario.framesPerSecond) fps, H.264; "
        + "a face is detected when a reported box has IoU >= \(TrackingEvaluation.minimumIoU) with its true box\n")
var unmet: [String] = []
var rows: [String] = []
for scenario in TrackingScenario.all {
    let clip = try scenario.makeClip(in: folder)
    let result = try FaceStreamBinary.run(["detect", "--events"] + extra + [clip])
    guard result.status == 0 else {
        FileHandle.standardError.write(Data("facestream failed on \(clip): \(result.stderr)\n".utf8))
        exit(2)
    }
    if keep != nil { try result.stdout.write(toFile: clip + ".jsonl", atomically: true, encoding: .utf8) }
    let evaluation = TrackingEvaluation(scenario, output: try TrackingOutput(result.stdout))
    rows += evaluation.tableRows
    unmet += evaluation.unmetRequirements
}
print(TrackingEvaluation.tableHeader)
for row in rows { print(row) }
print(unmet.isEmpty ? "\nAll requirements met." : "\nNot met:\n" + unmet.map { "- " + $0 }.joined(separator: "\n"))
exit(unmet.isEmpty ? 0 : 1)
