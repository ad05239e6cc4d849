import Foundation
import StallCore
import StallLedger
import StallTestSupport
import Testing

/// What the housekeeping loop asks of the ledger: `day_close` totals and retention.
@Suite struct LedgerHousekeepingTests {
    func payment(_ id: String, fen: Int64, channel: String) -> (paymentID: String, body: [String: JSONValue]) {
        (id, ["amount_fen": .int(fen), "channel": .string(channel), "paid_at_ms": 1, "source": "test"])
    }

    @Test func aDayCloseCountsAndSumsEveryRecordSinceThePreviousOne() async throws {
        let directory = try TemporaryDirectory()
        let (key, _) = try DeviceKey.loadOrCreate(path: directory.path + "/device.key")
        let ledger = try Ledger(path: directory.path + "/ledger.sqlite", key: key)
        try await ledger.append(kind: .start, body: ["version": "t"], timestampMs: 1)
        try await ledger.append(kind: .weighing, body: ["scale": "s", "protocol": "p", "weight_mg": 1_234_000, "net": false], timestampMs: 2)
        try await ledger.append(kind: .weighing, body: ["scale": "s", "protocol": "p", "weight_mg": 500, "net": false], timestampMs: 3)
        _ = try await ledger.appendPayments(
            [payment("a", fen: 1250, channel: "alipay"), payment("b", fen: 300, channel: "alipay"), payment("c", fen: 99, channel: "wechat")],
            timestampMs: 4, cursor: nil)
        try await ledger.append(
            kind: .announcement, body: ["payment_id": "a", "outcome": "played", "latency_ms": 1, "text": "x", "speaker": .null], timestampMs: 5)

        let close = try await ledger.closeDay("2026-12-01", timestampMs: 6)
        #expect(close.kind == .dayClose && close.seq == 8)
        let members = close.members
        #expect(members["day"] == "2026-12-01")
        #expect(members["first_seq"] == 1 && members["last_seq"] == 7 && members["records"] == 7)
        #expect(members["counts"] == ["start": 1, "weighing": 2, "payment": 3, "announcement": 1])
        #expect(members["payments"] == ["alipay": ["count": 2, "amount_fen": 1550], "wechat": ["count": 1, "amount_fen": 99]])
        #expect(members["announcements"] == ["played": 1])
        #expect(members["weight_mg"] == 1_234_500)
        #expect(try await ledger.lastDayClose()?.day == "2026-12-01")

        // The next close covers what came after this one (closes do not count each other);
        // an empty day says so.
        let quiet = try await ledger.closeDay("2026-12-02", timestampMs: 7)
        #expect(quiet.seq == 9 && quiet.members["records"] == 0 && quiet.members["first_seq"] == .null)
        try await ledger.append(kind: .start, body: ["version": "t"], timestampMs: 8)
        let next = try await ledger.closeDay("2026-12-03", timestampMs: 9)
        #expect(next.members["first_seq"] == 10 && next.members["last_seq"] == 10 && next.members["counts"] == ["start": 1])
        try ledger.close()
    }

    @Test func retentionDeletesOnlyOldAcknowledgedRecordsAndKeepsTheChainGoing() async throws {
        let directory = try TemporaryDirectory()
        let (key, _) = try DeviceKey.loadOrCreate(path: directory.path + "/device.key")
        let ledger = try Ledger(path: directory.path + "/ledger.sqlite", key: key)
        _ = try await ledger.appendPayments([payment("old", fen: 100, channel: "alipay")], timestampMs: 10, cursor: nil)
        for ts in Int64(11)...20 { try await ledger.append(kind: .start, body: ["version": "t"], timestampMs: ts) }
        try await ledger.markAcknowledged(upTo: 8, atMs: 100)

        // Everything is older than the cutoff, but only acknowledged records may go.
        #expect(try await ledger.deleteAcknowledged(before: 1_000) == 8)
        #expect(try await ledger.records(from: 1, limit: 100).map(\.seq) == Array(9...11))
        #expect(try await ledger.outboxState().pending == 3)

        // All acknowledged: the newest record stays, so the next one still chains to it.
        try await ledger.markAcknowledged(upTo: 11, atMs: 200)
        #expect(try await ledger.deleteAcknowledged(before: 1_000) == 2)
        let kept = try await ledger.records(from: 1, limit: 100)
        #expect(kept.map(\.seq) == [11])
        let next = try await ledger.append(kind: .start, body: ["version": "t"], timestampMs: 30)
        #expect(next.seq == 12 && next.prev == kept[0].hashHex)

        // A redelivered payment whose record was deleted is still known.
        let again = try await ledger.appendPayments([payment("old", fen: 100, channel: "alipay")], timestampMs: 40, cursor: nil)
        #expect(again == [.duplicate(seq: 1)])
        try ledger.close()
    }
}
