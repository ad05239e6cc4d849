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

/// Free space and size of the filesystem holding a path (statvfs), for the disk budget.
public struct FilesystemSpace: Sendable, Equatable {
    public var availableBytes: Int64
    public var totalBytes: Int64

    public init(availableBytes: Int64, totalBytes: Int64) {
        self.availableBytes = availableBytes
        self.totalBytes = totalBytes
    }

    public static func of(path: String) throws(PlatformError) -> FilesystemSpace {
        var info = statvfs()
        _ = try retryingEINTR("statvfs", subject: path) { statvfs(path, &info) }
        let unit = Int64(info.f_frsize == 0 ? info.f_bsize : info.f_frsize)
        return FilesystemSpace(availableBytes: Int64(info.f_bavail) * unit, totalBytes: Int64(info.f_blocks) * unit)
    }
}

/// The process's heap.
public enum Heap {
    /// Gives freed heap memory back to the kernel, so that RSS shows what is in use.
    public static func trim() { _ = stall_malloc_trim() }
}
