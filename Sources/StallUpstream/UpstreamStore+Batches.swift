import GRDB
import StallCore

extension UpstreamStore {
    /// Parses a `POST /v1/batches` body and answers it (SPEC.md section 7).
    public func acceptBatch(body: [UInt8]) async throws(UpstreamStoreError) -> BatchReply {
        let request: BatchRequest
        do {
            request = try BatchRequest(body: body)
        } catch {
            return .malformed(error.message)
        }
        return try await acceptBatch(deviceID: request.deviceID, publicKey: request.publicKey, records: request.records)
    }

    /// Convenience for in-process callers holding `Record`s.
    public func acceptBatch(
        deviceID: String, publicKey: String, records: [StallCore.Record]
    ) async throws(UpstreamStoreError) -> BatchReply {
        try await acceptBatch(deviceID: deviceID, publicKey: publicKey, records: records.map(BatchEntry.init))
    }

    /// Checks and stores one batch in ONE write transaction: the reply is returned only
    /// after the transaction that stored its records has committed. Records before a bad
    /// one stay stored (SPEC.md: "Records stored before a failure stay stored").
    ///
    /// Throws only when the database fails; then nothing of this batch was acknowledged.
    public func acceptBatch(
        deviceID: String, publicKey: String, records: [BatchEntry]
    ) async throws(UpstreamStoreError) -> BatchReply {
        // Step 2: the key and the device_id derived from it; needs no stored state.
        guard let identity = DeviceIdentity(publicKeyBase64: publicKey) else {
            return .rejected(BatchRejection(
                code: .badDeviceID, message: "public_key is not standard base64 of 32 bytes", seq: nil))
        }
        guard identity.deviceID == deviceID else {
            return .rejected(BatchRejection(
                code: .badDeviceID,
                message: "device_id \(deviceID) is not derived from public_key (expected \(identity.deviceID))", seq: nil))
        }
        return try await write("store a batch of \(records.count) records for \(deviceID)") { db in
            try Self.checkAndStore(db, identity: identity, records: records)
        }
    }

    /// Step 3 and 4 of SPEC.md section 7, inside the caller's write transaction.
    static func checkAndStore(_ db: Database, identity: DeviceIdentity, records: [BatchEntry]) throws -> BatchReply {
        let deviceID = identity.deviceID
        let head = try Row.fetchOne(
            db, sql: "SELECT seq, hash FROM records WHERE device_id = ? ORDER BY seq DESC LIMIT 1", arguments: [deviceID])
        var checker: BatchChecker
        do {
            checker = try BatchChecker(
                identity: identity, heldSeq: head?["seq"] ?? 0, heldHash: head?["hash"] ?? StallCore.Record.genesisPrev)
        } catch {
            return .rejected(error)
        }
        var deviceRegistered = false
        for entry in records {
            let decision = try checker.check(entry) { seq in
                try String.fetchOne(
                    db, sql: "SELECT canonical FROM records WHERE device_id = ? AND seq = ?", arguments: [deviceID, seq])
            }
            switch decision {
            case .resend:
                continue
            case .stop(let reply):
                return reply
            case .store(let record):
                if !deviceRegistered {
                    try db.execute(
                        sql: "INSERT INTO devices (device_id, public_key) VALUES (?, ?) ON CONFLICT(device_id) DO NOTHING",
                        arguments: [deviceID, identity.publicKeyBase64])
                    deviceRegistered = true
                }
                try db.execute(
                    sql: "INSERT INTO records (device_id, seq, prev, hash, canonical) VALUES (?, ?, ?, ?, ?)",
                    arguments: [
                        deviceID, record.seq, record.prev, record.hashHex,
                        String(decoding: record.canonicalBytes, as: UTF8.self),
                    ])
            }
        }
        return .acknowledged(ackedSeq: checker.heldSeq)
    }
}
