import CStallSystem
import Glibc
import Synchronization

/// Whether the wall clock can be trusted. A box without a battery-backed clock boots at
/// some old time and jumps when NTP syncs; every record says whether its `ts_ms` came from
/// a synchronized clock, so upstream knows which timestamps to believe (seq orders anyway).
public enum ClockSync {
    /// The kernel's view (adjtimex: STA_UNSYNC clear and no TIME_ERROR). False when the
    /// call fails: an unknown clock is not a synchronized one.
    public static func isSynchronized() -> Bool {
        stall_clock_synchronized() == 1
    }

    /// The same, asked of the kernel at most once a second: the ledger stamps every record,
    /// thousands a second under load, and the answer changes rarely.
    public static func isSynchronizedRecently() -> Bool {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC_COARSE, &now)
        let second = Int64(now.tv_sec)
        return recent.withLock { cached in
            if let cached = cached, cached.second == second { return cached.synced }
            let synced = isSynchronized()
            cached = (second, synced)
            return synced
        }
    }

    private static let recent = Mutex<(second: Int64, synced: Bool)?>(nil)
}
