import Synchronization

/// Progress reports from the daemon's loops, which decide whether systemd's watchdog is fed.
///
/// A loop calls `beat` each time it makes progress and `idle` before it waits for work that
/// may never come (no payment for hours is fine). The watchdog is fed only when no loop has
/// been busy without progress for longer than the allowed time, so a wedged serial read or
/// a hung speaker stops the pings and systemd restarts the daemon.
public final class Liveness: Sendable {
    private struct Entry {
        var lastBeat: ContinuousClock.Instant
        var waiting: Bool
    }

    private let entries = Mutex<[String: Entry]>([:])

    public init() {}

    public func beat(_ loop: String) {
        entries.withLock { $0[loop] = Entry(lastBeat: .now, waiting: false) }
    }

    public func idle(_ loop: String) {
        entries.withLock { $0[loop] = Entry(lastBeat: .now, waiting: true) }
    }

    public func finished(_ loop: String) {
        _ = entries.withLock { $0.removeValue(forKey: loop) }
    }

    /// Loops busy without progress for longer than `limit`, by name.
    public func stalled(limit: Duration, now: ContinuousClock.Instant = .now) -> [String] {
        entries.withLock { entries in
            entries.filter { !$0.value.waiting && now - $0.value.lastBeat > limit }.map(\.key).sorted()
        }
    }
}
