import Foundation
import StallCore
import StallLedger
import StallTestSupport
import Synchronization
import Testing

/// A temporary directory removed when the value is.
final class TemporaryDirectory: @unchecked Sendable {
    let path: String
    init() throws {
        path = NSTemporaryDirectory() + "stallbox-test-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }
    deinit { try? FileManager.default.removeItem(atPath: path) }
}

/// Reads the whole ledger back in pages and checks it as an auditor would; returns how many
/// records verified (every problem is an expectation failure).
func verifiedRecordCount(_ ledger: Ledger) async throws -> Int {
    var verifier = try ChainVerifier(identity: ledger.identity)
    var count = 0
    var from: Int64 = 1
    while true {
        let batch = try await ledger.records(from: from, limit: 300)
        if batch.isEmpty { break }
        for record in batch {
            #expect(verifier.check(record).isEmpty, "seq \(record.seq ?? 0)")
            count += 1
        }
        from = batch.last!.seq! + 1
    }
    return count
}

@Suite struct LedgerTestVectorTests {
    static let vector: JSONValue = {
        (try? JSONParser.parse(try RepositoryFiles.bytes("firmware-protocols/upstream/vectors/chain.json"))) ?? .null
    }()

    @Test func theVectorKeyGivesTheVectorDeviceIDAndPublicKey() throws {
        let key = try DeviceKey(seed: Hex.decode(Self.vector["private_key_seed_hex"]!.stringValue!)!)
        #expect(key.identity.publicKeyBase64 == Self.vector["public_key_b64"]?.stringValue)
        #expect(key.deviceID == Self.vector["device_id"]?.stringValue)
    }

    @Test func everyVectorRecordHasTheDocumentedCanonicalBytesSignatureAndHash() throws {
        let key = try DeviceKey(seed: Hex.decode(Self.vector["private_key_seed_hex"]!.stringValue!)!)
        for entry in Self.vector["records"]!.arrayValue! {
            let unsigned = Record(members: entry["unsigned"]!.objectValue!)
            #expect(String(decoding: unsigned.canonicalBytes, as: UTF8.self) == entry["canonical_unsigned"]?.stringValue)
            let signature = try key.sign(unsigned.canonicalBytes)
            #expect(Base64.encode(signature) == entry["signature_b64"]?.stringValue)
            let signed = Record(members: entry["signed"]!.objectValue!)
            #expect(String(decoding: signed.canonicalBytes, as: UTF8.self) == entry["canonical_signed"]?.stringValue)
            #expect(signed.hashHex == entry["sha256_hex"]?.stringValue)
        }
    }

    @Test func theLedgerWritesTheVectorChainByteForByte() async throws {
        let directory = try TemporaryDirectory()
        let key = try DeviceKey(seed: Hex.decode(Self.vector["private_key_seed_hex"]!.stringValue!)!)
        let clockSynced = Mutex(false)
        let ledger = try Ledger(path: directory.path + "/ledger.sqlite", key: key, clockSynchronized: { clockSynced.withLock { $0 } })
        for entry in Self.vector["records"]!.arrayValue! {
            var body = entry["unsigned"]!.objectValue!
            let kind = RecordKind(rawValue: body["kind"]!.stringValue!)
            let timestamp = body["ts_ms"]!.intValue!
            clockSynced.withLock { $0 = body["clock_synced"]!.boolValue! }
            for member in Record.commonMembers { body[member] = nil }
            let record = try await ledger.append(kind: kind, body: body, timestampMs: timestamp)
            #expect(CanonicalJSON.string(record.json) == entry["canonical_signed"]?.stringValue)
        }
        try ledger.close()
    }
}

@Suite struct LedgerTests {
    func makeLedger(_ directory: TemporaryDirectory) throws -> Ledger {
        let (key, _) = try DeviceKey.loadOrCreate(path: directory.path + "/device.key")
        return try Ledger(path: directory.path + "/ledger.sqlite", key: key)
    }

