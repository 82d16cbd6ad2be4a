import FFmpegMedia
import Foundation
import Logging
import Synchronization
import TestSupport
import Testing
import VideoCore

/// Pipes and network streams served on 127.0.0.1 by processes the tests start.
@Suite(.serialized) struct FFmpegVideoSourceStreamTests {
    static let logger = Logger(label: "test")

    @Test func pipeFromFFmpegDeliversEveryFrame() throws {
        let pipe = Pipe()
        let process = try RunningProcess(
            "/usr/bin/env",
            [
                "ffmpeg", "-nostdin", "-hide_banner", "-loglevel", "error", "-loop", "1", "-i", VideoFixtures.photo,
                "-t", "2", "-r", "10", "-vf", VideoFixtures.panning, "-c:v", "libx264", "-g", "5", "-pix_fmt",
                "yuv420p", "-f", "mpegts", "-",
            ], output: .handle(pipe.fileHandleForWriting), collectsStandardError: false)
        try pipe.fileHandleForWriting.close()  // only the child writes: its exit is our end of input
        defer { _ = process.waitForExit(timeout: .seconds(60)) }
        let source = try FFmpegVideoSource(
            .pipe(fileDescriptor: pipe.fileHandleForReading.fileDescriptor), logger: Self.logger)
        #expect(source.pacing == .file)
        let frames = try drain(source)
        #expect(frames.count == 20)
        #expect(frames.map(\.index) == Array(0..<20))
        #expect(frames.allSatisfy { $0.image.width == 320 && $0.image.height == 240 && $0.receivedAt != nil })
        let timestamps = frames.compactMap(\.pts)
        #expect(timestamps.count == 20)
        #expect(zip(timestamps, timestamps.dropFirst()).allSatisfy { abs($1 - $0 - 0.1) < 1e-3 })
        #expect(source.statistics.corruptPackets == 0)
    }

