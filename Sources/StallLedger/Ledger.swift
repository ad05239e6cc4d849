import Glibc
import Crypto
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
    let clockSynchronized: @Sendable () -> Bool

    /// - Parameters:
    ///   - simulatedCommitDelay: added to every group commit while it holds the writer, as a
    ///     slow SD card's fsync would; zero in the daemon. `stallbox-bench announce
    ///     --slow-fsync-ms` uses it to show that announcements do not wait for the disk.
    ///   - clockSynchronized: asked for every record (the daemon passes `ClockSync.isSynchronized`).
    public init(
        path: String, key: DeviceKey, simulatedCommitDelay: Duration = .zero, groupLimits: GroupLimits = GroupLimits(),
        clockSynchronized: @escaping @Sendable () -> Bool = { ClockSync.isSynchronizedRecently() }
    ) throws {
        self.path = path
        self.key = key
        self.clockSynchronized = clockSynchronized
        var configuration = Configuration()
        configuration.busyMode = .timeout(5)
        // A box has little memory: two readers (status, uplink) and a 1 MiB page cache per
        // connection instead of GRDB's five readers at SQLite's 2 MiB default.
        configuration.maximumReaderCount = 2
        configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA cache_size = -1024") }
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
                    db.cachedStatement(sql: "SELECT seq FROM payment_ids WHERE payment_id = ?"), arguments: [payment.paymentID])
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

    /// The seq and hash the next record chains to: the last record, or, when there is none
    /// (a fresh ledger, or a new chain after a reset), the acknowledged point.
    static func head(_ db: Database) throws -> (seq: Int64, hash: String) {
        // Cached statements: parsing SQL again for every record cost more than the insert.
        if let last = try Row.fetchOne(db.cachedStatement(sql: "SELECT seq, hash FROM records ORDER BY seq DESC LIMIT 1")) {
            return (last["seq"], last["hash"])
        }
        let outbox = try Row.fetchOne(db.cachedStatement(sql: "SELECT acked_seq, acked_hash FROM outbox WHERE id = 1"))
        return (outbox?["acked_seq"] ?? 0, outbox?["acked_hash"] ?? StallCore.Record.genesisPrev)
    }

    static func insert(
        _ db: Database, key: DeviceKey, kind: RecordKind, body: [String: JSONValue], timestampMs: Int64, clockSynced: Bool
    ) throws -> StallCore.Record {
        let head = try head(db)
        let seq = head.seq + 1
        precondition(StallCore.Record.commonMembers.isDisjoint(with: body.keys), "a record body may not set common members")
        let unsigned = UnsignedRecord(
            deviceID: key.deviceID, seq: seq, prev: head.hash, timestampMs: timestampMs, clockSynced: clockSynced, kind: kind, body: body)
        let (record, canonical) = try unsigned.signed(by: key.sign)
        let paymentID = kind == .payment ? body["payment_id"]?.stringValue : nil
        try db.cachedStatement(sql: "INSERT INTO records (seq, kind, ts_ms, prev, hash, payment_id, canonical) VALUES (?, ?, ?, ?, ?, ?, ?)")
            .execute(arguments: [
                seq, kind.rawValue, timestampMs, head.hash, Hex.encode(SHA256.hash(data: canonical)), paymentID,
                String(decoding: canonical, as: UTF8.self),
            ])
        if let paymentID {
            try db.cachedStatement(sql: "INSERT INTO payment_ids (payment_id, seq) VALUES (?, ?)").execute(arguments: [paymentID, seq])
        }
        return record
    }

    public func records(from seq: Int64, limit: Int) async throws -> [StallCore.Record] {
        let rows = try await pool.read { db in try Self.canonicalRows(db, from: seq, limit: limit) }
        return try rows.map(Self.parse)
    }

    /// Records as stored: each one's canonical bytes, in seq order. The uplink sends these
    /// as they are, without parsing and encoding them again.
    public func canonicalRecords(from seq: Int64, limit: Int) async throws -> [(seq: Int64, bytes: [UInt8])] {
        try await pool.read { db in
            try Row.fetchAll(db.cachedStatement(sql: "SELECT seq, canonical FROM records WHERE seq >= ? ORDER BY seq LIMIT ?"), arguments: [seq, limit])
                .map { row in (row["seq"], Array((row["canonical"] as String).utf8)) }
        }
    }

    func recordsSync(from seq: Int64, limit: Int) throws -> [StallCore.Record] {
        try pool.read { db in try Self.canonicalRows(db, from: seq, limit: limit) }.map(Self.parse)
    }

    static func canonicalRows(_ db: Database, from seq: Int64, limit: Int) throws -> [(seq: Int64, text: String)] {
        try Row.fetchAll(db, sql: "SELECT seq, canonical FROM records WHERE seq >= ? ORDER BY seq LIMIT ?", arguments: [seq, limit])
            .map { row in (row["seq"], row["canonical"]) }
    }

    static func parse(_ row: (seq: Int64, text: String)) throws -> StallCore.Record {
        do {
            guard case .object(let members) = try JSONParser.parse(row.text) else {
                throw Error.corrupt(seq: row.seq, reason: "not a JSON object")
            }
            return StallCore.Record(members: members)
        } catch let error as JSONParseError {
            throw Error.corrupt(seq: row.seq, reason: error.description)
        }
    }

    /// For start-up and housekeeping code that runs outside the writer's groups.
    func readSync<T>(_ body: (Database) throws -> T) throws -> T { try pool.read(body) }
    func readAsync<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T { try await pool.read(body) }
    func writeSync<T>(_ body: (Database) throws -> T) throws -> T { try pool.write(body) }

    public func lastSeq() async throws -> Int64 {
        try await pool.read { db in try Self.head(db).seq }
    }

    public func paymentSeq(paymentID: String) async throws -> Int64? {
        try await pool.read { db in
            try Int64.fetchOne(db, sql: "SELECT seq FROM payment_ids WHERE payment_id = ?", arguments: [paymentID])
        }
    }

    public struct OutboxState: Sendable, Equatable {
        public var ackedSeq: Int64
        public var ackedAtMs: Int64?
        public var lastSeq: Int64
        /// `ts_ms` of the oldest record upstream does not hold yet, nil when none is pending.
        public var oldestPendingMs: Int64?
        public var pending: Int64 { lastSeq - ackedSeq }
    }

    public func outboxState() async throws -> OutboxState {
        try await pool.read { db in
            let row = try Row.fetchOne(db, sql: "SELECT acked_seq, acked_at_ms FROM outbox WHERE id = 1")
            let acked: Int64 = row?["acked_seq"] ?? 0
            let oldest = try Int64.fetchOne(db, sql: "SELECT ts_ms FROM records WHERE seq = ?", arguments: [acked + 1])
            return OutboxState(ackedSeq: acked, ackedAtMs: row?["acked_at_ms"], lastSeq: try Self.head(db).seq, oldestPendingMs: oldest)
        }
    }

    /// Upstream holds everything up to `seq`. Never moves backwards, never past what exists.
    /// The acknowledged point is also saved in the anchor file (`LedgerAnchor`), which a
    /// damaged ledger's replacement continues from.
    public func markAcknowledged(upTo seq: Int64, atMs: Int64) async throws {
        let anchor: LedgerAnchor? = try await writer.submit { [key] db in
            try db.execute(
                sql: """
                    UPDATE outbox SET acked_seq = ?1, acked_at_ms = ?2, acked_hash = (SELECT hash FROM records WHERE seq = ?1)
                    WHERE id = 1 AND ?1 > acked_seq AND EXISTS (SELECT 1 FROM records WHERE seq = ?1)
                    """,
                arguments: [seq, atMs])
            guard db.changesCount > 0, let hash = try String.fetchOne(db, sql: "SELECT acked_hash FROM outbox WHERE id = 1") else {
                return nil
            }
            return LedgerAnchor(deviceID: key.deviceID, ackedSeq: seq, ackedHash: hash, ackedAtMs: atMs)
        }
        try anchor?.save(path: LedgerAnchor.path(forLedger: path))
    }

    public func cursor(named name: String) async throws -> String? {
        try await pool.read { db in try String.fetchOne(db, sql: "SELECT value FROM cursors WHERE name = ?", arguments: [name]) }
    }

    /// Closes a ledger that is being moved aside: no checkpoint into a damaged file.
    func closeWithoutCheckpoint() throws {
        writer.close()
        try pool.close()
    }

    /// Lets the writer finish what it holds, checkpoints the WAL and closes the file.
    /// Appends after this fail.
    public func close() throws {
        writer.close()
        try pool.writeWithoutTransaction { db in _ = try db.checkpoint(.truncate) }
        try pool.close()
    }
}
