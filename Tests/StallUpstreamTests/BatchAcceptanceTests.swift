import StallCore
@testable import StallUpstream
import Testing

/// The receiver's side of `POST /v1/batches` (SPEC.md section 7), against the store.
@Suite struct BatchAcceptanceTests {
    @Test func theFourRecordVectorChainIsStoredAndAcknowledgedUpToFour() async throws {
        let store = try Fixtures.makeStore()
        let reply = try await store.acceptBatch(body: Fixtures.batchBody(records: try Fixtures.vectorLines("valid-export.jsonl")))
        #expect(reply == .acknowledged(ackedSeq: 4))
        #expect(reply.status == 200)
        #expect(CanonicalJSON.string(reply.body) == #"{"acked_seq":4}"#)
        #expect(try await store.ackedSeq(deviceID: Fixtures.deviceID) == 4)
    }

    @Test func theDatabaseIsInWALModeAndSyncsEveryCommit() async throws {
        let settings = try await Fixtures.makeStore().durabilitySettings()
        #expect(settings.journalMode == "wal")
        #expect(settings.synchronous == 2, "PRAGMA synchronous = FULL")
    }

    @Test func storedRecordsAreTheVectorsCanonicalTextByteForByte() async throws {
        let store = try Fixtures.makeStore()
        let lines = try Fixtures.vectorLines("valid-export.jsonl")
        _ = try await store.acceptBatch(body: Fixtures.batchBody(records: lines))
        let stored = try await store.records(deviceID: Fixtures.deviceID)
        #expect(stored.map { Array($0.utf8) } == lines)
        #expect(try await store.records(deviceID: Fixtures.deviceID, from: 3).count == 2)
        #expect(try await store.publicKey(deviceID: Fixtures.deviceID) == Fixtures.publicKeyBase64)
    }

    @Test func theChainJSONVectorsSignedRecordsAreAcceptedAsParsedValues() async throws {
        let chain = try Fixtures.vectorJSON("chain.json")
        let records = try #require(chain["records"]?.arrayValue).compactMap { $0["signed"] }
        #expect(records.count == 4)
        let store = try Fixtures.makeStore()
        let reply = try await store.acceptBatch(
            deviceID: Fixtures.deviceID, publicKey: Fixtures.publicKeyBase64, records: records.map(BatchEntry.value))
        #expect(reply == .acknowledged(ackedSeq: 4))
    }

    @Test func aResendOfTheSameBatchGetsTheSameAckedSeqAndStoresNothingTwice() async throws {
        let store = try Fixtures.makeStore()
        let body = Fixtures.batchBody(records: try Fixtures.vectorLines("valid-export.jsonl"))
        #expect(try await store.acceptBatch(body: body) == .acknowledged(ackedSeq: 4))
        #expect(try await store.acceptBatch(body: body) == .acknowledged(ackedSeq: 4))
        #expect(try await store.records(deviceID: Fixtures.deviceID).count == 4)
    }

    @Test func aDayCloseAndAResetContinuingFromTheAcknowledgedRecordAreStored() async throws {
        let store = try Fixtures.makeStore()
        let lines = try Fixtures.vectorLines("valid-with-day-close-and-reset.jsonl")
        // As a box sends them: 1-5 first (acknowledged), then, after its reset, 6-7.
        #expect(try await store.acceptBatch(body: Fixtures.batchBody(records: Array(lines[0..<5]))) == .acknowledged(ackedSeq: 5))
        #expect(try await store.acceptBatch(body: Fixtures.batchBody(records: Array(lines[5...]))) == .acknowledged(ackedSeq: 7))
    }

    @Test(arguments: Fixtures.negativeNames)
    func eachNegativeVectorGetsTheReplyItsExpectFileGives(name: String) async throws {
        let expect = try #require(try Fixtures.vectorJSON("negative/\(name).expect.json")["reply"])
        let store = try Fixtures.makeStore()
        let reply = try await store.acceptBatch(body: Fixtures.batchBody(records: try Fixtures.vectorLines("negative/\(name).jsonl")))
        #expect(Int64(reply.status) == expect["status"]?.intValue)
        if let acked = expect["acked_seq"] {
            #expect(reply.body["acked_seq"] == acked)
        }
        if let error = expect["error"] {
            #expect(reply.body["error"] == error)
            #expect(reply.body["seq"] == expect["seq"])
            #expect(reply.body["message"]?.stringValue?.isEmpty == false)
        }
    }

