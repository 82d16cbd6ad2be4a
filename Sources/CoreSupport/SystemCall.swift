#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// A failed system call's `errno`.
public struct SystemError: Error, Equatable, CustomStringConvertible {
    /// The C error number.
    public let code: Int32

    /// Wraps `code`.
    public init(_ code: Int32) {
        self.code = code
    }

    /// `strerror`'s text, e.g. "No space left on device".
    public var description: String { String(cString: strerror(code)) }
}

/// Runs a system call that returns a negative number and sets `errno` on failure, again and again
/// while it fails with EINTR (a signal arrived); the one place that rule is written. Returns the
/// call's result, or the errno of a failure other than EINTR.
@inline(__always)
public func retryingInterrupts<Result: SignedInteger>(_ call: () -> Result) -> Swift.Result<Result, SystemError> {
    while true {
        let result = call()
        if result >= 0 { return .success(result) }
        let code = errno
        if code != EINTR { return .failure(SystemError(code)) }
    }
}
