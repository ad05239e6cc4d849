extension Duration {
    /// Whole milliseconds, rounded toward zero (for records, logs and JSON).
    public var wholeMilliseconds: Int64 {
        components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000
    }
}

/// The timeout to give poll(2) so that a loop wakes by `deadline`: rounded up to a whole
/// millisecond (never early), at least 1 ms (0 would not wait), at most `atMost` (so the
/// loop still checks for shutdown and events). No deadline waits `atMost`.
public func pollTimeoutMs(until deadline: ContinuousClock.Instant?, now: ContinuousClock.Instant = .now, atMost: Int32) -> Int32 {
    guard let deadline else { return atMost }
    return Int32(clamping: max(1, min(Int64(atMost), (deadline - now).wholeMilliseconds + 1)))
}
