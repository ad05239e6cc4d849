import GRDB
import StallCore
import StallPlatform

/// Opening the ledger so that a damaged file never bricks the box (issue 6).
///
/// A ledger that SQLite calls corrupt or not a database, that fails `PRAGMA quick_check`,
/// or whose last record cannot be read, is moved aside (with its WAL) to
/// `ledger.sqlite.damaged-<ms>`, never deleted: an engineer may still recover records from
/// it. A new ledger is started whose first record is a signed `reset` naming why and the
/// last seq upstream acknowledged. With the anchor file (`LedgerAnchor`) the new chain
/// continues from that acknowledged record, so upstream takes it as the next record and
/// sees exactly which seqs were lost; without it the chain restarts at seq 1.
///
/// Errors that are not damage (a missing directory, permissions) are thrown unchanged:
/// moving a healthy file aside because of them would lose data.
extension Ledger {
    public struct Recovery: Sendable {
        /// Why the old ledger was refused.
        public var reason: String
        /// Where it was moved.
        public var damagedPath: String
        /// The acknowledged point the new chain continues from, when the anchor was found.
        public var anchor: LedgerAnchor?
        /// The new chain's first record.
        public var reset: StallCore.Record
    }

    /// Opens the ledger at `path`, recovering from damage as described above.
    public static func openRecovering(
        path: String, key: DeviceKey, nowMs: Int64, groupLimits: GroupLimits = GroupLimits(),
        clockSynchronized: @escaping @Sendable () -> Bool = { ClockSync.isSynchronizedRecently() }
    ) throws -> (ledger: Ledger, recovery: Recovery?) {
        let reason: String
        do {
            let ledger = try Ledger(path: path, key: key, groupLimits: groupLimits, clockSynchronized: clockSynchronized)
            if let problem = ledger.integrityProblem() {
                try? ledger.closeWithoutCheckpoint()
                reason = problem
            } else {
                return (ledger, nil)
            }
        } catch let error as Ledger.Error {
            guard case .open(_, let underlying) = error, Self.meansDamage(underlying) else { throw error }
            reason = underlying
        }

        let damagedPath = path + ".damaged-\(nowMs)"
        try FileSecurity.moveAside(from: path, to: damagedPath)
        try FileSecurity.moveAside(from: path + "-wal", to: damagedPath + "-wal", missingOK: true)
        try FileSecurity.moveAside(from: path + "-shm", to: damagedPath + "-shm", missingOK: true)

        let anchor = LedgerAnchor.load(path: LedgerAnchor.path(forLedger: path), deviceID: key.deviceID)
        let ledger = try Ledger(path: path, key: key, groupLimits: groupLimits, clockSynchronized: clockSynchronized)
        let body: [String: JSONValue] = [
            "reason": .string(String(reason.prefix(300))),
            "acked_seq": .int(anchor?.ackedSeq ?? 0),
            "damaged_file": .string(String(damagedPath.split(separator: "/").last ?? "")),
            "anchor": .bool(anchor != nil),
        ]
        let reset = try ledger.startNewChain(from: anchor, reset: body, timestampMs: nowMs)
        return (ledger, Recovery(reason: reason, damagedPath: damagedPath, anchor: anchor, reset: reset))
    }

    /// SQLite's words for a file that is not a usable database.
    static func meansDamage(_ text: String) -> Bool {
        ["SQLITE_CORRUPT", "SQLITE_NOTADB", "malformed", "not a database", "file is not a database"].contains { text.contains($0) }
    }

    /// Nil when SQLite's quick check passes and the newest record reads back; otherwise why not.
    func integrityProblem() -> String? {
        do {
            let result = try readSync { db in try String.fetchAll(db, sql: "PRAGMA quick_check") }
            if result != ["ok"] { return "quick_check: " + result.prefix(3).joined(separator: "; ") }
            let last = try readSync { db in try Self.head(db).seq }
            if last > 0 { _ = try recordsSync(from: last, limit: 1) }
            return nil
        } catch {
            return "\(error)"
        }
    }

    /// Writes the first record of a fresh ledger: the acknowledged point from the anchor
    /// (so the chain continues from it), then the `reset` record, in one transaction.
    func startNewChain(from anchor: LedgerAnchor?, reset body: [String: JSONValue], timestampMs: Int64) throws -> StallCore.Record {
        try writeSync { [key, clockSynchronized] db in
            if let anchor {
                try db.execute(
                    sql: "UPDATE outbox SET acked_seq = ?, acked_hash = ?, acked_at_ms = ? WHERE id = 1",
                    arguments: [anchor.ackedSeq, anchor.ackedHash, anchor.ackedAtMs])
            }
            return try Self.insert(db, key: key, kind: .reset, body: body, timestampMs: timestampMs, clockSynced: clockSynchronized())
        }
    }
}