    @Test func aChainOfAThousandRecordsVerifiesAndSurvivesReopening() async throws {
        let directory = try TemporaryDirectory()
        var ledger = try makeLedger(directory)
        for index in 0..<1000 {
            try await ledger.append(kind: .weighing, body: ["scale": "scale0", "protocol": "toledo-continuous", "weight_mg": .int(Int64(index) * 1000), "net": false], timestampMs: 1_764_043_200_000 + Int64(index))
        }
        try ledger.close()
        ledger = try makeLedger(directory)
        #expect(try await verifiedRecordCount(ledger) == 1000)
        try ledger.close()
    }

    @Test func theLedgerRunsInWALWithSynchronousFull() throws {
        let directory = try TemporaryDirectory()
        let ledger = try makeLedger(directory)
        #expect(try ledger.journalMode() == "wal")
        #expect(try ledger.synchronousMode() == 2)
        try ledger.close()
    }

    @Test func aPaymentIDIsRecordedOnceAndTheCursorMovesWithIt() async throws {
        let directory = try TemporaryDirectory()
        let ledger = try makeLedger(directory)
        let body: [String: JSONValue] = ["amount_fen": 1250, "channel": "alipay", "paid_at_ms": 1, "source": "upstream"]
        let first = try await ledger.appendPayments([(paymentID: "p-1", body: body)], timestampMs: 1, cursor: (name: "n", value: "c1"))
        let second = try await ledger.appendPayments([(paymentID: "p-1", body: body)], timestampMs: 2, cursor: (name: "n", value: "c2"))
        guard case .appended(let record) = first.first else { Issue.record("first delivery not appended"); return }
        #expect(second == [.duplicate(seq: record.seq!)])
        #expect(try await ledger.lastSeq() == 1)
        #expect(try await ledger.cursor(named: "n") == "c2")
        try ledger.close()
    }

    @Test func acknowledgementNeverMovesBackwardsOrPastTheLastRecord() async throws {
        let directory = try TemporaryDirectory()
        let ledger = try makeLedger(directory)
        for _ in 0..<3 { try await ledger.append(kind: .start, body: ["version": "t"], timestampMs: 1) }
        try await ledger.markAcknowledged(upTo: 2, atMs: 10)
        try await ledger.markAcknowledged(upTo: 1, atMs: 11)
        try await ledger.markAcknowledged(upTo: 9, atMs: 12)
        let state = try await ledger.outboxState()
        #expect(state.ackedSeq == 2)
        #expect(state.pending == 1)
        try ledger.close()
    }
}

@Suite struct DeviceKeyFileTests {
    @Test func theKeyFileIsCreatedWithModeSixHundredAndReloadsTheSameKey() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/device.key"
        let (created, isNew) = try DeviceKey.loadOrCreate(path: path)
        #expect(isNew)
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        #expect((attributes[.size] as? Int) == 32)
        let (loaded, isNewAgain) = try DeviceKey.loadOrCreate(path: path)
        #expect(!isNewAgain)
        #expect(loaded.deviceID == created.deviceID)
    }

    @Test(arguments: [0o644, 0o640, 0o604, 0o660])
    func aKeyFileOthersCanReadIsRefused(mode: Int) throws {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/device.key"
        _ = try DeviceKey.loadOrCreate(path: path)
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: path)
        #expect {
            try DeviceKey.loadOrCreate(path: path)
        } throws: { error in
            "\(error)".contains("chmod 600")
        }
    }

    @Test func aTruncatedKeyFileIsRefusedNotReplaced() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/device.key"
        _ = FileManager.default.createFile(atPath: path, contents: Data([1, 2, 3]), attributes: [.posixPermissions: 0o600])
        #expect(throws: (any Error).self) { try DeviceKey.loadOrCreate(path: path) }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)).count == 3)
    }
}
