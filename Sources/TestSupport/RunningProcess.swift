import Foundation
import Synchronization

/// A child process whose stdout lines and stderr text are collected while it runs, for tests
/// that talk to a long-running `facestream` (streams, signals).
public final class RunningProcess: @unchecked Sendable {
    // `process` is set once in init; `state` is only touched through its Mutex.
    private let process = Process()
    private let state = Mutex<(lines: [String], partial: String, stderr: String)>(([], "", ""))
    private let outPipe = Pipe()
    private let errPipe = Pipe()
    private let readers = DispatchGroup()

    /// Starts `executable` with `arguments`, environment entries added to this process's.
    public init(_ executable: String, _ arguments: [String], environment: [String: String] = [:]) throws {
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = outPipe
        process.standardError = errPipe
        try process.run()
        // Plain blocking reads on two threads of their own (no dispatch sources on the pipes):
        // each ends when the child closes its end.
        let out = outPipe.fileHandleForReading
        let err = errPipe.fileHandleForReading
        readers.enter()
        Thread.detachNewThread { [self] in
            while case let data = out.availableData, !data.isEmpty {
                appendOutput(String(decoding: data, as: UTF8.self))
            }
            readers.leave()
        }
        readers.enter()
        Thread.detachNewThread { [self] in
            while case let data = err.availableData, !data.isEmpty {
                let text = String(decoding: data, as: UTF8.self)
                state.withLock { $0.stderr += text }
            }
            readers.leave()
        }
    }

    /// Complete stdout lines so far.
    public var lines: [String] { state.withLock { $0.lines } }
    /// Stderr so far.
    public var stderr: String { state.withLock { $0.stderr } }
    /// A partial last line, if any (a line without its newline).
    public var partialLine: String { state.withLock { $0.partial } }

    /// Waits until `condition` holds for the lines (checked every 20 ms) or `timeout` passes.
    @discardableResult
    public func waitFor(timeout: Duration, _ condition: ([String]) -> Bool) -> Bool {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        while clock.now < deadline {
            if condition(lines) { return true }
            if !process.isRunning { return condition(lines) }
            usleep(20_000)
        }
        return condition(lines)
    }

    /// Sends a signal.
    public func signal(_ number: Int32) {
        if process.isRunning { kill(process.processIdentifier, number) }
    }

    /// Waits for the exit (at most `timeout`, then SIGKILL); returns the status and the wall time.
    public func waitForExit(timeout: Duration) -> (status: Int32, elapsed: Duration, killed: Bool) {
        let clock = ContinuousClock()
        let start = clock.now
        var killed = false
        while process.isRunning {
            if clock.now - start > timeout {
                kill(process.processIdentifier, SIGKILL)
                killed = true
                process.waitUntilExit()
                break
            }
            usleep(10_000)
        }
        process.waitUntilExit()
        // The readers finish once they have read everything the child wrote.
        readers.wait()
        return (process.terminationStatus, clock.now - start, killed)
    }

    private func appendOutput(_ text: String) {
        state.withLock { current in
            let joined = current.partial + text
            var pieces = joined.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            current.partial = pieces.removeLast()
            current.lines += pieces
        }
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }
}
