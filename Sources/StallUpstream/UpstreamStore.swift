import GRDB
import StallCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The reference receiver's only owner of its SQLite file: stored records per device and
/// the payment notifications queued for boxes.
///
/// Invariants:
/// - durable before acknowledged: every reply that reports records (`acceptBatch`) and every
///   queued payment is produced only after its write transaction has committed, with
///   `PRAGMA synchronous = FULL`, so an `acked_seq` survives a power cut;
/// - the device's records 1...H are all held, never H+2 without H+1 (also enforced by
///   triggers, see `UpstreamSchema`);
/// - all writes go through GRDB's single writer, so batches of one device never interleave.
public final class UpstreamStore: Sendable {
    let pool: DatabasePool
    /// Wakes long-polls when a payment is queued.
    let hub = NotificationHub()
    /// Unix milliseconds now; injectable so tests can pin `paid_at_ms`.
    let nowMs: @Sendable () -> Int64

    /// Opens (creating if needed) the database at `path` and brings its schema up to date.
    public init(path: String, nowMs: @escaping @Sendable () -> Int64 = UpstreamStore.systemNowMs) throws(UpstreamStoreError) {
        self.nowMs = nowMs
        do {
            var configuration = Configuration()
            // An export run beside a serving receiver may meet a write in progress.
            configuration.busyMode = .timeout(5)
            configuration.label = "stallbox-upstream"
            pool = try DatabasePool(path: path, configuration: configuration)
            // After opening: GRDB sets its own synchronous level for WAL on the writer, and
            // this receiver promises FULL (fsync at every commit) before it acknowledges.
            try pool.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA synchronous = FULL")
            }
            try UpstreamSchema.migrator.migrate(pool)
        } catch {
            throw UpstreamStoreError(operation: "open \(path)", underlying: error)
        }
    }

    /// The highest `seq` held for the device (0 when none): what a 200 reply would say.
    public func ackedSeq(deviceID: String) async throws(UpstreamStoreError) -> Int64 {
        try await read("read acked_seq of \(deviceID)") { db in
            try Int64.fetchOne(db, sql: "SELECT MAX(seq) FROM records WHERE device_id = ?", arguments: [deviceID]) ?? 0
        }
    }

    /// Stored records of the device from `seq` on, as canonical text (no newline), in order.
    public func records(deviceID: String, from seq: Int64 = 1) async throws(UpstreamStoreError) -> [String] {
        try await read("read records of \(deviceID) from \(seq)") { db in
            try String.fetchAll(
                db, sql: "SELECT canonical FROM records WHERE device_id = ? AND seq >= ? ORDER BY seq",
                arguments: [deviceID, seq])
        }
    }

    /// The public key (standard base64) a device first uploaded with, if any.
    public func publicKey(deviceID: String) async throws(UpstreamStoreError) -> String? {
        try await read("read public key of \(deviceID)") { db in
            try String.fetchOne(db, sql: "SELECT public_key FROM devices WHERE device_id = ?", arguments: [deviceID])
        }
    }

    /// The writer connection's `journal_mode` and `synchronous` (2 = FULL): what the
    /// durable-before-acknowledged promise rests on; tests check it.
    func durabilitySettings() async throws(UpstreamStoreError) -> (journalMode: String, synchronous: Int) {
        do {
            return try await pool.writeWithoutTransaction { db in
                (try String.fetchOne(db, sql: "PRAGMA journal_mode") ?? "",
                 try Int.fetchOne(db, sql: "PRAGMA synchronous") ?? -1)
            }
        } catch {
            throw UpstreamStoreError(operation: "read the durability settings", underlying: error)
        }
    }

    /// Runs a read, wrapping database errors with what was being done.
    func read<T: Sendable>(
        _ operation: String, _ body: @escaping @Sendable (Database) throws -> T
    ) async throws(UpstreamStoreError) -> T {
        do {
            return try await pool.read(body)
        } catch {
            throw UpstreamStoreError(operation: operation, underlying: error)
        }
    }

    /// Runs one write transaction (committed when this returns), wrapping database errors.
    func write<T: Sendable>(
        _ operation: String, _ body: @escaping @Sendable (Database) throws -> T
    ) async throws(UpstreamStoreError) -> T {
        do {
            return try await pool.write(body)
        } catch {
            throw UpstreamStoreError(operation: operation, underlying: error)
        }
    }

    public static let systemNowMs: @Sendable () -> Int64 = {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Int64(spec.tv_sec) * 1000 + Int64(spec.tv_nsec) / 1_000_000
    }
}

/// A database operation of the receiver failed; `operation` says which.
public struct UpstreamStoreError: Error, CustomStringConvertible, Sendable {
    public var operation: String
    public var underlying: any Error

    public init(operation: String, underlying: any Error) {
        self.operation = operation
        self.underlying = underlying
    }

    public var description: String { "upstream store: \(operation): \(underlying)" }
}
