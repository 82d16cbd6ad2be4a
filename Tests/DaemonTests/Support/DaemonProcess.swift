import Foundation
import TestSupport

/// The real `facestream run --config FILE` running in the background, with a test notification
/// socket as `$NOTIFY_SOCKET` and its stderr collected.
final class DaemonProcess: @unchecked Sendable {
    // Invariant: `errorText` is only touched with `lock` held; the rest is set once in init.
    let process = Process()
    let notify: NotifyListener
    private let lock = NSLock()
    private var errorText = Data()
    private let readerDone = DispatchSemaphore(value: 0)

    init(config: String, environment: [String: String] = [:]) throws {
        notify = try NotifyListener()
        process.executableURL = URL(fileURLWithPath: FaceStreamBinary.path)
        process.arguments = ["run", "--config", config]
        let base = [
            "FACESTREAM_MODEL_DIR": SharedData.models.path, "FACESTREAM_MODEL": "", "JOURNAL_STREAM": "",
            "NOTIFY_SOCKET": notify.address,
        ]
        process.environment = ProcessInfo.processInfo.environment.merging(base.merging(environment) { $1 }) { $1 }
        let err = Pipe()
        process.standardError = err
        process.standardOutput = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        DispatchQueue.global().async { [self] in
            let data = err.fileHandleForReading.readDataToEndOfFile()
            lock.withLock { errorText = data }
            readerDone.signal()
        }
    }

    deinit {
        if process.isRunning { process.terminate() }
    }

    /// Sends a signal (SIGTERM, SIGHUP, ...).
    func signal(_ number: Int32) {
        kill(process.processIdentifier, number)
    }

    /// Waits for the notification that satisfies `predicate`.
    @discardableResult
    func waitForNotification(_ predicate: (String) -> Bool) throws -> String {
        try notify.wait(timeout: .seconds(120), for: predicate)
    }

    /// Waits for a `STATUS=` naming every `(stream, state)` pair.
    func waitForStatus(_ states: [String: String]) throws {
        try waitForNotification { message in
            states.allSatisfy { message.contains("\($0.key): \($0.value)") } && message.contains("STATUS=")
        }
    }

    /// Waits for the process to end; returns its status and stderr.
    func waitForExit() -> (status: Int32, stderr: String) {
        process.waitUntilExit()
        readerDone.wait()
        return (process.terminationStatus, lock.withLock { String(decoding: errorText, as: UTF8.self) })
    }
}
