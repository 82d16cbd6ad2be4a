internal import CFFmpeg
import CoreSupport
import Foundation
import Synchronization
import VideoCore

/// What FFmpeg's blocking I/O checks (through `AVIOInterruptCB`) to give up: the source's stop
/// signal and a deadline on the monotonic clock.
///
/// Lifetime: `callback` hands FFmpeg an unretained pointer to this object; every `FormatContext`
/// and `DescriptorReader` given that callback keeps a strong reference to the guard, so the guard
/// outlives every C object that may call it. `@unchecked Sendable`: the state is atomics only.
final class InterruptGuard: @unchecked Sendable {
    let stop: StopSignal
    /// Monotonic nanoseconds after which I/O is interrupted; `Int64.max` for none.
    private let deadline = Atomic<Int64>(Int64.max)
    /// Set when the deadline (not the stop signal) interrupted I/O, until the next `arm`.
    private let expired = Atomic<Bool>(false)

    init(stop: StopSignal) { self.stop = stop }

    /// Interrupts I/O that is still blocked `timeout` from now (nil: no deadline).
    func arm(_ timeout: Duration?) {
        expired.store(false, ordering: .relaxed)
        guard let timeout else {
            deadline.store(Int64.max, ordering: .relaxed)
            return
        }
        let span = timeout.wholeNanoseconds
        deadline.store(Self.now() &+ min(span, Int64.max / 2), ordering: .relaxed)
    }

    /// True when the deadline passed since the last `arm` (the stop signal is reported by `stop`).
    var deadlineExpired: Bool { expired.load(ordering: .relaxed) }

    /// Whether blocked I/O should give up now. Called by FFmpeg about every 100 ms while it waits.
    func shouldInterrupt() -> Bool {
        if stop.isFired { return true }
        if Self.now() >= deadline.load(ordering: .relaxed) {
            expired.store(true, ordering: .relaxed)
            return true
        }
        return false
    }

    /// The C callback record; valid while this object lives.
    var callback: AVIOInterruptCB {
        AVIOInterruptCB(
            callback: { opaque in
                guard let opaque else { return 0 }
                return Unmanaged<InterruptGuard>.fromOpaque(opaque).takeUnretainedValue().shouldInterrupt() ? 1 : 0
            },
            opaque: Unmanaged.passUnretained(self).toOpaque())
    }

    /// Monotonic clock in nanoseconds.
    static func now() -> Int64 {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Int64(time.tv_sec) * 1_000_000_000 + Int64(time.tv_nsec)
    }
}
