import Testing

@testable import StallDaemon

@Suite struct HousekeepingRulesTests {
    let rules = HousekeepingRules(
        retentionDays: 30, budgetBytes: 100 << 20, minFreeBytes: 64 << 20, utcOffsetMinutes: 480, staleAckHours: 48)

    // 2026-12-01T16:00:00Z is midnight 2026-12-02 in China (UTC+8).
    let chinaMidnight: Int64 = 1_796_140_800_000

    func observation(nowMs: Int64, lastClosed: String? = nil, firstRecord: Int64? = nil) -> HousekeepingRules.Observation {
        HousekeepingRules.Observation(
            nowMs: nowMs, lastClosedDay: lastClosed, firstRecordMs: firstRecord, footprintBytes: 0, filesystemAvailableBytes: 1 << 40,
            writeFault: nil, pending: 0, lastAckMs: nil, oldestPendingMs: nil, uplinkConfigured: true)
    }

    @Test func daysFollowTheStallsLocalTime() {
        #expect(rules.day(ofMs: chinaMidnight - 1) == "2026-12-01")
        #expect(rules.day(ofMs: chinaMidnight) == "2026-12-02")
        #expect(HousekeepingRules(utcOffsetMinutes: 0).day(ofMs: chinaMidnight) == "2026-12-01")
        #expect(rules.day(ofMs: 0) == "1970-01-01")
        #expect(rules.day(ofMs: -28_800_001) == "1969-12-31", "a clock before 1970 still has a date")
        #expect(HousekeepingRules.civilDate(daysSinceEpoch: 11_016) == "2000-02-29")
    }

    @Test func yesterdayIsClosedOnceAfterLocalMidnight() {
        #expect(rules.dayToClose(observation(nowMs: chinaMidnight - 60_000, lastClosed: "2026-11-30")) == nil)
        #expect(rules.dayToClose(observation(nowMs: chinaMidnight + 60_000, lastClosed: "2026-11-30")) == "2026-12-01")
        #expect(rules.dayToClose(observation(nowMs: chinaMidnight + 60_000, lastClosed: "2026-12-01")) == nil)
        // Off for a week: one close, for yesterday, covering everything since.
        #expect(rules.dayToClose(observation(nowMs: chinaMidnight + 60_000, lastClosed: "2026-11-20")) == "2026-12-01")
        // A clock that jumped back never closes a day twice.
        #expect(rules.dayToClose(observation(nowMs: chinaMidnight - 5 * 86_400_000, lastClosed: "2026-12-01")) == nil)
    }

    @Test func aNewBoxClosesItsFirstDayOnlyAfterItEnds() {
        #expect(rules.dayToClose(observation(nowMs: chinaMidnight - 1000, firstRecord: chinaMidnight - 3_600_000)) == nil)
        #expect(rules.dayToClose(observation(nowMs: chinaMidnight + 1000, firstRecord: chinaMidnight - 3_600_000)) == "2026-12-01")
        #expect(rules.dayToClose(observation(nowMs: chinaMidnight + 1000, firstRecord: nil)) == nil)
    }

    @Test func alarmsRiseLongBeforeTheDiskIsFull() {
        var seen = observation(nowMs: chinaMidnight)
        #expect(rules.alarms(seen).isEmpty)
        seen.footprintBytes = 79 << 20
        #expect(rules.alarms(seen)["disk_budget"] == nil)
        seen.footprintBytes = 80 << 20
        #expect(rules.alarms(seen)["disk_budget"] != nil, "at 80 % of the budget")
        seen.filesystemAvailableBytes = 63 << 20
        #expect(rules.alarms(seen)["disk_free"] != nil)
        seen.writeFault = "SQLITE_FULL"
        #expect(rules.alarms(seen)["ledger_write"]?.contains("SQLITE_FULL") == true)
    }

    @Test func theUplinkGoesStaleAfterFortyEightHoursWithoutAnAcknowledgement() {
        var seen = observation(nowMs: chinaMidnight)
        seen.pending = 10
        seen.lastAckMs = chinaMidnight - 47 * 3_600_000
        #expect(rules.alarms(seen)["uplink_stale"] == nil)
        seen.lastAckMs = chinaMidnight - 48 * 3_600_000
        #expect(rules.alarms(seen)["uplink_stale"]?.contains("48 h") == true)
        seen.pending = 0
        #expect(rules.alarms(seen)["uplink_stale"] == nil, "nothing waiting: nothing stale")
        // Never acknowledged: counted from the oldest record waiting.
        seen.pending = 3
        seen.lastAckMs = nil
        seen.oldestPendingMs = chinaMidnight - 50 * 3_600_000
        #expect(rules.alarms(seen)["uplink_stale"] != nil)
        seen.uplinkConfigured = false
        #expect(rules.alarms(seen)["uplink_stale"] == nil)
    }
}
