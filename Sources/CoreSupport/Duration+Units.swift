/// `Duration` in the units C calls, logs and rates need, converted in one place.
extension Duration {
    /// The duration in seconds, with its fraction (for rates and messages).
    public var inSeconds: Double {
        Double(components.seconds) + Double(components.attoseconds) * 1e-18
    }

    /// The duration in milliseconds, with its fraction (for timings in logs).
    public var inMilliseconds: Double {
        Double(components.seconds) * 1000 + Double(components.attoseconds) * 1e-15
    }

    /// Whole nanoseconds, rounded toward zero; saturates at `Int64.max` / `Int64.min` instead of
    /// overflowing (a "forever" timeout stays forever).
    public var wholeNanoseconds: Int64 { whole(perSecond: 1_000_000_000) }

    /// Whole microseconds, rounded toward zero; saturating like `wholeNanoseconds`.
    public var wholeMicroseconds: Int64 { whole(perSecond: 1_000_000) }

    /// Whole milliseconds, rounded toward zero; saturating like `wholeNanoseconds`.
    public var wholeMilliseconds: Int64 { whole(perSecond: 1000) }

    /// `seconds * perSecond + attoseconds / (1e18 / perSecond)`, saturating.
    private func whole(perSecond: Int64) -> Int64 {
        let (seconds, attoseconds) = components
        let (scaled, overflow) = seconds.multipliedReportingOverflow(by: perSecond)
        if overflow { return seconds < 0 ? .min : .max }
        let (sum, sumOverflow) = scaled.addingReportingOverflow(attoseconds / (1_000_000_000_000_000_000 / perSecond))
        if sumOverflow { return seconds < 0 ? .min : .max }
        return sum
    }
}
