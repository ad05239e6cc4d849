import Glibc
import GRDB
import StallCore
import StallPlatform

/// The box's ledger: every record, signed, numbered and chained, in one SQLite file.
///
/// Invariants (see also `LedgerSchema`):
/// - committed before acknowledged: `append` returns only after the transaction holding
///   the record committed with `synchronous=FULL` in WAL mode, so a returned record survives
///   a power cut; every write goes through one `LedgerWriter`, which commits in groups;
/// - every record says whether the clock that stamped its `ts_ms` was synchronized
///   (`clock_synced`);
/// - `seq` is dense and strictly increasing; each record's `prev` is the SHA-256 of the
///   previous record's canonical bytes; the signature covers the canonical bytes without
///   `sig`;
/// - a payment id is recorded once: a second delivery returns the first record's seq;
/// - the notification cursor advances in the same transaction as the payments it covers;
/// - nothing is deleted before upstream acknowledged it (retention comes later; today
///   nothing is deleted at all).
///
/// One value owns the database; nothing else imports GRDB.
public final class Ledger: Sendable {
    public enum Error: Swift.Error, CustomStringConvertible {
        case open(path: String, underlying: String)
        case corrupt(seq: Int64, reason: String)
        case closed
        case writerBacklog(Int)

        public var description: String {
            switch self {
            case .open(let path, let underlying): "cannot open ledger \(path): \(underlying)"
            case .corrupt(let seq, let reason): "ledger record \(seq) is unreadable: \(reason)"
            case .closed: "the ledger is closed"
            case .writerBacklog(let count): "the ledger cannot keep up: \(count) writes are waiting for the disk"
            }
        }
    }

    /// What appending a payment did.
    public enum PaymentAppend: Sendable, Hashable {
        case appended(StallCore.Record)
        /// The payment id was already recorded, as this seq; nothing was written.
        case duplicate(seq: Int64)
    }

    public let path: String
    public let key: DeviceKey
    private let pool: DatabasePool
    let writer: LedgerWriter
    private let clockSynchronized: @Sendable () -> Bool

