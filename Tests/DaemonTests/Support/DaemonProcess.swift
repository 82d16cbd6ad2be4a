import Foundation
import TestSupport

/// The real `facestream run --config FILE` running in the background (a `RunningProcess`, killed
/// when released), with a test notification socket as `$NOTIFY_SOCKET` and its stderr collected.
final class DaemonProcess: Sendable {
    let process: RunningProcess
    let notify: NotifyListener

    init(config: String, environment: [String: String] = [:]) throws {
        notify = try NotifyListener()
        let base = [
            "FACESTREAM_MODEL_DIR": SharedData.models.path, "FACESTREAM_MODEL": "", "JOURNAL_STREAM": "",
            "NOTIFY_SOCKET": notify.address,
        ]
        process = try RunningProcess(
            FaceStreamBinary.path, ["run", "--config", config], environment: base.merging(environment) { $1 },
            output: .discarded)
    }

    /// Sends a signal (SIGTERM, SIGHUP, ...).
    func signal(_ number: Int32) {
        process.signal(number)
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

    /// Waits for the process to end (killed after two minutes); returns its status and stderr.
    func waitForExit() -> (status: Int32, stderr: String) {
        let exit = process.waitForExit(timeout: .seconds(120))
        return (exit.status, process.stderr)
    }
}
