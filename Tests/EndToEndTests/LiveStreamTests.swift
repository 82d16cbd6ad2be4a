import DetectionSinks
import Foundation
import TestSupport
import Testing

/// `facestream detect` on a live HTTP stream served by a real ffmpeg on 127.0.0.1: reconnect
/// after the server dies, SIGINT, and an annotated recording that stays playable.
@Suite(.serialized) struct LiveStreamTests {
    func decode(_ line: String) throws -> DetectionRecord {
        try JSONDecoder().decode(DetectionRecord.self, from: Data(line.utf8))
    }

    @Test func streamThatDropsIsReopenedFrameNumbersContinueAndSIGINTEndsCleanly() throws {
        let server = try StreamServer(port: try LocalServers.freePort())
        let dir = try ProcessRunner.temporaryDirectory("live")
        defer { try? FileManager.default.removeItem(at: dir) }
        let annotated = dir.appendingPathComponent("live.mkv").path
        let run = try RunningProcess(
            FaceStreamBinary.path, ["detect", "--every", "5", "--annotate", annotated, server.url],
            environment: ["FACESTREAM_MODEL_DIR": SharedData.models.path, "JOURNAL_STREAM": ""])
        #expect(run.waitFor(timeout: .seconds(30)) { $0.count >= 3 }, "no lines: \(run.stderr)")
        let before = try run.lines.map(decode)
        server.kill()
        try server.start()
        let lastBefore = before.last?.frame ?? 0
        let resumed = run.waitFor(timeout: .seconds(30)) { lines in
            lines.compactMap { try? decode($0) }.contains { $0.frame > lastBefore + 5 }
        }
        #expect(resumed, "no frames after the restart: \(run.stderr)")
        run.signal(SIGINT)
        let exit = run.waitForExit(timeout: .seconds(15))
        #expect(exit.status == 0 && !exit.killed, "\(run.stderr)")
        #expect(run.partialLine.isEmpty)
        let records = try run.lines.map(decode)
        let frames = records.map(\.frame)
        #expect(frames == frames.sorted() && Set(frames).count == frames.count)
        #expect(records.allSatisfy { $0.ts != nil && $0.source == server.url })
        // One warning for the loss and one notice for the recovery, each once.
        let log = run.stderr.split(separator: "\n")
        #expect(log.filter { $0.contains("lost video source \(server.url)") }.count == 1, "\(run.stderr)")
        #expect(log.filter { $0.contains("video source \(server.url) is back") }.count == 1, "\(run.stderr)")
        #expect(log.contains { $0.contains("1 reconnects") }, "summary: \(run.stderr)")
        // The recording was closed properly: ffprobe reads its frames.
        let probe = try VideoFixtures.run(
            "ffprobe",
            [
                "-v", "error", "-count_frames", "-select_streams", "v:0", "-show_entries", "stream=nb_read_frames",
                "-of", "csv=p=0", annotated,
            ])
        let count = Int(probe.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: ",").first ?? "") ?? 0
        #expect(count >= frames.count, "annotated frames \(count) vs analysed \(frames.count)")
    }

    /// An annotated MP4 is written in fragments: a process killed outright (SIGKILL, or systemd
    /// after its stop timeout) leaves a file that plays up to its last fragment.
    @Test func aKilledRunLeavesAPlayableFragmentedMP4() throws {
        let server = try StreamServer(port: try LocalServers.freePort())
        let dir = try ProcessRunner.temporaryDirectory("killed")
        defer { try? FileManager.default.removeItem(at: dir) }
        let annotated = dir.appendingPathComponent("live.mp4").path
        let run = try RunningProcess(
            FaceStreamBinary.path, ["detect", "--threads", "1", "--annotate", annotated, server.url],
            environment: ["FACESTREAM_MODEL_DIR": SharedData.models.path, "JOURNAL_STREAM": ""])
        // 25 fps with a key frame every 2 s: after 150 frames (6 s, with the encoder's look-ahead)
        // at least one fragment is complete.
        #expect(run.waitFor(timeout: .seconds(60)) { $0.count >= 150 }, "too few lines: \(run.stderr)")
        run.signal(SIGKILL)
        _ = run.waitForExit(timeout: .seconds(10))
        let probe = try VideoFixtures.run(
            "ffprobe",
            [
                "-v", "error", "-count_frames", "-select_streams", "v:0", "-show_entries", "stream=nb_read_frames",
                "-of", "csv=p=0", annotated,
            ])
        let count = Int(probe.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: ",").first ?? "") ?? 0
        #expect(count >= 50, "frames playable after SIGKILL: \(count)")
    }

    /// A second SIGINT (Ctrl-C twice) drops the frames still in flight but still finishes the
    /// annotated file: it exits promptly and the file plays to its end.
    @Test func aSecondSIGINTStillFinishesTheAnnotatedFile() throws {
        let server = try StreamServer(port: try LocalServers.freePort(), seconds: nil)
        let dir = try ProcessRunner.temporaryDirectory("twice")
        defer { try? FileManager.default.removeItem(at: dir) }
        let annotated = dir.appendingPathComponent("live.mkv").path
        let run = try RunningProcess(
            FaceStreamBinary.path, ["detect", "--threads", "1", "--annotate", annotated, server.url],
            environment: ["FACESTREAM_MODEL_DIR": SharedData.models.path, "JOURNAL_STREAM": ""])
        #expect(run.waitFor(timeout: .seconds(60)) { $0.count >= 10 }, "no lines: \(run.stderr)")
        run.signal(SIGINT)
        run.signal(SIGINT)
        let exit = run.waitForExit(timeout: .seconds(30))
        #expect(exit.status == 0 && !exit.killed, "\(run.stderr)")
        #expect(run.partialLine.isEmpty)
        let probe = try VideoFixtures.run(
            "ffprobe",
            ["-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", annotated])
        // A Matroska file with its trailer has a duration in its header.
        #expect((Double(probe.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0) > 0, "\(probe)")
    }

    @Test func reconnectLimitEndsTheInputWhenTheStreamDoesNotComeBack() throws {
        let server = try StreamServer(port: try LocalServers.freePort())
        let run = try RunningProcess(
            FaceStreamBinary.path,
            [
                "detect", "--every", "5", "--reconnect-attempts", "1", "--reconnect-max-delay", "0.5", "--timeout", "2",
                server.url,
            ],
            environment: ["FACESTREAM_MODEL_DIR": SharedData.models.path, "JOURNAL_STREAM": ""])
        #expect(run.waitFor(timeout: .seconds(30)) { $0.count >= 2 }, "no lines: \(run.stderr)")
        server.kill()
        let exit = run.waitForExit(timeout: .seconds(20))
        #expect(!exit.killed && exit.status == 1, "\(run.stderr)")
        #expect(run.partialLine.isEmpty)
        #expect(try run.lines.allSatisfy { try decode($0).source == server.url })
        #expect(
            run.stderr.split(separator: "\n").contains { $0.contains("error") && $0.contains(server.url) },
            "\(run.stderr)")
    }

    @Test func sigtermInterruptsASilentSourceAtOnce() throws {
        let listener = try TCPListener()
        let run = try RunningProcess(
            FaceStreamBinary.path, ["detect", "--timeout", "120", "tcp://127.0.0.1:\(listener.port)"],
            environment: ["FACESTREAM_MODEL_DIR": SharedData.models.path])
        let client = try listener.acceptClient()
        defer { close(client) }
        run.signal(SIGTERM)
        // Without the interrupt it would wait for the 120 s open timeout; the margin is wide so a
        // busy machine cannot fail it.
        let exit = run.waitForExit(timeout: .seconds(90))
        #expect(!exit.killed && exit.status == 0, "\(run.stderr)")
        #expect(exit.elapsed < .seconds(45))
        #expect(run.lines.isEmpty)
    }
}
