import Foundation
import Synchronization

/// The one wrapper around a child process for tests: a real program (the built `facestream`,
/// `ffmpeg`, a script) started with this process's environment plus `environment`, standard
/// input from /dev/null, stdout collected line by line (or discarded, or sent to a file handle)
/// and stderr collected, each read on a thread of its own so a chatty child never blocks on a
/// full pipe. `ProcessRunner.run` runs one to completion; servers and daemons keep one running.
public final class RunningProcess: @unchecked Sendable {
    /// Where the child's standard output goes.
    public enum Output {
        /// Collected: `lines`, `partialLine`, `stdout`.
        case collected
        /// Thrown away.
        case discarded
        /// Written to this handle (a pipe's writing end, say); the caller closes its own copy.
        case handle(FileHandle)
    }

    // `process` is set up once in init; `state` is only touched through its Mutex.
    private let process = Process()
    private let state = Mutex<(lines: [String], partial: String, stderr: String)>(([], "", ""))
    private let readers = DispatchGroup()

    /// Starts `executable` with `arguments`.
    public init(
        _ executable: String, _ arguments: [String], environment: [String: String] = [:],
        currentDirectory: URL? = nil, output: Output = .collected, collectsStandardError: Bool = true
    ) throws {
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        if let currentDirectory { process.currentDirectoryURL = currentDirectory }
        process.standardInput = FileHandle.nullDevice
        let outPipe = Pipe()
        switch output {
        case .collected: process.standardOutput = outPipe
        case .discarded: process.standardOutput = FileHandle.nullDevice
        case .handle(let handle): process.standardOutput = handle
        }
        let errPipe = Pipe()
        process.standardError = collectsStandardError ? errPipe : FileHandle.nullDevice
        try process.run()
        // Plain blocking reads on threads of their own (no dispatch sources on the pipes): each
        // ends when the child closes its end.
        if case .collected = output {
            read(outPipe) { [self] text in appendOutput(text) }
        }
        if collectsStandardError {
            read(errPipe) { [self] text in state.withLock { $0.stderr += text } }
        }
    }

    private func read(_ pipe: Pipe, into append: @escaping @Sendable (String) -> Void) {
        let handle = pipe.fileHandleForReading
        readers.enter()
        Thread.detachNewThread { [readers] in
            while case let data = handle.availableData, !data.isEmpty {
                append(String(decoding: data, as: UTF8.self))
            }
            readers.leave()
        }
    }

    /// Complete stdout lines so far.
    public var lines: [String] { state.withLock { $0.lines } }
    /// Everything written to stdout so far, as written.
    public var stdout: String { state.withLock { $0.lines.map { $0 + "\n" }.joined() + $0.partial } }
    /// Stderr so far.
    public var stderr: String { state.withLock { $0.stderr } }
    /// A partial last line, if any (a line without its newline).
    public var partialLine: String { state.withLock { $0.partial } }
    /// Whether the child is still running.
    public var isRunning: Bool { process.isRunning }
    /// The child's process id.
    public var processIdentifier: Int32 { process.processIdentifier }

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