    /// `- < clip.mp4` with the MP4 index at the end of the file decodes like the file. (This clip is
    /// small enough for FFmpeg's read buffer to hide a missing seek; large ones are not.)
    @Test func redirectedFileOnADescriptorDecodesLikeTheFile() throws {
        let folder = try ProcessRunner.temporaryDirectory("facestream-video")
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = try VideoFixtures.make(
            "index-at-end.mp4", in: folder, codec: ["-c:v", "libx264", "-pix_fmt", "yuv420p"])
        let handle = try #require(FileHandle(forReadingAtPath: path))
        defer { try? handle.close() }
        let source = try FFmpegVideoSource(.pipe(fileDescriptor: handle.fileDescriptor), logger: Self.logger)
        let frames = try drain(source)
        #expect(frames.count == 20)
        let expected = try VideoFixtures.probeTimestamps(path)
        #expect(expected.count == 20)
        for (frame, theirs) in zip(frames, expected) { #expect(abs((frame.pts ?? -1) - (theirs ?? -2)) < 1e-6) }
    }

    @Test func silentPipeTimesOut() throws {
        let pipe = Pipe()
        defer { try? pipe.fileHandleForWriting.close() }
        let options = VideoSourceOptions(openTimeout: .milliseconds(300))
        let source = try FFmpegVideoSource(
            .pipe(fileDescriptor: pipe.fileHandleForReading.fileDescriptor), options: options, logger: Self.logger)
        let error = try #require(throws: FFmpegError.self) { try source.next() }
        #expect(error.kind == .timedOut)
        #expect(error.description.contains("open timeout"))
    }

    @Test func streamKilledAndRestartedIsReconnectedAndNumberingGoesOn() throws {
        let server = try StreamServer(port: try LocalServers.freePort())
        let restartFailure = Mutex<String?>(nil)
        let sleeper = RecordingSleeper { attempt in
            guard attempt == 1 else { return }
            do { try server.start() } catch { restartFailure.withLock { $0 = "\(error)" } }
        }
        let options = VideoSourceOptions(
            readTimeout: .seconds(5), reconnect: ReconnectPolicy(maximumAttempts: 5), sleeper: sleeper)
        let source = try FFmpegVideoSource(.url(server.url), options: options, logger: Self.logger)
        #expect(source.pacing == .live)
        var frames = try drain(source, limit: 10)
        server.kill()
        var framesAfterReconnect = 0
        while framesAfterReconnect < 10, frames.count < 500, case .frame(let frame) = try source.next() {
            frames.append(frame)
            if source.statistics.reconnects > 0 { framesAfterReconnect += 1 }
        }
        #expect(restartFailure.withLock { $0 } == nil)
        #expect(framesAfterReconnect == 10)
        #expect(frames.map(\.index) == Array(0..<frames.count))
        #expect(frames.allSatisfy { $0.receivedAt != nil && $0.image.width == 320 })
        let statistics = source.statistics
        #expect(statistics.disconnects == 1)
        #expect(statistics.reconnects == 1)
        #expect(sleeper.delays == [.milliseconds(500)])
        source.stop()
        #expect(try isEnd(source.next()))
    }

    @Test func streamThatNeverComesBackGivesUpAfterTheAllowedAttempts() throws {
        let server = try StreamServer(port: try LocalServers.freePort())
        let sleeper = RecordingSleeper()
        let options = VideoSourceOptions(
            readTimeout: .seconds(5), reconnect: ReconnectPolicy(maximumAttempts: 3), sleeper: sleeper)
        let source = try FFmpegVideoSource(.url(server.url), options: options, logger: Self.logger)
        _ = try drain(source, limit: 3)
        server.kill()
        let error = try #require(throws: FFmpegError.self) { try drain(source) }
        #expect(error.kind == .unreachable)
        #expect(error.description.contains("3 attempts"))
        #expect(sleeper.delays == [.milliseconds(500), .seconds(1), .seconds(2)])
        #expect(source.statistics.disconnects == 1 && source.statistics.reconnects == 0)
    }

    @Test func stopInterruptsABlockedNetworkRead() throws {
        let listener = try TCPListener()
        let options = VideoSourceOptions(openTimeout: .seconds(60), readTimeout: .seconds(60))
        let source = try FFmpegVideoSource(.url(listener.url), options: options, logger: Self.logger)
        let outcome = Mutex<String?>(nil)
        let finished = DispatchSemaphore(value: 0)
        let thread = Thread {
            let text: String
            do { text = isEnd(try source.next()) ? "end" : "frame" } catch { text = "error: \(error)" }
            outcome.withLock { $0 = text }
            finished.signal()
        }
        thread.start()
        let client = try listener.acceptClient()  // the source is connected and now waits for bytes
        defer { close(client) }
        let stopped = ContinuousClock.now
        source.stop()
        #expect(finished.wait(timeout: .now() + 30) == .success)
        // Without the interrupt it would wait for the 60 s read timeout; the margin is wide so a
        // busy machine cannot fail it.
        let elapsed = ContinuousClock.now - stopped
        #expect(elapsed < .seconds(20))
        #expect(outcome.withLock { $0 } == "end")
    }

    @Test func silentServerTimesOutWithAClearMessage() throws {
        let listener = try TCPListener()
        let options = VideoSourceOptions(openTimeout: .milliseconds(300))
        let source = try FFmpegVideoSource(.url(listener.url), options: options, logger: Self.logger)
        let started = ContinuousClock.now
        let error = try #require(throws: FFmpegError.self) { try source.next() }
        #expect(ContinuousClock.now - started < .seconds(30))
        #expect(error.kind == .timedOut)
        #expect(error.resource == listener.url)
        #expect(error.description.contains("open timeout of 0.3 s"))
    }

    @Test func refusedConnectionThrowsUnreachable() throws {
        let port = try LocalServers.freePort()
        let source = try FFmpegVideoSource(.url("tcp://127.0.0.1:\(port)"), logger: Self.logger)
        let error = try #require(throws: FFmpegError.self) { try source.next() }
        #expect(error.kind == .unreachable)
        #expect(error.description.contains("connection refused"))
        print("refused: \(error)")
    }
}
