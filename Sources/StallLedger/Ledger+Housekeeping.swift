import GRDB
import StallCore
import StallPlatform

/// Once-a-day totals, retention and the ledger's size: what the daemon's housekeeping loop
/// asks of the ledger (StallDaemon/Housekeeping.swift decides when).
extension Ledger {
    /// The day a `day_close` was last written for, and the last seq it covered.
    public func lastDayClose() async throws -> (day: String, lastSeq: Int64)? {
        try await readAsync { db in
            try Row.fetchOne(db, sql: "SELECT day, last_seq FROM day_closes WHERE id = 1").map { ($0["day"], $0["last_seq"]) }
        }
    }

    /// Appends a signed `day_close` for `day` (local date, `YYYY-MM-DD`) holding the counts
    /// and sums of every record after the previous `day_close`, in the same transaction that
    /// reads them, so no record can slip between the totals and the close.
    @discardableResult
    public func closeDay(_ day: String, timestampMs: Int64) async throws -> StallCore.Record {
        try await writer.submit { [key, clockSynchronized] db in
            let previous = try Int64.fetchOne(db, sql: "SELECT last_seq FROM day_closes WHERE id = 1") ?? 0
            let head = try Self.head(db).seq
            let body = try Self.dayTotals(db, after: previous, through: head, day: day)
            let record = try Self.insert(db, key: key, kind: .dayClose, body: body, timestampMs: timestampMs, clockSynced: clockSynchronized())
            try db.execute(
                sql: "INSERT INTO day_closes (id, last_seq, day) VALUES (1, ?, ?) ON CONFLICT(id) DO UPDATE SET last_seq = excluded.last_seq, day = excluded.day",
                arguments: [record.seq!, day])
            return record
        }
    }

    /// The members of a `day_close` over records `after` < seq ≤ `through`
    /// (firmware-protocols/upstream/SPEC.md, "day_close").
    static func dayTotals(_ db: Database, after: Int64, through: Int64, day: String) throws -> [String: JSONValue] {
        var counts: [String: JSONValue] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT kind, COUNT(*) AS n FROM records WHERE seq > ? AND seq <= ? GROUP BY kind", arguments: [after, through]) {
            counts[row["kind"]] = .int(row["n"])
        }
        var payments: [String: JSONValue] = [:]
        for row in try Row.fetchAll(
            db,
            sql: """
                SELECT json_extract(canonical, '$.channel') AS channel, COUNT(*) AS n, SUM(json_extract(canonical, '$.amount_fen')) AS fen
                FROM records WHERE seq > ? AND seq <= ? AND kind = 'payment' GROUP BY channel
                """,
            arguments: [after, through])
        {
            payments[row["channel"] ?? "?"] = ["count": .int(row["n"]), "amount_fen": .int(row["fen"] ?? 0)]
        }
        var outcomes: [String: JSONValue] = [:]
        for row in try Row.fetchAll(
            db,
            sql: """
                SELECT json_extract(canonical, '$.outcome') AS outcome, COUNT(*) AS n
                FROM records WHERE seq > ? AND seq <= ? AND kind = 'announcement' GROUP BY outcome
                """,
            arguments: [after, through])
        {
            outcomes[row["outcome"] ?? "?"] = .int(row["n"])
        }
        let weight = try Int64.fetchOne(
            db, sql: "SELECT IFNULL(SUM(json_extract(canonical, '$.weight_mg')), 0) FROM records WHERE seq > ? AND seq <= ? AND kind = 'weighing'",
            arguments: [after, through]) ?? 0
        let covered = max(0, through - after)
        return [
            "day": .string(day),
            "first_seq": covered > 0 ? .int(after + 1) : .null,
            "last_seq": covered > 0 ? .int(through) : .null,
            "records": .int(covered),
            "counts": .object(counts),
            "payments": .object(payments),
            "announcements": .object(outcomes),
            "weight_mg": .int(weight),
        ]
    }

    /// Deletes records upstream acknowledged whose `ts_ms` is before `cutoffMs`, never the
    /// newest record (the chain continues from it) and never an unacknowledged one.
    /// Payment ids stay (deduplication outlives the records). Returns how many went.
    @discardableResult
    public func deleteAcknowledged(before cutoffMs: Int64) async throws -> Int {
        try await writer.submit { db in
            try db.execute(
                sql: """
                    DELETE FROM records
                    WHERE seq <= (SELECT acked_seq FROM outbox WHERE id = 1)
                      AND seq < (SELECT MAX(seq) FROM records)
                      AND ts_ms < ?
                    """,
                arguments: [cutoffMs])
            return db.changesCount
        }
    }

    /// Bytes the ledger takes on disk: the database file's pages plus its WAL.
    public func footprintBytes() async throws -> Int64 {
        let pages = try await readAsync { db in
            (try Int64.fetchOne(db, sql: "PRAGMA page_count") ?? 0) * (try Int64.fetchOne(db, sql: "PRAGMA page_size") ?? 0)
        }
        let wal = (try? FileSecurity.status(path: path + "-wal"))??.size ?? 0
        return pages + wal
    }
}

extension Ledger {
    /// `ts_ms` of the oldest record still held.
    public func firstRecordMs() async throws -> Int64? {
        try await readAsync { db in try Int64.fetchOne(db, sql: "SELECT ts_ms FROM records ORDER BY seq LIMIT 1") }
    }
}
