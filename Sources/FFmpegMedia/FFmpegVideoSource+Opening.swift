internal import CFFmpeg
import CoreSupport
import Foundation
import Logging
import VideoCore

extension FFmpegVideoSource {
    /// Network protocols whose `timeout` option is a socket I/O timeout in microseconds.
    private static let microsecondTimeoutSchemes: Set<String> = [
        "http", "https", "tcp", "udp", "rtp", "rtsp", "rtsps", "srt", "tls",
    ]

    /// Opens the input and its video decoder. Open errors come back explained (what, where, what to do).
    func openSession() throws(FFmpegError) -> DecodingSession {
        interrupt.arm(isFileInput ? nil : options.openTimeout)
        do {
            let format: FormatContext
            switch input {
            case .file(let path):
                // "file:" keeps a colon in the name from being read as a protocol.
                format = try FormatContext(
                    url: "file:" + path, resource: name, options: [], interrupt: interrupt, reader: nil)
            case .url(let url):
                format = try FormatContext(
                    url: url, resource: name, options: networkOptions(), interrupt: interrupt, reader: nil)
            case .pipe(let descriptor) where Self.isRegularFile(descriptor):
                // `- < clip.mp4`: a redirected file can seek (an MP4's index may sit at its end).
                format = try FormatContext(
                    url: "file:/dev/fd/\(descriptor)", resource: name, options: [], interrupt: interrupt, reader: nil)
            case .pipe(let descriptor):
                let reader = try DescriptorReader(descriptor: descriptor, interrupt: interrupt, resource: name)
                format = try FormatContext(
                    url: "pipe:", resource: name, options: [], interrupt: interrupt, reader: reader)
            }
            let session = try DecodingSession(
                opening: format, threads: options.decoderThreads, live: pacing == .live,
                sampler: sampler, analysisRate: options.analysisRate, onCorrupt: { [unowned self] in noteCorruption() },
                onPassOver: { [unowned self] in countPassOver(decoded: $0) })
            if !hasOpened { announce(session.orientation) }
            if isFileInput { updateExpectedFrames(session.expectedFrames) }
            updateFrameRate(session.frameRate)
            return session
        } catch {
            throw openFailure(error)
        }
    }

    /// Reopens a lost live URL with back-off. Nil when stopped; throws when the policy gives up.
    func reconnect() throws(FFmpegError) -> DecodingSession? {
        let policy = options.reconnect
        var attempt = 1
        var lastError: FFmpegError?
        var report = RetryReport()
        while policy.allows(attempt: attempt) {
            options.sleeper.sleep(for: policy.delay(beforeAttempt: attempt), unlessFired: stopSignal)
            if stopSignal.isFired { return nil }
            do {
                let session = try openSession()
                countReconnect()
                logger.notice("video source \(name) is back after \(attempt) attempt\(attempt == 1 ? "" : "s")")
                return session
            } catch {
                if stopSignal.isFired { return nil }
                lastError = error
                attempt += 1
                if policy.allows(attempt: attempt),
                    let line = report.line(reason: error.message, nextAttemptIn: policy.delay(beforeAttempt: attempt))
                {
                    logger.warning("reconnecting to \(name) failed: \(line)")
                } else {
                    logger.debug("reconnect attempt \(attempt - 1) to \(name) failed: \(error.detailedDescription)")
                }
            }
        }
        let reason = lastError.map { "; last error: \($0.message)" } ?? ""
        throw FFmpegError(
            kind: .unreachable, operation: "reconnect", resource: name,
            message:
                "the stream was lost and \(attempt - 1) attempt\(attempt == 2 ? "" : "s") to reopen it failed\(reason); "
                + "check the source, or allow more reconnect attempts")
    }

    /// Whether `descriptor` refers to a regular file rather than a pipe, socket or terminal.
    private static func isRegularFile(_ descriptor: Int32) -> Bool {
        var status = stat()
        return fstat(descriptor, &status) == 0 && (status.st_mode & S_IFMT) == S_IFREG
    }

    var isFileInput: Bool {
        if case .file = input { true } else { false }
    }

    /// Timeouts FFmpeg's protocols enforce themselves, as a second line behind the interrupt deadline.
    private func networkOptions() -> [(String, String)] {
        let readMicroseconds = String(microseconds(options.readTimeout))
        var result = [("rw_timeout", readMicroseconds)]
        if let scheme = input.scheme, Self.microsecondTimeoutSchemes.contains(scheme) {
            result.append(("timeout", readMicroseconds))
        }
        return result
    }

    /// Rewrites an open failure as one line: what failed, for which input, what to do.
    private func openFailure(_ error: FFmpegError) -> FFmpegError {
        var explained = error
        explained.resource = name
        let code = error.code
        if code == AVErrorCode.exit && interrupt.deadlineExpired {
            explained.kind = .timedOut
            explained.message =
                "no video received within the open timeout of \(seconds(options.openTimeout)); check that the source is sending, or raise the open timeout"
        } else if code == AVErrorCode.noSuchFile {
            explained.message = "no such file; check the path"
        } else if code == AVErrorCode.accessDenied {
            explained.message = "permission denied; check the file's permissions"
        } else if code == AVErrorCode.connectionRefused {
            explained.kind = .unreachable
            explained.message = "connection refused; check that the server is running and the host and port are right"
        } else if code == AVErrorCode.timedOut {
            explained.kind = .timedOut
            explained.message = "the connection timed out; check the address and the network"
        } else if code == AVErrorCode.protocolNotFound {
            explained.kind = .unsupported
            explained.message =
                "this FFmpeg build has no protocol for \(input.scheme ?? "this") URLs; check the URL's scheme"
        } else if code == AVErrorCode.invalidData || code == AVErrorCode.demuxerNotFound {
            explained.kind = .invalidData
            explained.message =
                "not a video format FFmpeg recognises (\(error.message)); check that the input is a video"
        } else if code == AVErrorCode.decoderNotFound
            || (error.kind == .unsupported && error.operation == "av_find_best_stream")
        {
            explained.kind = .unsupported
            explained.message =
                "this FFmpeg build has no decoder for the video codec; convert the video (e.g. to H.264) first"
        } else if !isFileInput, kind(of: code) == .other, code < 0 {
            explained.kind = .unreachable
            explained.message = "\(error.message); check the URL and that the source is reachable"
        }
        return explained
    }

    /// A failure while reading a file or pipe after it opened (files: only interruptions and
    /// out-of-memory get here; corrupt data is counted instead).
    func readFailure(_ error: FFmpegError) -> FFmpegError {
        var explained = error
        if error.code == AVErrorCode.exit && interrupt.deadlineExpired {
            explained.kind = .timedOut
            explained.message =
                "no video frame for \(seconds(options.readTimeout)); check that the writer is still sending, or raise the read timeout"
        }
        return explained
    }

    /// A duration as text in seconds, e.g. "2.5 s".
    func seconds(_ duration: Duration) -> String {
        "\(duration.inSeconds.formatted(.number.precision(.fractionLength(0...3)))) s"
    }

    private func microseconds(_ duration: Duration) -> Int64 {
        duration.wholeMicroseconds
    }
}
