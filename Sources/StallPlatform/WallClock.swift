import Glibc

/// The wall clock in Unix milliseconds, for record timestamps. It may be wrong on a box
/// without RTC before NTP syncs; records are ordered by seq, never by time.
public enum WallClock {
    public static func nowMs() -> Int64 {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Int64(spec.tv_sec) * 1000 + Int64(spec.tv_nsec) / 1_000_000
    }
}
