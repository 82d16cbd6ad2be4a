import Foundation
import TestSupport
import Testing

/// The progress line appears only when stderr is a terminal: run the real binary under a real
/// pseudo-terminal (`script` from util-linux) and without one.
@Suite struct ProgressLineTests {
    @Test func aTerminalGetsFramesDoneTotalFpsAndETAAPipeGetsOnlyTheSummary() throws {
        let dir = try ProcessRunner.temporaryDirectory("progress")
        defer { try? FileManager.default.removeItem(at: dir) }
        // The line is drawn at the first frame whatever the speed, then at most twice a second.
        let clip = dir.appendingPathComponent("long.mp4").path
        try VideoFixtures.ffmpeg([
            "-loop", "1", "-i", VideoFixtures.photo, "-t", "12", "-r", "25", "-vf", VideoFixtures.panning,
            "-c:v", "libx264", "-threads", "1", "-pix_fmt", "yuv420p", clip,
        ])
        let environment = ["FACESTREAM_MODEL_DIR": SharedData.models.path, "JOURNAL_STREAM": ""]
        let command = "\"\(FaceStreamBinary.path)\" detect --threads 1 --every 5 \"\(clip)\" > /dev/null"
        let terminal = try ProcessRunner.run(
            "/usr/bin/script", ["-q", "-e", "-c", command, "/dev/null"], environment: environment)
        #expect(terminal.status == 0, "\(terminal.stdout)\(terminal.stderr)")
        // `script` relays the terminal's output on its stdout: carriage-return redraws of
        // "N/300 frames, F fps, ETA S s", then the summary.
        let screen = terminal.stdout
        #expect(screen.contains("\r"))
        #expect(
            screen.range(of: #"long\.mp4: \d+/300 frames, [0-9.]+ fps, ETA \d+ s"#, options: .regularExpression) != nil,
            "\(screen)")
        #expect(screen.contains("300 frames, 60 analysed"))

        let piped = try FaceStreamBinary.run(["detect", "--threads", "1", "--every", "5", clip])
        #expect(piped.status == 0)
        #expect(!piped.stderr.contains("\r") && !piped.stderr.contains("ETA"))
        #expect(piped.stderr.split(separator: "\n").count == 1)
    }
}