    /// - Parameters:
    ///   - simulatedCommitDelay: added to every group commit while it holds the writer, as a
    ///     slow SD card's fsync would; zero in the daemon. `stallbox-bench announce
    ///     --slow-fsync-ms` uses it to show that announcements do not wait for the disk.
    ///   - clockSynchronized: asked for every record (the daemon passes `ClockSync.isSynchronized`).
    public init(
        path: String, key: DeviceKey, simulatedCommitDelay: Duration = .zero, groupLimits: GroupLimits = GroupLimits(),
        clockSynchronized: @escaping @Sendable () -> Bool = { ClockSync.isSynchronized() }
    ) throws {
        self.path = path
        self.key = key
        self.clockSynchronized = clockSynchronized
        var configuration = Configuration()
        configuration.busyMode = .timeout(5)
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
            // GRDB puts WAL databases at synchronous=NORMAL while opening; a record must
            // survive a power cut once acknowledged, so the writer runs at FULL.
            try pool.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA synchronous = FULL")
            }
            try LedgerSchema.migrator.migrate(pool)
        } catch {
            throw Error.open(path: path, underlying: String(describing: error))
        }
        writer = LedgerWriter(
            pool: pool,
            limits: LedgerWriter.Limits(maxGroup: groupLimits.maxGroup, maxPending: groupLimits.maxPending, window: groupLimits.window),
            simulatedCommitDelay: simulatedCommitDelay)
    }

    /// How the writer groups commits (`[ledger] group_max`, `group_window_ms`).
    public struct GroupLimits: Sendable {
        public var maxGroup: Int
        public var maxPending: Int
        public var window: Duration
        public init(maxGroup: Int = 512, maxPending: Int = 20_000, window: Duration = .zero) {
            self.maxGroup = maxGroup
            self.maxPending = maxPending
            self.window = window
        }
    }

    /// Why writes are being retried (disk full, I/O error), or nil when the disk takes them.
    public var writeFault: String? { writer.fault }

    /// Groups committed, records and other writes in them, and failed commit attempts.
    public var writerCounters: (groups: Int64, committed: Int64, retries: Int64) {
        let counters = writer.counters
        return (counters.groups, counters.committed, counters.retries)
    }

    public var identity: DeviceIdentity { key.identity }

    static func simulateSlowDisk(_ delay: Duration) {
        guard delay > .zero else { return }
        LedgerWriter.sleep(delay)
    }

    /// The writer connection's `synchronous` setting (2 = FULL), for tests and selfcheck.
    public func synchronousMode() throws -> Int {
        try pool.writeWithoutTransaction { db in try Int.fetchOne(db, sql: "PRAGMA synchronous") ?? -1 }
    }

    public func journalMode() throws -> String {
        try pool.read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") ?? "" }
    }

    /// Signs, chains and commits one record; returns it once it is durable.
    @discardableResult
    public func append(kind: RecordKind, body: [String: JSONValue], timestampMs: Int64) async throws -> StallCore.Record {
        try await writer.submit { [key, clockSynchronized] db in
            try Self.insert(db, key: key, kind: kind, body: body, timestampMs: timestampMs, clockSynced: clockSynchronized())
        }
    }

    /// Records payments (skipping ids already recorded) and, in the same transaction,
    /// stores the notification cursor that covers them.
    public func appendPayments(
        _ payments: [(paymentID: String, body: [String: JSONValue])], timestampMs: Int64,
        cursor: (name: String, value: String)?
    ) async throws -> [PaymentAppend] {
        try await writer.submit { [key, clockSynchronized] db in
            var results: [PaymentAppend] = []
            for payment in payments {
                if let existing = try Int64.fetchOne(
                    db, sql: "SELECT seq FROM records WHERE kind = 'payment' AND payment_id = ?", arguments: [payment.paymentID])
                {
                    results.append(.duplicate(seq: existing))
                    continue
                }
                var body = payment.body
                body["payment_id"] = .string(payment.paymentID)
                results.append(
                    .appended(try Self.insert(db, key: key, kind: .payment, body: body, timestampMs: timestampMs, clockSynced: clockSynchronized())))
            }
            if let cursor {
                try db.execute(
                    sql: "INSERT INTO cursors (name, value) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET value = excluded.value",
                    arguments: [cursor.name, cursor.value])
            }
            return results
        }
    }

    static func insert(
        _ db: Database, key: DeviceKey, kind: RecordKind, body: [String: JSONValue], timestampMs: Int64, clockSynced: Bool
    ) throws -> StallCore.Record {
        let last = try Row.fetchOne(db, sql: "SELECT seq, hash FROM records ORDER BY seq DESC LIMIT 1")
        let seq: Int64 = (last?["seq"] as Int64?).map { $0 + 1 } ?? 1
        let prev: String = last?["hash"] ?? StallCore.Record.genesisPrev
        precondition(StallCore.Record.commonMembers.isDisjoint(with: body.keys), "a record body may not set common members")
        let unsigned = UnsignedRecord(
            deviceID: key.deviceID, seq: seq, prev: prev, timestampMs: timestampMs, clockSynced: clockSynced, kind: kind, body: body)
        let record = unsigned.signed(signature: try key.sign(unsigned.signedBytes))
        try db.execute(
            sql: "INSERT INTO records (seq, kind, ts_ms, prev, hash, payment_id, canonical) VALUES (?, ?, ?, ?, ?, ?, ?)",
            arguments: [
                seq, kind.rawValue, timestampMs, prev, record.hashHex,
                kind == .payment ? body["payment_id"]?.stringValue : nil,
                String(decoding: record.canonicalBytes, as: UTF8.self),
            ])
        return record
    }

    public func records(from seq: Int64, limit: Int) async throws -> [StallCore.Record] {
        let rows = try await pool.read { db in
            try Row.fetchAll(
                db, sql: "SELECT seq, canonical FROM records WHERE seq >= ? ORDER BY seq LIMIT ?", arguments: [seq, limit]
            ).map { row -> (seq: Int64, text: String) in (row["seq"], row["canonical"]) }
        }
        return try rows.map { (seq, text) in
            do {
                guard case .object(let members) = try JSONParser.parse(text) else {
                    throw Error.corrupt(seq: seq, reason: "not a JSON object")
                }
                return StallCore.Record(members: members)
            } catch let error as JSONParseError {
                throw Error.corrupt(seq: seq, reason: error.description)
            }
        }
    }

    public func lastSeq() async throws -> Int64 {
        try await pool.read { db in try Int64.fetchOne(db, sql: "SELECT MAX(seq) FROM records") ?? 0 }
    }

    public func paymentSeq(paymentID: String) async throws -> Int64? {
        try await pool.read { db in
            try Int64.fetchOne(db, sql: "SELECT seq FROM records WHERE kind = 'payment' AND payment_id = ?", arguments: [paymentID])
        }
    }

    public struct OutboxState: Sendable, Equatable {
        public var ackedSeq: Int64
        public var ackedAtMs: Int64?
        public var lastSeq: Int64
        public var pending: Int64 { lastSeq - ackedSeq }
    }

    public func outboxState() async throws -> OutboxState {
        try await pool.read { db in
            let row = try Row.fetchOne(db, sql: "SELECT acked_seq, acked_at_ms FROM outbox WHERE id = 1")
            let last = try Int64.fetchOne(db, sql: "SELECT MAX(seq) FROM records") ?? 0
            return OutboxState(ackedSeq: row?["acked_seq"] ?? 0, ackedAtMs: row?["acked_at_ms"], lastSeq: last)
        }
    }

    /// Upstream holds everything up to `seq`. Never moves backwards, never past what exists.
    public func markAcknowledged(upTo seq: Int64, atMs: Int64) async throws {
        try await writer.submit { db in
            try db.execute(
                sql: """
                    UPDATE outbox SET acked_seq = ?, acked_at_ms = ?
                    WHERE id = 1 AND ? > acked_seq AND ? <= (SELECT IFNULL(MAX(seq), 0) FROM records)
                    """,
                arguments: [seq, atMs, seq, seq])
        }
    }

    public func cursor(named name: String) async throws -> String? {
        try await pool.read { db in try String.fetchOne(db, sql: "SELECT value FROM cursors WHERE name = ?", arguments: [name]) }
    }

    /// Lets the writer finish what it holds, checkpoints the WAL and closes the file.
    /// Appends after this fail.
    public func close() throws {
        writer.close()
        try pool.writeWithoutTransaction { db in _ = try db.checkpoint(.truncate) }
        try pool.close()
    }
}
