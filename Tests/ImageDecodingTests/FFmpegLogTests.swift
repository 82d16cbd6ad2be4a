import FFmpegMedia
import Foundation
import Logging
import Synchronization
import Testing

/// FFmpeg's complaints about a damaged file arrive through swift-log instead of stderr.
@Suite struct FFmpegLogTests {
    final class Recorder: Sendable {
        let lines = Mutex<[String]>([])
    }

    struct RecordingHandler: LogHandler {
        let recorder: Recorder
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .warning
        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }
        func log(event: LogEvent) {
            recorder.lines.withLock { $0.append("\(event.level): \(event.message)") }
        }
    }

    @Test func damagedFileMessagesReachTheLogger() throws {
        let recorder = Recorder()
        FFmpegLog.bootstrap(Logger(label: "ffmpeg-test") { _ in RecordingHandler(recorder: recorder) })
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "facestream-log-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("broken.png").path
        // A PNG signature followed by a chunk with a wrong CRC and nothing else.
        let bytes: [UInt8] =
            [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + [0, 0, 0, 13] + Array("IHDR".utf8)
            + [UInt8](repeating: 0xAB, count: 40)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        #expect(throws: FFmpegError.self) { try FFmpegImageDecoder.decode(contentsOf: path) }
        let lines = recorder.lines.withLock { $0 }
        #expect(!lines.isEmpty, "no FFmpeg message was routed to the logger")
    }
}