    @Test func recordsBeforeTheFirstBadOneStayStored() async throws {
        // broken-chain: 1 and 2 are good, 3 breaks the chain; float-amount: 3 has a float.
        for name in ["broken-chain", "float-amount", "gap-in-sequence"] {
            let store = try Fixtures.makeStore()
            _ = try await store.acceptBatch(body: Fixtures.batchBody(records: try Fixtures.vectorLines("negative/\(name).jsonl")))
            #expect(try await store.ackedSeq(deviceID: Fixtures.deviceID) == 2, "\(name)")
            let empty = try await store.acceptBatch(body: Fixtures.batchBody(records: []))
            #expect(empty == .acknowledged(ackedSeq: 2), "an empty batch reports where the receiver stands")
        }
    }

    @Test func aFloatInARecordIsRefusedWithThatRecordsSeqEvenWhenItIsNotTheFirstNumber() async throws {
        let lines = try Fixtures.vectorLines("valid-export.jsonl")
        // Put a float after seq in record 2: the reply must still name seq 2.
        var second = String(decoding: lines[1], as: UTF8.self)
        second = second.replacingOccurrences(of: #""weight_mg":1234000"#, with: #""weight_mg":1.234e6"#)
        let store = try Fixtures.makeStore()
        let reply = try await store.acceptBatch(body: Fixtures.batchBody(records: [lines[0], Array(second.utf8), lines[2]]))
        #expect(reply == .rejected(BatchRejection(code: .floatNotAllowed, message: "", seq: 2)).withMessage(of: reply))
        #expect(try await store.ackedSeq(deviceID: Fixtures.deviceID) == 1)
    }

    @Test func aFloatInTheSeqItselfIsRefusedWithANullSeq() async throws {
        let lines = try Fixtures.vectorLines("valid-export.jsonl")
        let first = String(decoding: lines[0], as: UTF8.self).replacingOccurrences(of: #""seq":1"#, with: #""seq":1.0"#)
        let reply = try await Fixtures.makeStore().acceptBatch(body: Fixtures.batchBody(records: [Array(first.utf8)]))
        #expect(reply.status == 422)
        #expect(reply.body["error"] == "float_not_allowed")
        #expect(reply.body["seq"] == .null)
    }

    @Test func duplicateMemberNamesInARecordAreABadRecord() async throws {
        let lines = try Fixtures.vectorLines("valid-export.jsonl")
        let duplicated = Array(#"{"seq":2,"seq":2}"#.utf8)
        let store = try Fixtures.makeStore()
        let reply = try await store.acceptBatch(body: Fixtures.batchBody(records: [lines[0], duplicated]))
        #expect(reply.body["error"] == "bad_record")
        #expect(try await store.ackedSeq(deviceID: Fixtures.deviceID) == 1)
    }

    @Test func aKnownKindMissingItsOwnMembersIsABadRecordButAnUnknownKindIsStored() async throws {
        let signer = try TestSigner()
        let noVersion = UnsignedRecord(
            deviceID: signer.identity.deviceID, seq: 1, prev: Record.genesisPrev, timestampMs: 1, clockSynced: true, kind: .start, body: [:])
        let bad = noVersion.signed(signature: Array(try signer.key.signature(for: noVersion.signedBytes)))
        let store = try Fixtures.makeStore()
        let refused = try await store.acceptBatch(
            deviceID: signer.identity.deviceID, publicKey: signer.identity.publicKeyBase64, records: [bad])
        #expect(refused.body["error"] == "bad_record")
        #expect(refused.body["seq"] == 1)

        let future = UnsignedRecord(
            deviceID: signer.identity.deviceID, seq: 1, prev: Record.genesisPrev, timestampMs: 1, clockSynced: true,
            kind: RecordKind(rawValue: "fault"), body: ["device": "scale0", "detail": ["code": 7]])
        let unknown = future.signed(signature: Array(try signer.key.signature(for: future.signedBytes)))
        let stored = try await store.acceptBatch(
            deviceID: signer.identity.deviceID, publicKey: signer.identity.publicKeyBase64, records: [unknown])
        #expect(stored == .acknowledged(ackedSeq: 1))
    }

    @Test func aKeyThatIsNotTheDevicesIsRefusedForTheWholeBatchWithANullSeq() async throws {
        let store = try Fixtures.makeStore()
        let lines = try Fixtures.vectorLines("valid-export.jsonl")
        let wrongDevice = try await store.acceptBatch(
            body: Fixtures.batchBody(records: lines, deviceID: "24f6ed6acbfe1009c030d7ca567c33ca"))
        #expect(wrongDevice.body["error"] == "bad_device_id")
        #expect(wrongDevice.body["seq"] == .null)
        let shortKey = try await store.acceptBatch(body: Fixtures.batchBody(records: lines, publicKey: "AAAA"))
        #expect(shortKey.body["error"] == "bad_device_id")
        #expect(try await store.ackedSeq(deviceID: Fixtures.deviceID) == 0)
    }

    @Test(arguments: [
        "not json", "[]", #"{"device_id":1,"public_key":"x","records":[]}"#,
        #"{"device_id":"x","public_key":"x"}"#, #"{"device_id":"x","public_key":"x","records":{}}"#,
        #"{"device_id":"x","public_key":"x","records":[{"a":1.5},{]}"#,
    ])
    func aBodyThatIsNotABatchObjectIsA400(body: String) async throws {
        let reply = try await Fixtures.makeStore().acceptBatch(body: Array(body.utf8))
        #expect(reply.status == 400)
    }

    /// The table "How acked_seq comes out when a batch overlaps" of SPEC.md section 7, with
    /// the receiver holding 1...10.
    @Test func overlappingBatchesAreAnsweredAsTheSpecTableSays() async throws {
        let signer = try TestSigner()
        let chain = try signer.chain(count: 14)
        let other = try signer.chain(count: 14, weightOffset: 1)
        let id = signer.identity.deviceID
        let key = signer.identity.publicKeyBase64
        func holdingTen() async throws -> UpstreamStore {
            let store = try Fixtures.makeStore()
            #expect(try await store.acceptBatch(deviceID: id, publicKey: key, records: Array(chain[0..<10])) == .acknowledged(ackedSeq: 10))
            return store
        }

        var store = try await holdingTen()
        #expect(try await store.acceptBatch(deviceID: id, publicKey: key, records: Array(chain[7..<12])) == .acknowledged(ackedSeq: 12))

        store = try await holdingTen()
        #expect(try await store.acceptBatch(deviceID: id, publicKey: key, records: Array(chain[3..<6])) == .acknowledged(ackedSeq: 10))

        store = try await holdingTen()
        let conflicting = [chain[7], other[8], chain[9], chain[10], chain[11]]
        let conflict = try await store.acceptBatch(deviceID: id, publicKey: key, records: conflicting)
        #expect(conflict.body["error"] == "seq_conflict")
        #expect(conflict.body["seq"] == 9)

        store = try await holdingTen()
        #expect(try await store.acceptBatch(deviceID: id, publicKey: key, records: Array(chain[11..<14])) == .gap(ackedSeq: 10))

        store = try await holdingTen()
        var badTwelve = chain[11].members
        badTwelve["sig"] = other[11].members["sig"]
        let badSignature = try await store.acceptBatch(
            deviceID: id, publicKey: key, records: [chain[10], Record(members: badTwelve), chain[12]])
        #expect(badSignature.body["error"] == "bad_signature")
        #expect(badSignature.body["seq"] == 12)
        #expect(try await store.acceptBatch(deviceID: id, publicKey: key, records: [StallCore.Record]()) == .acknowledged(ackedSeq: 11))
    }
}

extension BatchReply {
    /// The same reply with `other`'s message, for comparing everything but free text.
    func withMessage(of other: BatchReply) -> BatchReply {
        guard case .rejected(var mine) = self, case .rejected(let theirs) = other else { return self }
        mine.message = theirs.message
        return .rejected(mine)
    }
}
