/// One `sd_notify` state assignment, e.g. `READY=1`.
public enum NotifyState: Sendable, Equatable {
    /// Startup finished: models compiled, outputs open.
    case ready
    /// The service is reloading its configuration.
    case reloading
    /// Graceful stop has begun.
    case stopping
    /// Free-form status line shown by `systemctl status` (newlines replaced by spaces).
    case status(String)
    /// Keep-alive for the service manager's watchdog.
    case watchdog
    /// The main process id, for a service whose main process changed.
    case mainPID(Int32)

    /// The `KEY=value` text of this assignment.
    public var assignment: String {
        switch self {
        case .ready: "READY=1"
        case .reloading: "RELOADING=1"
        case .stopping: "STOPPING=1"
        case .status(let text): "STATUS=" + text.map { $0.isNewline ? " " : String($0) }.joined()
        case .watchdog: "WATCHDOG=1"
        case .mainPID(let pid): "MAINPID=\(pid)"
        }
    }
}
