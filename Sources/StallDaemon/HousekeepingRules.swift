import StallCore

/// The ledger housekeeping decisions, as a value: when a `day_close` is due, which alarms
/// are up. No I/O and no clock of its own (Tests/StallDaemonTests/HousekeepingRulesTests).
struct HousekeepingRules: Sendable {
    /// `[ledger]` settings.
    var retentionDays: Int = 30
    var budgetBytes: Int64 = 512 << 20
    var minFreeBytes: Int64 = 64 << 20
    /// The stall's local time, for where a day ends (China: +480).
    var utcOffsetMinutes: Int = 480
    /// `[uplink] stale_ack_hours`: an alarm when nothing was acknowledged for this long
    /// while records wait.
    var staleAckHours: Int = 48

    /// What the housekeeping loop observed.
    struct Observation: Sendable {
        var nowMs: Int64
        var lastClosedDay: String?
        var firstRecordMs: Int64?
        var footprintBytes: Int64
        var filesystemAvailableBytes: Int64?
        var writeFault: String?
        var pending: Int64
        var lastAckMs: Int64?
        var oldestPendingMs: Int64?
        var uplinkConfigured: Bool
    }

    /// The local calendar date of a Unix millisecond time, `YYYY-MM-DD`.
    func day(ofMs ms: Int64) -> String {
        let localMs = ms + Int64(utcOffsetMinutes) * 60_000
        // Floor division: times before 1970 (a clock that never synced) still get a date.
        let days = localMs >= 0 ? localMs / 86_400_000 : (localMs - 86_399_999) / 86_400_000
        return Self.civilDate(daysSinceEpoch: days)
    }

    /// The day before `ms`'s local day.
    func dayBefore(ms: Int64) -> String { day(ofMs: ms - 86_400_000) }

    /// Howard Hinnant's days-from-civil inverse (public domain algorithm).
    static func civilDate(daysSinceEpoch: Int64) -> String {
        let z = daysSinceEpoch + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let dayOfMonth = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yoe + era * 400 + (month <= 2 ? 1 : 0)
        func two(_ n: Int64) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(year)-\(two(month))-\(two(dayOfMonth))"
    }

    /// The day to close now, if any: yesterday, once, after local midnight. A box that was
    /// off for days closes once, for yesterday, covering everything since its last close.
    func dayToClose(_ observation: Observation) -> String? {
        let today = day(ofMs: observation.nowMs)
        let yesterday = dayBefore(ms: observation.nowMs)
        if let last = observation.lastClosedDay {
            return last < yesterday ? yesterday : nil
        }
        guard let first = observation.firstRecordMs else { return nil }
        return day(ofMs: first) < today ? yesterday : nil
    }

    /// Records older than this (and acknowledged) may go.
    func retentionCutoffMs(nowMs: Int64) -> Int64 { nowMs - Int64(retentionDays) * 86_400_000 }

    /// The alarms that should be up, by name, with their messages; every other
    /// housekeeping alarm should be down.
    func alarms(_ observation: Observation) -> [String: String] {
        var up: [String: String] = [:]
        if let fault = observation.writeFault {
            up["ledger_write"] = "the ledger cannot write (records wait in memory and are retried): \(fault)"
        }
        if observation.footprintBytes * 10 >= budgetBytes * 8 {
            up["disk_budget"] = "the ledger uses \(observation.footprintBytes >> 20) MiB of its \(budgetBytes >> 20) MiB budget"
        }
        if let available = observation.filesystemAvailableBytes, available < minFreeBytes {
            up["disk_free"] = "only \(available >> 20) MiB free on the ledger's filesystem (minimum \(minFreeBytes >> 20) MiB)"
        }
        if observation.uplinkConfigured, observation.pending > 0 {
            let since = observation.lastAckMs ?? observation.oldestPendingMs ?? observation.nowMs
            let hours = (observation.nowMs - since) / 3_600_000
            if hours >= Int64(staleAckHours) {
                up["uplink_stale"] = "no acknowledgement from upstream for \(hours) h; \(observation.pending) records wait"
            }
        }
        return up
    }

    static let alarmNames = ["ledger_write", "disk_budget", "disk_free", "uplink_stale"]
}
