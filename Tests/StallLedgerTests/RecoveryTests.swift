import Foundation
import StallCore
import StallLedger
import StallTestSupport
import Testing

/// A damaged ledger never bricks the box (issue 6): it is moved aside, and a new chain
/// starts with a signed `reset` that continues from what upstream acknowledged.
@Suite struct RecoveryTests {
    func weighing(_ index: Int) -> [String: JSONValue] {
        ["scale": "scale0", "protocol": "toledo-continuous", "weight_mg": .int(Int64(index)), "net": false]
    }

    /// Writes `count` records, acknowledges `acked` of them, closes; returns the records.
    func writeLedger(_ directory: TemporaryDirectory, count: Int, acked: Int64?) async throws -> (DeviceKey, [Record]) {
        let (key, _) = try DeviceKey.loadOrCreate(path: directory.path + "/device.key")
        let ledger = try Ledger(path: directory.path + "/ledger.sqlite", key: key)
        for index in 0..<count { try await ledger.append(kind: .weighing, body: weighing(index), timestampMs: Int64(index)) }
        if let acked { try await ledger.markAcknowledged(upTo: acked, atMs: 99) }
        let records = try await ledger.records(from: 1, limit: count)
        try ledger.close()
        return (key, records)
    }

    func overwrite(_ path: String, at offset: UInt64, with bytes: [UInt8]) throws {
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.seek(toOffset: offset)
        try handle.write(contentsOf: Data(bytes))
        try handle.close()
    }

    @Test func aHealthyLedgerOpensAsItIs() async throws {
        let directory = try TemporaryDirectory()
        let (key, _) = try await writeLedger(directory, count: 10, acked: 5)
        let (ledger, recovery) = try Ledger.openRecovering(path: directory.path + "/ledger.sqlite", key: key, nowMs: 1)
        #expect(recovery == nil)
        #expect(try await ledger.lastSeq() == 10)
        #expect(try await ledger.outboxState().ackedSeq == 5)
        try ledger.close()
    }

    @Test func theAnchorFollowsEveryAcknowledgement() async throws {
        let directory = try TemporaryDirectory()
        let (key, records) = try await writeLedger(directory, count: 10, acked: 7)
        let anchor = LedgerAnchor.load(path: directory.path + "/ledger.sqlite.anchor", deviceID: key.deviceID)
        #expect(anchor?.ackedSeq == 7)
        #expect(anchor?.ackedHash == records[6].hashHex)
        #expect(LedgerAnchor.load(path: directory.path + "/ledger.sqlite.anchor", deviceID: "another") == nil)
    }

    /// Garbage over the middle of the file: SQLite's quick check (or the open) refuses it.
    @Test(arguments: ["pages", "header"])
    func aDamagedLedgerIsMovedAsideAndTheNewChainContinuesFromTheAnchor(damage: String) async throws {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/ledger.sqlite"
        let (key, old) = try await writeLedger(directory, count: 300, acked: 200)
        let size = try FileManager.default.attributesOfItem(atPath: path)[.size] as! UInt64
        switch damage {
        case "header": try overwrite(path, at: 0, with: Array(repeating: 0x5A, count: 100))
        default: try overwrite(path, at: 4096, with: (0..<Int(size - 4096)).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) })
        }

        let started = ContinuousClock.now
        let (ledger, recovery) = try Ledger.openRecovering(path: path, key: key, nowMs: 1_000)
        #expect(ContinuousClock.now - started < .seconds(5), "the daemon starts within 5 s")
        let report = try #require(recovery)
        #expect(FileManager.default.fileExists(atPath: report.damagedPath), "moved aside, not deleted")
        #expect(report.anchor?.ackedSeq == 200)
        #expect(report.reset.kind == .reset)
        #expect(report.reset.seq == 201)
        #expect(report.reset.prev == old[199].hashHex, "chained to the last record upstream holds")
        #expect(report.reset.members["acked_seq"] == 200)
        #expect(report.reset.members["anchor"] == true)

        // Upstream holds 1…200: with the new records it still sees one verifiable chain.
        try await ledger.append(kind: .weighing, body: weighing(999), timestampMs: 2_000)
        let fresh = try await ledger.records(from: 201, limit: 10)
        #expect(fresh.map(\.seq) == [201, 202])
        var verifier = try ChainVerifier(identity: key.identity)
        for record in old.prefix(200) + fresh { #expect(verifier.check(record).isEmpty, "seq \(record.seq ?? 0)") }
        let state = try await ledger.outboxState()
        #expect(state.ackedSeq == 200 && state.lastSeq == 202 && state.pending == 2)
        try ledger.close()
    }

    @Test func withoutAnAnchorTheNewChainStartsAtOne() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/ledger.sqlite"
        let (key, _) = try DeviceKey.loadOrCreate(path: directory.path + "/device.key")
        try Data(repeating: 0xA5, count: 8192).write(to: URL(fileURLWithPath: path))
        let (ledger, recovery) = try Ledger.openRecovering(path: path, key: key, nowMs: 5)
        let report = try #require(recovery)
        #expect(report.anchor == nil)
        #expect(report.reset.seq == 1)
        #expect(report.reset.prev == Record.genesisPrev)
        #expect(report.reset.members["anchor"] == false)
        #expect(report.reset.members["acked_seq"] == 0)
        try ledger.close()
    }

    @Test func aMissingDirectoryIsAnErrorNotDamage() throws {
        let directory = try TemporaryDirectory()
        let (key, _) = try DeviceKey.loadOrCreate(path: directory.path + "/device.key")
        #expect(throws: Ledger.Error.self) {
            _ = try Ledger.openRecovering(path: directory.path + "/no/such/dir/ledger.sqlite", key: key, nowMs: 1)
        }
    }
}
