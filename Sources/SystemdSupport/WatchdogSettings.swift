#if canImport(Glibc)
    import Glibc
#endif

/// The service manager's watchdog as announced in `$WATCHDOG_USEC` (and `$WATCHDOG_PID`).
public struct WatchdogSettings: Sendable, Equatable {
    /// The manager kills the service when no `WATCHDOG=1` arrives within this time.
    public let timeout: Duration

    /// A watchdog of `timeout`.
    public init(timeout: Duration) {
        self.timeout = timeout
    }

    /// The watchdog systemd asked for, or nil when none is set, the value is not a positive
    /// number of microseconds, or `$WATCHDOG_PID` names another process.
    public init?(environment: [String: String], processID: Int32 = getpid()) {
        guard let text = environment["WATCHDOG_USEC"], let microseconds = Int64(text), microseconds > 0 else {
            return nil
        }
        if let pidText = environment["WATCHDOG_PID"], !pidText.isEmpty {
            guard let pid = Int32(pidText), pid == processID else { return nil }
        }
        timeout = .microseconds(microseconds)
    }

    /// How often to send `WATCHDOG=1` when healthy: half the timeout, as sd_watchdog_enabled(3) advises.
    public var pingInterval: Duration { timeout / 2 }
}
