import Logging
import ServiceLifecycle
import StallCore
import StallLedger
import StallPlatform

/// The ledger's daily and periodic chores: the signed `day_close` after local midnight,
/// retention of acknowledged records, the disk budget, and the alarms that a technician
/// must see long before anything is lost (`HousekeepingRules` decides; this loop acts).
final class Housekeeping: Service {
    let ledger: Ledger
    let rules: HousekeepingRules
    let alarms: Alarms
    let uplinkConfigured: Bool
    let interval: Duration
    let nowMs: @Sendable () -> Int64
    let liveness: Liveness
    let logger: Logger

    init(
        ledger: Ledger, rules: HousekeepingRules, alarms: Alarms, uplinkConfigured: Bool, interval: Duration = .seconds(60),
        nowMs: @escaping @Sendable () -> Int64, liveness: Liveness, logger: Logger
    ) {
        self.ledger = ledger
        self.rules = rules
        self.alarms = alarms
        self.uplinkConfigured = uplinkConfigured
        self.interval = interval
        self.nowMs = nowMs
        self.liveness = liveness
        self.logger = logger
    }

    func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            liveness.beat("housekeeping")
            do {
                try await round()
            } catch {
                logger.error("housekeeping failed", metadata: ["error": "\(error)"])
            }
            liveness.idle("housekeeping")
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: self.interval) }
        }
        liveness.finished("housekeeping")
    }

    func round() async throws {
        let now = nowMs()
        let outbox = try await ledger.outboxState()
        let directory = ledger.path.contains("/") ? String(ledger.path[..<ledger.path.lastIndex(of: "/")!]) : "."
        let observation = HousekeepingRules.Observation(
            nowMs: now, lastClosedDay: try await ledger.lastDayClose()?.day, firstRecordMs: try await ledger.firstRecordMs(),
            footprintBytes: try await ledger.footprintBytes(),
            filesystemAvailableBytes: try? FilesystemSpace.of(path: directory.isEmpty ? "/" : directory).availableBytes,
            writeFault: ledger.writeFault, pending: outbox.pending, lastAckMs: outbox.ackedAtMs, oldestPendingMs: outbox.oldestPendingMs,
            uplinkConfigured: uplinkConfigured)

        let up = rules.alarms(observation)
        for name in HousekeepingRules.alarmNames {
            if let message = up[name] {
                if alarms.raise(name, message, atMs: now) { logger.critical("alarm", metadata: ["alarm": "\(name)", "message": "\(message)"]) }
            } else if alarms.clear(name) {
                logger.notice("alarm cleared", metadata: ["alarm": "\(name)"])
            }
        }

        // A full disk: nothing more to write now; the writer retries what waits.
        guard observation.writeFault == nil else { return }
        if let day = rules.dayToClose(observation) {
            let record = try await ledger.closeDay(day, timestampMs: now)
            logger.info("day closed", metadata: ["day": "\(day)", "seq": "\(record.seq ?? 0)", "records": "\(record.members["records"]?.intValue ?? 0)"])
        }
        let deleted = try await ledger.deleteAcknowledged(before: rules.retentionCutoffMs(nowMs: now))
        if deleted > 0 { logger.info("retention", metadata: ["deleted": "\(deleted)"]) }
    }
}
