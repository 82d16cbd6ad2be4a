import Foundation
import TestSupport
import Testing

/// `facestream detect` on a deterministic sample of the damaged-media corpus
/// (scripts/make-corrupt-media): truncated, byte-flipped and zeroed clips in several containers
/// and codecs, tiny frames, huge declared sizes and audio-only files. scripts/check-corrupt-media
/// holds the rules (exit 0 or 1, never a signal; a few stderr lines without FFmpeg function names
/// or AVERROR text; killed after 60 s; peak RSS under 2 GiB), so the test and a run over the whole
/// corpus judge alike.
@Suite struct CorruptMediaTests {
    /// Files run here, taken at a fixed stride over the sorted corpus: about 1 s each on 2 cores.
    static let sampleSize = 30

    @Test func aSampleOfDamagedMediaEndsWithExitZeroOrOneQuietlyAndWithinBounds() throws {
        let dir = try ProcessRunner.temporaryDirectory("corrupt-media")
        defer { try? FileManager.default.removeItem(at: dir) }
        let corpus = dir.appendingPathComponent("corpus")
        let sample = dir.appendingPathComponent("sample")
        let scripts = SharedData.repositoryRoot.appendingPathComponent("scripts")
        let environment = ["FACESTREAM_SHARED": SharedData.root.path, "FACESTREAM_MODEL_DIR": SharedData.models.path]

        let made = try ProcessRunner.run(
            "/bin/bash", [scripts.appendingPathComponent("make-corrupt-media").path, corpus.path],
            environment: environment, timeout: .seconds(300))
        try #require(made.status == 0, "\(made.stderr)")

        let names = try FileManager.default.contentsOfDirectory(atPath: corpus.path).sorted()
        try #require(names.count >= 200, "corpus has only \(names.count) files")
        let stride = names.count / Self.sampleSize
        let chosen = Swift.stride(from: 0, to: names.count, by: stride).prefix(Self.sampleSize).map { names[$0] }
        try FileManager.default.createDirectory(at: sample, withIntermediateDirectories: true)
        for name in chosen {
            try FileManager.default.createSymbolicLink(
                at: sample.appendingPathComponent(name), withDestinationURL: corpus.appendingPathComponent(name))
        }

        let checked = try ProcessRunner.run(
            "/bin/bash",
            [scripts.appendingPathComponent("check-corrupt-media").path, sample.path, FaceStreamBinary.path],
            environment: environment, timeout: .seconds(Self.sampleSize * 61))
        let failures = checked.stdout.split(separator: "\n").filter { $0.hasPrefix("FAIL") }
        #expect(checked.status == 0 && failures.isEmpty, "\(failures.joined(separator: "\n"))\n\(checked.stderr)")
        #expect(checked.stdout.contains("\(Self.sampleSize) files, 0 failed"), "\(checked.stdout)")
    }
}
